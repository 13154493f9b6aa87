// Searching a list already loaded in full (apiAll): as the user types, the rows that hold every
// word, accents and case aside; the term lives in the address ("?q=peinture").
import { h, field } from './dom.js';
import { replaceFilter } from './address.js';

// Words of a search, without accents nor case: "Peintüre  Reims" → ["peinture", "reims"].
export function searchWords(text) {
  return String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/\s+/).filter(Boolean);
}
// Whether every word of the search is in one of the texts.
export function matches(words, texts) {
  const haystack = searchWords(texts.join(' ')).join(' ');
  return words.every((w) => haystack.includes(w));
}

// A search box over a fully loaded list: the term lives in the address (key "q") as it is typed.
export function searchBox(labelText, initial, onsearch) {
  const input = h('input', { type: 'search', id: 'recherche', value: initial, autocomplete: 'off' });
  input.addEventListener('input', () => { replaceFilter('q', input.value.trim()); onsearch(searchWords(input.value)); });
  return field(labelText, input, { name: 'q', hint: 'Filtre la liste pendant la saisie, sans tenir compte des accents.' });
}
