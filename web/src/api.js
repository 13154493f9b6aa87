// The REST API. A person signs in with e-mail and password: the server keeps the
// session in an HttpOnly cookie (no script reads it) and gives a CSRF token, sent back
// on every request that writes; a new tab finds the same session (GET /v1/session).
// An API token pasted on the sign-in page is kept for this tab only, as before.
const KEY = 'canopee.token';
const CSRF = 'canopee.csrf';

export const session = {
  token: () => sessionStorage.getItem(KEY),
  csrf: () => sessionStorage.getItem(CSRF),
  signedIn: () => Boolean(sessionStorage.getItem(KEY) || sessionStorage.getItem(CSRF)),
  save: (token) => sessionStorage.setItem(KEY, token),
  saveCookieSession: (csrf) => { sessionStorage.removeItem(KEY); sessionStorage.setItem(CSRF, csrf); },
  end: () => { for (const key of [KEY, CSRF, 'canopee.me']) sessionStorage.removeItem(key); },
  me: () => JSON.parse(sessionStorage.getItem('canopee.me') || 'null'),
  saveMe: (me) => sessionStorage.setItem('canopee.me', JSON.stringify(me)),
};

// The browser session of another tab (or of a reload), if the cookie holds one.
export async function resumeSession() {
  try {
    const response = await fetch('/v1/session', { credentials: 'same-origin' });
    if (!response.ok) return null;
    const body = await response.json();
    if (body.via !== 'session') return null;
    session.saveCookieSession(body.csrf_token);
    session.saveMe(body.user);
    return body.user;
  } catch {
    return null;
  }
}

// Signs out: the server ends a cookie session; a token simply stops being kept.
export async function signOut() {
  if (!session.token() && session.csrf()) {
    await fetch('/v1/session', { method: 'DELETE', credentials: 'same-origin', headers: { 'X-CSRF-Token': session.csrf() } }).catch(() => {});
  }
  session.end();
}

// A problem carries a stable `code` and French text: its detail and field messages are
// shown as they are, and the codes are kept for the views to act on. A problem without
// a code (a proxy's, or an answer that is not a problem) gets a French sentence by status.
export class ApiError extends Error {
  constructor(status, problem) {
    super(byCode[problem?.code] || (problem?.code && problem.detail ? problem.detail : withoutDetail[problem?.code] || fallback(status)));
    this.status = status;
    this.code = problem?.code || null;
    this.fields = (problem?.errors || []).map((e) => ({
      field: e.field, code: e.code || null, message: e.code ? e.message : fallback(status),
      ...(e.value !== undefined ? { value: e.value } : {}),
    }));
  }
}

