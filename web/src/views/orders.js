// Framework agreements in execution, the buyer's side: each contract's remaining
// maximum, the purchase orders (bons de commande) placed against it and their steps
// (sent, delivered, invoiced, paid, cancelled), the order form PDF, the exports of the
// filtered list and the CSV import of orders. The API decides; the page shows and asks.
import { api, apiAll, session } from '../api.js';
import { h, field, table, button, scrolling } from '../dom.js';
import {
  euros, price, quantity, date, parisDay, toApiDecimal, lineAmount, sumDecimals, share, inBasis, monthLabel,
} from '../format.js';
import { showErrors } from './show_errors.js';
import { hashQuery, applyFilters, notAppliedHint } from '../address.js';
import { downloadButtons } from '../downloads.js';
import { breadcrumb } from '../breadcrumb.js';
import { downloadPdf } from './documents.js';

export const orderStatusLabels = {
  draft: 'brouillon', sent: 'envoyé', partially_delivered: 'livré en partie', delivered: 'livré',
  invoiced: 'facturé', paid: 'payé', cancelled: 'annulé',
};
const statusBadge = { draft: '', sent: 'published', partially_delivered: 'published', delivered: 'valid', invoiced: 'valid', paid: 'awarded', cancelled: 'cancelled' };
export const orderStatusBadge = (o) => h('span', { class: `badge ${statusBadge[o.status] ?? ''}` }, o.status_label || orderStatusLabels[o.status] || o.status);


// A refused order in French, with the figures of the maximum when it is the reason.
// The figures come as decimal strings in the maximum's basis ("1600.00"), or as the
// engine's whole minor units (cents of euro, thousandths of the unit): `ledger`, when
// known, tells which by its own maximum.
export function orderRefusal(error, ledger = null, unit = '') {
  if (error.code === 'order.maximum_exceeded') {
    const basis = ledger?.basis || 'value';
    const raw = Object.fromEntries(['maximum', 'ordered', 'remaining', 'order'].map((n) => [n, error.fields.find((f) => f.field === n)?.message]));
    const minorScale = basis === 'quantity' ? 3 : 2;
    const inMinorUnits = Object.values(raw).every((v) => v !== undefined && /^-?\d+$/.test(v)) &&
      (!ledger || Number(raw.maximum) !== Number(ledger.maximum));
    const decimalText = (v) => {
      if (!inMinorUnits) return v;
      const negative = v.startsWith('-');
      const digits = (negative ? v.slice(1) : v).padStart(minorScale + 1, '0');
      return `${negative ? '-' : ''}${digits.slice(0, -minorScale)}.${digits.slice(-minorScale)}`;
    };
    const figures = [['Maximum du marché', raw.maximum], ['Déjà commandé', raw.ordered], ['Reste disponible', raw.remaining], ['Ce bon de commande', raw.order]]
      .filter(([, v]) => v !== undefined && /^-?\d+(\.\d+)?$/.test(v));
    return h('div', { class: 'maximum-exceeded' },
      h('p', {}, h('strong', {}, 'Maximum dépassé : '), error.message),
      figures.length === 4 ? h('ul', { class: 'figures' }, figures.map(([t, v]) => h('li', {}, `${t} : `, h('strong', {}, inBasis(basis, decimalText(v), unit))))) : null);
  }
  return h('p', {}, error.message);
}

// The bar of a ledger: ordered against the maximum, in the warning colour from 80 %.
export function maximumBar(ledger, unit) {
  const pct = share(ledger.ordered, ledger.maximum);
  const warn = pct >= 80;
  return h('div', { class: `maximum-bar${warn ? ' warn' : ''}` },
    h('meter', {
      min: 0, max: 100, low: 80, high: 95, optimum: 0, value: Math.min(pct, 100).toFixed(1),
      'aria-label': `Commandé sur le maximum : ${pct.toFixed(1).replace('.', ',')} %`,
    }),
    h('span', { class: 'maximum-figures' },
      `commandé ${inBasis(ledger.basis, ledger.ordered, unit)} / maximum ${inBasis(ledger.basis, ledger.maximum, unit)}`,
      ` · reste ${inBasis(ledger.basis, ledger.remaining, unit)}`,
      warn ? h('strong', { class: 'warn-text' }, ` · ${Math.floor(pct)} % du maximum atteint`) : null));
}

