// The groupements de commandes (L2113-6 to L2113-8): the conventions, a form to record
// one, and a form to record a member's signature. The tender page shows its groupement
// with groupementLine.
import { api, apiAll } from '../api.js';
import { h, field, table } from '../dom.js';
import { date } from '../format.js';
import { showErrors } from './show_errors.js';

export const missions = {
  procedure: 'la procédure jusqu’à l’attribution',
  notification: 'jusqu’à la signature et la notification',
  execution: 'aussi l’exécution',
};
export const costKeys = {
  contract_value: 'au prorata de la valeur des marchés',
  quantity: 'au prorata des quantités',
  equal: 'à parts égales',
  fixed: 'parts fixées par coût',
};

function membersLine(g) {
  return g.members.map((m) => `${m.code}${m.coordinator ? ' (coordonnateur)' : ''} — signé le ${date(m.signed_on)}`).join(' · ');
}

// The tender's groupement and its members, for the tender page.
export function groupementLine(tender) {
  const g = tender.groupement;
  if (!g) return null;
  return h('section', { class: 'groupement', id: 'groupement' },
    h('p', {}, h('strong', {}, `Groupement de commandes ${g.reference} — ${g.name}`),
      ` · coordonnateur : ${missions[g.mission] || g.mission} (L2113-7) · clé des frais communs : ${costKeys[g.cost_key] || g.cost_key}`),
    h('p', {}, `Membres (L2113-6) : ${membersLine(g)}`));
}

export async function groupementsView() {
  const [groupements, members] = await Promise.all([apiAll('/v1/groupements'), apiAll('/v1/members')]);
  // The active members, but those in `signed` (who already signed the chosen convention).
  const memberOptions = (signed = new Set()) => members.items.filter((m) => m.active !== false && !signed.has(m.id))
    .map((m) => h('option', { value: m.id }, m.code));
  const list = table([
    { label: 'Référence', cell: (g) => g.reference },
    { label: 'Nom', cell: (g) => g.name },
    { label: 'Mission du coordonnateur', cell: (g) => missions[g.mission] || g.mission },
    { label: 'Familles (CPV)', cell: (g) => g.scope.cpv_prefixes.join(', ') },
    { label: 'Période', cell: (g) => `${date(g.scope.start)} – ${date(g.scope.end)}` },
    { label: 'Clé des frais', cell: (g) => costKeys[g.cost_key] || g.cost_key },
    { label: 'Membres et signatures', cell: (g) => membersLine(g) },
  ], groupements.items, { caption: 'Conventions enregistrées', empty: 'Aucun groupement enregistré.' });

  const c = {
    name: h('input', { type: 'text', maxlength: 200 }),
    reference: h('input', { type: 'text', maxlength: 50 }),
    coordinator: h('select', {}, memberOptions()),
    signed_on: h('input', { type: 'date' }),
    mission: h('select', {}, Object.entries(missions).map(([v, t]) => h('option', { value: v }, t))),
    prefixes: h('input', { type: 'text', placeholder: 'ex. 0931, 4481' }),
    start: h('input', { type: 'date' }),
    end: h('input', { type: 'date' }),
    cost_key: h('select', {}, Object.entries(costKeys).map(([v, t]) => h('option', { value: v }, t))),
  };
  const general = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'card',
    onsubmit: async (event) => {
      event.preventDefault();
      const body = {
        name: c.name.value, reference: c.reference.value, coordinator_member_id: Number(c.coordinator.value), mission: c.mission.value,
        scope: { cpv_prefixes: c.prefixes.value.split(/[,\s]+/).filter(Boolean), start: c.start.value, end: c.end.value },
        cost_key: c.cost_key.value,
        members: [{ member_id: Number(c.coordinator.value), signed_on: c.signed_on.value }],
      };
      try {
        await api('POST', '/v1/groupements', body);
        location.reload();
      } catch (error) {
        showErrors(form, error, general);
      }
    },
  }, h('h2', {}, 'Nouveau groupement'),
  h('div', { class: 'row' }, field('Nom du groupement', c.name, { name: 'name' }), field('Référence de la convention', c.reference, { name: 'reference' })),
  h('div', { class: 'row' }, field('Coordonnateur', c.coordinator, { name: 'coordinator_member_id' }),
    field('Signature du coordonnateur', c.signed_on, { name: 'members' }), field('Mission du coordonnateur', c.mission, { name: 'mission' })),
  h('div', { class: 'row' }, field('Familles couvertes (préfixes CPV)', c.prefixes, { name: 'scope.cpv_prefixes' }),
    field('Début de la période', c.start, { name: 'scope.start' }), field('Fin de la période', c.end, { name: 'scope.end' }),
    field('Clé de répartition des frais communs', c.cost_key, { name: 'cost_key' })),
  general, h('button', { type: 'submit' }, 'Enregistrer le groupement'));

  const s = {
    groupement: h('select', { onchange: () => offerUnsigned() }, groupements.items.map((g) => h('option', { value: g.id }, `${g.reference} — ${g.name}`))),
    member: h('select', {}),
    signed_on: h('input', { type: 'date' }),
    submit: h('button', { type: 'submit' }, 'Enregistrer la signature'),
  };
  // Only the members who have not signed the chosen convention yet.
  function offerUnsigned() {
    const chosen = groupements.items.find((g) => String(g.id) === s.groupement.value);
    const options = memberOptions(new Set((chosen?.members || []).map((m) => m.member_id)));
    s.member.replaceChildren(...(options.length ? options : [h('option', { value: '' }, 'tous les membres ont signé')]));
    s.member.disabled = s.submit.disabled = options.length === 0;
  }
  offerUnsigned();
  const signGeneral = h('p', { class: 'error', role: 'alert' });
  const signForm = h('form', {
    class: 'card',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api('POST', `/v1/groupements/${s.groupement.value}/members`, { member_id: Number(s.member.value), signed_on: s.signed_on.value });
        location.reload();
      } catch (error) {
        showErrors(signForm, error, signGeneral);
      }
    },
  }, h('h2', {}, 'Adhésion d’un membre'),
  h('p', { class: 'hint' }, 'Un membre qui signe la convention après le lancement d’une consultation ne peut pas en bénéficier (L2113-6).'),
  h('div', { class: 'row' }, field('Groupement', s.groupement), field('Membre adhérent', s.member, { name: 'member_id' }),
    field('Date de signature', s.signed_on, { name: 'signed_on' })),
  signGeneral, s.submit);

  return h('section', {}, h('h1', {}, 'Groupements de commandes'),
    h('p', {}, 'Conventions constitutives (L2113-6 à L2113-8) : les membres, leur date de signature, le coordonnateur et sa mission, le périmètre.'),
    h('div', { class: 'card' }, list), groupements.items.length ? signForm : null, form);
}
