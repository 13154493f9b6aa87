// Responsible-purchasing figures (« Achats responsables (SPASER) ») per member and year:
// contracts with environmental and social considerations, awarded to SMEs, reserved
// (L2113-12, L2113-13, L2113-15), and whether the year's purchases are above the SPASER
// threshold (L2111-3: « supérieur à » 50 M€ HT, D2111-3). The filters live in the address.
import { api, session } from '../api.js';
import { h, field, table } from '../dom.js';
import { euros, percent } from '../format.js';
import { membersById } from './officer.js';
import { hashQuery, applyFilters, notAppliedHint } from '../address.js';
import { downloadButtons } from '../downloads.js';

export async function spaserView() {
  const me = session.me();
  const params = hashQuery();
  const members = await membersById();
  const ownMember = me.member_id !== null && me.member_id !== undefined;
  const year = h('input', { type: 'number', min: 1900, max: 2999, step: 1, value: params.get('annee') || '' });
  const member = h('select', { disabled: ownMember },
    h('option', { value: '' }, 'tous les membres'),
    Object.values(members).map((m) => h('option', { value: m.id, selected: String(m.id) === (params.get('membre') || String(ownMember ? me.member_id : '')) }, m.code)));
  const query = new URLSearchParams();
  if (params.get('annee')) query.set('year', params.get('annee'));
  if (params.get('membre') && !ownMember) query.set('member_id', params.get('membre'));
  const suffix = query.toString() ? `?${query}` : '';
  const report = await api('GET', `/v1/reports/spaser${suffix}`);
  const apply = (event) => {
    event.preventDefault();
    applyFilters('#/achats-responsables', { annee: year.value, membre: ownMember ? '' : member.value });
  };
  const share = (key) => ({ label: { environmental: 'Environnement', social: 'Social', sme: 'PME', reserved: 'Réservés' }[key], numeric: true,
    cell: (r) => h('span', {}, `${r[key].count} marché${r[key].count > 1 ? 's' : ''}`, h('br'),
      `${percent(r[key].count_percent)} en nombre`, h('br'), `${percent(r[key].amount_percent)} en montant`) });
  return h('section', {},
    h('h1', {}, 'Achats responsables (SPASER)'),
    h('p', { class: 'hint' }, `Par membre et par année civile (notification du marché, sinon décision d’attribution), montants hors taxes. Le schéma est obligatoire au-delà de ${euros(report.parameters.threshold_ht)} HT d’achats annuels (L2111-3 « supérieur à », D2111-3) ; seuls les achats passés par Canopée sont comptés ici.`),
    notAppliedHint(h('form', { class: 'card filters', onsubmit: apply },
      h('div', { class: 'row' }, field('Année', year, { name: 'year' }), field('Membre', member, { name: 'member_id' })),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Appliquer')))),
    table([
      { label: 'Membre', cell: (r) => members[r.member_id]?.code || r.member_name },
      { label: 'Année', cell: (r) => String(r.year) },
      { label: 'Marchés', numeric: true, cell: (r) => String(r.contracts) },
      { label: 'Montant HT', numeric: true, cell: (r) => euros(r.amount_ht) },
      share('environmental'), share('social'), share('sme'), share('reserved'),
      { label: 'SPASER obligatoire', cell: (r) => (r.spaser_mandatory ? 'oui' : 'non') },
    ], report.rows, { caption: 'Par membre et par année', empty: 'Aucun marché pour ces filtres.' }),
    downloadButtons(`/v1/reports/spaser${suffix}`, 'achats-responsables', { id: 'spaser' }));
}
