// The buyer's pages: my needs, a need's form (CPV search as you type), my contracts (the import: needs_import.js).
import { api, apiAll, session } from '../api.js';
import { h, field, table, button } from '../dom.js';
import { euros, price, quantity, quantityWithUnit, date, label, toApiDecimal, parisDay, unitCodes, unitLabel } from '../format.js';
import { hashQuery, applyFilters } from '../address.js';
import { searchBox, searchWords, matches } from '../search.js';
import { breadcrumb } from '../breadcrumb.js';
import { toast, toastAfterReload } from '../toast.js';
import { showErrors, showFailure } from './show_errors.js';
import { contractLedger, maximumBar } from './orders.js';
import { downloadButtons } from '../downloads.js';
import { confirmDialog } from './confirm_dialog.js';
// The DAE's reference sources (issue 19), in the API's stable names.
export const referenceSources = [
  ['historical_price', 'Prix historique'],
  ['other_buyer_price', 'Prix payé par un autre acheteur'],
  ['supplier_quotes', 'Devis fournisseurs'],
  ['average_of_offers', 'Moyenne des offres reçues'],
  ['budget_estimate', 'Estimation budgétaire'],
];

export async function needsView() {
  const params = hashQuery();
  const status = params.get('statut') || '';
  const page = await apiAll(`/v1/needs${status ? `?status=${encodeURIComponent(status)}` : ''}`);
  let rows = page.items;
  let words = searchWords(params.get('q'));
  const container = h('div', {});
  const sortBy = (key) => () => { rows = [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key]), 'fr', { numeric: true })); draw(); };
  const filter = h('select', { id: 'filtre-statut', onchange: (e) => applyFilters('#/besoins', { statut: e.target.value, q: hashQuery().get('q') }) },
    h('option', { value: '' }, 'tous'), ['draft', 'submitted', 'pooled', 'tendered', 'awarded', 'withdrawn']
      .map((s) => h('option', { value: s, selected: s === status }, label(s))));
  const draw = () => {
    const shown = rows.filter((n) => matches(words, [String(n.id), n.cpv, n.title, n.description || '', n.department || '']));
    const count = words.length ? `${shown.length} besoin(s) sur ${rows.length} pour « ${words.join(' ')} »` : `${rows.length} besoin(s)`;
    container.replaceChildren(table([
      { label: h('button', { type: 'button', class: 'link', onclick: sortBy('id') }, 'N°'), cell: (n) => h('a', { href: `#/besoins/${n.id}` }, String(n.id)) },
      { label: h('button', { type: 'button', class: 'link', onclick: sortBy('cpv') }, 'CPV'), cell: (n) => n.cpv },
      { label: h('button', { type: 'button', class: 'link', onclick: sortBy('title') }, 'Intitulé'), cell: (n) => n.title },
      { label: 'Quantité', numeric: true, cell: (n) => quantityWithUnit(n.quantity, n.unit) },
      { label: 'Prix de référence', numeric: true, cell: (n) => price(n.reference_unit_price) },
      { label: 'Période', cell: (n) => `${date(n.period_start)} – ${date(n.period_end)}` },
      { label: h('button', { type: 'button', class: 'link', onclick: sortBy('status') }, 'Statut'), cell: (n) => h('span', { class: `badge ${n.status}` }, label(n.status)) },
      { label: 'Action', cell: (n) => h('a', { href: `#/besoins/nouveau?depuis=${n.id}`, 'aria-label': `Dupliquer le besoin n° ${n.id}` }, 'Dupliquer') },
    ], shown, {
      caption: `${count}${page.truncated ? ' (les plus récents seulement : affinez le filtre)' : ''}`,
      empty: words.length ? 'Aucun besoin ne correspond à la recherche.' : 'Aucun besoin : créez-en un ou importez un fichier CSV.',
    }));
  };
  draw();
  return h('section', {}, h('h1', {}, 'Mes besoins'),
    h('div', { class: 'row filters' }, field('Statut', filter, { name: 'statut' }),
      searchBox('Rechercher un besoin', params.get('q') || '', (w) => { words = w; draw(); })),
    container);
}

