// Ties (procurement-rules.md, "Ties"): the rule the tender announces to separate
// bids with equal weighted totals, how each bid was placed, and — when bids are
// still tied — drawing lots, by hand or by the server, with its minutes
// (POST /v1/tenders/{id}/lots/{lot}/draws), then the draws recorded on the lot.
import { api } from '../api.js';
import { h, field } from '../dom.js';
import { showErrors } from './show_errors.js';

export const tieBreakLabels = {
  heaviest_criterion: 'meilleure note sur le critère le plus pondéré, puis tirage au sort',
  lowest_price: 'prix le plus bas, puis tirage au sort',
};

const outcomes = {
  heaviest_criterion: 'départagée par le critère le plus pondéré',
  lowest_price: 'départagée par le prix',
  draw: 'départagée par tirage au sort',
  draw_needed: 'ex aequo : tirage au sort à faire',
};

const methods = { manual: 'tiré à la main', electronic: 'tiré par le serveur' };

// The rank cell: "1 ex aequo" while a draw is needed, and how an equal total was separated.
export function rankCell(bid) {
  if (!bid.rank) return '—';
  if (bid.tie === 'none') return String(bid.rank);
  return h('span', { class: `tie ${bid.tie}`, title: outcomes[bid.tie] }, String(bid.rank),
    bid.tie === 'draw_needed' ? h('span', { class: 'badge warn' }, ' ex aequo') : h('small', {}, ` (${outcomes[bid.tie]})`));
}

// One form per tie to draw: by hand (the bids in the order drawn) or by the server; the minutes always.
export function drawForms(tender, lot, evaluation, supplierName) {
  if (!evaluation?.ties_to_draw?.length || tender.status !== 'closed' || lot.status !== 'open') return null;
  const nameOf = (id) => supplierName(evaluation.bids.find((b) => b.bid_id === id)?.supplier_id);
  return h('div', {}, evaluation.ties_to_draw.map((tie) => drawForm(tender, lot, tie, nameOf)));
}

function drawForm(tender, lot, tie, nameOf) {
  const method = h('select', { class: 'draw-method' },
    h('option', { value: 'manual' }, 'Tirage à la main, en séance : saisir l’ordre tiré'),
    h('option', { value: 'electronic' }, 'Tirage par le serveur (générateur aléatoire du système)'));
  // Position i: which bid was drawn i-th.
  const positions = tie.map((_, i) => h('select', { class: 'draw-position', 'aria-label': `Tirée en position ${i + 1}` },
    tie.map((id, j) => h('option', { value: id, selected: i === j }, `${nameOf(id)} (offre n° ${id})`))));
  const order = h('ol', { class: 'draw-order' }, positions.map((p) => h('li', {}, p)));
  const minutes = h('textarea', { rows: 3, maxlength: 4000, class: 'draw-minutes',
    placeholder: 'Date, lieu, personnes présentes, façon de tirer…' });
  method.addEventListener('change', () => { order.hidden = method.value !== 'manual'; });
  const general = h('p', { class: 'error', role: 'alert' });
  const names = tie.map(nameOf).join(', ');
  const form = h('form', {
    class: 'subcard draw',
    onsubmit: async (event) => {
      event.preventDefault();
      const body = { method: method.value, minutes: minutes.value };
      body.order = method.value === 'manual' ? positions.map((p) => Number(p.value)) : tie;
      const question = method.value === 'manual'
        ? `Enregistrer le tirage au sort entre ${names} dans l’ordre saisi ? Il ne pourra plus être modifié.`
        : `Faire tirer au sort par le serveur entre ${names} ? Le résultat sera définitif.`;
      if (!confirm(question)) return;
      try {
        await api('POST', `/v1/tenders/${tender.id}/lots/${lot.id}/draws`, body);
        location.reload();
      } catch (error) { showErrors(form, error, general); }
    },
  }, h('h3', {}, `Ex aequo : ${names}`),
  h('p', { class: 'hint' }, `Ces offres restent à égalité après la règle annoncée (${tieBreakLabels[tender.tie_break]}). `,
    'Le tirage au sort les départage ; il est consigné avec son procès-verbal.'),
  field('Mode de tirage', method, { name: 'method' }),
  h('div', { 'data-field': 'order' }, h('p', {}, 'Ordre tiré (la première tirée est classée devant) :'), order,
    h('p', { class: 'field-error', role: 'alert' })),
  field('Procès-verbal du tirage', minutes, { name: 'minutes' }),
  general, h('button', { type: 'submit' }, 'Enregistrer le tirage au sort'));
  return form;
}

// A UTC instant ("2026-12-02T08:15:00Z") in Paris time.
const parisTime = (instant) => `${new Date(instant).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' })} (heure de Paris)`;

// The draws recorded on the lot, with their minutes.
export function drawHistory(draws, evaluation, supplierName) {
  if (!draws?.length) return null;
  const nameOf = (id) => supplierName(evaluation?.bids.find((b) => b.bid_id === id)?.supplier_id);
  return h('details', { class: 'draws' }, h('summary', {}, `Tirages au sort (${draws.length})`),
    h('ul', {}, draws.map((d) => h('li', {},
      `${parisTime(d.recorded_at)} — ${methods[d.method]} par ${d.author_name || 'le serveur'} : `,
      d.order.map((id, i) => `${i + 1}. ${nameOf(id)}`).join(' ; '),
      h('br'), `Procès-verbal : ${d.minutes}`))));
}

export function tieBreakSelect(tender) {
  return h('select', {}, Object.entries(tieBreakLabels)
    .map(([value, text]) => h('option', { value, selected: value === tender.tie_break }, text)));
}
