// Framework agreements (accords-cadres à bons de commande), the officer's side: on a
// draft tender, the duration with its renewals (R2112-4, L2125-1), the margin on the
// estimate and each member's maximum and minimum per lot (R2162-4); once awarded, each
// lot's consumption per member — cumulative orders against the maximum, and the ledger.
import { Chart, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip } from 'chart.js';
import { api } from '../api.js';
import { h, field, table } from '../dom.js';
import { euros, date, decimal, toApiDecimal, inBasis, unitLabel, monthLabel, sumDecimals, parisDay, chartEuros } from '../format.js';
import { breadcrumb } from '../breadcrumb.js';
import { showErrors } from './show_errors.js';
import { membersById } from './officer.js';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

const bases = { value: 'valeur HT (€)', quantity: 'quantité' };
// "1234.50" → "1234,50" for an input the officer edits (no thousands separator).
const editable = (text) => (text === null || text === undefined ? '' : String(text).replace('.', ','));
const origin = (m) => (m.from_estimate
  ? h('span', { class: 'badge', title: 'calculé sur l’estimation du membre sur toute la durée, reconductions comprises, plus la marge' }, 'issu de l’estimation (+ marge)')
  : h('span', { class: 'badge published' }, 'fixé'));

// The section of the tender page; null when the tender is not a framework agreement.
export async function frameworkSection(tender, code) {
  if (!tender.framework_agreement) return null;
  const framework = await api('GET', `/v1/tenders/${tender.id}/framework`).catch((error) => ({ error }));
  const section = h('section', { class: 'card framework', id: 'accord-cadre' }, h('h2', {}, 'Accord-cadre : durée, reconductions et maxima'));
  if (framework.error?.status === 404) return null;  // a server without framework terms yet
  if (framework.error) {
    section.append(h('p', { class: 'error', role: 'alert' }, framework.error.message));
    return section;
  }
  section.append(tender.status === 'draft' ? frameworkForm(tender, framework, code) : frameworkReadOnly(framework, code));
  return section;
}

function durationLine(f) {
  return h('p', { class: 'duration' },
    `Durée initiale ${f.duration_months} mois`,
    f.renewals ? `, ${f.renewals} reconduction${f.renewals > 1 ? 's' : ''} de ${f.renewal_months} mois` : ', sans reconduction',
    ` : `, h('strong', {}, `${f.total_months} mois au total`), ' (R2112-4 : les reconductions comptent dans la durée et la valeur).',
    f.total_months > 48 ? h('span', { class: 'warnings' }, ` Au-delà de 4 ans (L2125-1) : ${f.duration_justification ? `justification : ${f.duration_justification}` : 'justification manquante'}.`) : null);
}

function lotTable(lot, code, inputs) {
  const unit = unitLabel(lot.unit);
  return table([
    { label: 'Membre', cell: (m) => code(m.member_id) },
    {
      label: `Maximum (${lot.basis === 'quantity' ? unit || 'quantité' : '€ HT'})`,
      numeric: true,
      cell: (m) => (inputs ? h('div', { 'data-field': `lots[${inputs.lotIndex}].members[${inputs.index(m)}].maximum` }, inputs.maximum(m), h('p', { class: 'field-error', role: 'alert' }))
        : inBasis(lot.basis, m.maximum, lot.unit)),
    },
    { label: 'Origine', cell: origin },
    {
      label: 'Minimum',
      numeric: true,
      cell: (m) => (inputs ? h('div', { 'data-field': `lots[${inputs.lotIndex}].members[${inputs.index(m)}].minimum` }, inputs.minimum(m), h('p', { class: 'field-error', role: 'alert' }))
        : m.minimum === null || m.minimum === undefined ? 'aucun' : inBasis(lot.basis, m.minimum, lot.unit)),
    },
    // In quantity, the maximum's value at the estimated price (in value it is the maximum itself).
    ...(lot.basis === 'quantity' ? [{ label: 'Valeur du maximum (€ HT)', numeric: true, cell: (m) => euros(m.value) }] : []),
  ], lot.members, {
    caption: lot.basis === 'quantity'
      ? `Maxima par membre — total ${inBasis(lot.basis, lot.maximum, lot.unit)}, soit ${euros(lot.value)} HT au prix estimé`
      : `Maxima par membre — total ${euros(lot.value)} HT`,
  });
}