function cpvInput(initial) {
  const input = h('input', { type: 'text', value: initial || '', autocomplete: 'off', list: 'cpv-suggestions', placeholder: 'peinture, 4544…' });
  const list = h('datalist', { id: 'cpv-suggestions' });
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2 || /^\d{8}-\d$/.test(q)) return;
    timer = setTimeout(async () => {
      const found = await api('GET', `/v1/cpv?q=${encodeURIComponent(q)}&limit=15`).catch(() => ({ items: [] }));
      list.replaceChildren(...found.items.map((c) => h('option', { value: c.code }, `${c.code} — ${c.label}`)));
    }, 150);
  });
  return [input, list];
}

// A need's form; with `id` the need itself, without it a new need — pre-filled from the need
// of `?depuis=` (« Dupliquer », e.g. last year's), its dates left to enter again.
export async function needFormView(id) {
  const need = id ? await api('GET', `/v1/needs/${id}`) : null;
  const fromId = id ? null : hashQuery().get('depuis');
  const source = fromId && /^\d+$/.test(fromId) ? await api('GET', `/v1/needs/${fromId}`) : null;
  const model = need || source;
  const editable = !need || ['draft', 'submitted'].includes(need.status);
  const [cpv, suggestions] = cpvInput(model?.cpv);
  const controls = {
    title: h('input', { type: 'text', value: model?.title || '', maxlength: 200 }),
    description: h('textarea', { rows: 3 }, model?.description || ''),
    quantity: h('input', { type: 'text', inputmode: 'decimal', value: model ? quantity(model.quantity).replace(/\u202f/g, '') : '' }),
    unit: h('select', {}, unitCodes.map((u) => h('option', { value: u, selected: model?.unit === u }, unitLabel(u)))),
    reference_unit_price: h('input', { type: 'text', inputmode: 'decimal', value: model ? model.reference_unit_price.replace('.', ',') : '' }),
    reference_source: h('select', {}, referenceSources.map(([value, text]) => h('option', { value, selected: (model?.reference_source || 'historical_price') === value }, text))),
    reference_date: h('input', { type: 'date', value: need?.reference_date || '' }),
    reference_index: h('input', { type: 'text', value: model?.reference_index || '', maxlength: 20, size: 8, placeholder: 'BT01' }),
    department: h('input', { type: 'text', value: model?.department || '', maxlength: 3, size: 4 }),
    period_start: h('input', { type: 'date', value: need?.period_start || '' }),
    period_end: h('input', { type: 'date', value: need?.period_end || '' }),
    recurring: h('input', { type: 'checkbox', checked: model?.recurring }),
    attributes: h('input', { type: 'text', value: model ? Object.entries(model.attributes).map(([k, v]) => `${k}=${v}`).join('; ') : '', placeholder: 'teinte=blanc; finition=mat' }),
  };
  const general = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'card',
    onsubmit: async (event) => {
      event.preventDefault();
      const body = {
        cpv: cpv.value.trim(), title: controls.title.value, description: controls.description.value,
        quantity: toApiDecimal(controls.quantity.value), unit: controls.unit.value,
        reference_unit_price: toApiDecimal(controls.reference_unit_price.value), department: controls.department.value.trim(),
        reference_source: controls.reference_source.value, reference_date: controls.reference_date.value || null,
        reference_index: controls.reference_index.value.trim().toUpperCase() || null,
        period_start: controls.period_start.value, period_end: controls.period_end.value, recurring: controls.recurring.checked,
        attributes: Object.fromEntries(controls.attributes.value.split(';').map((p) => p.trim()).filter(Boolean).map((p) => p.split('=').map((s) => s.trim()))),
        status: event.submitter?.value || 'submitted',
      };
      try {
        const result = need
          ? await api('PATCH', `/v1/needs/${need.id}`, body, { headers: { 'If-Match': `"v${need.version}"` } })
          : await api('POST', '/v1/needs', body);
        showErrors(form, { fields: [], message: '' }, general);  // the errors of a refused try are cleared
        toast(`Besoin n° ${result.id} enregistré (${label(result.status)}).`);
        setTimeout(() => { location.hash = '#/besoins'; }, 600);
      } catch (error) {
        showErrors(form, error, general);
      }
    },
  },
  breadcrumb([['#/besoins', 'Mes besoins'], [null, need ? `Besoin n° ${need.id}` : 'Nouveau besoin']]),
  h('h1', {}, need ? `Besoin n° ${need.id}` : 'Nouveau besoin'),
  source ? h('p', { class: 'notice', id: 'copie-de' }, `Copie du besoin n° ${source.id} (« ${source.title} », du ${date(source.period_start)} au ${date(source.period_end)}) : saisissez les dates de la nouvelle période et, s’il y a lieu, la date de la référence.`) : null,
  need ? h('p', {}, h('a', { href: `#/besoins/nouveau?depuis=${need.id}`, class: 'button-link secondary' }, 'Dupliquer ce besoin')) : null,
  need && !editable ? h('p', { class: 'notice' }, `Ce besoin est ${label(need.status)} : il ne peut plus être modifié.`) : null,
  field('Code CPV', cpv, { name: 'cpv', hint: 'Tapez un mot ou le début du code pour chercher dans la nomenclature.' }), suggestions,
  field('Intitulé', controls.title, { name: 'title' }),
  field('Description', controls.description, { name: 'description' }),
  h('div', { class: 'row' }, field('Quantité', controls.quantity, { name: 'quantity', hint: 'annuelle si le besoin est récurrent' }),
    field('Unité', controls.unit, { name: 'unit' }),
    field('Prix unitaire de référence HT (€)', controls.reference_unit_price, { name: 'reference_unit_price' })),
  h('div', { class: 'row' }, field('Source de la référence', controls.reference_source, { name: 'reference_source' }),
    field('Date de la référence', controls.reference_date, { name: 'reference_date', hint: 'vide : le jour de l’enregistrement' }),
    field('Indice d’actualisation', controls.reference_index, { name: 'reference_index', hint: 'code d’indice chargé (BT01…), vide : aucun' })),
  need?.reference_missing ? h('p', { class: 'notice' }, 'Référence manquante : le prix de référence est à 0, les gains de ce besoin ne seront pas mesurables.') : null,
  h('div', { class: 'row' }, field('Département de livraison', controls.department, { name: 'department' }),
    field('Début de période', controls.period_start, { name: 'period_start' }), field('Fin de période', controls.period_end, { name: 'period_end' })),
  h('div', { class: 'field check' }, controls.recurring, h('label', { for: controls.recurring.id = 'recurrent' }, 'Besoin récurrent (quantité annuelle)')),
  field('Caractéristiques', controls.attributes, { name: 'attributes', hint: 'nom=valeur, séparées par des points-virgules' }),
  general,
  editable ? h('div', { class: 'actions' },
    h('button', { type: 'submit', value: 'submitted' }, need ? 'Enregistrer' : 'Soumettre le besoin'),
    h('button', { type: 'submit', value: 'draft', class: 'secondary' }, 'Enregistrer en brouillon'),
    need ? button('Retirer le besoin', () => confirmDialog({
      title: `Retirer le besoin n° ${need.id}`,
      lines: [`« ${need.title} » sera retiré : il ne sera plus recensé ni mutualisé, et ne pourra plus être modifié.`,
        'Pour l’exprimer de nouveau, il faudra créer un nouveau besoin.'],
      confirmLabel: 'Retirer le besoin', danger: true,
      act: async () => {
        await api('DELETE', `/v1/needs/${need.id}`, undefined, { headers: { 'If-Match': `"v${need.version}"` } });
        toast(`Besoin n° ${need.id} retiré.`);
        location.hash = '#/besoins';
      },
    }), { class: 'danger' }) : null) : null);
  return form;
}

