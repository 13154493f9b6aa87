// The bell in the header: a link to « Notifications » whose accessible name says how
// many are unread (« Notifications, 3 non lues »). Refreshed on every page and after
// a notification is marked read.
import { api } from './api.js';
import { h } from './dom.js';

export function unreadLabel(count) {
  if (count === 0) return 'Notifications, aucune non lue';
  return `Notifications, ${count} non lue${count > 1 ? 's' : ''}`;
}

// A bell drawn in SVG (no emoji font needed), in the header's text colour.
function bellIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: '20', height: '20', 'aria-hidden': 'true', focusable: 'false', class: 'bell-icon' })) svg.setAttribute(k, v);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M12 2a6 6 0 0 0-6 6v4.6L4.3 16.2A1 1 0 0 0 5.2 17.7h13.6a1 1 0 0 0 .9-1.5L18 12.6V8a6 6 0 0 0-6-6zm0 21a3 3 0 0 0 2.8-2h-5.6A3 3 0 0 0 12 23z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

export function bellLink() {
  return h('a', { id: 'cloche', class: 'bell', href: '#/notifications', 'aria-label': 'Notifications' },
    bellIcon(), h('span', { class: 'badge', 'aria-hidden': 'true', hidden: true }));
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