function frameworkReadOnly(f, code) {
  return h('div', {},
    durationLine(f),
    h('p', {}, `Marge sur l’estimation : ${decimal(f.margin, 2)} %`),
    h('p', { class: 'hint' }, 'Figé à la publication de la consultation.'),
    f.lots.map((lot) => h('div', { class: 'framework-lot', 'data-lot': lot.number },
      h('h3', {}, `Lot ${lot.number} — ${lot.title} : maximum en ${bases[lot.basis] || lot.basis}`),
      lotTable(lot, code, null))));
}

function frameworkForm(tender, f, code) {
  const renewals = h('input', { type: 'number', min: 0, max: 10, value: f.renewals });
  const renewalMonths = h('input', { type: 'number', min: 0, max: 120, value: f.renewal_months });
  const justification = h('textarea', { rows: 2, maxlength: 4000 }, f.duration_justification || '');
  const margin = h('input', { type: 'text', inputmode: 'decimal', value: editable(f.margin), size: 6 });
  const total = h('strong', { class: 'total-months' });
  const justificationField = field('Justification d’une durée de plus de 4 ans (L2125-1)', justification,
    { name: 'duration_justification', hint: 'cas exceptionnel dûment justifié, notamment par l’objet du marché ou par le fait que son exécution nécessite des investissements amortissables sur plus de 4 ans' });
  const showTotal = () => {
    const months = f.duration_months + Number(renewals.value || 0) * Number(renewalMonths.value || 0);
    total.textContent = `${months} mois au total`;
    justificationField.classList.toggle('over', months > 48);
    // Asked for only beyond 4 years (or kept in view while it holds a text).
    justificationField.hidden = months <= 48 && !justification.value.trim();
    total.classList.toggle('warn-text', months > 48);
  };
  renewals.addEventListener('input', showTotal);
  renewalMonths.addEventListener('input', showTotal);
  showTotal();
  const general = h('p', { class: 'error', role: 'alert' });
  const saved = h('p', { class: 'notice', role: 'status' });
  // Per lot, the basis and each member's inputs (a blank maximum is derived from the estimate).
  const lots = f.lots.map((lot, lotIndex) => {
    const basis = h('select', { 'aria-label': `Base du maximum, lot ${lot.number}` },
      Object.entries(bases).map(([v, t]) => h('option', { value: v, selected: v === lot.basis }, t)));
    const maxima = new Map(lot.members.map((m) => [m.member_id, h('input', {
      type: 'text', inputmode: 'decimal', size: 12, class: 'member-maximum', value: m.from_estimate ? '' : editable(m.maximum),
      placeholder: m.from_estimate ? editable(m.maximum) : '', 'aria-label': `Maximum de ${code(m.member_id)}, lot ${lot.number}`,
    })]));
    const minima = new Map(lot.members.map((m) => [m.member_id, h('input', {
      type: 'text', inputmode: 'decimal', size: 12, class: 'member-minimum', value: editable(m.minimum),
      'aria-label': `Minimum de ${code(m.member_id)}, lot ${lot.number}`,
    })]));
    const inputs = { lotIndex, index: (m) => lot.members.indexOf(m), maximum: (m) => maxima.get(m.member_id), minimum: (m) => minima.get(m.member_id) };
    const body = () => ({
      lot_id: lot.lot_id, basis: basis.value,
      members: lot.members.map((m) => {
        const out = { member_id: m.member_id };
        if (maxima.get(m.member_id).value.trim()) out.maximum = toApiDecimal(maxima.get(m.member_id).value);
        if (minima.get(m.member_id).value.trim()) out.minimum = toApiDecimal(minima.get(m.member_id).value);
        return out;
      }),
    });
    const element = h('div', { class: 'framework-lot', 'data-lot': lot.number },
      h('h3', {}, `Lot ${lot.number} — ${lot.title}`),
      h('div', { 'data-field': `lots[${lotIndex}].basis` }, field(`Base du maximum, lot ${lot.number}`, basis, { hint: `en valeur HT, ou en quantité (${unitLabel(lot.unit) || 'unité du lot'})` })),
      h('p', { class: 'hint' }, 'Laissez un maximum vide pour le calculer sur l’estimation du membre (toute la durée, reconductions comprises) plus la marge ; un maximum saisi est « fixé ».'),
      lotTable(lot, code, inputs));
    return { element, body };
  });
  const form = h('form', {
    class: 'framework-form',
    onsubmit: async (event) => {
      event.preventDefault();
      saved.textContent = '';
      const body = {
        renewals: Number(renewals.value || 0), renewal_months: Number(renewalMonths.value || 0),
        duration_justification: justification.value.trim(), margin: toApiDecimal(margin.value || '0'),
        lots: lots.map((l) => l.body()),
      };
      try {
        const updated = await api('PUT', `/v1/tenders/${tender.id}/framework`, body,
          { headers: { 'If-Match': `"v${f.version ?? tender.version}"` } });
        saved.textContent = `Accord-cadre enregistré : ${updated.total_months} mois, maxima ${updated.lots.map((l) => `lot ${l.number} ${inBasis(l.basis, l.maximum, l.unit)}`).join(', ')}.`;
        setTimeout(() => location.reload(), 800);
      } catch (error) { showErrors(form, error, general); }
    },
  },
  h('div', { class: 'row' },
    field('Nombre de reconductions', renewals, { name: 'renewals', hint: 'de 0 à 10 (R2112-4)' }),
    field('Durée de chaque reconduction (mois)', renewalMonths, { name: 'renewal_months' }),
    field('Marge sur l’estimation (%)', margin, { name: 'margin', hint: 'ajoutée aux maxima calculés sur l’estimation' })),
  h('p', {}, `Durée initiale ${f.duration_months} mois + reconductions : `, total, ' (4 ans au plus, sauf justification, L2125-1).'),
  justificationField,
  lots.map((l) => l.element),
  general, saved,
  h('button', { type: 'submit', class: 'secondary' }, 'Enregistrer l’accord-cadre'));
  return form;
}