// The ledger of one member's contract: what is left, what is still due, the pace.
export function ledgerSummary(ledger, unit) {
  const exhaustion = ledger.projected_exhaustion
    ? h('p', { class: ledger.exhausts_before_end ? 'warnings' : '' },
      ledger.exhausts_before_end ? '⚠ ' : '',
      `Au rythme des commandes depuis le ${date(ledger.start)}, le maximum serait atteint le ${date(ledger.projected_exhaustion)}`,
      ledger.exhausts_before_end ? h('strong', {}, ` — avant la fin du marché (${date(ledger.end)})`) : ` (fin du marché le ${date(ledger.end)})`, '.')
    : h('p', { class: 'hint' }, `Marché du ${date(ledger.start)} au ${date(ledger.end)}.`);
  return h('div', { class: 'ledger' },
    maximumBar(ledger, unit),
    h('dl', { class: 'figures-list' },
      [['Maximum', inBasis(ledger.basis, ledger.maximum, unit)],
        ['Commandé', inBasis(ledger.basis, ledger.ordered, unit)],
        ['Reste', inBasis(ledger.basis, ledger.remaining, unit)],
        ['Minimum', ledger.minimum === null || ledger.minimum === undefined ? 'aucun' : inBasis(ledger.basis, ledger.minimum, unit)],
        ['Minimum restant dû', inBasis(ledger.basis, ledger.minimum_due, unit)],
        ['Livré', euros(ledger.delivered_value)], ['Facturé', euros(ledger.invoiced_value)], ['Payé', euros(ledger.paid_value)],
        ['Prix unitaire en vigueur', ledger.unit_price_in_force ? `${price(ledger.unit_price_in_force)} HT` : '—']]
        .map(([t, v]) => h('div', {}, h('dt', {}, t), h('dd', {}, v)))),
    exhaustion);
}

// Whether a tender is a framework agreement with orders (its terms say so; unknown: yes).
const frameworkOf = new Map();
export function isFramework(tenderId) {
  if (!frameworkOf.has(tenderId)) {
    frameworkOf.set(tenderId, api('GET', `/v1/tenders/${tenderId}/framework`)
      .then((f) => f.framework_agreement !== false).catch(() => true));
  }
  return frameworkOf.get(tenderId);
}

// The ledger of a framework contract, or null when it has none (not a framework agreement, refused).
export async function contractLedger(contract) {
  if (!(await isFramework(contract.tender_id))) return null;
  return api('GET', `/v1/contracts/${contract.id}/ledger`).catch(() => null);
}

