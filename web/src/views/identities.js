// Accounts of the members' identity providers (OpenID Connect): a person who signs in
// through their organisation for the first time is refused and listed here with their
// e-mail; an administrator associates the account with a user of Canopée (that user's
// member and role then apply), refuses it, or removes an association.
import { api, apiAll } from '../api.js';
import { h, table, button, uid } from '../dom.js';

const statusText = { pending: 'en attente', mapped: 'associé', refused: 'refusé' };

export function identitiesSection(users) {
  const slot = h('div', {});
  const message = h('p', { class: 'error', role: 'alert' });
  const done = h('p', { class: 'notice', role: 'status' });
  const act = async (work, success) => {
    message.textContent = '';
    done.textContent = '';
    try {
      await work();
      done.textContent = success;
      await draw();
    } catch (error) {
      message.textContent = error.message;
    }
  };
  const pendingCell = (x) => {
    const id = uid('identite');
    const select = h('select', { id }, h('option', { value: '' }, '— choisir un utilisateur —'),
      users().filter((u) => u.active).map((u) => h('option', { value: u.id }, `${u.name} (${u.email})`)));
    const who = x.email || x.subject;
    return h('span', { class: 'row' }, h('label', { for: id, class: 'visually-hidden' }, `Utilisateur pour ${who}`), select,
      button('Associer', () => {
        if (!select.value) { message.textContent = `Choisissez l’utilisateur à associer à ${who}.`; return undefined; }
        return act(() => api('POST', `/v1/oidc/identities/${x.id}/mapping`, { user_id: Number(select.value) }), `Compte ${who} associé.`);
      }, { 'aria-label': `Associer ${who}` }),
      button('Refuser', () => act(() => api('POST', `/v1/oidc/identities/${x.id}/refusal`), `Compte ${who} refusé.`),
        { class: 'secondary', 'aria-label': `Refuser ${who}` }));
  };
  const decidedCell = (x) => {
    const who = x.email || x.subject;
    return button(x.status === 'mapped' ? 'Retirer l’association' : 'Retirer le refus',
      () => act(() => api('DELETE', `/v1/oidc/identities/${x.id}/mapping`), `Compte ${who} remis en attente.`),
      { class: 'link', 'aria-label': `${x.status === 'mapped' ? 'Retirer l’association' : 'Retirer le refus'} de ${who}` });
  };
  const draw = async () => {
    const [{ items }, { providers }] = await Promise.all([apiAll('/v1/oidc/identities'), api('GET', '/v1/oidc/providers')]);
    const providerName = (id) => providers.find((p) => p.id === id)?.name || id;
    slot.replaceChildren(table([
      { label: 'Fournisseur', cell: (x) => providerName(x.provider) },
      { label: 'Courriel', cell: (x) => x.email || '—' },
      { label: 'Nom', cell: (x) => x.name || '—' },
      { label: 'État', cell: (x) => (x.status === 'mapped' && x.user ? `associé à ${x.user.name} (${x.user.email})` : statusText[x.status]) },
      { label: 'Action', cell: (x) => (x.status === 'pending' ? pendingCell(x) : decidedCell(x)) },
    ], items, { empty: 'Aucun compte ne s’est encore présenté.' }));
  };
  const section = h('section', { class: 'card', id: 'comptes-organisation' }, h('h2', {}, 'Comptes des organisations (OpenID Connect)'),
    h('p', {}, 'Une personne qui se connecte avec le compte de son organisation pour la première fois est refusée et apparaît ici : associez son compte à un utilisateur (son membre et son rôle s’appliquent alors), ou refusez-le.'),
    slot, message, done);
  draw().catch((error) => { message.textContent = error.message; });
  return section;
}
