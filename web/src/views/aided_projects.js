// Projets aidés (CGLLS) — issue 19 items 6 and 7: the projects the CGLLS Fonds de
// soutien à l'innovation funds, with their status, the subsidy projected and granted,
// a form to record one with its first expense, expenses added while planned, and the
// dated steps (request, grant, payment, refusal, abandonment), each confirmed first.
// Only a granted subsidy counts in net savings; the rest is shown apart as projected.
import { api, apiAll } from '../api.js';
import { h, field, table, button } from '../dom.js';
import { date, euros, percent, toApiDecimal, parisDay, sumDecimals } from '../format.js';
import { showErrors } from './show_errors.js';

export const aidKinds = {
  study: 'étude',
  assistance: 'assistance',
  engineering: 'ingénierie',
  digital_tool: 'outil numérique',
  other: 'autre',
};
const limits = { rate: 'le taux', project_cap: 'le plafond du projet', member_cap: 'le plafond glissant d’un membre' };

// The steps each status allows, with the question asked before recording one.
const steps = {
  planned: [['request', 'Demander', 'Enregistrer la demande de subvention'], ['abandon', 'Abandonner', 'Abandonner le projet']],
  requested: [['grant', 'Accorder', 'Enregistrer l’accord de la CGLLS'], ['refuse', 'Refusé', 'Enregistrer le refus de la CGLLS'],
    ['abandon', 'Abandonner', 'Abandonner le projet']],
  granted: [['pay', 'Versé', 'Enregistrer le versement'], ['abandon', 'Abandonner', 'Abandonner le projet']],
};

function projectCard(p, codes, reload) {
  const s = p.subsidy;
  const counted = s.counted === 'granted'
    ? `Subvention accordée : ${euros(s.granted)} (comptée dans les gains nets)`
    : s.counted === 'projected' ? `Subvention projetée : ${euros(s.projected)} (à part, hors gains nets)` : 'Aucune subvention comptée';
  const expenses = table([
    { label: 'Dépense', cell: (e) => e.label },
    { label: 'Membre', cell: (e) => codes[e.member_id] || e.member_id },
    { label: 'HT', cell: (e) => euros(e.amount_ht) },
    { label: 'TVA', cell: (e) => euros(e.vat) },
    { label: 'TVA récupérable', cell: (e) => (e.vat_recoverable ? 'oui (assiette HT)' : 'non (assiette TTC)') },
    { label: 'Assiette', cell: (e) => euros(e.eligible_base) },
  ], p.expenses, { caption: 'Dépenses éligibles', empty: 'Aucune dépense.' });
  const members = table([
    { label: 'Membre', cell: (m) => codes[m.member_id] || m.member_id },
    { label: 'Assiette', cell: (m) => euros(m.eligible_base) },
    { label: 'Projetée', cell: (m) => euros(m.projected) },
    { label: 'Accordée', cell: (m) => (m.granted === null ? '—' : euros(m.granted)) },
  ], p.members, { caption: 'Répartition entre les membres' });

  const general = h('p', { class: 'error', role: 'alert' });
  const on = h('input', { type: 'date', value: parisDay() });
  const amount = h('input', { type: 'text', inputmode: 'decimal', placeholder: 'ex. 5 000,00' });
  const stepForm = h('form', { class: 'row', onsubmit: (event) => event.preventDefault() },
    field('Date de l’étape', on, { name: 'on' }),
    p.status === 'requested' ? field('Montant accordé (€)', amount, { name: 'amount' }) : null,
    ...(steps[p.status] || []).map(([action, text, question]) => button(text, async () => {
      const what = action === 'grant' ? `${question} de ${amount.value} € le ${date(on.value)} ?` : `${question} le ${date(on.value)} ?`;
      if (!confirm(what)) return;
      const body = { on: on.value };
      if (action === 'grant') body.amount = toApiDecimal(amount.value);
      try {
        await api('POST', `/v1/aided-projects/${p.id}/${action}`, body, { headers: { 'If-Match': `"v${p.version}"` } });
        reload();
      } catch (error) {
        showErrors(stepForm, error, general);
      }
    })));

  let expenseForm = null;
  if (p.status === 'planned') {
    const e = {
      member: h('select', {}, p.members.map((m) => h('option', { value: m.member_id }, codes[m.member_id] || m.member_id))),
      label: h('input', { type: 'text', maxlength: 200 }),
      ht: h('input', { type: 'text', inputmode: 'decimal' }),
      vat: h('input', { type: 'text', inputmode: 'decimal', value: '20' }),
      recoverable: h('input', { type: 'checkbox' }),
    };
    const expenseGeneral = h('p', { class: 'error', role: 'alert' });
    expenseForm = h('form', {
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          await api('POST', `/v1/aided-projects/${p.id}/expenses`, {
            member_id: Number(e.member.value), label: e.label.value, amount_ht: toApiDecimal(e.ht.value),
            vat_rate: toApiDecimal(e.vat.value), vat_recoverable: e.recoverable.checked,
          }, { headers: { 'If-Match': `"v${p.version}"` } });
          reload();
        } catch (error) {
          showErrors(expenseForm, error, expenseGeneral);
        }
      },
    }, h('div', { class: 'row' }, field('Membre qui porte la dépense', e.member, { name: 'member_id' }),
      field('Libellé de la dépense', e.label, { name: 'label' }), field('Montant HT (€)', e.ht, { name: 'amount_ht' }),
      field('Taux de TVA (%)', e.vat, { name: 'vat_rate' }), field('TVA récupérable', e.recoverable, { name: 'vat_recoverable' })),
    expenseGeneral, h('button', { type: 'submit', class: 'secondary' }, 'Ajouter la dépense'));
  }

  return h('article', { class: 'card aided-project', 'data-project': p.id },
    h('h2', {}, `${p.title} — ${p.status_label}`),
    h('p', {}, `${aidKinds[p.kind] || p.kind} · ${p.collective ? 'action inter-organismes' : 'action individuelle'} · prévu le ${date(p.planned_on)}`,
      p.requested_on ? ` · demandé le ${date(p.requested_on)}` : '',
      p.granted_on ? ` · accordé le ${date(p.granted_on)}` : '',
      p.paid_on ? ` · versé le ${date(p.paid_on)}` : '',
      p.closed_on ? ` · clos le ${date(p.closed_on)}` : ''),
    h('p', { class: 'subsidy' }, `Assiette ${euros(s.eligible_base)} × ${percent(s.rate)} = ${euros(s.at_rate)} ; projetée ${euros(s.projected)} (limitée par ${limits[s.limited_by] || s.limited_by}). `,
      h('strong', {}, counted)),
    members, expenses, expenseForm,
    (steps[p.status] || []).length ? stepForm : null, general);
}