// ---- « Nouveau bon de commande » ----
function orderForm(contract, ledger, onDone) {
  const unitPrice = ledger?.unit_price_in_force || contract.unit_price;
  const lines = h('tbody', {});
  const totalCell = h('strong', { id: 'total-bon' }, euros('0.00'));
  const refresh = () => {
    const amounts = [...lines.rows].map((row) => {
      const q = toApiDecimal(row.querySelector('.line-quantity').value);
      const amount = q ? lineAmount(q, unitPrice) : null;
      row.querySelector('.line-amount').textContent = amount === null ? (q ? '—' : '') : euros(amount);
      return amount;
    });
    totalCell.textContent = euros(sumDecimals(amounts.filter((a) => a !== null)));
  };
  const addLine = () => {
    const n = lines.rows.length;
    lines.append(h('tr', { 'data-field': `lines[${n}]` },
      h('td', { 'data-field': `lines[${n}].description` }, h('input', { type: 'text', class: 'line-description', maxlength: 300, 'aria-label': `Désignation, ligne ${n + 1}` }),
        h('p', { class: 'field-error', role: 'alert' })),
      h('td', { 'data-field': `lines[${n}].quantity` }, h('input', { type: 'text', inputmode: 'decimal', class: 'line-quantity', size: 8, 'aria-label': `Quantité, ligne ${n + 1}`, oninput: refresh }),
        h('p', { class: 'field-error', role: 'alert' })),
      h('td', { class: 'num' }, price(unitPrice)),
      h('td', { class: 'num line-amount' })));
  };
  addLine();
  const place = h('input', { type: 'text', maxlength: 300 });
  const when = h('input', { type: 'date', min: parisDay() });
  const general = h('div', { class: 'error', role: 'alert' });
  const saved = h('p', { class: 'notice', role: 'status' });
  const form = h('form', {
    class: 'card order-form',
    onsubmit: async (event) => {
      event.preventDefault();
      const send = event.submitter?.value === 'send';
      const body = {
        contract_id: contract.id, delivery_place: place.value.trim(), send,
        lines: [...lines.rows].map((row) => ({
          description: row.querySelector('.line-description').value.trim(),
          quantity: toApiDecimal(row.querySelector('.line-quantity').value),
        })).filter((l, i) => i === 0 || l.description || l.quantity),
      };
      if (when.value) body.delivery_date = when.value;
      if (send && !confirm(`Envoyer le bon de commande au titulaire (${contract.supplier_name}) pour ${totalCell.textContent} HT ? Il comptera aussitôt dans votre maximum et ne pourra plus être modifié.`)) return;
      general.replaceChildren();
      saved.textContent = '';
      try {
        const order = await api('POST', '/v1/orders', body);
        saved.textContent = `Bon de commande ${order.reference} enregistré (${order.status_label || orderStatusLabels[order.status]}).`;
        for (const w of order.warnings || []) saved.append(h('br'), `⚠ ${w.message}`);
        onDone(order);
      } catch (error) {
        showErrors(form, error, h('p'));
        general.replaceChildren(orderRefusal(error, ledger, contract.unit), ...(error.fields || [])
          .filter((f) => !form.querySelector(`[data-field="${CSS.escape(f.field)}"]`) && !['maximum', 'ordered', 'remaining', 'order'].includes(f.field))
          .map((f) => h('p', {}, f.message)));
      }
    },
  },
  h('h2', {}, 'Nouveau bon de commande'),
  h('p', { class: 'hint' }, `Au prix unitaire en vigueur du marché : ${price(unitPrice)} HT. Un brouillon ne compte pas dans le maximum ; un bon envoyé, si.`),
  h('div', { 'data-field': 'lines' }, scrolling(h('table', { class: 'order-lines' },
    h('caption', {}, 'Lignes du bon'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Désignation'), h('th', { scope: 'col' }, 'Quantité'),
      h('th', { scope: 'col', class: 'num' }, 'Prix unitaire HT'), h('th', { scope: 'col', class: 'num' }, 'Montant HT'))),
    lines,
    h('tfoot', {}, h('tr', {}, h('td', { colspan: 3, class: 'num' }, 'Total HT'), h('td', { class: 'num' }, totalCell))))),
  h('p', { class: 'field-error', role: 'alert' }),
  button('Ajouter une ligne', addLine, { class: 'secondary' })),
  h('div', { class: 'row' }, field('Lieu de livraison', place, { name: 'delivery_place' }),
    field('Date de livraison souhaitée', when, { name: 'delivery_date', hint: 'facultative' })),
  general, saved,
  h('div', { class: 'actions' },
    h('button', { type: 'submit', value: 'send' }, 'Envoyer le bon de commande'),
    h('button', { type: 'submit', value: 'draft', class: 'secondary' }, 'Enregistrer en brouillon')));
  return form;
}

