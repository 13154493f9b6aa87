// Budget and accounting codes (« Codes budgétaires »): a member's finance users keep the
// member's nature and analytic codes; and the finance exports by code (« Engagements et
// réalisé »): commitments (orders sent), realised spend (orders invoiced), the contracts'
// amounts not yet ordered, HT, with CSV/XLSX downloads of the same figures. The export
// filters live in the address.
import { api, session } from '../api.js';
import { h, field, table, button } from '../dom.js';
import { euros } from '../format.js';
import { showErrors } from './show_errors.js';
import { toast } from '../toast.js';
import { membersById } from './officer.js';
import { hashQuery, applyFilters, notAppliedHint } from '../address.js';
import { downloadButtons } from '../downloads.js';

const kindLabels = { nature: 'nature (compte)', analytic: 'analytique' };

function memberSelect(members, selected, { disabled = false, all = true } = {}) {
  return h('select', { disabled },
    all ? h('option', { value: '' }, 'tous les membres') : null,
    Object.values(members).map((m) => h('option', { value: m.id, selected: String(m.id) === String(selected || '') }, m.code)));
}

export async function budgetCodesView() {
  const me = session.me();
  const params = hashQuery();
  const members = await membersById();
  const ownMember = me.member_id !== null && me.member_id !== undefined;
  const memberId = ownMember ? me.member_id : (params.get('membre') || '');
  const manage = me.role === 'finance' || me.role === 'admin';
  const codes = memberId || ownMember
    ? (await api('GET', `/v1/budget-codes${ownMember ? '' : `?member_id=${memberId}`}`)).items
    : [];
  const member = memberSelect(members, memberId, { disabled: ownMember, all: false });
  const choose = h('form', { class: 'card filters', onsubmit: (event) => {
    event.preventDefault();
    applyFilters('#/budget/codes', { membre: member.value });
  } }, h('div', { class: 'row' }, field('Membre', member, { name: 'member_id' })),
  ownMember ? null : h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Afficher')));

  const kind = h('select', {}, Object.entries(kindLabels).map(([value, text]) => h('option', { value }, text)));
  const code = h('input', { type: 'text', maxlength: 40, autocomplete: 'off' });
  const label = h('input', { type: 'text', maxlength: 200 });
  const general = h('p', { class: 'error', role: 'alert' });
  const add = h('form', { class: 'card', id: 'nouveau-code', onsubmit: async (event) => {
    event.preventDefault();
    try {
      await api('POST', '/v1/budget-codes', {
        ...(ownMember ? {} : { member_id: Number(member.value) }), kind: kind.value, code: code.value, label: label.value,
      });
      toast(`Code ${code.value.trim()} ajouté.`);
      location.hash = `#/budget/codes?membre=${member.value}&ajout=${Date.now()}`;
    } catch (error) {
      showErrors(add, error, general);
    }
  } },
  h('h2', {}, 'Ajouter un code'),
  h('div', { class: 'row' }, field('Type', kind, { name: 'kind' }), field('Code', code, { name: 'code', hint: 'ex. 6152, PROG-2027' }),
    field('Libellé', label, { name: 'label' })),
  general,
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Ajouter')));

  const toggle = (c) => button(c.active ? 'Désactiver' : 'Réactiver', async () => {
    await api('PATCH', `/v1/budget-codes/${c.id}`, { active: !c.active }, { headers: { 'If-Match': `"v${c.version}"` } });
    toast(`Code ${c.code} ${c.active ? 'désactivé' : 'réactivé'}.`);
    location.hash = `#/budget/codes?membre=${member.value}&maj=${Date.now()}`;
  }, { class: 'secondary' });

  return h('section', {},
    h('h1', {}, 'Codes budgétaires'),
    h('p', { class: 'hint' }, 'Les codes de nature (plan de comptes) et analytiques (programme, groupe d’immeubles) du membre. Un code n’est jamais supprimé : il se désactive, les besoins et bons de commande qui le portent le gardent.'),
    choose,
    table([
      { label: 'Type', cell: (c) => kindLabels[c.kind] || c.kind },
      { label: 'Code', cell: (c) => c.code },
      { label: 'Libellé', cell: (c) => c.label },
      { label: 'État', cell: (c) => (c.active ? 'actif' : 'désactivé') },
      ...(manage ? [{ label: '', cell: (c) => toggle(c) }] : []),
    ], codes, { caption: 'Codes du membre', empty: memberId || ownMember ? 'Aucun code pour ce membre.' : 'Choisissez un membre.' }),
    manage && (memberId || ownMember) ? add : null);
}

export async function budgetExportsView() {
  const me = session.me();
  const params = hashQuery();
  const members = await membersById();
  const ownMember = me.member_id !== null && me.member_id !== undefined;
  const from = h('input', { type: 'date', value: params.get('du') || '' });
  const to = h('input', { type: 'date', value: params.get('au') || '' });
  const member = memberSelect(members, ownMember ? me.member_id : params.get('membre'), { disabled: ownMember });
  const query = new URLSearchParams();
  if (params.get('du')) query.set('from', params.get('du'));
  if (params.get('au')) query.set('to', params.get('au'));
  if (params.get('membre') && !ownMember) query.set('member_id', params.get('membre'));
  const suffix = query.toString() ? `?${query}` : '';
  const [commitments, spend] = await Promise.all([
    api('GET', `/v1/reports/budget/commitments${suffix}`), api('GET', `/v1/reports/budget/spend${suffix}`)]);
  const apply = (event) => {
    event.preventDefault();
    applyFilters('#/budget', { du: from.value, au: to.value, membre: ownMember ? '' : member.value });
  };
  const codeCell = (code, text) => (code ? `${code}${text ? ` — ${text}` : ''}` : 'sans code');
  const columns = (amountLabel) => [
    { label: 'Membre', cell: (r) => (r.member_id ? members[r.member_id]?.code || r.member_name : r.member_name) },
    { label: 'Nature', cell: (r) => codeCell(r.budget_nature, r.nature_label) },
    { label: 'Analytique', cell: (r) => codeCell(r.budget_analytic, r.analytic_label) },
    { label: `${amountLabel} HT`, numeric: true, cell: (r) => euros(r.amount_ht) },
    { label: `${amountLabel} TTC`, numeric: true, cell: (r) => euros(r.amount_ttc) },
    { label: 'dont payé HT', numeric: true, cell: (r) => euros(r.paid_ht) },
    { label: 'dont payé TTC', numeric: true, cell: (r) => euros(r.paid_ttc) },
    { label: 'Lignes', numeric: true, cell: (r) => String(r.lines) },
  ];
  const downloads = (report, id) => downloadButtons(`/v1/reports/budget/${report}${suffix}`, report, { id });
  const withTotal = (report) => [...report.rows,
    ...(report.rows.length ? [{ member_name: 'Total', ...report.totals, budget_nature: '', budget_analytic: '' }] : [])];
  return h('section', {},
    h('h1', {}, 'Engagements et réalisé'),
    h('p', { class: 'hint' }, 'Montants hors taxes et TTC (chaque ligne au taux de TVA de son lot), par code de nature et code analytique du membre. Engagements : lignes des bons envoyés dans la période. Réalisé : lignes des bons facturés dans la période.'),
    notAppliedHint(h('form', { class: 'card filters', onsubmit: apply },
      h('div', { class: 'row' }, field('Du', from, { name: 'from' }), field('au', to, { name: 'to' }), field('Membre', member, { name: 'member_id' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Appliquer')))),
    h('h2', {}, 'Engagements'),
    table(columns('Engagé'), withTotal(commitments), { caption: 'Engagements par code', empty: 'Aucun bon envoyé dans la période.' }),
    downloads('commitments', 'engagements'),
    h('h2', {}, 'Non encore commandé (à part)'),
    table([
      { label: 'Membre', cell: (u) => members[u.member_id]?.code || u.member_name },
      { label: 'Marché', cell: (u) => `${u.tender_reference} — lot ${u.lot_number} (${u.supplier})` },
      { label: 'Montant du marché HT', numeric: true, cell: (u) => euros(u.contract_amount_ht) },
      { label: 'Commandé HT', numeric: true, cell: (u) => euros(u.ordered_ht) },
      { label: 'Non encore commandé HT', numeric: true, cell: (u) => euros(u.not_yet_ordered_ht) },
      { label: 'Non encore commandé TTC', numeric: true, cell: (u) => euros(u.not_yet_ordered_ttc) },
    ], commitments.not_yet_ordered || [], { caption: 'Montants des marchés non encore commandés', empty: 'Aucun accord-cadre.' }),
    downloads('unordered', 'non-commande'),
    h('h2', {}, 'Réalisé'),
    table(columns('Facturé'), withTotal(spend), { caption: 'Réalisé par code', empty: 'Aucun bon facturé dans la période.' }),
    downloads('spend', 'realise'));
}
