// The network's administration: members, users (the token shown once), suppliers.
import { api, apiAll } from '../api.js';
import { h, field, table, button } from '../dom.js';
import { euros, date, toApiDecimal, siren } from '../format.js';

const roles = { buyer: 'acheteur', officer: 'coordonnateur', finance: 'finances', admin: 'administrateur' };
import { showErrors } from './show_errors.js';
import { passwordLinkButton } from './password_link.js';
import { confirmDialog } from './confirm_dialog.js';
import { identitiesSection } from './identities.js';

// A creation form: on success its fields are emptied, its errors cleared, the result
// shown, and `then` refreshes what lists the new item (tables, selects) without a reload.
function creator(title, fields, submit, then = async () => {}) {
  const general = h('p', { class: 'error', role: 'alert' });
  const done = h('div', { role: 'status' });
  const form = h('form', {
    class: 'subcard', novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        const result = await submit();
        form.reset();
        general.textContent = '';
        for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
        for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
        done.replaceChildren(result);
        await then();
      } catch (error) { done.replaceChildren(); showErrors(form, error, general); }
    },
  }, h('h3', {}, title), h('div', { class: 'row' }, fields), general, h('button', { type: 'submit' }, 'Créer'), done);
  return form;
}

// SIREN and SIRET as people type them (« 552 100 554 », with a no-break space) → the digits.
export const digitsOnly = (text) => String(text).replace(/[\s\u00a0\u202f.]/g, '');

// An e-mail address, checked before it is sent (a French message rather than the browser's own).
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
function checkEmail(text) {
  if (!EMAIL.test(text)) {
    const message = 'Adresse électronique invalide : elle s’écrit comme prenom.nom@bailleur.fr.';
    throw Object.assign(new Error(message), { fields: [{ field: 'email', message }] });
  }
}

// The procurement thresholds in force (built-in table and settings), and a form to add
// the next period's values when a decree or an EU regulation publishes them.
const thresholdNames = {
  eu_supplies_services: 'seuil européen, fournitures et services', eu_works: 'seuil européen, travaux',
  no_competition_supplies_services: 'dispense R2122-8, fournitures et services', no_competition_works: 'dispense R2122-8, travaux',
  mapa_publicity: 'publicité MAPA (R2131-12)', small_lot_supplies_services: 'petit lot, fournitures et services (R2123-1 2°)',
  small_lot_works: 'petit lot, travaux (R2123-1 2°)', small_lots_share_percent: 'part des petits lots (%)',
};

function thresholdsSection(thresholds) {
  const t = { threshold: h('select', { id: 'seuil-nom' }, Object.entries(thresholdNames).map(([v, text]) => h('option', { value: v }, text))),
    from: h('input', { type: 'date', id: 'seuil-debut' }), until: h('input', { type: 'date', id: 'seuil-fin' }),
    value: h('input', { type: 'text', inputmode: 'decimal', id: 'seuil-valeur', placeholder: 'ex. 221000,00' }),
    source: h('input', { type: 'text', id: 'seuil-source', placeholder: 'règlement délégué (UE) …' }) };
  const slot = h('div', {});
  const draw = (items) => slot.replaceChildren(table([{ label: 'Seuil', cell: (x) => thresholdNames[x.threshold] || x.threshold }, { label: 'Du', cell: (x) => date(x.from) },
    { label: 'Au', cell: (x) => (x.until ? date(x.until) : '—') },
    { label: 'Valeur', numeric: true, cell: (x) => (x.threshold === 'small_lots_share_percent' ? `${x.value} %` : euros(x.value)) },
    { label: 'Origine', cell: (x) => (x.origin === 'setting' ? 'réglage' : 'intégré') }, { label: 'Source', cell: (x) => x.source }], items));
  draw(thresholds.items);
  return h('section', { class: 'card', id: 'seuils' }, h('h2', {}, 'Seuils de procédure'), slot,
    creator('Ajouter une valeur publiée', [field('Seuil', t.threshold, { name: 'threshold' }), field('À partir du', t.from, { name: 'from' }),
      field('Jusqu’au (facultatif)', t.until, { name: 'until' }), field('Valeur (€ HT, ou %)', t.value, { name: 'value' }),
      field('Texte source', t.source, { name: 'source' })], async () => {
      const body = { threshold: t.threshold.value, from: t.from.value, value: t.threshold.value === 'small_lots_share_percent' ? t.value.value.trim() : toApiDecimal(t.value.value),
        source: t.source.value };
      if (t.until.value) body.until = t.until.value;
      const created = await api('POST', '/v1/thresholds', body);
      return h('p', { class: 'notice' }, `Valeur enregistrée : ${thresholdNames[created.threshold]}, à partir du ${date(created.from)}.`);
    }, async () => draw((await api('GET', '/v1/thresholds')).items)));
}