// ---- The steps of an order, each confirmed with what will happen ----
function stepForm(order, kind, onDone) {
  const slot = h('div', { class: 'error', role: 'alert' });
  const today = parisDay();
  const day = (value) => h('input', { type: 'date', value, max: today });
  const ifMatch = { headers: { 'If-Match': `"v${order.version}"` } };
  const submit = (question, path, body) => async (event) => {
    event.preventDefault();
    const b = body();
    if (!b) return;
    if (!confirm(question(b))) return;
    try {
      await api('POST', `/v1/orders/${order.id}/${path}`, b, ifMatch);
      onDone();
    } catch (error) {
      showErrors(event.target, error, slot);
    }
  };
  if (kind === 'send') {
    const sent = day(today);
    return h('form', {
      class: 'inline order-step',
      onsubmit: submit(() => `Envoyer le bon ${order.reference} (${euros(order.total)} HT) au titulaire le ${date(sent.value)} ? Il comptera dans votre maximum.`, 'send', () => ({ sent_on: sent.value })),
    }, field('Envoyé le', sent, { name: 'sent_on' }), h('button', { type: 'submit' }, 'Envoyer'), slot);
  }
  if (kind === 'delivery') {
    const delivered = day(today);
    const inputs = order.lines.map((l, i) => h('input', {
      type: 'text', inputmode: 'decimal', size: 6, value: '',
      'aria-label': `Quantité livrée maintenant, ligne ${i + 1} (${l.description})`,
    }));
    return h('form', {
      class: 'inline order-step delivery',
      onsubmit: submit(() => `Enregistrer la réception du bon ${order.reference} le ${date(delivered.value)} ? Les quantités livrées ne se corrigent plus.`,
        'delivery', () => ({ delivered_on: delivered.value, lines: inputs.map((input) => toApiDecimal(input.value || '0')) })),
    }, field('Livré le', delivered, { name: 'delivered_on' }),
    order.lines.map((l, i) => field(`Livré, « ${l.description} » (reste ${quantity(subtract(l.quantity, l.delivered))})`, inputs[i], { name: `lines[${i}]` })),
    h('button', { type: 'submit' }, 'Enregistrer la réception'), slot);
  }
  if (kind === 'invoice') {
    const invoiced = day(today);
    const reference = h('input', { type: 'text', maxlength: 100 });
    const amount = h('input', { type: 'text', inputmode: 'decimal', size: 10 });
    return h('form', {
      class: 'inline order-step invoice',
      onsubmit: submit((b) => `Enregistrer la facture ${b.invoice_reference} de ${euros(b.amount)} HT pour le bon ${order.reference} ? Elle ne se corrige plus.`,
        'invoice', () => ({ invoiced_on: invoiced.value, amount: toApiDecimal(amount.value), invoice_reference: reference.value.trim() })),
    }, field('Référence de la facture', reference, { name: 'invoice_reference' }), field('Montant HT (€)', amount, { name: 'amount' }),
    field('Facturé le', invoiced, { name: 'invoiced_on' }), h('button', { type: 'submit' }, 'Enregistrer la facture'), slot);
  }
  if (kind === 'payment') {
    const paid = day(today);
    return h('form', {
      class: 'inline order-step payment',
      onsubmit: submit(() => `Enregistrer le paiement du bon ${order.reference} (${euros(order.invoiced_amount || order.total)}) le ${date(paid.value)} ?`,
        'payment', () => ({ paid_on: paid.value })),
    }, field('Payé le', paid, { name: 'paid_on' }), h('button', { type: 'submit' }, 'Enregistrer le paiement'), slot);
  }
  // cancel
  const reason = h('input', { type: 'text', maxlength: 2000 });
  return h('form', {
    class: 'inline order-step cancel',
    onsubmit: submit(() => `Annuler le bon ${order.reference} ? ${order.status === 'draft' ? 'Le brouillon' : 'Il ne comptera plus dans votre maximum ; le titulaire doit en être informé. Le bon'} ne pourra plus être repris.`,
      'cancel', () => ({ reason: reason.value.trim() })),
  }, field('Motif de l’annulation', reason, { name: 'reason' }), h('button', { type: 'submit', class: 'danger' }, 'Annuler le bon'), slot);
}

const subtract = (a, b) => sumDecimals([a, b ? `-${b}`.replace('--', '') : '0']);

const stepLabels = {
  send: ['Envoyer…', 'Envoyer le bon'], delivery: ['Réception…', 'Enregistrer la réception du bon'],
  invoice: ['Facture…', 'Enregistrer la facture du bon'], payment: ['Paiement…', 'Enregistrer le paiement du bon'],
  cancel: ['Annuler…', 'Annuler le bon'],
};
const nextSteps = {
  draft: ['send', 'cancel'], sent: ['delivery', 'cancel'], partially_delivered: ['delivery', 'invoice'],
  delivered: ['invoice'], invoiced: ['payment'],
};

