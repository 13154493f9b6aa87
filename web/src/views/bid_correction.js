// Correcting a bid before the award (PATCH /v1/bids/{id}): its marks, and its prices while
// its regularity is not examined. After the opening a mark changes only with a reason,
// kept in the audit trail; once lots were drawn on the lot no mark changes (the API says so).
import { api } from '../api.js';
import { h, field, button } from '../dom.js';
import { toApiDecimal } from '../format.js';
import { showErrors } from './show_errors.js';

const frenchDecimal = (text) => String(text ?? '').replace('.', ',');

export function bidCorrectionForm(tender, bid, supplierName, onCancel) {
  const scores = tender.criteria.filter((c) => !c.price && !c.life_cycle_cost)
    .map((c) => [c.name, h('input', { type: 'text', inputmode: 'decimal', value: frenchDecimal(bid.scores?.[c.name]) })]);
  const pricesOpen = bid.regularity === 'received';
  const tiers = pricesOpen ? bid.tiers.map((t) => [t, h('input', { type: 'text', inputmode: 'decimal', value: frenchDecimal(t.unit_price) })]) : [];
  const opened = tender.status !== 'published';
  const reason = h('textarea', { rows: 2, maxlength: 2000 });
  const general = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'subcard bid-correction',
    onsubmit: async (event) => {
      event.preventDefault();
      const body = { scores: Object.fromEntries(scores.filter(([, input]) => input.value.trim()).map(([name, input]) => [name, toApiDecimal(input.value)])) };
      if (tiers.length) body.tiers = tiers.map(([t, input]) => ({ min_quantity: t.min_quantity, unit_price: toApiDecimal(input.value) }));
      if (reason.value.trim()) body.reason = reason.value.trim();
      try {
        await api('PATCH', `/v1/bids/${bid.id}`, body, { headers: { 'If-Match': `"v${bid.version}"` } });
        location.reload();
      } catch (error) { showErrors(form, error, general); }
    },
  }, h('h3', {}, `Corriger l’offre — ${supplierName}`),
  h('div', { class: 'row' }, scores.map(([name, input]) => field(`Note ${name} (0–100)`, input, { name: `scores.${name}` })),
    tiers.map(([t, input], i) => field(`Prix unitaire HT (€), à partir de ${frenchDecimal(t.min_quantity)}`, input, { name: `tiers[${i}].unit_price` }))),
  pricesOpen ? null : h('p', { class: 'hint' }, 'Les prix ne se corrigent plus : la régularité de l’offre a été examinée.'),
  field(opened ? 'Motif de la correction' : 'Motif de la correction (facultatif)', reason,
    { name: 'reason', hint: opened ? 'obligatoire pour changer une note après l’ouverture des offres ; gardé au journal d’audit' : 'gardé au journal d’audit' }),
  general,
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Enregistrer la correction'), button('Annuler', onCancel, { class: 'secondary' })));
  return form;
}
