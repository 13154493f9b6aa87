// A short confirmation after a write (« Besoin n° 12 enregistré. »): read by screen readers
// (role="status", polite), shown a few seconds at the bottom of the window, kept through a
// navigation or a reload of the page that follows the write.
import { h } from './dom.js';

const PENDING = 'canopee.toast';
const SHOWN_MS = 6000;

function region() {
  let box = document.getElementById('toasts');
  if (!box) {
    box = h('div', { id: 'toasts', class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(box);
  }
  return box;
}

export function toast(message) {
  const item = h('p', { class: 'toast' }, message);
  region().append(item);
  setTimeout(() => item.remove(), SHOWN_MS);
}

// For a write followed by location.reload(): the message is shown once the page is back.
export function toastAfterReload(message) {
  sessionStorage.setItem(PENDING, message);
}

export function showPendingToast() {
  const message = sessionStorage.getItem(PENDING);
  if (message) {
    sessionStorage.removeItem(PENDING);
    toast(message);
  }
}