// ---- An awarded framework lot's consumption, member by member ----
const palette = ['#1f5c8a', '#2e7d4f', '#c77700', '#6b4f9a', '#a11d1d', '#3c7f8c', '#7a4b00'];

// "2027-03" .. "2027-06" → ["2027-03", "2027-04", "2027-05", "2027-06"].
function monthsBetween(first, last) {
  const out = [];
  let [y, m] = first.split('-').map(Number);
  const [ly, lm] = last.split('-').map(Number);
  while ((y < ly || (y === ly && m <= lm)) && out.length < 240) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  return out;
}

// Cumulative ordered by month (euros HT) against the maximum, for one member or the lot.
function consumptionChart(title, months, series) {
  const canvas = h('canvas', { role: 'img', 'aria-label': title });
  new Chart(canvas, {
    type: 'line',
    data: {
      labels: months.map(monthLabel),
      datasets: series.flatMap((s, i) => [
        { label: `${s.label} : commandé cumulé`, data: s.cumulative, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], tension: 0, pointRadius: 2 },
        ...(s.maximum === null ? [] : [{
          label: `${s.label} : maximum`, data: months.map(() => s.maximum), borderColor: palette[i % palette.length],
          borderDash: [6, 4], pointRadius: 0, backgroundColor: 'transparent',
        }])]),
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ticks: { callback: (v) => chartEuros(v) } } },
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label} : ${chartEuros(c.raw)}` } } },
    },
  });
  return h('figure', { class: 'chart' }, h('figcaption', {}, title), h('div', { class: 'chart-box' }, canvas));
}

export async function lotConsumptionView(tenderId, lotId) {
  const [tender, members, ledger, framework] = await Promise.all([
    api('GET', `/v1/tenders/${tenderId}`), membersById(),
    api('GET', `/v1/tenders/${tenderId}/lots/${lotId}/ledger`),
    api('GET', `/v1/tenders/${tenderId}/framework`).catch(() => null),
  ]);
  const lot = tender.lots.find((l) => l.id === lotId) || { number: '?', title: '', unit: '' };
  const frameLot = framework?.lots.find((l) => l.lot_id === lotId);
  const code = (id) => members[id]?.code || `membre n° ${id}`;
  const unit = lot.unit;
  const rows = ledger.members;
  // The months from the first start to this month (or the last month with orders).
  const starts = rows.map((r) => (r.start || '').slice(0, 7)).filter(Boolean).sort();
  const seen = rows.flatMap((r) => r.months.map((m) => m.month)).sort();
  const first = [starts[0], seen[0]].filter(Boolean).sort()[0] || parisDay().slice(0, 7);
  const last = [parisDay().slice(0, 7), seen[seen.length - 1]].filter(Boolean).sort().pop();
  const months = monthsBetween(first, last);
  // The maximum plotted in euros: the maximum itself in value, its value at the estimated price in quantity.
  const maximumValue = (r) => (r.basis === 'value' ? Number(r.maximum) : frameLot?.members.find((m) => m.member_id === r.member_id)?.value ?? null);
  const cumulative = (r) => {
    let running = '0';
    return months.map((month) => {
      const m = r.months.find((x) => x.month === month);
      if (m) running = sumDecimals([running, m.ordered]);
      return Number(running);
    });
  };
  const series = rows.map((r) => ({ label: code(r.member_id), cumulative: cumulative(r), maximum: maximumValue(r) === null ? null : Number(maximumValue(r)) }));
  const lotSeries = [{
    label: 'Lot', cumulative: months.map((_, i) => series.reduce((t, s) => t + s.cumulative[i], 0)),
    maximum: ledger.basis === 'value' ? Number(ledger.maximum) : frameLot ? Number(frameLot.value) : null,
  }];
  const exhaustion = (r) => (r.projected_exhaustion
    ? h('span', { class: r.exhausts_before_end ? 'warnings' : '' }, date(r.projected_exhaustion),
      r.exhausts_before_end ? h('strong', {}, ` ⚠ avant la fin (${date(r.end)})`) : '')
    : '—');
  return h('section', { class: 'consumption' },
    breadcrumb([['#/consultations', 'Consultations'], [`#/consultations/${tenderId}`, `${tender.reference} — ${tender.title}`], [null, `Lot ${lot.number}`]]),
    h('h1', {}, `Consommation du lot ${lot.number} — ${lot.title}`),
    h('p', {}, `Maximum du lot : ${inBasis(ledger.basis, ledger.maximum, unit)} · commandé : ${inBasis(ledger.basis, ledger.ordered, unit)}`,
      ` (base : ${bases[ledger.basis] || ledger.basis}).`),
    h('div', { class: 'charts' },
      consumptionChart('Lot : commandes cumulées et maximum (€ HT)', months, lotSeries),
      consumptionChart('Par membre : commandes cumulées et maximum (€ HT)', months, series)),
    table([
      { label: 'Membre', cell: (r) => code(r.member_id) },
      { label: 'Maximum', numeric: true, cell: (r) => inBasis(r.basis, r.maximum, unit) },
      { label: 'Commandé', numeric: true, cell: (r) => inBasis(r.basis, r.ordered, unit) },
      { label: 'Livré', numeric: true, cell: (r) => euros(r.delivered_value) },
      { label: 'Facturé', numeric: true, cell: (r) => euros(r.invoiced_value) },
      { label: 'Payé', numeric: true, cell: (r) => euros(r.paid_value) },
      { label: 'Reste', numeric: true, cell: (r) => inBasis(r.basis, r.remaining, unit) },
      { label: 'Minimum restant dû', numeric: true, cell: (r) => (r.minimum === null || r.minimum === undefined ? '—' : inBasis(r.basis, r.minimum_due, unit)) },
      { label: 'Épuisement prévu', cell: exhaustion },
    ], rows, { caption: 'Registre par membre (R2162-4) : le maximum, ce qui est commandé, livré, facturé et payé', empty: 'Aucun marché de membre sur ce lot.' }));
}

// The link from an awarded framework lot to its consumption.
export function consumptionLink(tender, lot) {
  if (!tender.framework_agreement || lot.status !== 'awarded') return null;
  return h('p', {}, h('a', { href: `#/consultations/${tender.id}/lots/${lot.id}`, class: 'consumption-link' }, 'Consommation par membre (accord-cadre)'));
}
