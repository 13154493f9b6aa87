// Signing in through one's organisation (OpenID Connect): a « Se connecter avec … »
// link per provider the server is configured with (GET /v1/oidc/providers, public),
// and, back from a provider that could not sign the person in, why — by the stable
// code the server put in the address (#/connexion?oidc=<code>).
import { h } from '../dom.js';

const reasons = {
  'oidc.unmapped': 'Votre compte chez votre organisation n’est pas encore associé à un utilisateur de Canopée. Votre demande est enregistrée : un administrateur doit l’associer, puis reconnectez-vous.',
  'oidc.refused': 'Un administrateur a refusé l’accès de ce compte à Canopée.',
  'oidc.user_revoked': 'Accès révoqué : votre administrateur a désactivé l’utilisateur associé à ce compte.',
  'oidc.cancelled': 'La connexion a été annulée chez votre organisation.',
  'oidc.state_expired': 'La connexion a pris trop de temps : recommencez.',
  'oidc.state_used': 'Ce retour de connexion a déjà servi : recommencez.',
  'oidc.state_unknown': 'Cette connexion n’a pas été commencée ici : recommencez.',
  'oidc.browser_mismatch': 'Cette connexion a été commencée dans un autre navigateur : recommencez ici.',
  'oidc.provider_unknown': 'Ce fournisseur d’identité n’est pas configuré.',
  'oidc.provider_unavailable': 'Le fournisseur d’identité de votre organisation ne répond pas : réessayez dans un instant.',
  'oidc.token_refused': 'Votre organisation a refusé de confirmer la connexion : recommencez.',
  'oidc.id_token_invalid': 'La preuve d’identité rendue par votre organisation n’est pas valable : la connexion est refusée.',
  'oidc.unavailable': 'Le serveur ne répond pas : réessayez dans un instant.',
  'oidc.member_mismatch': 'Ce fournisseur d’identité ne sert pas le membre de votre utilisateur.',
};

// The message for the code in the address, if any.
export function oidcOutcome() {
  const code = new URLSearchParams(location.hash.split('?')[1] || '').get('oidc');
  if (!code) return null;
  return h('p', { class: 'error', role: 'alert', id: 'connexion-organisation' },
    reasons[code] || 'La connexion par votre organisation a échoué : recommencez.');
}

// The providers' links, filled in when the list arrives (nothing when none is configured).
export function providerLinks() {
  const slot = h('div', { class: 'card narrow', hidden: true });
  fetch('/v1/oidc/providers', { credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : { providers: [] }))
    .then(({ providers }) => {
      if (!providers?.length) return;
      slot.replaceChildren(h('h2', {}, 'Avec le compte de votre organisation'),
        h('p', { class: 'providers' }, providers.map((p) => h('a', { href: `/v1/oidc/${encodeURIComponent(p.id)}/start`, class: 'button-link sign-in-provider' },
          `Se connecter avec ${p.name}`))));
      slot.hidden = false;
    })
    .catch(() => {});
  return slot;
}