// The orders of the filters given, with each order's next steps (its buyer only).
function ordersTable(orders, { contractsById, onChanged, showContract }) {
  const me = session.me();
  const slot = h('div', { class: 'order-step-slot' });
  const steps = (o) => {
    // A buyer takes its own orders through every step; finance records invoices and payments.
    const allowed = me.role === 'buyer' && o.member_id === me.member_id ? () => true
      : me.role === 'finance' ? (kind) => ['invoice', 'payment'].includes(kind) : () => false;
    return h('div', { class: 'actions small' },
      (nextSteps[o.status] || []).filter(allowed).map((kind) => button(stepLabels[kind][0], () => {
        slot.replaceChildren(h('h3', {}, `${stepLabels[kind][1]} ${o.reference}`), stepForm(o, kind, onChanged));
        slot.querySelector('input')?.focus();
      }, { class: kind === 'cancel' ? 'danger' : 'secondary', 'aria-label': `${stepLabels[kind][1]} ${o.reference}` })),
      button('Bon (PDF)', () => downloadPdf(`/v1/orders/${o.id}/form`, `bon-${o.reference.replace(/[^A-Za-z0-9-]/g, '_')}`),
        { class: 'secondary', 'aria-label': `Bon de commande ${o.reference} (PDF)` }));
  };
  const contractCell = (o) => {
    const c = contractsById[o.contract_id];
    return c ? `${c.tender_reference} · lot ${c.lot_number}${me.role === 'buyer' ? '' : ` · ${c.member_code}`}` : `marché n° ${o.contract_id}`;
  };
  const dates = (o) => [['commandé', o.ordered_on], ['envoyé', o.sent_on], ['livré', o.delivered_on], ['facturé', o.invoiced_on], ['payé', o.paid_on], ['annulé', o.cancelled_on]]
    .filter(([, d]) => d).map(([t, d]) => `${t} le ${date(d)}`).join(' · ');
  return h('div', {},
    table([
      { label: 'Bon', cell: (o) => h('strong', {}, o.reference) },
      ...(showContract ? [{ label: 'Marché', cell: contractCell }] : []),
      { label: 'État', cell: (o) => h('span', {}, orderStatusBadge(o), o.cancel_reason ? h('small', { class: 'hint' }, ` ${o.cancel_reason}`) : null) },
      { label: 'Lignes', cell: (o) => o.lines.map((l) => `${l.description} : ${quantity(l.quantity)}${l.delivered && l.delivered !== '0' && Number(l.delivered) ? ` (livré ${quantity(l.delivered)})` : ''}`).join(' ; ') },
      { label: 'Montant HT', numeric: true, cell: (o) => euros(o.total) },
      { label: 'Livraison', cell: (o) => `${o.delivery_place}${o.delivery_date ? `, le ${date(o.delivery_date)}` : ''}` },
      { label: 'Dates', cell: dates },
      { label: 'Facture', cell: (o) => (o.invoice_reference ? `${o.invoice_reference} — ${euros(o.invoiced_amount)}` : '—') },
      { label: 'Étape suivante', cell: steps },
    ], orders, { caption: `${orders.length} bon(s) de commande`, empty: 'Aucun bon de commande.' }),
    slot);
}