export async function api(method, path, body, { accept, raw, contentType, headers = {} } = {}) {
  const h = { ...headers };
  if (session.token()) h.Authorization = `Bearer ${session.token()}`;
  else if (method !== 'GET' && method !== 'HEAD' && session.csrf()) h['X-CSRF-Token'] = session.csrf();
  if (body !== undefined) h['Content-Type'] = contentType || 'application/json';
  if (accept) h.Accept = accept;
  let response;
  try {
    response = await fetch(path, {
      method, headers: h, credentials: 'same-origin',
      body: body === undefined || typeof body === 'string' || body instanceof Blob ? body : JSON.stringify(body),
    });
  } catch {
    // The browser's own words ("Failed to fetch") never reach the user.
    throw new ApiError(0, { code: 'network.unreachable', detail: 'Le serveur ne répond pas : vérifiez la connexion, puis réessayez.' });
  }
  if (response.status === 401) {
    const problem = await response.json().catch(() => ({}));
    const revoked = problem?.type === 'urn:canopee:problem:token-revoked' || problem?.code === 'auth.user_revoked';
    // The shell keeps the page and its form draft for after the next sign-in (main.js).
    if (!location.hash.startsWith('#/connexion')) window.dispatchEvent(new CustomEvent('canopee:session-lost'));
    session.end();
    // On the sign-in page itself the form says the token was refused.
    if (!location.hash.startsWith('#/connexion')) location.hash = revoked ? '#/connexion?revoque=1' : '#/connexion?expire=1';
    throw new ApiError(401, revoked
      ? { code: 'auth.token_revoked', detail: 'accès révoqué' }
      : { code: problem?.code || 'auth.session_expired', detail: 'session expirée' });
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  if (response.status === 204) return null;  // done, nothing to say (a DELETE)
  return response.json();
}

// Every item of a list, following `next_cursor` page after page (500 at a time),
// up to `max` items: a page of a list is never shown as if it were the whole.
// Answers { items, truncated } — truncated when the list holds more than `max`.
export async function apiAll(path, { max = 20000 } = {}) {
  const separator = path.includes('?') ? '&' : '?';
  const items = [];
  let cursor = null;
  do {
    const page = await api('GET', `${path}${separator}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return { items: items.slice(0, max), truncated: Boolean(cursor) || items.length > max };
}

const byStatus = {
  400: 'La demande contient des erreurs.', 403: 'Votre rôle ne permet pas cette action.', 404: 'Introuvable.',
  409: "Cette action n'est pas possible dans l'état actuel.", 412: "L'élément a été modifié entre-temps : rechargez la page.",
  413: 'Le fichier est trop volumineux.', 415: 'Format de fichier non accepté.', 422: 'Requête incohérente.',
  401: 'Session expirée : reconnectez-vous.', 429: 'Trop de demandes : réessayez dans un instant.',
  500: 'Erreur inattendue du serveur.', 503: 'Service momentanément indisponible : réessayez dans un instant.',
};

// Codes whose detail is written for programs (it names the route) get the application's own sentence.
const byCode = { 'auth.role_forbidden': byStatus[403] };

export function fallback(status) {
  return byStatus[status] || 'Erreur inattendue.';
}

// The stable codes of framework agreements and orders (issue 18), in French for a problem
// that arrives without its own French detail (a proxy's, a truncated answer); the API's
// detail, when there is one, is more precise (it carries the figures) and is shown instead.
const withoutDetail = {
  'framework.invalid': 'Les conditions de l’accord-cadre sont incomplètes ou incohérentes.',
  'framework.duration.too_long': 'Un accord-cadre dure 4 ans au plus, reconductions comprises, sauf justification (L2125-1).',
  'framework.justification.invalid': 'La justification de la durée est trop courte ou trop longue.',
  'framework.renewals.range': 'Le nombre de reconductions va de 0 à 10.',
  'framework.renewal_months.range': 'La durée d’une reconduction va de 1 à 120 mois.',
  'framework.margin.range': 'La marge va de 0 à 1 000 %.',
  'framework.maximum.range': 'Le maximum doit être positif.',
  'framework.minimum.range': 'Le minimum ne peut pas être négatif.',
  'framework.minimum.above_maximum': 'Le minimum dépasse le maximum.',
  'framework.tender_launched': 'La consultation est publiée : ses maxima ne changent plus que par un avenant.',
  'framework.basis.unknown': 'La base du maximum est la valeur HT ou la quantité.',
  'framework.lot.unknown': 'Ce lot n’appartient pas à la consultation.',
  'framework.lot.duplicate': 'Ce lot est donné deux fois.',
  'framework.member.unknown': 'Ce membre n’est pas dans le lot.',
  'framework.member.duplicate': 'Ce membre est donné deux fois.',
  'order.maximum_exceeded': 'Ce bon de commande dépasse le maximum restant du marché (R2162-4).',
  'order.contract_not_in_force': 'Ce marché n’est pas encore en vigueur : il prend effet à sa notification (R2182-4).',
  'order.not_framework': 'Ce marché n’est pas un accord-cadre à bons de commande : il s’exécute sans commande.',
  'order.contract_ended': 'Ce marché est arrivé à son terme : plus aucun bon ne peut y être passé.',
  'order.stale': 'Le bon a été modifié entre-temps : rechargez la page.',
  'order.maximum_near': 'Ce bon approche le maximum du marché.',
  'order.transition': 'Cette étape n’est pas possible dans l’état actuel du bon.',
  'order.invalid': 'Le bon de commande est incomplet.',
  'order.lines.count': 'Un bon compte de 1 à 500 lignes.',
  'order.quantity.range': 'La quantité doit être positive.',
  'order.text.invalid': 'Texte vide ou trop long (300 caractères au plus).',
  'order.delivery_place.invalid': 'Le lieu de livraison est vide ou trop long.',
  'order.delivery_date.before_order': 'La date de livraison précède la commande.',
  'order.date.future': 'La date ne peut pas être dans le futur.',
  'order.date.before_previous': 'La date précède l’étape précédente du bon.',
  'order.delivery.lines': 'Donnez une quantité livrée par ligne du bon.',
  'order.delivery.nothing': 'Aucune quantité livrée.',
  'order.delivery.negative': 'Une quantité livrée ne peut pas être négative.',
  'order.delivery.beyond_ordered': 'La quantité livrée dépasse la quantité commandée.',
  'order.delivery.invalid': 'Quantité livrée illisible.',
  'order.invoice.amount': 'Le montant de la facture doit être positif.',
  'order.invoice.reference': 'La référence de la facture est obligatoire.',
  'order.amount.range': 'Montant hors limites.',
  'order.cancel.reason_required': 'Donnez le motif de l’annulation.',
  'network.unreachable': 'Le serveur ne répond pas : vérifiez la connexion, puis réessayez.',
};
