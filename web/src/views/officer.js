// The officer's pages: the census of needs, the proposal builder, the tenders.
import { api, apiAll } from '../api.js';
import { h, field, table, button, scrolling } from '../dom.js';
import { euros, price, quantity, quantityWithUnit, date, label, toApiDecimal, parisDeadline } from '../format.js';
import { hashQuery } from '../address.js';
import { showErrors } from './show_errors.js';
import { searchBox, searchWords, matches } from '../search.js';

export async function membersById() {
  const page = await apiAll('/v1/members');
  return Object.fromEntries(page.items.map((m) => [m.id, m]));
}

export async function allNeedsView() {
  const [page, members] = await Promise.all([apiAll('/v1/needs?status=submitted'), membersById()]);
  const groups = new Map();
  for (const n of page.items) {
    const key = `${n.cpv} · dép. ${n.department}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(n);
  }
  const sections = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, needs]) => h('section', { class: 'group' },
    h('h2', {}, key, ' ', h('small', {}, `${new Set(needs.map((n) => n.member_id)).size} membre(s), ${needs.length} besoin(s)`)),
    table([
      { label: 'Membre', cell: (n) => members[n.member_id]?.code || n.member_id },
      { label: 'Intitulé', cell: (n) => n.title },
      { label: 'Quantité', numeric: true, cell: (n) => quantityWithUnit(n.quantity, n.unit) },
      { label: 'Prix de référence', numeric: true, cell: (n) => price(n.reference_unit_price) },
      { label: 'Période', cell: (n) => `${date(n.period_start)} – ${date(n.period_end)}` },
    ], needs)));
  return h('section', {}, h('h1', {}, 'Recensement des besoins soumis'),
    h('p', {}, 'Besoins de tous les membres, par code CPV et département. ', h('a', { href: '#/proposition' }, 'Construire une proposition de mutualisation →')),
    sections.length ? sections : h('p', { class: 'empty' }, 'Aucun besoin soumis.'));
}

const reasons = {
  single_member: 'un seul membre', incompatible_unit: 'unité incompatible', conflicting_attribute: 'caractéristique en conflit',
  outside_period: 'hors période du marché',
};
export const procedures = { no_competition: 'sans publicité ni mise en concurrence (R2122-8)', adapted: 'procédure adaptée (MAPA)', formal: "procédure formalisée (appel d'offres)" };
const publicities = { none: 'aucune', free: 'publicité adaptée libre', boamp_or_jal: 'BOAMP ou journal d’annonces légales', boamp_and_joue: 'BOAMP et JOUE' };
export const kinds = { supplies: 'fournitures', services: 'services', works: 'travaux' };

export function proposalView() {
  const controls = {
    cpv_prefix: h('input', { type: 'text', inputmode: 'numeric', placeholder: 'ex. 4481' }),
    departments: h('input', { type: 'text', placeholder: 'ex. 02, 51' }),
    cpv_depth: h('select', {}, [['code', 'code exact'], ['category', 'catégorie (5 chiffres)'], ['class', 'classe (4)'], ['group', 'groupe (3)'], ['division', 'division (2)']]
      .map(([v, t]) => h('option', { value: v }, t))),
    split_by_department: h('input', { type: 'checkbox' }),
    kind: h('select', {}, [['supplies', 'fournitures'], ['services', 'services'], ['works', 'travaux']].map(([v, t]) => h('option', { value: v }, t))),
    contract_start: h('input', { type: 'date' }),
    duration_months: h('input', { type: 'number', min: 1, max: 120, value: 24 }),
  };
  const output = h('div', { id: 'proposition', 'aria-live': 'polite' });
  const general = h('p', { class: 'error', role: 'alert' });
  let lastRequest = null;
  const form = h('form', {
    class: 'card',
    onsubmit: async (event) => {
      event.preventDefault();
      const filter = {};
      if (controls.cpv_prefix.value.trim()) filter.cpv_prefix = controls.cpv_prefix.value.trim();
      const deps = controls.departments.value.split(/[,\s]+/).filter(Boolean);
      if (deps.length) filter.departments = deps;
      const options = { cpv_depth: controls.cpv_depth.value, split_by_department: controls.split_by_department.checked, kind: controls.kind.value,
        duration_months: Number(controls.duration_months.value) };
      if (controls.contract_start.value) options.contract_start = controls.contract_start.value;
      lastRequest = { filter, options };
      try {
        general.textContent = '';
        const proposal = await api('POST', '/v1/aggregations', lastRequest);
        output.replaceChildren(await renderProposal(proposal, lastRequest));
      } catch (error) {
        showErrors(form, error, general);
      }
    },
  },
  h('h1', {}, 'Proposition de mutualisation'),
  h('div', { class: 'row' }, field('Préfixe CPV', controls.cpv_prefix, { name: 'filter.cpv_prefix' }), field('Départements', controls.departments, { name: 'filter.departments' })),
  h('div', { class: 'row' }, field('Regrouper par', controls.cpv_depth, { name: 'options.cpv_depth' }), field('Nature', controls.kind, { name: 'options.kind' }),
    field('Début du marché', controls.contract_start, { name: 'options.contract_start' }), field('Durée (mois)', controls.duration_months, { name: 'options.duration_months' })),
  h('div', { class: 'field check' }, controls.split_by_department, h('label', { for: controls.split_by_department.id = 'par-departement' }, 'Un lot par département (allotissement géographique)')),
  general, h('button', { type: 'submit' }, 'Calculer la proposition'));
  return h('div', {}, form, output);
}

// The proposal comes by pages (a summary, then the lots, then the needs left out): the first
// page is drawn at once and « Afficher plus » asks for the next one with its cursor.
async function renderProposal(p, request) {
  const members = await membersById();
  const advice = p.procedure;
  const s = p.summary;
  let lotNumber = 0;
  const lotSection = (lot) => h('section', { class: 'lot' },
    h('h3', {}, `Lot ${++lotNumber} — ${lot.label || lot.cpv} (${lot.cpv})`, lot.department ? ` — dép. ${lot.department}` : ''),
    h('p', {}, `Quantité : ${quantityWithUnit(lot.quantity, lot.unit)} · valeur estimée ${euros(lot.estimated_value)} · ${lot.need_count} besoin(s)`),
    table([
      { label: 'Membre', cell: (m) => members[m.member_id]?.code || m.member_id },
      { label: 'Quantité', numeric: true, cell: (m) => quantity(m.quantity) },
      { label: 'Prix de référence', numeric: true, cell: (m) => price(m.reference_unit_price) },
      { label: 'Valeur de référence', numeric: true, cell: (m) => euros(m.reference_value) },
      { label: 'Besoins', cell: (m) => m.need_ids.join(', ') + (m.need_count > m.need_ids.length ? ` … (${m.need_count} au total)` : '') },
    ], lot.members));
  const notPooledRow = (n) => h('tr', {}, h('td', {}, String(n.need_id)), h('td', {}, reasons[n.reason] || n.reason), h('td', {}, n.detail));
  const lots = h('div', {}, p.lots.map(lotSection));
  const notPooledBody = h('tbody', {}, p.not_pooled.map(notPooledRow));
  const notPooled = s.needs_not_pooled ? h('section', {}, h('h3', {}, `Besoins non mutualisés (${s.needs_not_pooled})`),
    h('p', {}, Object.entries(s.not_pooled_by_reason).filter(([, count]) => count > 0).map(([reason, count]) => `${reasons[reason] || reason} : ${count}`).join(' · ')),
    scrolling(h('table', {}, h('thead', {}, h('tr', {}, ['Besoin', 'Motif', 'Détail'].map((t) => h('th', { scope: 'col' }, t)))), notPooledBody))) : null;
  const shown = h('p', { class: 'hint', role: 'status' });
  let cursor = p.next_cursor;
  let count = p.lots.length + p.not_pooled.length;
  const total = s.lot_count + s.needs_not_pooled;
  const more = h('button', {
    type: 'button',
    onclick: async () => {
      more.disabled = true;
      try {
        const next = await api('POST', '/v1/aggregations', { ...request, cursor, limit: 50 });
        lots.append(...next.lots.map(lotSection));
        notPooledBody.append(...next.not_pooled.map(notPooledRow));
        cursor = next.next_cursor;
        count += next.lots.length + next.not_pooled.length;
        update();
      } catch (error) {
        shown.textContent = error.message || String(error);
      } finally {
        more.disabled = false;
      }
    },
  }, 'Afficher plus');
  const update = () => {
    more.hidden = !cursor;
    shown.textContent = cursor ? `${count} élément(s) affiché(s) sur ${total} (lots puis besoins non mutualisés).` : '';
  };
  update();
  const procedure = h('section', { class: 'advice' }, h('h3', {}, 'Procédure'),
    h('p', {}, h('strong', {}, procedures[advice.procedure]), ` — ${kinds[advice.kind] || advice.kind} — publicité : ${publicities[advice.publicity]} — valeur estimée totale ${euros(p.estimated_total)} (seuil européen ${euros(advice.eu_threshold)})`),
    advice.small_lots.length ? h('p', {}, `Petits lots pouvant suivre la procédure adaptée : ${advice.small_lots.join(', ')}`) : null,
    h('ul', { class: 'citations' }, advice.citations.map((c) => h('li', {}, h('strong', {}, c.article), ' — ', c.text))),
    advice.warnings.length ? h('ul', { class: 'warnings' }, advice.warnings.map((w) => h('li', {}, '⚠ ', h('strong', {}, w.article), ' — ', w.message))) : null);
  return h('div', { class: 'card' }, h('h2', {}, `${s.lot_count} lot(s) proposé(s)`),
    h('p', {}, `${s.needs_pooled} besoin(s) mutualisé(s), ${s.needs_not_pooled} non mutualisé(s).`),
    lots, notPooled, shown, more, procedure,
    s.lot_count ? createTenderForm(request, members, (await apiAll('/v1/groupements')).items) : null);
}

// The cost criterion (price, or life-cycle cost scored from the bid's price) and the
// others with a positive weight; a weight of 0 leaves a criterion out.
function costCriteria(controls) {
  const lcc = controls.cost_type.value === 'life_cycle_cost';
  const criteria = [lcc ? { name: 'coût du cycle de vie', weight: Number(controls.price_weight.value), life_cycle_cost: true }
    : { name: 'prix', weight: Number(controls.price_weight.value), price: true }];
  if (Number(controls.technical_weight.value) > 0) criteria.push({ name: 'valeur technique', weight: Number(controls.technical_weight.value) });
  if (Number(controls.environment_weight.value) > 0) {
    criteria.push({ name: 'environnement', weight: Number(controls.environment_weight.value), environmental: true });
  }
  return criteria;
}

function createTenderForm(request, members, groupements) {
  const controls = {
    title: h('input', { type: 'text', value: 'Consultation groupée' }),
    // The groupement de commandes (L2113-6): its coordinator is the tender's.
    groupement: h('select', {
      onchange: () => {
        const g = groupements.find((x) => String(x.id) === controls.groupement.value);
        if (g) controls.coordinator.value = String(g.coordinator_member_id);
      },
    }, [h('option', { value: '' }, '— aucun —'), ...groupements.map((g) => h('option', { value: g.id }, `${g.reference} — ${g.name}`))]),
    coordinator: h('select', {}, Object.values(members).map((m) => h('option', { value: m.id }, m.code))),
    bid_deadline: h('input', { type: 'datetime-local' }),
    justification: h('input', { type: 'text', placeholder: 'si un seul lot' }),
    cost_type: h('select', { id: 'type-critere-cout' }, [['price', 'prix'], ['life_cycle_cost', 'coût du cycle de vie (R2152-9)']]
      .map(([v, t]) => h('option', { value: v }, t))),
    price_weight: h('input', { type: 'number', value: 60, min: 1, max: 100 }),
    technical_weight: h('input', { type: 'number', value: 25, min: 0, max: 100 }),
    environment_weight: h('input', { type: 'number', value: 15, min: 0, max: 100 }),
  };
  const general = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'subcard',
    onsubmit: async (event) => {
      event.preventDefault();
      const body = {
        title: controls.title.value, coordinator_member_id: Number(controls.coordinator.value),
        criteria: costCriteria(controls),
        proposal: request,
      };
      if (controls.groupement.value) body.groupement_id = Number(controls.groupement.value);
      if (controls.justification.value) body.allotment_justification = controls.justification.value;
      try {
        if (controls.bid_deadline.value) body.bid_deadline = parisDeadline(controls.bid_deadline.value, 'bid_deadline');
        const tender = await api('POST', '/v1/tenders', body);
        if (tender.excluded_needs?.length) {
          // Needs of members who had not signed the convention by the planned launch (L2113-6): said before going on.
          form.replaceWith(h('div', { class: 'subcard', role: 'status' },
            h('p', {}, `Consultation ${tender.reference} créée. Besoins écartés (L2113-6) :`),
            h('ul', {}, tender.excluded_needs.map((n) => h('li', {}, `besoin ${n.need_id} (${members[n.member_id]?.code || n.member_id}) — ${n.message}`))),
            h('a', { href: `#/consultations/${tender.id}` }, 'Ouvrir la consultation →')));
          return;
        }
        location.hash = `#/consultations/${tender.id}`;
      } catch (error) {
        showErrors(form, error, general);
      }
    },
  }, h('h3', {}, 'Créer la consultation groupée'),
  h('div', { class: 'row' }, field('Intitulé', controls.title, { name: 'title' }), field('Groupement de commandes', controls.groupement, { name: 'groupement_id' }),
    field('Coordonnateur', controls.coordinator, { name: 'coordinator_member_id' })),
  h('div', { class: 'row' }, field('Date limite des offres (heure de Paris)', controls.bid_deadline, { name: 'bid_deadline' }), field('Justification d’un lot unique', controls.justification, { name: 'allotment_justification' })),
  h('fieldset', { 'data-field': 'criteria' }, h('legend', {}, 'Critères et pondérations (total 100)'),
    h('div', { class: 'row' }, field('Critère de coût', controls.cost_type), field('Prix ou coût', controls.price_weight),
      field('Valeur technique', controls.technical_weight), field('Environnement', controls.environment_weight)),
    h('p', { class: 'hint' }, 'À partir du 21/08/2026, un critère unique n’est permis que s’il est le coût du cycle de vie (R2152-7, R2152-9) ; '
      + 'sinon plusieurs critères dont un environnemental (L2152-7). Le prix n’est jamais le critère environnemental. Pondération 0 : critère omis.'),
    h('p', { class: 'field-error', role: 'alert' })),
  general, h('button', { type: 'submit' }, 'Créer la consultation'));
  // The first groupement is proposed, with its coordinator.
  if (groupements.length) {
    controls.groupement.value = String(groupements[0].id);
    controls.coordinator.value = String(groupements[0].coordinator_member_id);
  }
  return form;
}

