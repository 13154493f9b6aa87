// "Seuils et saucissonnage": the year's value per homogeneous family (CPV class) per
// member and for the joint tenders, against the thresholds (R2121-6, R2121-7), and
// the form recording a purchase made outside the joint tenders.
import { api, apiAll, session } from '../api.js';
import { h, field, scrolling } from '../dom.js';
import { euros, date, toApiDecimal } from '../format.js';
import { membersById } from './officer.js';
import { showErrors } from './show_errors.js';
import { hashQuery, applyFilters, notAppliedHint } from '../address.js';

const procedures = {
  no_competition: 'sans publicité ni mise en concurrence',
  adapted: 'procédure adaptée (MAPA)',
  formal: 'procédure formalisée',
};

function reportTable(report, members) {
  const head = h('tr', {}, ['Périmètre', 'Famille CPV', 'Consultations groupées', 'Achats hors consultation', 'Total',
    'Seuils en vigueur', 'Procédure exigée', 'Alerte'].map((t, i) => h('th', { scope: 'col', class: i >= 2 && i <= 4 ? 'num' : '' }, t)));
  const rows = report.rows.map((r) => {
    const who = r.scope !== 'joint' ? (members[r.member_id]?.code || `membre ${r.member_id}`)
      : r.grouping_key.startsWith('groupement:') ? `Consultations du groupement n° ${r.grouping_key.slice(11)}`
        : 'Consultations groupées du réseau';
    const t = r.thresholds;
    return h('tr', { class: r.alert ? 'splitting-alert' : '', 'data-family': r.family, 'data-scope': r.scope },
      h('td', {}, who),
      h('td', {}, r.family.slice(0, 4), r.family_label ? h('small', { class: 'hint' }, ` ${r.family_label}`) : null),
      h('td', { class: 'num' }, euros(r.joint_value)),
      h('td', { class: 'num' }, euros(r.standalone_value)),
      h('td', { class: 'num' }, h('strong', {}, euros(r.total))),
      h('td', {}, `dispense sous ${euros(t.no_competition)} ; seuil européen ${euros(t.eu)} (au ${date(t.date)})`),
      h('td', {}, procedures[r.required_procedure] || r.required_procedure),
      h('td', {}, r.alert ? h('p', { class: 'warnings', role: 'alert' }, h('strong', {}, `${r.alert.article} — `), r.alert.message) : '—'));
  });
  const body = rows.length ? rows : [h('tr', {}, h('td', { colspan: 8, class: 'empty' }, 'Aucun achat ni consultation pour cette année.'))];
  return scrolling(h('table', { id: 'tableau-saucissonnage' },
    h('caption', {}, `Année ${report.year} : ${report.alerts} alerte(s)`), h('thead', {}, head), h('tbody', {}, body)));
}