// ---- « Mes marchés » → one contract: its maximum, a new order, its orders ----
export async function contractView(id) {
  const params = hashQuery();
  const status = params.get('statut') || '';
  const contracts = await apiAll('/v1/contracts');
  const contract = contracts.items.find((c) => c.id === id);
  if (!contract) return h('p', { class: 'error', role: 'alert' }, 'Ce marché est introuvable.');
  const ledger = await contractLedger(contract);
  const me = session.me();
  const query = new URLSearchParams({ contract_id: String(id) });
  if (status) query.set('status', status);
  const orders = await apiAll(`/v1/orders?${query}`).catch(() => ({ items: [], truncated: false }));
  const reload = () => { location.reload(); };
  const byId = Object.fromEntries(contracts.items.map((c) => [c.id, c]));
  const unit = contract.unit || '';
  return h('section', { class: 'contract-orders' },
    breadcrumb([['#/marches', me.role === 'buyer' ? 'Mes marchés' : 'Marchés'], [null, `${contract.tender_reference} — lot ${contract.lot_number}`]]),
    h('h1', {}, `${contract.tender_reference} — lot ${contract.lot_number} : ${contract.lot_title}`),
    h('p', {}, `${contract.tender_title} · titulaire ${contract.supplier_name} · membre ${contract.member_code}`,
      contract.notified_on ? ` · en vigueur depuis le ${date(contract.notified_on)}` : ''),
    h('section', { class: 'card', id: 'maximum' }, h('h2', {}, 'Maximum du marché (R2162-4)'),
      ledger ? ledgerSummary(ledger, unit) : h('p', { class: 'empty' }, 'Ce marché n’est pas un accord-cadre à bons de commande en vigueur : pas de maximum à suivre.'),
      ledger?.months?.length ? monthsTable(ledger) : null),
    me.role === 'buyer' && contract.in_force && ledger ? orderForm(contract, ledger, () => setTimeout(reload, 900)) : null,
    h('section', { class: 'card', id: 'bons' }, h('h2', {}, 'Bons de commande'),
      ordersFilters({ hashBase: `#/marches/${id}`, status, contracts: null, contractId: null }),
      exportButtons(`/v1/orders?${query}`),
      ordersTable(orders.items, { contractsById: byId, onChanged: reload, showContract: false })));
}

function monthsTable(ledger) {
  return h('details', {}, h('summary', {}, 'Mois par mois'),
    table([{ label: 'Mois', cell: (m) => monthLabel(m.month) }, { label: 'Commandé', numeric: true, cell: (m) => euros(m.ordered) },
      { label: 'Livré', numeric: true, cell: (m) => euros(m.delivered) }, { label: 'Facturé', numeric: true, cell: (m) => euros(m.invoiced) },
      { label: 'Payé', numeric: true, cell: (m) => euros(m.paid) }], ledger.months));
}

// The filters of an orders list live in the address (reload, back, a link give the same list).
function ordersFilters({ hashBase, status, contracts, contractId }) {
  const statusSelect = h('select', { id: 'filtre-etat' }, h('option', { value: '' }, 'tous'),
    Object.entries(orderStatusLabels).map(([v, t]) => h('option', { value: v, selected: v === status }, t)));
  const contractSelect = contracts ? h('select', { id: 'filtre-marche' }, h('option', { value: '' }, 'tous les marchés'),
    contracts.map((c) => h('option', { value: c.id, selected: String(c.id) === String(contractId || '') },
      `${c.tender_reference} · lot ${c.lot_number} — ${c.lot_title}${session.me().role === 'buyer' ? '' : ` · ${c.member_code}`}`))) : null;
  return notAppliedHint(h('form', {
    class: 'inline filters',
    onsubmit: (event) => {
      event.preventDefault();
      applyFilters(hashBase, { marche: contractSelect?.value, statut: statusSelect.value });
    },
  }, contractSelect ? field('Marché', contractSelect, { name: 'contract_id' }) : null, field('État', statusSelect, { name: 'status' }),
  h('button', { type: 'submit', class: 'secondary' }, 'Filtrer')), 'Filtrer');
}

// The exports are built from the filters applied (the address), never from a form being typed.
function exportButtons(path) {
  return downloadButtons(path, 'bons-de-commande', { id: 'commandes' });
}

// ---- « Mes commandes »: every order of the filters, the exports and the import ----
export async function ordersView() {
  const params = hashQuery();
  const status = params.get('statut') || '';
  const contractId = params.get('marche') || '';
  const me = session.me();
  const contracts = await apiAll('/v1/contracts');
  const query = new URLSearchParams();
  if (contractId) query.set('contract_id', contractId);
  if (status) query.set('status', status);
  const orders = await apiAll(`/v1/orders${query.toString() ? `?${query}` : ''}`);
  const byId = Object.fromEntries(contracts.items.map((c) => [c.id, c]));
  const inForce = contracts.items.filter((c) => c.in_force);
  return h('section', {},
    h('h1', {}, me.role === 'buyer' ? 'Mes bons de commande' : 'Bons de commande'),
    h('section', { class: 'card' },
      ordersFilters({ hashBase: '#/commandes', status, contracts: inForce, contractId }),
      exportButtons(`/v1/orders${query.toString() ? `?${query}` : ''}`),
      orders.truncated ? h('p', { class: 'warnings' }, 'Liste tronquée : affinez les filtres.') : null,
      ordersTable(orders.items, { contractsById: byId, onChanged: () => location.reload(), showContract: true })),
    me.role === 'buyer' ? importCard() : null);
}