// Every tender, searched as typed by reference, title, status or lot (the term in the address).
export async function tendersView() {
  const page = await apiAll('/v1/tenders');
  let words = searchWords(hashQuery().get('q'));
  const container = h('div', {});
  const draw = () => {
    const shown = page.items.filter((t) => matches(words, [t.reference, t.title, label(t.status), ...t.lots.map((l) => `${l.cpv} ${l.label || ''} ${l.title || ''}`)]));
    container.replaceChildren(table([
      { label: 'Référence', cell: (t) => h('a', { href: `#/consultations/${t.id}` }, t.reference) },
      { label: 'Intitulé', cell: (t) => t.title }, { label: 'Statut', cell: (t) => h('span', { class: `badge ${t.status}` }, label(t.status)) },
      { label: 'Lots', numeric: true, cell: (t) => String(t.lots.length) },
      { label: 'Valeur estimée', numeric: true, cell: (t) => euros(t.lots.reduce((s, l) => addDecimal(s, l.estimated_value), '0.00')) },
    ], shown, {
      caption: words.length ? `${shown.length} consultation(s) sur ${page.items.length} pour « ${words.join(' ')} »` : `${page.items.length} consultation(s)`,
      empty: words.length ? 'Aucune consultation ne correspond à la recherche.' : 'Aucune consultation : partez d’une proposition de mutualisation.',
    }));
  };
  draw();
  return h('section', {}, h('h1', {}, 'Consultations groupées'),
    h('div', { class: 'row filters' }, searchBox('Rechercher une consultation', hashQuery().get('q') || '', (w) => { words = w; draw(); })),
    container);
}

// Exact addition of two decimal strings with two decimals (cents as integers).
export function addDecimal(a, b) {
  const cents = (s) => BigInt(String(s).replace('-', '').replace('.', '')) * (String(s).startsWith('-') ? -1n : 1n);
  const total = cents(a) + cents(b);
  const negative = total < 0n;
  const abs = (negative ? -total : total).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

export { button, toApiDecimal };