function purchaseForm(me, members, year, onSaved) {
  const controls = {
    member_id: h('select', { disabled: me.role === 'buyer' },
      Object.values(members).map((m) => h('option', { value: m.id, selected: m.id === me.member_id }, m.code))),
    cpv: h('input', { type: 'text', placeholder: '30192000-1', maxlength: 10, size: 12 }),
    label: h('input', { type: 'text', maxlength: 300 }),
    amount: h('input', { type: 'text', inputmode: 'decimal' }),
    purchased_on: h('input', { type: 'date', value: `${year}-01-01` }),
    supplier_name: h('input', { type: 'text', maxlength: 200 }),
    supplier_reference: h('input', { type: 'text', maxlength: 200 }),
  };
  const general = h('p', { class: 'error', role: 'alert' });
  const saved = h('p', { class: 'notice', role: 'status' });
  const form = h('form', {
    class: 'card', 'aria-labelledby': 'titre-achat',
    onsubmit: async (event) => {
      event.preventDefault();
      const body = {
        cpv: controls.cpv.value.trim(), label: controls.label.value, amount: toApiDecimal(controls.amount.value),
        purchased_on: controls.purchased_on.value,
      };
      if (me.role !== 'buyer') body.member_id = Number(controls.member_id.value);
      if (controls.supplier_name.value.trim()) body.supplier_name = controls.supplier_name.value.trim();
      if (controls.supplier_reference.value.trim()) body.supplier_reference = controls.supplier_reference.value.trim();
      try {
        const created = await api('POST', '/v1/standalone-purchases', body);
        showErrors(form, { fields: [], message: '' }, general);
        saved.textContent = `Achat n° ${created.id} enregistré : ${euros(created.amount)} HT, famille CPV ${created.family.slice(0, 4)}.`;
        await onSaved();
      } catch (error) {
        saved.textContent = '';
        showErrors(form, error, general);
      }
    },
  },
  h('h2', { id: 'titre-achat' }, 'Enregistrer un achat hors consultation groupée'),
  h('p', { class: 'hint' }, 'Un bon de commande ou un marché passé seul par le membre : il compte dans la valeur de sa famille pour l’année.'),
  h('div', { class: 'row' }, field('Membre', controls.member_id, { name: 'member_id' }), field('Code CPV', controls.cpv, { name: 'cpv' }),
    field('Libellé', controls.label, { name: 'label' })),
  h('div', { class: 'row' }, field('Montant HT (€)', controls.amount, { name: 'amount' }),
    field('Date de commande', controls.purchased_on, { name: 'purchased_on' })),
  h('div', { class: 'row' }, field('Fournisseur', controls.supplier_name, { name: 'supplier_name' }),
    field('Référence', controls.supplier_reference, { name: 'supplier_reference' })),
  general, saved,
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Enregistrer l’achat')));
  return form;
}

export async function splittingView() {
  const params = hashQuery();
  const me = session.me();
  const members = await membersById();
  const year = /^\d{4}$/.test(params.get('annee') || '') ? params.get('annee') : String(new Date().getFullYear());
  const yearInput = h('input', { type: 'number', min: 2024, max: 2099, value: year });
  const scoped = me.member_id !== null && me.member_id !== undefined;
  const member = h('select', { disabled: scoped },
    h('option', { value: '' }, 'tous les membres'),
    Object.values(members).map((m) => h('option', { value: m.id, selected: String(m.id) === (params.get('membre') || (scoped ? String(me.member_id) : '')) }, m.code)));
  const apply = () => {
    applyFilters('#/seuils', { annee: yearInput.value, membre: scoped ? '' : member.value });
  };
  const container = h('div', {});
  const purchases = h('div', {});
  const load = async () => {
    const q = new URLSearchParams({ year });
    if (params.get('membre') && !scoped) q.set('member_id', params.get('membre'));
    const report = await api('GET', `/v1/reports/splitting?${q}`);
    container.replaceChildren(reportTable(report, members));
    const list = await apiAll(`/v1/standalone-purchases?${q}`);
    purchases.replaceChildren(h('h2', {}, `Achats hors consultation groupée en ${year}`),
      list.items.length
        ? h('ul', { id: 'achats-hors-consultation' }, list.items.map((p) => h('li', {},
          `${date(p.purchased_on)} — ${members[p.member_id]?.code || p.member_id} — ${p.cpv} ${p.label} : ${euros(p.amount)} HT`,
          p.status === 'cancelled' ? ` (annulé : ${p.cancel_reason})` : cancelForm(p))))
        : h('p', { class: 'empty' }, 'Aucun achat enregistré.'));
  };
  // An officer, or the member’s buyer on the day it was recorded, cancels a purchase with a reason (audited); it then no longer counts.
  const parisDay = (instant) => new Date(instant).toLocaleDateString('fr-CA', { timeZone: 'Europe/Paris' });
  const cancelForm = (p) => {
    if (!['buyer', 'officer'].includes(me.role)) return null;
    // A buyer corrects a typing mistake the same day; later, an officer cancels (R2121-6, R2121-7).
    if (me.role === 'buyer' && parisDay(p.created_at) !== parisDay(Date.now())) {
      return h('small', { class: 'hint' }, ' — annulation par l’acheteur du réseau uniquement');
    }
    const reason = h('input', { type: 'text', maxlength: 2000 });
    const general = h('p', { class: 'error', role: 'alert' });
    const form = h('form', {
      class: 'inline',
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          await api('POST', `/v1/standalone-purchases/${p.id}/cancel`, { reason: reason.value }, { headers: { 'If-Match': `"v${p.version}"` } });
          await load();
        } catch (error) {
          showErrors(form, error, general);
        }
      },
    }, field(`Motif d’annulation de l’achat n° ${p.id}`, reason, { name: 'reason' }),
    h('button', { type: 'submit', class: 'secondary' }, 'Annuler l’achat'), general);
    return form;
  };
  await load();
  return h('section', {},
    h('h1', {}, 'Seuils et saucissonnage'),
    h('p', {}, 'Découper un besoin pour rester sous un seuil est interdit. La valeur estimée compte toutes les fournitures ou ' +
      'services homogènes d’une même famille (classe CPV, 4 premiers chiffres — R2121-6) sur l’année civile (R2121-7) : ' +
      'les consultations groupées de l’année et les achats passés seuls par chaque membre. Une ligne en alerte a été ' +
      'passée selon une procédure plus légère que celle qu’exige le total.'),
    notAppliedHint(h('form', { class: 'card filters', onsubmit: (e) => { e.preventDefault(); apply(); } },
      h('div', { class: 'row' }, field('Année', yearInput), field('Membre', member)),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Afficher'))), 'Afficher'),
    container,
    ['buyer', 'officer'].includes(me.role) ? purchaseForm(me, members, year, load) : null,
    purchases);
}
