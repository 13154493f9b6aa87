// The officer's decisions on a bid (POST /v1/bids/{id}/decisions): where its
// regularity and its price review stand, the decisions it may take next, a form
// asking for what each one needs (reason, written request and deadline, date of
// the answer, the R2152-3 items), and the history of what was decided.
import { api } from '../api.js';
import { h, field, button } from '../dom.js';
import { date } from '../format.js';
import { showErrors } from './show_errors.js';
import { confirmDialog } from './confirm_dialog.js';

export const regularityLabels = {
  received: 'régularité non examinée', regularisation_requested: 'régularisation demandée', valid: 'régulière',
  irregular: 'irrégulière', unacceptable: 'inacceptable', inappropriate: 'inappropriée',
};
export const priceReviewLabels = {
  none: '', questioned: 'prix mis en doute', requested: 'explications demandées', answered: 'explications reçues',
  accepted: 'explications acceptées', refused: 'explications refusées',
};

// What each decision is called, asks for, and how the form introduces it.
const decisions = {
  valid: { label: 'Déclarer régulière', fields: ['reason?'], intro: 'L’offre est conforme aux documents de la consultation (R2152-1).' },
  regularisation_requested: { label: 'Demander une régularisation…', fields: ['request', 'deadline'],
    intro: 'L’offre irrégulière peut être régularisée dans un délai approprié, si elle n’est pas anormalement basse (R2152-2).' },
  irregular: { label: 'Irrégulière…', danger: true, fields: ['reason'],
    intro: 'Offre incomplète ou qui ne respecte pas les exigences des documents de la consultation (L2152-2) : elle sera éliminée.' },
  unacceptable: { label: 'Inacceptable…', danger: true, fields: ['reason'],
    intro: 'Offre dont le prix excède les crédits budgétaires alloués (L2152-3) : elle sera éliminée.' },
  inappropriate: { label: 'Inappropriée…', danger: true, fields: ['reason'],
    intro: 'Offre sans rapport avec le marché, qui ne répond manifestement pas au besoin (L2152-4) : elle sera éliminée.' },
  price_questioned: { label: 'Mettre en doute le prix…', fields: ['reason'],
    intro: 'La formule ne signale pas cette offre, mais son prix vous paraît anormalement bas : dites pourquoi (CE, 29 mai 2013, n° 366606).' },
  explanations_requested: { label: 'Demander des explications…', fields: ['request', 'deadline'],
    intro: 'Le soumissionnaire doit justifier par écrit le prix ou les coûts proposés (L2152-6, R2152-3).' },
  explanations_received: { label: 'Explications reçues…', fields: ['received_on', 'reason?'],
    intro: 'Date de réception de la réponse écrite, et son résumé.' },
  explanations_accepted: { label: 'Accepter les explications…', fields: ['reason'],
    intro: 'Les explications justifient le bas niveau du prix : l’offre reste en concurrence.' },
  explanations_refused: { label: 'Refuser les explications…', danger: true, fields: ['grounds', 'reason'],
    intro: 'Les explications ne justifient pas le bas niveau du prix : l’offre sera rejetée (R2152-4). Cette décision est définitive.' },
};

const grounds = [
  '1° le mode de fabrication, les modalités de la prestation, le procédé de construction',
  '2° les solutions techniques ou les conditions exceptionnellement favorables',
  '3° l’originalité de l’offre',
  '4° la réglementation environnementale, sociale et du travail applicable',
  '5° l’obtention éventuelle d’une aide d’État',
];

// The decisions open to a bid in its current state (the engine has the last word).
export function nextDecisions(bid, flagged) {
  const r = bid.regularity;
  const p = bid.price_review;
  if (['irregular', 'unacceptable', 'inappropriate'].includes(r) || p === 'refused') return [];
  const out = [];
  if (r === 'received') out.push('valid', 'regularisation_requested', 'irregular', 'unacceptable', 'inappropriate');
  if (r === 'regularisation_requested') out.push('valid', 'irregular');
  if (r === 'valid') out.push('irregular', 'unacceptable', 'inappropriate');
  if (p === 'none' && !flagged) out.push('price_questioned');
  if ((p === 'none' && flagged) || p === 'questioned') out.push('explanations_requested');
  if (p === 'requested') out.push('explanations_received', 'explanations_refused');
  if (p === 'answered') out.push('explanations_accepted', 'explanations_refused');
  return out;
}