// A contract's period as the API gives it: from its notification once notified, else from
// the tender's planned start, for the tender's initial duration.
const periodText = (c) => `${date(c.period.start)} – ${date(c.period.end)}`;

export async function contractsView() {
  const page = await apiAll('/v1/contracts');
  const me = session.me();
  // Where each contract stands after the award: signed, then in force from its notification (R2182-4).
  const state = (c) => (c.in_force ? h('span', { class: 'badge awarded' }, 'en vigueur')
    : c.signed_on ? h('span', { class: 'badge warn' }, 'en attente de notification')
      : h('span', { class: 'badge' }, 'en attente de signature'));
  // When its groupement's convention leaves signing to the members (L2113-7), a buyer
  // records its own contract's signature, then notification; the API checks the rest
  // (every bidder written to, the standstill over) and its refusal is shown as it says.
  const message = h('p', { class: 'error', role: 'alert' });
  const step = (c, what) => {
    const day = h('input', { type: 'date', value: parisDay(), max: parisDay() });
    const [path, key, verb, question] = what === 'sign'
      ? ['signature', 'signed_on', 'Signer', `Enregistrer la signature du marché « ${c.lot_title} » ?`]
      : ['notification', 'notified_on', 'Notifier', `Enregistrer la notification du marché « ${c.lot_title} » au titulaire ? Il entrera en vigueur ce jour-là (R2182-4).`];
    return h('form', {
      class: 'inline contract-step',
      onsubmit: async (event) => {
        event.preventDefault();
        if (!confirm(question)) return;
        try {
          await api('POST', `/v1/contracts/${c.id}/${path}`, { [key]: day.value });
          toastAfterReload(what === 'sign' ? `Signature du marché « ${c.lot_title} » enregistrée.` : `Notification du marché « ${c.lot_title} » enregistrée.`);
          location.reload();
        } catch (error) { showFailure(message, error, () => event.target.requestSubmit()); }
      },
    }, field(what === 'sign' ? 'Date de signature' : 'Date de notification', day), h('button', { type: 'submit' }, verb));
  };
  const own = (c) => me.role === 'buyer' && c.signatory === 'member';
  const signedCell = (c) => (c.signed_on ? date(c.signed_on) : own(c) ? step(c, 'sign') : '—');
  const notifiedCell = (c) => (c.notified_on ? date(c.notified_on) : own(c) && c.signed_on ? step(c, 'notify') : '—');
  // The server's export of the same contracts (French CSV or XLSX, within the caller's scope).
  const download = page.items.length ? downloadButtons('/v1/contracts', `marches-${parisDay()}`) : null;
  return h('section', {}, h('h1', {}, me.role === 'buyer' ? 'Mes marchés' : 'Marchés'),
    download,
    await frameworkContracts(page.items.filter((c) => c.in_force), me),
    table([
      { label: 'Consultation', cell: (c) => h('span', {}, h('strong', {}, c.tender_reference), ` — ${c.tender_title}`) },
      { label: 'Lot', cell: (c) => `Lot ${c.lot_number} — ${c.lot_title}` },
      { label: 'Titulaire', cell: (c) => c.supplier_name },
      { label: 'Membre', cell: (c) => h('abbr', { title: c.member_name }, c.member_code) },
      { label: 'Quantité', numeric: true, cell: (c) => quantityWithUnit(c.quantity, c.unit) },
      { label: 'Prix unitaire', numeric: true, cell: (c) => price(c.unit_price) },
      { label: 'Montant HT', numeric: true, cell: (c) => euros(c.amount) },
      { label: 'Période', cell: periodText },
      { label: 'Attribué le', cell: (c) => date(c.awarded_at) },
      { label: 'Signé le', cell: signedCell },
      { label: 'Notifié le', cell: notifiedCell },
      { label: 'État', cell: state },
    ], page.items, { caption: 'Marchés attribués, par membre (en vigueur à la notification, R2182-4)', empty: 'Aucun marché attribué pour le moment.' }),
    message);
}

