// Realised savings against the savings projected at the award (framework agreements
// in execution): for each delivered order line, the member's reference price minus the
// price paid, by member and by month. The filters live in the address.
import { Chart, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip } from 'chart.js';
import { api, session } from '../api.js';
import { h, field, table } from '../dom.js';
import { euros, percent, monthLabel, sumDecimals, chartEuros } from '../format.js';
import { hashQuery, applyFilters, notAppliedHint } from '../address.js';
import { membersById } from './officer.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

function barChart(title, labels, datasets) {
  const canvas = h('canvas', { role: 'img', 'aria-label': title });
  new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: { y: { ticks: { callback: (v) => chartEuros(v) } } },
      plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (c) => `${c.dataset.label} : ${chartEuros(c.raw)}` } } },
    },
  });
  return h('figure', { class: 'chart' }, h('figcaption', {}, title), h('div', { class: 'chart-box' }, canvas));
}

// realised / projected in per cent, to 2 decimals, from the exact strings (cents).
function ratio(realised, projected) {
  const cents = (t) => { const [i, f = ''] = String(t || '0').split('.'); return BigInt(`${i}${(f + '00').slice(0, 2)}`); };
  const p = cents(projected);
  if (p <= 0n) return null;
  const bp = (cents(realised) * 1000000n) / p;  // hundredths of a per cent ×100
  const rounded = (bp + 50n) / 100n;
  const negative = rounded < 0n;
  const text = (negative ? -rounded : rounded).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${text.slice(0, -2)}.${text.slice(-2)}`;
}

export async function realisedView() {
  const params = hashQuery();
  const me = session.me();
  const members = await membersById();
  const from = h('input', { type: 'date', value: params.get('du') || '' });
  const to = h('input', { type: 'date', value: params.get('au') || '' });
  const ownMember = me.member_id !== null && me.member_id !== undefined;
  const member = h('select', { disabled: ownMember },
    h('option', { value: '' }, 'tous les membres'),
    Object.values(members).map((m) => h('option', { value: m.id, selected: String(m.id) === (params.get('membre') || String(ownMember ? me.member_id : '')) }, m.code)));
  // The query of the API from the address (the filters applied), never from fields being typed.
  const query = new URLSearchParams();
  if (params.get('du')) query.set('from', params.get('du'));
  if (params.get('au')) query.set('to', params.get('au'));
  if (params.get('membre')) query.set('member_id', params.get('membre'));
  const report = await api('GET', `/v1/reports/savings/realised${query.toString() ? `?${query}` : ''}`).catch((error) => {
    if (error.status === 404 && !error.code?.startsWith('member')) return null;  // a server without the report yet
    throw error;
  });
  if (!report) {
    return h('section', {}, h('h1', {}, 'Gains réalisés et gains prévus'),
      h('p', { class: 'notice', role: 'status' }, 'Le calcul des gains réalisés n’est pas encore disponible sur ce serveur.'));
  }
  const apply = (event) => {
    event.preventDefault();
    applyFilters('#/gains/realises', { du: from.value, au: to.value, membre: ownMember ? '' : member.value });
  };
  const name = (id, fallbackName) => members[id]?.code || fallbackName || `membre n° ${id}`;
  const byMember = report.by_member || [];
  const lines = report.lines || [];
  // By month: the realised and paid sums of the lines of each month.
  const monthKeys = [...new Set(lines.map((l) => l.month))].sort();
  const byMonth = monthKeys.map((month) => {
    const of = lines.filter((l) => l.month === month);
    return { month, realised: sumDecimals(of.map((l) => l.realised)), paid: sumDecimals(of.map((l) => l.paid)) };
  });
  const projected = sumDecimals(byMember.map((m) => m.projected));
  const realised = sumDecimals(byMember.map((m) => m.realised));
  const totalRatio = ratio(realised, projected);
  return h('section', {},
    h('h1', {}, 'Gains réalisés et gains prévus'),
    h('p', { class: 'hint' }, 'Gains réalisés : pour chaque ligne de bon de commande livrée, la quantité livrée au prix de référence du membre moins au prix payé. Gains prévus : ceux calculés à l’attribution, sur la durée des marchés.'),
    notAppliedHint(h('form', { class: 'card filters', onsubmit: apply },
      h('div', { class: 'row' }, field('Livraisons depuis le', from, { name: 'from' }), field('jusqu’au', to, { name: 'to' }), field('Membre', member, { name: 'member_id' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Appliquer')))),
    h('div', { class: 'kpis' },
      [['Gains prévus', euros(projected)], ['Gains réalisés', euros(realised)], ['Part réalisée', totalRatio === null ? '—' : percent(totalRatio)]]
        .map(([title, value]) => h('div', { class: 'kpi' }, h('span', {}, title), h('strong', {}, value)))),
    h('div', { class: 'charts' },
      barChart('Gains prévus et réalisés, par membre', byMember.map((m) => name(m.member_id, m.member_name)), [
        { label: 'Prévus', data: byMember.map((m) => Number(m.projected)), backgroundColor: '#9aa9bc' },
        { label: 'Réalisés', data: byMember.map((m) => Number(m.realised)), backgroundColor: '#2e7d4f' }]),
      barChart('Gains réalisés par mois', byMonth.map((m) => monthLabel(m.month)), [
        { label: 'Réalisés', data: byMonth.map((m) => Number(m.realised)), backgroundColor: '#2e7d4f' },
        { label: 'Payés', data: byMonth.map((m) => Number(m.paid)), backgroundColor: '#1f5c8a' }])),
    table([
      { label: 'Membre', cell: (m) => m.label ?? name(m.member_id, m.member_name) },
      { label: 'Gains prévus', numeric: true, cell: (m) => euros(m.projected) },
      { label: 'Gains réalisés', numeric: true, cell: (m) => euros(m.realised) },
      { label: 'Part réalisée', numeric: true, cell: (m) => { const r = ratio(m.realised, m.projected); return r === null ? '—' : percent(r); } },
    ], [...byMember, ...(byMember.length ? [{ label: 'Total', projected, realised }] : [])],
    { caption: 'Par membre', empty: 'Aucun gain prévu ni réalisé pour ces filtres.' }),
    table([
      { label: 'Mois', cell: (l) => monthLabel(l.month) },
      { label: 'Membre', cell: (l) => name(l.member_id, l.member_name) },
      { label: 'Catégorie (division CPV)', cell: (l) => l.cpv_division || '—' },
      { label: 'Gains réalisés', numeric: true, cell: (l) => euros(l.realised) },
      { label: 'dont payés', numeric: true, cell: (l) => euros(l.paid) },
    ], lines, { caption: 'Par mois, membre et catégorie', empty: 'Aucune livraison dans la période.' }));
}