function decisionForm(bid, kind, supplierName, onCancel) {
  const spec = decisions[kind];
  const controls = {};
  const parts = [];
  for (const spec_ of spec.fields) {
    const name = spec_.replace('?', '');
    const optional = spec_.endsWith('?');
    if (name === 'reason') {
      controls.reason = h('textarea', { rows: 3, maxlength: 4000, required: !optional });
      parts.push(field(optional ? 'Observation (facultative)' : 'Motifs', controls.reason, { name: 'reason' }));
    } else if (name === 'request') {
      controls.request = h('textarea', { rows: 4, maxlength: 4000, required: true });
      parts.push(field('Texte de la demande écrite adressée au soumissionnaire', controls.request, { name: 'request' }));
    } else if (name === 'deadline') {
      controls.deadline = h('input', { type: 'date', required: true });
      parts.push(field('Date limite de réponse', controls.deadline, { name: 'deadline' }));
    } else if (name === 'received_on') {
      controls.received_on = h('input', { type: 'date', required: true });
      parts.push(field('Reçues le', controls.received_on, { name: 'received_on' }));
    } else if (name === 'grounds') {
      controls.grounds = grounds.map((text, i) => h('input', { type: 'checkbox', value: String(i + 1), id: `motif-${bid.bid_id}-${i + 1}` }));
      parts.push(h('fieldset', { 'data-field': 'grounds' },
        h('legend', {}, 'Éléments que les explications ne justifient pas (R2152-3)'),
        controls.grounds.map((box, i) => h('div', { class: 'field check' }, box, h('label', { for: box.id }, grounds[i]))),
        h('p', { class: 'field-error', role: 'alert' })));
    }
  }
  const general = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'subcard decision', 'data-decision': kind,
    onsubmit: async (event) => {
      event.preventDefault();
      const body = { decision: kind };
      for (const name of ['reason', 'request', 'deadline', 'received_on']) {
        if (controls[name] && controls[name].value.trim()) body[name] = controls[name].value;
      }
      if (controls.grounds) body.grounds = controls.grounds.filter((b) => b.checked).map((b) => Number(b.value));
      const post = async () => {
        try {
          await api('POST', `/v1/bids/${bid.bid_id}/decisions`, body, { headers: { 'If-Match': `"v${bid.version}"` } });
        } catch (error) {
          showErrors(form, error, general);
          throw error;
        }
        location.reload();
      };
      // Refusing the explanations rejects the bid for good: asked once more, saying so.
      if (kind === 'explanations_refused') {
        await confirmDialog({
          title: `Refuser les explications de ${supplierName}`,
          lines: ['L’offre sera rejetée comme anormalement basse (R2152-4) et sortira du classement ; cette décision est définitive.',
            body.grounds?.length ? `Éléments non justifiés (R2152-3) : ${body.grounds.map((g) => `${g}°`).join(', ')}.` : null,
            body.reason ? `Motifs : ${body.reason}` : null],
          confirmLabel: 'Refuser les explications', danger: true, act: post,
        });
        return;
      }
      await post().catch(() => {});
    },
  }, h('h3', {}, `${spec.label.replace('…', '')} — ${supplierName}`), h('p', {}, spec.intro), parts, general,
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: spec.danger ? 'danger' : '' }, 'Enregistrer la décision'),
    button('Annuler', onCancel, { class: 'secondary' })));
  return form;
}

// The cell of the evaluation table: state, reason, and the decision buttons; a
// chosen decision opens its form in `formSlot`.
export function decisionCell(evaluated, bid, { open, supplierName, formSlot }) {
  const state = [
    h('span', { class: `badge ${evaluated.regularity}` }, regularityLabels[evaluated.regularity] || evaluated.regularity),
    evaluated.price_review !== 'none' ? [' ', h('span', { class: `badge ${evaluated.price_review === 'refused' ? 'danger' : 'warn'}` },
      priceReviewLabels[evaluated.price_review])] : null,
    bid?.answer_deadline && bid.price_review === 'requested' ? h('small', {}, ` réponse attendue au plus tard le ${date(bid.answer_deadline)}`) : null,
  ];
  const choose = (kind) => () => {
    formSlot.replaceChildren(decisionForm({ ...evaluated, version: bid.version }, kind, supplierName,
      () => formSlot.replaceChildren()));
    formSlot.querySelector('textarea, input')?.focus();
  };
  const actions = open && bid ? nextDecisions(bid, evaluated.abnormally_low).map((kind) =>
    button(decisions[kind].label, choose(kind), { class: decisions[kind].danger ? 'danger small' : 'secondary small', 'data-decision': kind })) : [];
  return h('div', { class: 'decision-cell' }, h('div', {}, state),
    evaluated.reason ? h('small', { class: 'reason' }, evaluated.reason) : null,
    actions.length ? h('div', { class: 'actions small' }, actions) : null);
}

// The decisions recorded on the bids of a lot, oldest first.
export function decisionHistory(bids, supplierName) {
  const rows = bids.flatMap((b) => (b.decisions || []).map((d) => ({ ...d, supplier: supplierName(b.supplier_id) })));
  if (!rows.length) return null;
  rows.sort((a, b) => a.id - b.id);
  return h('details', { class: 'history' }, h('summary', {}, `Historique des décisions (${rows.length})`),
    h('ol', {}, rows.map((d) => h('li', {},
      h('strong', {}, `${date(d.recorded_at.slice(0, 10))} — ${d.supplier} : ${(decisions[d.decision]?.label || d.decision).replace('…', '')}`),
      d.author ? ` (${d.author.name})` : '',
      d.request ? h('div', {}, `Demande : ${d.request}`, d.deadline ? ` — réponse avant le ${date(d.deadline)}` : '') : null,
      d.received_on ? h('div', {}, `Reçues le ${date(d.received_on)}`) : null,
      d.grounds?.length ? h('div', {}, `Éléments non justifiés (R2152-3) : ${d.grounds.map((g) => `${g}°`).join(', ')}`) : null,
      d.reason ? h('div', {}, `Motifs : ${d.reason}`) : null))));
}
