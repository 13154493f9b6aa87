// The filters of a page live in the address, after the route: "#/besoins?statut=submitted",
// "#/gains?du=2027-01-01&membre=2". A reload, the back button and a link sent to a colleague
// give the same view; downloads read these applied filters, never a form being typed.
import { h } from './dom.js';

// The route without its query: "#/besoins?statut=submitted" → "#/besoins".
export function hashPath(hash = location.hash) {
  return hash.split('?')[0];
}

// The applied filters, as URLSearchParams.
export function hashQuery(hash = location.hash) {
  return new URLSearchParams(hash.split('?')[1] || '');
}

// "#/gains" and { du: '2027-01-01', membre: '' } → "#/gains?du=2027-01-01" (empty values left out).
export function hashWith(path, values) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '' && value !== false) query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

// Applies filters: a new entry in the history (the back button returns to the previous filters).
export function applyFilters(path, values) {
  location.hash = hashWith(path, values);
}

// Keeps a value typed as it goes (a search box) in the address without a new history entry
// nor a new rendering of the page.
export function replaceFilter(key, value) {
  const values = Object.fromEntries(hashQuery());
  values[key] = value;
  history.replaceState(history.state, '', hashWith(hashPath(), values));
}

// Under a filters form: says, once a filter is changed, that it counts only when applied
// (the page, and its downloads, keep showing the applied filters until then).
export function notAppliedHint(form, applyLabel = 'Appliquer') {
  const hint = h('p', { class: 'hint', id: 'filtres-non-appliques', hidden: true },
    `Filtres modifiés : choisissez « ${applyLabel} » pour les prendre en compte. La page et ses téléchargements suivent les filtres appliqués.`);
  form.addEventListener('change', () => { hint.hidden = false; });
  form.append(hint);
  return form;
}
