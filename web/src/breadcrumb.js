// The way back from a detail page (« fil d’Ariane »): the lists above it as links, the page
// itself last, marked as the current page.
import { h } from './dom.js';

// steps: [[href, text], …, [null, current text]].
export function breadcrumb(steps) {
  return h('nav', { class: 'breadcrumb', 'aria-label': 'Fil d’Ariane' },
    h('ol', {}, steps.map(([href, text], i) => h('li', {},
      href && i < steps.length - 1 ? h('a', { href }, text) : h('span', { 'aria-current': 'page' }, text)))));
}
