// The savings dashboard: charts by member, month and category, filters, and the
// CSV/XLSX downloads of exactly the figures shown.
import { Chart, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip } from 'chart.js';
import { api, session } from '../api.js';
import { h, field, table } from '../dom.js';
import { euros, percent, chartEuros, monthLabel } from '../format.js';
import { hashQuery, applyFilters, notAppliedHint } from '../address.js';
import { downloadButtons } from '../downloads.js';
import { membersById } from './officer.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

function chart(title, labels, datasets, { stacked = false } = {}) {
  const canvas = h('canvas', { role: 'img', 'aria-label': title });
  new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked }, y: { stacked, ticks: { callback: (v) => chartEuros(v) } } },
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label} : ${chartEuros(c.raw)}` } } },
    },
  });
  return h('figure', { class: 'chart' }, h('figcaption', {}, title), h('div', { class: 'chart-box' }, canvas));
}

// A month of the API ("2026-12") as read in French ("déc. 2026"); another label as it is.
const monthOf = (text) => (/^\d{4}-\d{2}$/.test(text) ? monthLabel(text) : text);

// Charts plot numbers; the tables and files keep the exact decimal strings.
const plot = (text) => Number(text);

// A single winning price cannot measure the pooling effect: said, never shown as a measured 0.
function pooling(figures) {
  if (figures.pooling_effect_status === 'not_measurable') return 'non mesurable (prix unique)';
  if (figures.pooling_effect_status === 'partly_measured') return `${euros(figures.pooling_effect)} (mesuré en partie)`;
  return euros(figures.pooling_effect);
}

export async function financeView() {
  const params = hashQuery();
  const me = session.me();
  const members = await membersById();
  const from = h('input', { type: 'date', value: params.get('du') || '' });
  const to = h('input', { type: 'date', value: params.get('au') || '' });
  const member = h('select', { disabled: me.member_id !== null },
    h('option', { value: '' }, 'tous les membres'),
    Object.values(members).map((m) => h('option', { value: m.id, selected: String(m.id) === (params.get('membre') || '') }, m.code)));
  const basis = h('select', {}, [['contract', 'durée des marchés'], ['12m', 'sur 12 mois']].map(([v, t]) => h('option', { value: v, selected: v === (params.get('base') || 'contract') }, t)));
  // The API's query from the filters applied (the address): the page and its downloads show
  // the same figures, whatever is typed in the form and not applied yet.
  const query = (group) => {
    const q = new URLSearchParams({ group_by: group, basis: params.get('base') === '12m' ? '12m' : 'contract' });
    if (params.get('du')) q.set('from', params.get('du'));
    if (params.get('au')) q.set('to', params.get('au'));
    if (params.get('membre')) q.set('member', params.get('membre'));
    return q.toString();
  };
  const apply = () => applyFilters('#/gains', {
    du: from.value, au: to.value, membre: member.value, base: basis.value === 'contract' ? '' : basis.value,
  });
  const [byMember, byMonth, byCategory] = await Promise.all(['member', 'month', 'category'].map((g) => api('GET', `/v1/reports/savings?${query(g)}`)));
  const totals = byMember.totals;
  const cards = h('div', { class: 'kpis' },
    [['Gains HT', euros(totals.savings)], ['Gains TTC', euros(totals.savings_ttc)], ['Taux de gain', percent(totals.savings_pct)],
      ['Effet mutualisation HT', pooling(totals)], ['Effet mise en concurrence HT', euros(totals.competition_effect)],
      ['Frais mutualisés HT', euros(totals.shared_costs)], ['Subvention CGLLS accordée', euros(totals.subsidy)],
      ['Subvention projetée (hors gains nets)', euros(totals.subsidy_projected)], ['Gains nets HT', euros(totals.net_savings)]]
      .map(([title, value]) => h('div', { class: 'kpi' }, h('span', {}, title), h('strong', {}, value))));
  // The method in words, as the XLSX « Méthode » sheet states it.
  const method = h('details', { class: 'card method', id: 'methode' },
    h('summary', {}, 'Méthode de calcul et paramètres'),
    h('dl', {}, (byMember.method || []).flatMap((m) => [h('dt', {}, m.label), h('dd', {}, m.text)])));
  // Savings are counted from the member contract's notification when recorded, else from the award decision.
  const dates = h('p', { class: 'hint', id: 'base-des-dates' },
    `Gains comptés à partir de la notification du contrat de chaque membre quand elle est enregistrée, sinon à partir de la décision d’attribution : dont ${euros(totals.savings_notified)} comptés depuis la notification (${totals.lines_notified} contrat${totals.lines_notified > 1 ? 's' : ''} notifié${totals.lines_notified > 1 ? 's' : ''}), ${euros(totals.savings_award_only)} depuis la seule décision d’attribution (${totals.lines_award_only} contrat${totals.lines_award_only > 1 ? 's' : ''} pas encore notifié${totals.lines_award_only > 1 ? 's' : ''}).`);
  return h('section', {},
    h('h1', {}, { finance: 'Tableau de bord des gains achats', buyer: 'Mes gains' }[me.role] || 'Gains achats'),
    notAppliedHint(h('form', { class: 'card filters', onsubmit: (e) => { e.preventDefault(); apply(); } },
      h('div', { class: 'row' }, field('Gains comptés depuis le', from), field('jusqu’au', to), field('Membre', member), field('Base', basis)),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Appliquer'),
        downloadButtons(`/v1/reports/savings?${query('member')}`, 'gains-achats', { id: 'telecharger' })))),
    cards,
    dates,
    h('p', { class: 'hint' }, params.get('base') === '12m'
      ? 'Sur 12 mois : seule la part récurrente des achats est annualisée ; un achat ponctuel compte une fois.'
      : 'Montants hors taxes (HT) ; les colonnes TTC appliquent le taux de TVA de chaque lot.'),
    method,
    h('div', { class: 'charts' },
      chart('Référence et marché, par membre', byMember.rows.map((r) => r.label), [
        { label: 'Référence', data: byMember.rows.map((r) => plot(r.reference)), backgroundColor: '#9aa9bc' },
        { label: 'Marché', data: byMember.rows.map((r) => plot(r.contract)), backgroundColor: '#1f5c8a' }]),
      chart('Effet mutualisation et effet mise en concurrence, par membre', byMember.rows.map((r) => r.label), [
        { label: 'Mutualisation', data: byMember.rows.map((r) => plot(r.pooling_effect)), backgroundColor: '#2e7d4f' },
        { label: 'Mise en concurrence', data: byMember.rows.map((r) => plot(r.competition_effect)), backgroundColor: '#c77700' }], { stacked: true }),
      chart('Gains par mois (notification, sinon décision d’attribution)', byMonth.rows.map((r) => monthOf(r.label)), [
        { label: 'Gains', data: byMonth.rows.map((r) => plot(r.savings)), backgroundColor: '#1f5c8a' },
        { label: 'Gains nets', data: byMonth.rows.map((r) => plot(r.net_savings)), backgroundColor: '#2e7d4f' }]),
      chart('Gains par catégorie', byCategory.rows.map((r) => r.label), [
        { label: 'Gains', data: byCategory.rows.map((r) => plot(r.savings)), backgroundColor: '#6b4f9a' }])),
    // The month chart's figures, for those who read a table rather than bars.
    table([
      { label: 'Mois', cell: (r) => monthOf(r.label) }, { label: 'Gains HT', numeric: true, cell: (r) => euros(r.savings) },
      { label: 'Gains nets HT', numeric: true, cell: (r) => euros(r.net_savings) },
    ], byMonth.rows, { caption: 'Gains par mois', empty: 'Aucun gain dans la période.' }),
    table([
      { label: 'Membre', cell: (r) => r.label }, { label: 'Référence HT', numeric: true, cell: (r) => euros(r.reference) },
      { label: 'Marché HT', numeric: true, cell: (r) => euros(r.contract) }, { label: 'Gains HT', numeric: true, cell: (r) => euros(r.savings) },
      { label: 'Taux', numeric: true, cell: (r) => percent(r.savings_pct) },
      { label: 'Marché TTC', numeric: true, cell: (r) => euros(r.contract_ttc) },
      { label: 'Gains TTC', numeric: true, cell: (r) => euros(r.savings_ttc) },
      { label: 'Effet mutualisation', numeric: true, cell: (r) => pooling(r) },
      { label: 'dont ponctuel (marché HT)', numeric: true, cell: (r) => euros(r.contract_one_off) },
      { label: 'dont depuis la notification', numeric: true, cell: (r) => euros(r.savings_notified) },
      { label: 'dont depuis la seule décision', numeric: true, cell: (r) => euros(r.savings_award_only) },
      { label: 'Frais', numeric: true, cell: (r) => euros(r.shared_costs) },
      { label: 'Subvention accordée', numeric: true, cell: (r) => euros(r.subsidy) },
      { label: 'Subvention projetée', numeric: true, cell: (r) => euros(r.subsidy_projected) },
      { label: 'Gains nets HT', numeric: true, cell: (r) => euros(r.net_savings) },
    ], [...byMember.rows, { ...byMember.totals, label: 'Total' }], { caption: 'Détail par membre', empty: 'Aucun lot attribué dans la période.' }));
}
