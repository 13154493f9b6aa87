// The bell in the header: a link to « Notifications » whose accessible name says how
// many are unread (« Notifications, 3 non lues »). Refreshed on every page and after
// a notification is marked read.
import { api } from './api.js';
import { h } from './dom.js';

export function unreadLabel(count) {
  if (count === 0) return 'Notifications, aucune non lue';
  return `Notifications, ${count} non lue${count > 1 ? 's' : ''}`;
}

export function bellLink() {
  return h('a', { id: 'cloche', class: 'bell', href: '#/notifications', 'aria-label': 'Notifications' },
    h('span', { 'aria-hidden': 'true' }, '🔔'), h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true }));
}

export function showUnread(count) {
  const bell = document.getElementById('cloche');
  if (!bell) return;
  bell.setAttribute('aria-label', unreadLabel(count));
  bell.title = unreadLabel(count);
  const badge = bell.querySelector('.badge');
  badge.textContent = count > 99 ? '99+' : String(count);
  badge.hidden = count === 0;
}

export async function refreshBell() {
  try {
    const page = await api('GET', '/v1/notifications?unread=true&limit=1');
    showUnread(page.unread_count);
  } catch {
    // The bell waits for the next page; the page itself reports a server that does not answer.
  }
}
