// « Notifications »: the caller's notifications, newest first, with their links, marked
// read one by one or all at once, and the choice of the e-mails that follow them.
import { api, session } from '../api.js';
import { h, clear, append } from '../dom.js';
import { parisMoment } from '../format.js';
import { hashQuery } from '../address.js';
import { toast } from '../toast.js';
import { showErrors } from './show_errors.js';
import { refreshBell, showUnread } from '../bell.js';

export const kindLabels = {
  need_pooled: 'Mes besoins sont regroupés dans une consultation',
  lot_awarded: 'Un lot de mes besoins est attribué',
  bid_deadline_passed: 'La date limite de remise des offres d’une consultation est passée',
  standstill_ended: 'Le délai de suspension d’un lot est écoulé',
  report_period_closed: 'Un mois est clos : le rapport des gains peut être établi',
};

// One notification; `li.markRead()` shows it read (after « Tout marquer comme lu »).
function item(n) {
  const read = async () => {
    Object.assign(n, await api('POST', `/v1/notifications/${n.id}/read`));
  };
  const li = h('li', { class: `notification${n.read_at ? '' : ' unread'}` });
  const render = () => {
    clear(li);
    li.className = `notification${n.read_at ? '' : ' unread'}`;
    append(li,
      h('h2', {}, h('a', {
        href: n.link,
        onclick: async () => { if (!n.read_at) { try { await read(); } catch { /* the link is followed anyway */ } } },
      }, n.title)),
      h('p', {}, n.body),
      h('p', { class: 'hint' }, `${parisMoment(n.created_at)} — ${n.read_at ? 'lue' : 'non lue'}`),
      n.read_at ? null : h('button', {
        type: 'button', class: 'secondary', 'aria-label': `Marquer comme lue : ${n.title}`,
        onclick: async () => { await read(); render(); refreshBell(); },
      }, 'Marquer comme lue'));
  };
  render();
  li.markRead = () => { if (!n.read_at) { n.read_at = new Date().toISOString(); render(); } };
  return li;
}

function preferencesForm(prefs) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'preferences-titre' },
    h('h2', { id: 'preferences-titre' }, 'Recevoir aussi par e-mail'));
  if (prefs.items.length === 0) {
    append(section, h('p', {}, 'Votre rôle ne reçoit pas de notification.'));
    return section;
  }
  append(section, h('p', { class: 'hint' }, 'Les notifications s’affichent toujours ici ; cochez celles que vous voulez aussi recevoir par e-mail.'));
  if (!prefs.email_available) {
    append(section, h('p', { class: 'hint', id: 'sans-messagerie' }, 'Aucun serveur de messagerie n’est configuré : pour l’instant, les notifications restent dans l’application.'));
  }
  const boxes = prefs.items.map((p) => {
    const input = h('input', { type: 'checkbox', id: `email-${p.kind}`, checked: p.email });
    return { kind: p.kind, input, row: h('div', { class: 'field check' }, input, h('label', { for: `email-${p.kind}` }, kindLabels[p.kind] || p.kind)) };
  });
  const status = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {}, h('fieldset', {}, h('legend', {}, 'E-mail'), boxes.map((b) => b.row)), status,
    h('button', { type: 'submit' }, 'Enregistrer les préférences'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = '';
    const email = Object.fromEntries(boxes.map((b) => [b.kind, b.input.checked]));
    try {
      await api('PUT', '/v1/notification-preferences', { email });
      toast('Préférences de notification enregistrées.');
    } catch (error) {
      showErrors(form, error, status);
    }
  });
  append(section, form);
  return section;
}

export async function notificationsView() {
  const unreadOnly = hashQuery().get('non-lues') === '1';
  const [first, prefs] = await Promise.all([
    api('GET', `/v1/notifications?limit=20${unreadOnly ? '&unread=true' : ''}`),
    api('GET', '/v1/notification-preferences'),
  ]);
  showUnread(first.unread_count);
  const list = h('ul', { class: 'notifications', 'aria-label': 'Notifications' });
  const more = h('div');
  const show = (page) => {
    for (const n of page.items) list.append(item(n));
    clear(more);
    if (page.next_cursor) {
      append(more, h('button', {
        type: 'button', class: 'secondary',
        onclick: async () => show(await api('GET', `/v1/notifications?limit=20&cursor=${encodeURIComponent(page.next_cursor)}${unreadOnly ? '&unread=true' : ''}`)),
      }, 'Notifications plus anciennes'));
    }
  };
  show(first);
  const empty = first.items.length === 0
    ? h('p', { class: 'empty' }, unreadOnly ? 'Aucune notification non lue.' : 'Aucune notification pour l’instant.')
    : null;
  const who = session.me();
  const counter = h('p', { class: 'hint' }, `${first.unread_count === 0 ? 'Aucune non lue' : `${first.unread_count} non lue${first.unread_count > 1 ? 's' : ''}`}${who ? ` pour ${who.name}` : ''}.`);
  const allRead = h('button', {
    type: 'button', class: 'secondary', disabled: first.unread_count === 0,
    onclick: async () => {
      await api('POST', '/v1/notifications/read-all');
      for (const li of list.children) li.markRead();
      allRead.disabled = true;
      counter.textContent = `Aucune non lue${who ? ` pour ${who.name}` : ''}.`;
      toast('Toutes les notifications sont marquées comme lues.');
      showUnread(0);
    },
  }, 'Tout marquer comme lu');
  const filter = h('a', { href: unreadOnly ? '#/notifications' : '#/notifications?non-lues=1' },
    unreadOnly ? 'Voir toutes les notifications' : 'Voir seulement les non lues');
  return h('div', {},
    h('h1', {}, 'Notifications'),
    counter,
    h('div', { class: 'row' }, allRead, filter),
    empty, list, more,
    preferencesForm(prefs));
}
