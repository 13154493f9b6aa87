import { h, field } from '../dom.js';

export function loginView(start) {
  const input = h('input', { type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'error', role: 'alert' });
  const expired = location.hash.includes('expire=1');
  const revoked = location.hash.includes('revoque=1');
  const form = h('form', {
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
  h('h1', {}, 'Connexion'),
  revoked ? h('p', { class: 'error', role: 'alert' }, 'Accès révoqué : votre administrateur a désactivé ce jeton.') : null,
  expired && !revoked ? h('p', { class: 'notice' }, 'Votre session a expiré : collez de nouveau votre jeton.') : null,
  field('Jeton d’accès', input, { hint: 'Le jeton commence par « cnp_ » ; il n’est conservé que le temps de cette session du navigateur.' }),
  error,
  h('button', { type: 'submit' }, 'Se connecter'));
  setTimeout(() => input.focus(), 0);
  return form;
}