// A file as French Excel writes it (Windows-1252) or as UTF-8 (with or without BOM), read as text.
export async function readSpreadsheetText(file) {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

// The value of a cell of a CSV text (`line` counted from 1, the header included), to show beside its error.
export function csvCell(text, line, column) {
  const rows = text.split(/\r?\n/);
  const header = rows[0] || '';
  const separator = (header.match(/;/g) || []).length >= (header.match(/,/g) || []).length ? ';' : ',';
  const split = (row) => {
    const cells = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < row.length; i++) {
      const ch = row[i];
      if (quoted) {
        if (ch === '"' && row[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === separator) { cells.push(cell); cell = ''; } else cell += ch;
    }
    cells.push(cell);
    return cells;
  };
  const names = split(header).map((n) => n.trim().toLowerCase());
  const index = names.indexOf(String(column || '').trim().toLowerCase());
  const row = rows[line - 1];
  return index >= 0 && row !== undefined ? split(row)[index] ?? '' : '';
}

// "ligne 3, colonne quantite" (or "line 3, column quantite") → { line: 3, column: "quantite" }.
export function lineAndColumn(fieldName) {
  const m = /(?:ligne|line)\s+(\d+)(?:\s*[,.]\s*(?:(?:colonne|column)\s+)?(.+))?/i.exec(fieldName || '');
  return m ? { line: Number(m[1]), column: (m[2] || '').trim() } : { line: null, column: fieldName || '' };
}

function importCard() {
  const file = h('input', { type: 'file', accept: '.csv,text/csv' });
  const result = h('div', { role: 'status', id: 'resultat-import' });
  const run = async () => {
    result.replaceChildren();
    if (!file.files.length) { result.append(h('p', { class: 'error' }, 'Choisissez un fichier CSV.')); return; }
    const text = await readSpreadsheetText(file.files[0]);
    try {
      const done = await api('POST', '/v1/orders/import', text, { contentType: 'text/csv' });
      result.append(h('p', { class: 'notice' }, `${done.created} bon(s) de commande importé(s).`));
      setTimeout(() => location.reload(), 1200);
    } catch (error) {
      if ((error.status === 404 || error.status === 405) && !error.fields.length) {
        result.append(h('p', { class: 'error', role: 'alert' }, 'L’import des bons de commande n’est pas encore disponible sur ce serveur : rien n’a été importé.'));
        return;
      }
      const rows = (error.fields || []).map((f) => {
        const where = lineAndColumn(f.field);
        return { ...where, message: f.message, value: f.value ?? (where.line ? csvCell(text, where.line, where.column) : '') };
      });
      result.append(h('p', { class: 'error', role: 'alert' }, `${error.message} Aucun bon n’a été importé.`),
        rows.length ? table([{ label: 'Ligne', cell: (e) => (e.line ? String(e.line) : '—') },
          { label: 'Colonne', cell: (e) => e.column || '—' }, { label: 'Valeur', cell: (e) => (e.value ? h('code', {}, e.value) : '—') },
          { label: 'Problème', cell: (e) => e.message }], rows, { caption: 'Erreurs, ligne par ligne' }) : null);
    }
  };
  return h('section', { class: 'card', id: 'import-commandes' }, h('h2', {}, 'Importer des bons de commande (CSV)'),
    h('p', {}, 'Un fichier exporté de votre progiciel : une ligne par ligne de bon. Séparateur « ; » et virgule décimale acceptés, ainsi que les fichiers « CSV (séparateur : point-virgule) » d’Excel. Tout le fichier est importé, ou rien.'),
    field('Fichier de bons de commande', file), button('Importer les bons', run), result);
}