// The contracts in force that are framework agreements with orders (accords-cadres à bons
// de commande): the share of the maximum ordered, and the way to the orders.
async function frameworkContracts(inForce, me) {
  const ledgers = [];
  // A few at a time: a network's finance sees every member's contracts.
  for (let i = 0; i < Math.min(inForce.length, 60); i += 4) {
    ledgers.push(...await Promise.all(inForce.slice(i, i + 4).map((c) => contractLedger(c).then((l) => (l ? { c, l } : null)))));
  }
  const rows = ledgers.filter(Boolean);
  if (!rows.length) return null;
  return h('section', { class: 'card', id: 'accords-cadres' }, h('h2', {}, 'Accords-cadres en vigueur : maximum et bons de commande'),
    table([
      { label: 'Marché', cell: (r) => h('a', { href: `#/marches/${r.c.id}` }, `${r.c.tender_reference} — lot ${r.c.lot_number} : ${r.c.lot_title}`) },
      ...(me.role === 'buyer' ? [] : [{ label: 'Membre', cell: (r) => r.c.member_code }]),
      { label: 'Titulaire', cell: (r) => r.c.supplier_name },
      { label: 'Commandé / maximum', cell: (r) => maximumBar(r.l) },
      { label: 'Commandes', cell: (r) => h('a', { href: `#/marches/${r.c.id}`, class: 'button-link' }, me.role === 'buyer' && r.c.in_force ? 'Nouveau bon de commande' : 'Voir les bons') },
    ], rows, { caption: 'Le reste disponible de chaque maximum (R2162-4) ; la barre passe à l’orange à 80 %' }));
}
