// Signing in: a person with their e-mail address and password (the server keeps the
// session in a cookie); an integration with an API token. And the page a one-time link
// opens to set a password.
import { api } from '../api.js';
import { h, field } from '../dom.js';
import { showErrors } from './show_errors.js';
import { oidcOutcome, providerLinks } from './oidc_sign_in.js';

const signInMessages = {
  'auth.credentials_invalid': 'Adresse électronique ou mot de passe incorrect.',
  'auth.account_locked': 'Trop d’essais manqués : ce compte est verrouillé pendant 15 minutes. Réessayez plus tard, ou demandez un nouveau lien à votre administrateur.',
  'auth.user_revoked': 'Accès révoqué : votre administrateur a désactivé ce compte.',
  'auth.too_many_failures': 'Trop d’échecs depuis cet ordinateur : réessayez dans une minute.',
};

function passwordForm(startSession) {
  const email = h('input', { type: 'email', autocomplete: 'username', required: true, spellcheck: 'false' });
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  const remembered = new URLSearchParams(location.hash.split('?')[1] || '').get('courriel');
  if (remembered) email.value = remembered;
  const form = h('form', {
    class: 'card narrow',
    onsubmit: async (event) => {
      event.preventDefault();
      error.textContent = '';
      try {
        startSession(await api('POST', '/v1/sessions', { email: email.value.trim(), password: password.value }));
      } catch (e) {
        password.value = '';
        error.textContent = signInMessages[e?.code] || e.message;
      }
    },
  },
  h('h1', { id: 'titre-connexion' }, 'Connexion'),
  field('Adresse électronique', email),
  field('Mot de passe', password, { hint: 'Pas encore de mot de passe, ou oublié ? Votre administrateur vous envoie un lien pour le choisir.' }),
  error,
  h('button', { type: 'submit' }, 'Se connecter'));
  setTimeout(() => (remembered ? password : email).focus(), 0);
  return form;
}

function tokenForm(start) {
  const input = h('input', { type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'error', role: 'alert' });
  return h('form', {
    class: 'card narrow',
    onsubmit: async (event) => {
      event.preventDefault();
      error.textContent = '';
      try {
        await start(input.value.trim());
      } catch (e) {
        error.textContent = e?.code === 'auth.token_revoked'
          ? 'Accès révoqué : ce jeton a été désactivé par votre administrateur.'
          : 'Jeton inconnu ou révoqué : vérifiez-le auprès de votre administrateur.';
      }
    },
  },
  h('h2', { id: 'titre-jeton' }, 'Avec un jeton d’accès'),
  field('Jeton d’accès', input, { hint: 'Pour les intégrations et l’exploitation : le jeton commence par « cnp_ » ; il n’est conservé que le temps de cet onglet.' }),
  error,
  h('button', { type: 'submit', class: 'secondary' }, 'Utiliser le jeton'));
}

export function loginView(start, startSession) {
  const expired = location.hash.includes('expire=1');
  const revoked = location.hash.includes('revoque=1');
  return h('div', {},
    revoked ? h('p', { class: 'error', role: 'alert' }, 'Accès révoqué : votre administrateur a désactivé cet accès.') : null,
    expired && !revoked ? h('p', { class: 'notice' }, 'Votre session a expiré : connectez-vous de nouveau.') : null,
    oidcOutcome(),
    passwordForm(startSession),
    providerLinks(),
    tokenForm(start));
}

// #/mot-de-passe?lien=cnl_… — the link an administrator issued: the person chooses a
// password (twice), then signs in with it.
export function passwordLinkView() {
  const link = new URLSearchParams(location.hash.split('?')[1] || '').get('lien') || '';
  const password = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true });
  const general = h('p', { class: 'error', role: 'alert' });
  const done = h('div', { role: 'status' });
  const form = h('form', {
    class: 'card narrow',
    onsubmit: async (event) => {
      event.preventDefault();
      general.textContent = '';
      for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
      if (password.value !== again.value) {
        form.querySelector('[data-field="confirmation"] .field-error').textContent = 'Les deux saisies diffèrent.';
        again.setAttribute('aria-invalid', 'true');
        again.focus();
        return;
      }
      try {
        const result = await api('POST', '/v1/password-links/use', { token: link, password: password.value });
        form.replaceWith(h('div', { class: 'card narrow' }, h('h1', {}, 'Mot de passe enregistré'),
          h('p', { class: 'notice', role: 'status' }, `Le mot de passe de ${result.email} est enregistré. Vos autres sessions ont pris fin.`),
          h('p', {}, h('a', { href: `#/connexion?courriel=${encodeURIComponent(result.email)}` }, 'Se connecter'))));
      } catch (e) {
        showErrors(form, e, general);
      }
    },
  },
  h('h1', {}, 'Choisir votre mot de passe'),
  h('p', {}, 'Au moins 12 caractères, mêlant au moins trois sortes : minuscules, majuscules, chiffres, autres (ponctuation, accents, espaces). Une phrase que vous retenez fait un bon mot de passe.'),
  field('Nouveau mot de passe', password, { name: 'password' }),
  field('Confirmer le mot de passe', again, { name: 'confirmation' }),
  general, h('button', { type: 'submit' }, 'Enregistrer le mot de passe'), done);
  if (!link) return h('p', { class: 'error', role: 'alert' }, 'Ce lien est incomplet : demandez-en un nouveau à votre administrateur.');
  setTimeout(() => password.focus(), 0);
  return form;
}