export async function adminView() {
  const [members, users, suppliers, thresholds] = await Promise.all([apiAll('/v1/members'), apiAll('/v1/users'),
    apiAll('/v1/suppliers'), api('GET', '/v1/thresholds')]);
  const m = { code: h('input', { type: 'text' }), name: h('input', { type: 'text' }), siren: h('input', { type: 'text', inputmode: 'numeric' }),
    siret: h('input', { type: 'text', inputmode: 'numeric' }), department: h('input', { type: 'text', size: 3 }) };
  const u = { email: h('input', { type: 'email', autocomplete: 'off' }), name: h('input', { type: 'text' }),
    role: h('select', {}, Object.entries(roles).map(([v, t]) => h('option', { value: v }, t))),
    member: h('select', {}) };
  const s = { name: h('input', { type: 'text' }), siret: h('input', { type: 'text', inputmode: 'numeric' }), department: h('input', { type: 'text', size: 3 }),
    sme: h('input', { type: 'checkbox' }) };
  const slots = { members: h('div', {}), users: h('div', {}), suppliers: h('div', {}) };
  const state = { members: members.items, users: users.items, suppliers: suppliers.items };
  const message = h('p', { class: 'error', role: 'alert' });
  // Each list drawn from the state; the user form's member select always lists every member.
  const draw = () => {
    slots.members.replaceChildren(table([{ label: 'Code', cell: (x) => x.code }, { label: 'Nom', cell: (x) => x.name }, { label: 'SIREN', cell: (x) => siren(x.siren) },
      { label: 'SIRET (DECP)', cell: (x) => (x.siret ? siren(x.siret) : '—') }, { label: 'Département', cell: (x) => x.department }], state.members));
    const chosen = u.member.value;
    u.member.replaceChildren(h('option', { value: '' }, '— réseau —'), ...state.members.map((x) => h('option', { value: x.id }, x.code)));
    u.member.value = state.members.some((x) => String(x.id) === chosen) ? chosen : '';
    slots.users.replaceChildren(table([{ label: 'Courriel', cell: (x) => x.email }, { label: 'Nom', cell: (x) => x.name }, { label: 'Rôle', cell: (x) => roles[x.role] || x.role },
      { label: 'Membre', cell: (x) => state.members.find((y) => y.id === x.member_id)?.code || 'réseau' },
      { label: 'Accès', cell: (x) => h('span', {}, x.active ? 'actif ' : 'révoqué ', button(x.active ? 'Révoquer' : 'Rétablir', () => access(x),
        { class: 'link', 'aria-label': `${x.active ? 'Révoquer' : 'Rétablir'} l’accès de ${x.email}` })) },
      { label: 'Mot de passe', cell: (x) => (x.active ? passwordLinkButton(x) : '—') }], state.users));
    slots.suppliers.replaceChildren(table([{ label: 'Nom', cell: (x) => x.name }, { label: 'SIRET', cell: (x) => siren(x.siret) }, { label: 'Département', cell: (x) => x.department },
      { label: 'PME', cell: (x) => (x.sme ? 'oui' : 'non') }], state.suppliers));
  };
  const reload = async (...lists) => {
    const paths = { members: '/v1/members', users: '/v1/users', suppliers: '/v1/suppliers' };
    const pages = await Promise.all(lists.map((name) => apiAll(paths[name])));
    lists.forEach((name, i) => { state[name] = pages[i].items; });
    draw();
  };
  const setActive = async (x, active, reason) => {
    await api('PATCH', `/v1/users/${x.id}`, reason ? { active, reason } : { active }, { headers: { 'If-Match': `"v${x.version}"` } });
    await reload('users');
  };
  // Revoking is asked first; restoring gives back an access, and is done at once.
  const access = (x) => {
    message.textContent = '';
    if (!x.active) return setActive(x, true).catch((error) => { message.textContent = error.message; });
    return confirmDialog({
      title: `Révoquer l’accès de ${x.name}`,
      lines: [`Le jeton de ${x.email} cessera aussitôt de fonctionner : à sa prochaine action, l’application lui dira « Accès révoqué ».`,
        'Vous pourrez rétablir cet accès plus tard ; la révocation et son motif sont gardés au journal d’audit.'],
      confirmLabel: 'Révoquer l’accès', danger: true,
      reason: { label: 'Motif de la révocation (facultatif)', maxLength: 500, hint: 'gardé au journal d’audit ; 500 caractères au plus' },
      act: (reason) => setActive(x, false, reason),
    });
  };
  draw();
  return h('div', {}, h('h1', {}, 'Administration du réseau'),
    h('section', { class: 'card' }, h('h2', {}, 'Membres'), slots.members,
      creator('Nouveau membre', [field('Code', m.code, { name: 'code' }), field('Nom', m.name, { name: 'name' }),
        field('SIREN', m.siren, { name: 'siren', hint: 'espaces acceptés' }),
        field('SIRET (facultatif, pour les DECP)', m.siret, { name: 'siret' }), field('Département', m.department, { name: 'department' })], async () => {
        const body = { code: m.code.value.trim(), name: m.name.value.trim(), siren: digitsOnly(m.siren.value), department: m.department.value.trim() };
        if (m.siret.value.trim()) body.siret = digitsOnly(m.siret.value);
        const created = await api('POST', '/v1/members', body);
        return h('p', { class: 'notice' }, `Membre ${created.code} créé.`);
      }, () => reload('members'))),
    h('section', { class: 'card' }, h('h2', {}, 'Utilisateurs'), slots.users, message,
      creator('Nouvel utilisateur', [field('Courriel', u.email, { name: 'email' }), field('Nom', u.name, { name: 'name' }), field('Rôle', u.role, { name: 'role' }),
        field('Membre', u.member, { name: 'member_id' })], async () => {
        const body = { email: u.email.value.trim(), name: u.name.value.trim(), role: u.role.value };
        checkEmail(body.email);
        if (u.member.value) body.member_id = Number(u.member.value);
        const created = await api('POST', '/v1/users', body);
        const member = state.members.find((x) => x.id === created.member_id);
        return h('div', { class: 'notice token' }, h('p', {}, `Jeton de ${created.email}${member ? ` (${member.code})` : ''} — affiché une seule fois, transmettez-le maintenant :`),
          h('code', { id: 'nouveau-jeton' }, created.token));
      }, () => reload('users'))),
    h('section', { class: 'card' }, h('h2', {}, 'Fournisseurs'), slots.suppliers,
      creator('Nouveau fournisseur', [field('Nom', s.name, { name: 'name' }), field('SIRET', s.siret, { name: 'siret', hint: 'espaces acceptés' }), field('Département', s.department, { name: 'department' }),
        h('div', { class: 'field check' }, s.sme, h('label', { for: s.sme.id = 'pme' }, 'PME'))], async () => {
        const created = await api('POST', '/v1/suppliers', { name: s.name.value.trim(), siret: digitsOnly(s.siret.value), department: s.department.value.trim(), sme: s.sme.checked });
        return h('p', { class: 'notice' }, `Fournisseur ${created.name} créé.`);
      }, () => reload('suppliers'))),
    identitiesSection(() => state.users),
    thresholdsSection(thresholds));
}
