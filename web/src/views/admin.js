// The network's administration: members, users (the token shown once), suppliers.
import { api, apiAll } from '../api.js';
import { h, field, table, button } from '../dom.js';
import { euros, date, toApiDecimal, siren } from '../format.js';

const roles = { buyer: 'acheteur', officer: 'coordonnateur', finance: 'finances', admin: 'administrateur' };
import { showErrors } from './show_errors.js';
import { passwordLinkButton } from './password_link.js';

function creator(title, fields, submit) {
  const general = h('p', { class: 'error', role: 'alert' });
  const done = h('div', { role: 'status' });
  const form = h('form', {
    class: 'subcard',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        done.replaceChildren(await submit());
        general.textContent = '';
        for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
        for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
      } catch (error) { showErrors(form, error, general); }
    },
  }, h('h3', {}, title), h('div', { class: 'row' }, fields), general, h('button', { type: 'submit' }, 'Créer'), done);
  return form;
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
  return h('section', { class: 'card', id: 'seuils' }, h('h2', {}, 'Seuils de procédure'),
    table([{ label: 'Seuil', cell: (x) => thresholdNames[x.threshold] || x.threshold }, { label: 'Du', cell: (x) => date(x.from) },
      { label: 'Au', cell: (x) => (x.until ? date(x.until) : '—') },
      { label: 'Valeur', numeric: true, cell: (x) => (x.threshold === 'small_lots_share_percent' ? `${x.value} %` : euros(x.value)) },
      { label: 'Origine', cell: (x) => (x.origin === 'setting' ? 'réglage' : 'intégré') }, { label: 'Source', cell: (x) => x.source }], thresholds.items),
    creator('Ajouter une valeur publiée', [field('Seuil', t.threshold, { name: 'threshold' }), field('À partir du', t.from, { name: 'from' }),
      field('Jusqu’au (facultatif)', t.until, { name: 'until' }), field('Valeur (€ HT, ou %)', t.value, { name: 'value' }),
      field('Texte source', t.source, { name: 'source' })], async () => {
      const body = { threshold: t.threshold.value, from: t.from.value, value: t.threshold.value === 'small_lots_share_percent' ? t.value.value.trim() : toApiDecimal(t.value.value),
        source: t.source.value };
      if (t.until.value) body.until = t.until.value;
      const created = await api('POST', '/v1/thresholds', body);
      return h('p', { class: 'notice' }, `Valeur enregistrée : ${thresholdNames[created.threshold]}, à partir du ${date(created.from)} (rechargez la page pour la voir au tableau).`);
    }));
}

export async function adminView() {
  const [members, users, suppliers, thresholds] = await Promise.all([apiAll('/v1/members'), apiAll('/v1/users'),
    apiAll('/v1/suppliers'), api('GET', '/v1/thresholds')]);
  const m = { code: h('input', { type: 'text' }), name: h('input', { type: 'text' }), siren: h('input', { type: 'text', inputmode: 'numeric' }),
    siret: h('input', { type: 'text', inputmode: 'numeric' }), department: h('input', { type: 'text', size: 3 }) };
  const u = { email: h('input', { type: 'email' }), name: h('input', { type: 'text' }),
    role: h('select', {}, Object.entries(roles).map(([v, t]) => h('option', { value: v }, t))),
    member: h('select', {}, h('option', { value: '' }, '— réseau —'), members.items.map((x) => h('option', { value: x.id }, x.code))) };
  const s = { name: h('input', { type: 'text' }), siret: h('input', { type: 'text', inputmode: 'numeric' }), department: h('input', { type: 'text', size: 3 }),
    sme: h('input', { type: 'checkbox' }) };
  return h('div', {}, h('h1', {}, 'Administration du réseau'),
    h('section', { class: 'card' }, h('h2', {}, 'Membres'),
      table([{ label: 'Code', cell: (x) => x.code }, { label: 'Nom', cell: (x) => x.name }, { label: 'SIREN', cell: (x) => siren(x.siren) },
        { label: 'SIRET (DECP)', cell: (x) => (x.siret ? siren(x.siret) : '—') }, { label: 'Département', cell: (x) => x.department }], members.items),
      creator('Nouveau membre', [field('Code', m.code, { name: 'code' }), field('Nom', m.name, { name: 'name' }), field('SIREN', m.siren, { name: 'siren' }),
        field('SIRET (facultatif, pour les DECP)', m.siret, { name: 'siret' }), field('Département', m.department, { name: 'department' })], async () => {
        const body = { code: m.code.value, name: m.name.value, siren: m.siren.value, department: m.department.value };
        if (m.siret.value.trim()) body.siret = m.siret.value.trim();
        const created = await api('POST', '/v1/members', body);
        return h('p', { class: 'notice' }, `Membre ${created.code} créé.`);
      })),
    h('section', { class: 'card' }, h('h2', {}, 'Utilisateurs'),
      table([{ label: 'Courriel', cell: (x) => x.email }, { label: 'Nom', cell: (x) => x.name }, { label: 'Rôle', cell: (x) => roles[x.role] || x.role },
        { label: 'Membre', cell: (x) => members.items.find((y) => y.id === x.member_id)?.code || 'réseau' },
        { label: 'Accès', cell: (x) => h('span', {}, x.active ? 'actif ' : 'révoqué ', button(x.active ? 'Révoquer' : 'Rétablir', async () => {
          await api('PATCH', `/v1/users/${x.id}`, { active: !x.active }, { headers: { 'If-Match': `"v${x.version}"` } });
          location.reload();
        }, { class: 'link', 'aria-label': `${x.active ? 'Révoquer' : 'Rétablir'} l’accès de ${x.email}` })) },
        { label: 'Mot de passe', cell: (x) => (x.active ? passwordLinkButton(x) : '—') }], users.items),
      creator('Nouvel utilisateur', [field('Courriel', u.email, { name: 'email' }), field('Nom', u.name, { name: 'name' }), field('Rôle', u.role, { name: 'role' }),
        field('Membre', u.member, { name: 'member_id' })], async () => {
        const body = { email: u.email.value, name: u.name.value, role: u.role.value };
        if (u.member.value) body.member_id = Number(u.member.value);
        const created = await api('POST', '/v1/users', body);
        return h('div', { class: 'notice token' }, h('p', {}, `Jeton de ${created.email} — affiché une seule fois, transmettez-le maintenant :`),
          h('code', { id: 'nouveau-jeton' }, created.token));
      })),
    h('section', { class: 'card' }, h('h2', {}, 'Fournisseurs'),
      table([{ label: 'Nom', cell: (x) => x.name }, { label: 'SIRET', cell: (x) => siren(x.siret) }, { label: 'Département', cell: (x) => x.department },
        { label: 'PME', cell: (x) => (x.sme ? 'oui' : 'non') }], suppliers.items),
      creator('Nouveau fournisseur', [field('Nom', s.name, { name: 'name' }), field('SIRET', s.siret, { name: 'siret' }), field('Département', s.department, { name: 'department' }),
        h('div', { class: 'field check' }, s.sme, h('label', { for: s.sme.id = 'pme' }, 'PME'))], async () => {
        const created = await api('POST', '/v1/suppliers', { name: s.name.value, siret: s.siret.value, department: s.department.value, sme: s.sme.checked });
        return h('p', { class: 'notice' }, `Fournisseur ${created.name} créé.`);
      })),
    thresholdsSection(thresholds));
}
