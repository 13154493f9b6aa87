// The REST API, with the user's token kept for this browser session only.
const KEY = 'canopee.token';

export const session = {
  token: () => sessionStorage.getItem(KEY),
  save: (token) => sessionStorage.setItem(KEY, token),
  end: () => { sessionStorage.removeItem(KEY); sessionStorage.removeItem('canopee.me'); },
  me: () => JSON.parse(sessionStorage.getItem('canopee.me') || 'null'),
  saveMe: (me) => sessionStorage.setItem('canopee.me', JSON.stringify(me)),
};

// A problem that carries a stable `code` is a rule written in French: its detail and
// field messages are shown as they are, and the codes are kept for the views to act on.
// Older problems without a code are still translated from their English wording.
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.code ? problem.detail : translate(problem?.detail || '', status));
    this.status = status;
    this.code = problem?.code || null;
    this.fields = (problem?.errors || []).map((e) => ({
      field: e.field, code: e.code || null, message: e.code ? e.message : translate(e.message, status),
    }));
  }
}

export async function api(method, path, body, { accept, raw, contentType, headers = {} } = {}) {
  const h = { Authorization: `Bearer ${session.token()}`, ...headers };
  if (body !== undefined) h['Content-Type'] = contentType || 'application/json';
  if (accept) h.Accept = accept;
  const response = await fetch(path, {
    method, headers: h,
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  if (response.status === 401) {
    const problem = await response.json().catch(() => ({}));
    const revoked = problem?.type === 'urn:canopee:problem:token-revoked';
    session.end();
    // On the sign-in page itself the form says the token was refused.
    if (!location.hash.startsWith('#/connexion')) location.hash = revoked ? '#/connexion?revoque=1' : '#/connexion?expire=1';
    throw new ApiError(401, { detail: revoked ? 'access revoked' : 'session expired' });
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
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

// The API speaks English; the people using this application read French.
const phrases = [
  [/^access revoked$/, 'accès révoqué'],
  [/^session expired$/, 'session expirée'],
  [/too many large uploads at once/, 'trop d’imports en cours : réessayez dans un instant'],
  [/^you already have as many imports in progress/, 'vous avez déjà des imports en cours : réessayez quand l’un d’eux sera terminé'],
  [/^you already have as many allocation computations in progress/, 'un calcul de répartition est déjà en cours pour vous : réessayez dans un instant'],
  [/too many failed authentications/, 'trop d’échecs d’authentification depuis cette adresse : réessayez plus tard'],
  [/the metrics are for the operators/, 'les métriques sont réservées à l’exploitation'],
  [/^is required$/, 'est obligatoire'],
  [/^must not be empty$/, 'ne doit pas être vide'],
  [/^must be a decimal number/, 'doit être un nombre, par exemple « 12,5 »'],
  [/^has more than (\d+) decimals?$/, (m) => `a plus de ${m[1]} décimale${m[1] === '1' ? '' : 's'}`],
  [/^must be greater than zero$/, 'doit être supérieur à zéro'],
  [/^must not be negative$/, 'ne doit pas être négatif'],
  [/^must be positive$/, 'doit être positif'],
  [/^is too large$/, 'est trop grand'],
  [/^must be a date YYYY-MM-DD$/, 'doit être une date (JJ/MM/AAAA)'],
  [/^is not a calendar date$/, "n'est pas une date du calendrier"],
  [/^must be a date-time, e\.g\./, 'doit être une date et une heure (heure de Paris), par exemple 01/03/2027 12:00'],
  [/^this local time does not exist in Paris/, "cette heure n'existe pas à Paris (passage à l'heure d'été) : choisissez-en une autre"],
  [/^must not be before period_start$/, 'ne doit pas précéder le début de la période'],
  [/^"ml" is ambiguous/, '« ml » est ambigu (millilitre ou mètre linéaire) : écrivez les millilitres en litres (250 ml = 0,25 l) et le mètre linéaire « m linéaire »'],
  [/^there is no millilitre unit/, 'pas d’unité millilitre : indiquez la quantité en litres (250 ml = 0,25 l)'],
  [/^unknown unit/, 'unité inconnue : u, kg, t, l, m3, kWh, MWh, m, m2, h, jour, mois, lot'],
  [/is not in the loaded CPV nomenclature/, "ce code n'est pas dans la nomenclature CPV chargée"],
  [/^must be a CPV code/, 'doit être un code CPV NNNNNNNN-N, par exemple 45442100-8'],
  [/^check digit does not match: the code is (.*)$/, (m) => `chiffre de contrôle erroné : le code est ${m[1]}`],
  [/^must be a département code/, 'doit être un code de département (01 à 95, 2A, 2B, 971 à 976)'],
  [/^must be 1–200 characters/, 'doit compter de 1 à 200 caractères'],
  [/^must be at most 200 characters$/, 'doit compter au plus 200 caractères'],
  [/fails the SIREN check digit/, 'SIREN invalide (clé de contrôle)'],
  [/fails the SIRET check digit/, 'SIRET invalide (clé de contrôle)'],
  [/fails the La Poste SIRET check/, 'SIRET de La Poste invalide : la somme de ses chiffres doit être un multiple de 5'],
  [/^must be (9|14) digits$/, (m) => `doit compter ${m[1]} chiffres`],
  [/the weights sum to (\d+); they must sum to 100/, (m) => `les pondérations totalisent ${m[1]} : elles doivent totaliser 100`],
  [/exactly one criterion must be the price/, 'il faut exactement un critère prix ou coût du cycle de vie (R2152-7)'],
  [/either the price or the life-cycle cost/, 'un critère est soit le prix, soit le coût du cycle de vie, pas les deux'],
  [/^must be between (\S+) and (\S+)$/, (m) => `doit être compris entre ${m[1]} et ${m[2]}`],
  [/the first tier must start at 0/, 'la première tranche doit commencer à 0'],
  [/must be greater than the previous tier/, 'doit dépasser le minimum de la tranche précédente'],
  [/^unknown column "(.*)"$/, (m) => `colonne inconnue « ${m[1]} »`],
  [/^missing column "(.*)"$/, (m) => `colonne manquante « ${m[1]} »`],
  [/problems in the file: nothing was imported/, 'le fichier contient des erreurs : rien n\'a été importé'],
  [/^is not a field of this request$/, "n'est pas un champ attendu"],
  [/the need is (\w+): it can no longer/, (m) => `le besoin est ${m[1]} : il ne peut plus être modifié`],
  [/set the deadline for bids before publishing/, 'fixez la date limite de remise des offres avant de publier'],
  [/a single lot must be justified/, "un lot unique doit être justifié (L2113-11)"],
  [/one criterion must take environmental characteristics/, 'un critère environnemental est obligatoire depuis le 21/08/2026'],
  [/lots are awarded once the tender is closed/, 'les lots sont attribués une fois la consultation close'],
  [/the quantity key needs every lot/, 'la clé « au prorata des quantités » demande des lots tous dans la même unité : choisissez une autre clé'],
  [/nothing to split by contract value/, "aucun lot n'est attribué ni ouvert : rien à répartir au prorata des marchés ; choisissez « à parts égales » ou des pourcentages fixes"],
  [/its shared costs no longer change/, 'la consultation est annulée : ses frais mutualisés ne changent plus'],
  [/^member (\S+) is inactive: it cannot (record needs|join a new tender|coordinate a new tender)$/, (m) => `le membre ${m[1]} est inactif : il ne peut plus ${{ 'record needs': 'enregistrer de besoin', 'join a new tender': 'rejoindre une nouvelle consultation', 'coordinate a new tender': 'coordonner une nouvelle consultation' }[m[2]]}`],
  [/^needs ([\d, ]+) changed since the proposal read them/, (m) => `les besoins ${m[1]} ont changé depuis le calcul de la proposition : recalculez-la`],
  [/^changed since the proposal read it/, 'a changé depuis le calcul de la proposition (modifié, retiré ou mutualisé ailleurs)'],
  [/prices the lot's quantity beyond the largest amount/, 'porte le prix du lot au-delà du montant maximal (1 000 000 000 000 €) : vérifiez le prix unitaire'],
];

const byStatus = {
  400: 'La demande contient des erreurs.', 403: 'Votre rôle ne permet pas cette action.', 404: 'Introuvable.',
  409: "Cette action n'est pas possible dans l'état actuel.", 412: "L'élément a été modifié entre-temps : rechargez la page.",
  413: 'Le fichier est trop volumineux.', 415: 'Format de fichier non accepté.', 422: 'Requête incohérente.',
  503: 'Service momentanément indisponible : réessayez dans un instant.',
};

// Messages already in French (the rules of the engine cite their article in French) pass through.
const alreadyFrench = /[àâçéèêîôûù’]|^(Le |La |Les |Lot |Une |Un |Aucun)/;

export function translate(message, status) {
  for (const [pattern, french] of phrases) {
    const m = String(message).match(pattern);
    if (m) return typeof french === 'function' ? french(m) : french;
  }
  if (alreadyFrench.test(String(message))) return String(message);
  return byStatus[status] || (message ? `Erreur : ${message}` : 'Erreur inattendue.');
}