export async function aidedProjectsView() {
  const [projects, members] = await Promise.all([apiAll('/v1/aided-projects'), apiAll('/v1/members')]);
  const codes = Object.fromEntries(members.items.map((m) => [m.id, m.code]));
  const reload = () => location.reload();
  // Exact sums of the API's decimal strings (never floating point).
  const sum = (counted, key) => sumDecimals(['0.00', ...projects.items.filter((p) => p.subsidy.counted === counted).map((p) => p.subsidy[key])]);
  const projected = sum('projected', 'projected');
  const granted = sum('granted', 'granted');
  const list = table([
    { label: 'Projet', cell: (p) => p.title },
    { label: 'Nature', cell: (p) => aidKinds[p.kind] || p.kind },
    { label: 'Membres', cell: (p) => p.members.map((m) => codes[m.member_id] || m.member_id).join(', ') },
    { label: 'Statut', cell: (p) => p.status_label },
    { label: 'Taux', cell: (p) => percent(p.subsidy.rate) },
    { label: 'Projetée', cell: (p) => euros(p.subsidy.projected) },
    { label: 'Accordée', cell: (p) => (p.subsidy.granted === null ? '—' : euros(p.subsidy.granted)) },
  ], projects.items, { caption: 'Projets aidés', empty: 'Aucun projet aidé.' });

  const c = {
    title: h('input', { type: 'text', maxlength: 200 }),
    kind: h('select', {}, Object.entries(aidKinds).map(([v, t]) => h('option', { value: v }, t))),
    members: h('select', { multiple: true, size: Math.min(6, members.items.length || 1) },
      members.items.filter((m) => m.active !== false).map((m) => h('option', { value: m.id }, m.code))),
    collective: h('input', { type: 'checkbox' }),
    planned_on: h('input', { type: 'date', value: parisDay() }),
  };
  const general = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'card',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api('POST', '/v1/aided-projects', {
          title: c.title.value, kind: c.kind.value, collective: c.collective.checked, planned_on: c.planned_on.value,
          members: [...c.members.selectedOptions].map((o) => Number(o.value)),
        });
        reload();
      } catch (error) {
        showErrors(form, error, general);
      }
    },
  }, h('h2', {}, 'Nouveau projet aidé'),
  h('div', { class: 'row' }, field('Intitulé du projet', c.title, { name: 'title' }), field('Nature', c.kind, { name: 'kind' }),
    field('Date prévue', c.planned_on, { name: 'planned_on' })),
  h('div', { class: 'row' }, field('Membres du projet', c.members, { name: 'members', hint: 'Ctrl ou Cmd pour en choisir plusieurs' }),
    field('Action inter-organismes (taux collectif)', c.collective, { name: 'collective' })),
  general, h('button', { type: 'submit' }, 'Enregistrer le projet'));

  return h('section', {}, h('h1', {}, 'Projets aidés (CGLLS)'),
    h('p', {}, 'Seule la subvention accordée compte dans les gains nets ; les projets prévus ou demandés sont montrés à part, comme projetés. ',
      'Taux collectif pour une action inter-organismes, individuel sinon ; plafonds par projet et par organisme selon les réglages du réseau.'),
    h('p', { class: 'kpi-line' }, `Accordée : ${euros(granted)} · Projetée : ${euros(projected)}`),
    h('div', { class: 'card' }, list),
    ...projects.items.map((p) => projectCard(p, codes, reload)),
    form);
}
