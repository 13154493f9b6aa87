// An administrator issues a one-time link for a user to choose (or reset) a password:
// shown once, valid 72 hours; a new link replaces the earlier ones.
import { api } from '../api.js';
import { h, button } from '../dom.js';

// "2026-12-06T09:13:49Z" → "06/12/2026 10:13 (heure de Paris)".
const parisTime = (utc) => `${new Date(utc).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' })} (heure de Paris)`;

export function passwordLinkButton(user) {
  const shown = h('div', { role: 'status' });
  const issue = button('Lien de mot de passe', async () => {
    shown.textContent = '';
    try {
      const link = await api('POST', `/v1/users/${user.id}/password-link`);
      const url = `${location.origin}${link.path}`;
      shown.replaceChildren(h('div', { class: 'notice token' },
        h('p', {}, `Lien pour ${user.email} — affiché une seule fois, valable jusqu’au ${parisTime(link.expires_at)} ; transmettez-le maintenant :`),
        h('code', { class: 'lien-mot-de-passe' }, url)));
    } catch (error) {
      shown.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message));
    }
  }, { class: 'link', 'aria-label': `Lien de mot de passe pour ${user.email}` });
  return h('span', {}, issue, shown);
}
