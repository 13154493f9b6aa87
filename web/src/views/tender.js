// A joint tender: lots, criteria, publish/close/cancel, bids, evaluation, award,
// shared costs, and the allocation by the four methods side by side.
import { api, apiAll } from '../api.js';
import { groupementLine } from './groupements.js';
import { h, field, table, button, scrolling } from '../dom.js';
import { euros, price, quantityWithUnit, percent, score, date, parisDateTime, parisDeadline, parisLocal, label, toApiDecimal } from '../format.js';
import { breadcrumb } from '../breadcrumb.js';
import { toastAfterReload } from '../toast.js';
import { allocationMethods, coreSentence } from './allocation_methods.js';
import { showErrors } from './show_errors.js';
import { decisionCell, decisionHistory } from './bid_decisions.js';
import { rankCell, drawForms, drawHistory, tieBreakText, tieBreakSelect } from './tie_draws.js';
import { membersById, procedures, kinds } from './officer.js';
import { awardChainSection } from './award_chain.js';
import { documentsSection } from './documents.js';
import { frameworkSection, consumptionLink } from './framework.js';
import { confirmDialog } from './confirm_dialog.js';
import { bidCorrectionForm } from './bid_correction.js';

const vehicles = { groupement: 'groupement de commandes', centrale: 'centrale d’achat' };

export async function tenderView(id) {
  const [tender, members, suppliers] = await Promise.all([
    api('GET', `/v1/tenders/${id}`), membersById(), apiAll('/v1/suppliers').catch(() => ({ items: [] })),
  ]);
  const code = (memberId) => members[memberId]?.code || String(memberId);
  const message = h('p', { class: 'error', role: 'alert', id: 'message-consultation' });
  const draft = tender.status === 'draft' ? draftForm(tender, message) : null;
  // Closing before the deadline asks why (recorded on the tender and in the audit trail).
  const early = tender.status === 'published' && tender.bid_deadline && Date.now() < Date.parse(tender.bid_deadline);
  // A launched procedure is declared without follow-up for reasons the bidders are told (R2185-1, R2185-2).
  const launched = ['published', 'closed'].includes(tender.status);
  const post = (action) => async (reason) => {
    await api('POST', `/v1/tenders/${id}/${action}`, reason ? { reason } : undefined, { headers: { 'If-Match': `"v${tender.version}"` } });
    toastAfterReload({ close: 'Remise des offres close.', cancel: launched ? 'Procédure déclarée sans suite.' : 'Consultation annulée.' }[action]);
    location.reload();
  };
  const ask = {
    close: () => confirmDialog({
      title: 'Clore la remise des offres',
      lines: [early
        ? `La date limite, le ${parisDateTime(tender.bid_deadline_paris)}, n’est pas atteinte : plus aucune offre ne pourra être enregistrée, et le motif de la clôture anticipée sera gardé avec la consultation et au journal d’audit.`
        : 'Plus aucune offre ne pourra être enregistrée ; l’examen des offres commence.'],
      confirmLabel: 'Clore la remise des offres', danger: early,
      reason: early ? { label: 'Motif de la clôture avant la date limite', hint: 'gardé avec la consultation et au journal d’audit' } : null,
      act: post('close'),
    }),
    cancel: () => confirmDialog(launched ? {
      title: 'Déclarer la procédure sans suite',
      lines: ['Les besoins reviendront aux membres ; aucun lot ne pourra plus être attribué dans cette consultation.',
        'Chaque soumissionnaire devra être informé des motifs (R2185-2) : ils figureront dans sa lettre.'],
      confirmLabel: 'Déclarer sans suite', danger: true,
      reason: { label: 'Motifs de la déclaration sans suite (R2185-1)', minLetters: 10, hint: 'communiqués à chaque soumissionnaire ; 10 lettres ou chiffres au moins' },
      act: post('cancel'),
    } : {
      title: 'Annuler ce brouillon de consultation',
      lines: ['Le brouillon sera annulé et les besoins reviendront aux membres, qui pourront les reprendre dans une autre consultation.'],
      confirmLabel: 'Annuler la consultation', danger: true, act: post('cancel'),
    }),
  };
  // « Publier » publishes what is on the screen: the draft's fields typed and not yet saved are saved first.
  const publish = async () => {
    message.textContent = '';
    try {
      if (draft) await draft.save();
      await api('POST', `/v1/tenders/${id}/publish`, undefined, { headers: { 'If-Match': `"v${tender.version}"` } });
      toastAfterReload('Consultation publiée.');
      location.reload();
    } catch (error) {
      // A refused publication may name the framework's fields too (its section is further down the page).
      showErrors(document.getElementById('contenu') || draft, error, message);
    }
  };
  const actions = h('div', { class: 'actions' },
    tender.status === 'draft' ? button('Publier', publish) : null,
    tender.status === 'published' ? button('Clore la remise des offres', ask.close) : null,
    launched ? button('Déclarer sans suite', ask.cancel, { class: 'danger' }) : null,
    tender.status === 'draft' ? button('Annuler la consultation', ask.cancel, { class: 'danger' }) : null);
  const header = h('section', { class: 'card' },
    breadcrumb([['#/consultations', 'Consultations'], [null, tender.reference]]),
    h('h1', {}, `${tender.reference} — ${tender.title}`),
    h('p', {}, h('span', { class: `badge ${tender.status}` }, label(tender.status)),
      ` · ${vehicles[tender.vehicle] || tender.vehicle} · ${procedures[tender.procedure] || tender.procedure} · marché du ${date(tender.contract_start)} pour ${tender.duration_months} mois`,
      tender.bid_deadline ? ` · offres jusqu’au ${parisDateTime(tender.bid_deadline_paris)}` : ''),
    launchLine(tender),
    groupementLine(tender),
    h('p', {}, 'Critères : ', tender.criteria.map((c) => `${c.name} ${c.weight} %${c.life_cycle_cost ? ' (coût du cycle de vie)' : ''}${c.environmental ? ' (environnemental)' : ''}`).join(' · ')),
    h('p', { class: 'tie-break' }, `Départage des ex aequo (annoncé dans le règlement de la consultation) : ${tieBreakText(tender)}`),
    draft ? null : conditionLines(tender),
    draft, actions, message);

  const evaluation = ['published', 'closed', 'awarded'].includes(tender.status) ? await api('GET', `/v1/tenders/${id}/evaluation`) : { lots: [] };
  const bidsOf = ['published', 'closed', 'awarded', 'cancelled'].includes(tender.status)
    ? await Promise.all(tender.lots.map((lot) => api('GET', `/v1/tenders/${id}/lots/${lot.id}/bids`).then((r) => r.items)))
    : tender.lots.map(() => []);
  const drawsOf = ['closed', 'awarded'].includes(tender.status)
    ? await Promise.all(tender.lots.map((lot) => api('GET', `/v1/tenders/${id}/lots/${lot.id}/draws`).then((r) => r.items)))
    : tender.lots.map(() => []);
  // After an award, where each awarded lot stands: letters, standstill, signatures, notifications.
  const chainsOf = await Promise.all(tender.lots.map((lot) => (lot.status === 'awarded'
    ? api('GET', `/v1/tenders/${id}/lots/${lot.id}/award-chain`).catch((error) => ({ error })) : null)));
  const memberName = (memberId) => members[memberId]?.code || `membre n° ${memberId}`;
  const lots = tender.lots.map((lot, i) => lotSection(tender, lot, evaluation.lots.find((l) => l.lot_id === lot.id), code,
    suppliers.items, bidsOf[i], drawsOf[i], chainsOf[i], memberName));
  const costs = await costsSection(tender, code);
  const allocation = tender.lots.some((l) => l.status === 'awarded') ? await allocationSection(id, code) : null;
  const supplierName = (sid) => suppliers.items.find((s) => s.id === sid)?.name || `fournisseur ${sid}`;
  const documents = ['closed', 'awarded', 'cancelled'].includes(tender.status)
    ? await documentsSection(tender, { bidsOf, supplierName }).catch(() => null) : null;
  // The procedure advice (officers only): citations, and the warnings to act on.
  const advice = await api('GET', `/v1/tenders/${id}/procedure`).catch(() => null);
  const framework = await frameworkSection(tender, code);
  return h('div', {}, header, advice ? adviceSection(advice) : null, framework, lots, costs, allocation, documents);
}

function adviceSection(advice) {
  return h('section', { class: 'card advice', id: 'avis-procedure' }, h('h2', {}, 'Procédure conseillée'),
    h('p', {}, h('strong', {}, procedures[advice.procedure] || advice.procedure), ` — ${kinds[advice.kind] || advice.kind} (d’après les codes CPV)`,
      ` — seuil européen ${euros(advice.eu_threshold)}, dispense de publicité sous ${euros(advice.no_competition_threshold)}`),
    advice.warnings.length ? h('ul', { class: 'warnings' }, advice.warnings.map((w) => h('li', { 'data-code': w.code }, '⚠ ', h('strong', {}, w.article), ' — ', w.message))) : null,
    h('details', {}, h('summary', {}, 'Fondements'), h('ul', { class: 'citations' }, advice.citations.map((c) => h('li', {}, h('strong', {}, c.article), ' — ', c.text)))));
}

// The officer's estimate of a lot (R2121-1), when the members' references are
// missing or do not reflect the market: it takes precedence and decides the procedure.
function estimateForm(tender, lot) {
  const input = h('input', { type: 'text', inputmode: 'decimal', class: 'officer-estimate', value: lot.officer_estimate ? lot.officer_estimate.replace('.', ',') : '' });
  const general = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'row',
    onsubmit: async (event) => {
      event.preventDefault();
      const value = input.value.trim();
      try {
        await api('PATCH', `/v1/tenders/${tender.id}`, { lots: [{ id: lot.id, officer_estimate: value ? toApiDecimal(value) : null }] },
          { headers: { 'If-Match': `"v${tender.version}"` } });
        location.reload();
      } catch (error) { showErrors(form, error, general); }
    },
  }, field('Estimation de l’acheteur (€ HT)', input, { name: `lots[0].officer_estimate`, hint: 'prévaut sur la somme des références (R2121-1) ; vide : les références' }),
  h('button', { type: 'submit', class: 'secondary' }, 'Enregistrer l’estimation'));
  return h('div', {}, form, general);
}

// The lot's VAT rate (CGI): amounts stay HT, finance reports add TTC at this rate.
const VAT_RATES = [['20.0', '20 % — taux normal'], ['10.0', '10 % — travaux d’amélioration et d’entretien de logements de plus de deux ans (CGI 279-0 bis)'],
  ['5.5', '5,5 % — travaux de rénovation énergétique (CGI 278-0 bis A)']];
function vatForm(tender, lot) {
  const select = h('select', { class: 'vat-rate' }, VAT_RATES.map(([value, text]) => h('option', { value, selected: value === lot.vat_rate }, text)));
  const general = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'row',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api('PATCH', `/v1/tenders/${tender.id}`, { lots: [{ id: lot.id, vat_rate: select.value }] },
          { headers: { 'If-Match': `"v${tender.version}"` } });
        location.reload();
      } catch (error) { showErrors(form, error, general); }
    },
  }, field('Taux de TVA du lot', select, { name: `lots.${lot.id}.vat_rate`, hint: 'les montants restent HT ; les rapports financiers ajoutent le TTC' }),
  h('button', { type: 'submit', class: 'secondary' }, 'Enregistrer le taux'));
  return h('div', {}, form, general);
}

// The launch date: planned on a draft, then the day the notice was sent (set at
// publication, never back-dated); why it closed early.
function launchLine(tender) {
  const parts = [];
  if (tender.status === 'draft') {
    if (tender.launch_date) parts.push(`Lancement prévu le ${date(tender.launch_date)} (la date de lancement sera celle de la publication)`);
  } else if (tender.launch_date) {
    parts.push(`Lancée le ${date(tender.launch_date)} : date d’envoi de l’avis, fixée à la publication`);
  }
  if (tender.close_reason) parts.push(`Close avant la date limite : ${tender.close_reason}`);
  if (tender.cancel_reason) parts.push(`Déclarée sans suite : ${tender.cancel_reason}`);
  return parts.length ? h('p', { class: 'launch' }, parts.join(' · ')) : null;
}

// The minimum time between sending the notice and the deadline, as the API computed it.
function deadlineHint(limit) {
  if (!limit) return undefined;
  if (limit.days === 0) return `pas de délai minimal (${limit.basis}, ${limit.article})`;
  return `au moins ${limit.days} jours après l’envoi de l’avis — ${limit.basis}`;
}

// The execution conditions recorded (L2112-2, L2112-2-1), shown once published.
function conditionLines(tender) {
  const lines = [
    ['Conditions d’exécution environnementales (L2112-2)', tender.environmental_conditions],
    ['Considérations sociales (L2112-2-1)', tender.social_considerations],
    ['Exception aux considérations sociales (L2112-2-1)', tender.social_exception],
  ].filter(([, text]) => text);
  return lines.length ? h('div', {}, lines.map(([title, text]) => h('p', {}, `${title} : ${text}`))) : null;
}

const reductions = { none: 'aucune', prior_information_notice: 'avis de préinformation publié', urgency: 'urgence dûment justifiée' };

// What a draft may still need before publication: its title, the deadline for
// bids (Paris time) and what sets its minimum, the justification of a single lot (L2113-11).
function draftForm(tender, message) {
  const limit = tender.minimum_time_limit;
  const controls = {
    title: h('input', { type: 'text', value: tender.title, maxlength: 200 }),
    bid_deadline: h('input', { type: 'datetime-local', value: parisLocal(tender.bid_deadline) }),
    allotment_justification: h('textarea', { rows: 2 }, tender.allotment_justification || ''),
    // The execution conditions required from 2026-08-21 (L2112-2, L2112-2-1).
    environmental_conditions: h('textarea', { rows: 3, maxlength: 4000 }, tender.environmental_conditions || ''),
    social_considerations: h('textarea', { rows: 3, maxlength: 4000 }, tender.social_considerations || ''),
    social_exception: h('textarea', { rows: 2, maxlength: 4000 }, tender.social_exception || ''),
    time_limit_reduction: tender.procedure === 'formal'
      ? h('select', {}, Object.entries(reductions).map(([v, t]) => h('option', { value: v, selected: v === tender.time_limit_reduction }, t)))
      : null,
    mapa_minimum_days: tender.procedure === 'adapted'
      ? h('input', { type: 'number', min: 1, max: 365, value: tender.mapa_minimum_days })
      : null,
    tie_break: tieBreakSelect(tender),
  };
  // Saves the fields as typed (the tender's version follows, for the next step on the page).
  const save = async () => {
    const body = {
      title: controls.title.value,
      allotment_justification: controls.allotment_justification.value,
      environmental_conditions: controls.environmental_conditions.value,
      social_considerations: controls.social_considerations.value,
      social_exception: controls.social_exception.value,
      tie_break: controls.tie_break.value,
    };
    // The Paris wall-clock time typed, sent as the instant with Paris's offset of that day.
    if (controls.bid_deadline.value) body.bid_deadline = parisDeadline(controls.bid_deadline.value, 'bid_deadline');
    if (controls.time_limit_reduction) body.time_limit_reduction = controls.time_limit_reduction.value;
    if (controls.mapa_minimum_days) body.mapa_minimum_days = Number(controls.mapa_minimum_days.value);
    const saved = await api('PATCH', `/v1/tenders/${tender.id}`, body, { headers: { 'If-Match': `"v${tender.version}"` } });
    tender.version = saved.version;
    return saved;
  };
  const form = h('form', {
    class: 'subcard',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await save();
        toastAfterReload('Consultation enregistrée.');
        location.reload();
      } catch (error) { showErrors(form, error, message); }
    },
  }, h('h2', {}, 'Compléter avant publication'),
  h('div', { class: 'row' }, field('Intitulé de la consultation', controls.title, { name: 'title' }),
    field('Date limite de remise des offres (heure de Paris)', controls.bid_deadline,
      { name: 'bid_deadline', hint: deadlineHint(limit) })),
  controls.time_limit_reduction ? field('Réduction du délai (R2161-3)', controls.time_limit_reduction, { name: 'time_limit_reduction' }) : null,
  controls.mapa_minimum_days ? field('Délai raisonnable de la procédure adaptée (jours, R2123-4)', controls.mapa_minimum_days,
    { name: 'mapa_minimum_days' }) : null,
  field('Départage des offres ex aequo', controls.tie_break,
    { name: 'tie_break', hint: 'annoncé dans le règlement de la consultation, figé à la publication ; l’ordre de saisie ne départage jamais' }),
  field('Justification de l’absence d’allotissement', controls.allotment_justification,
    { name: 'allotment_justification', hint: 'obligatoire pour une consultation en un seul lot (L2113-11)' }),
  field('Conditions d’exécution environnementales', controls.environmental_conditions, {
    name: 'environmental_conditions',
    hint: 'résumé de la clause environnementale ; obligatoire pour une consultation lancée à partir du 21/08/2026 (L2112-2 modifié par la loi 2021-1104, art. 35)',
  }),
  field('Considérations sociales', controls.social_considerations, {
    name: 'social_considerations',
    hint: tender.procedure === 'formal'
      ? 'résumé de la clause sociale ; obligatoire pour une procédure formalisée lancée à partir du 21/08/2026, sauf exception justifiée ci-dessous (L2112-2-1)'
      : 'résumé de la clause sociale ; facultatif sous les seuils européens (L2112-2-1)',
  }),
  field('Exception aux considérations sociales (justification)', controls.social_exception, {
    name: 'social_exception',
    hint: 'le besoin ne le permet pas, cela restreindrait la concurrence ou rendrait l’exécution techniquement ou économiquement difficile (L2112-2-1)',
  }),
  h('fieldset', { 'data-field': 'criteria', class: 'plain' }, h('p', { class: 'field-error', role: 'alert' })),
  h('button', { type: 'submit', class: 'secondary' }, 'Enregistrer'));
  form.save = save;
  return form;
}


function lotSection(tender, lot, evaluation, code, suppliers, bids, draws, chain, memberName) {
  const supplierName = (sid) => suppliers.find((s) => s.id === sid)?.name || `fournisseur ${sid}`;
  const general = h('p', { class: 'error', role: 'alert' });
  const decisionSlot = h('div', { class: 'decision-slot' });
  const decisionsOpen = lot.status === 'open' && tender.status === 'closed';
  // « Attribuer » only where the award can be made: a better-ranked bid still awaiting a decision
  // (neither awardable nor eliminated) holds the award back, as the API would refuse it.
  const eliminated = (x) => x.eliminated;
  const waitingFor = (b) => (evaluation?.bids || []).filter((x) => x.rank < b.rank && !x.awardable && !eliminated(x));
  // The formula's flag (an eliminated bid keeps the one its price has among the ranked bids),
  // or the officer's doubt.
  const lowFlag = (b, bid) => {
    if (b.abnormally_low) return h('span', { class: 'badge warn' }, 'oui');
    if ((bid?.decisions || []).some((d) => d.decision === 'price_questioned')) return h('span', { class: 'badge warn' }, 'mis en doute');
    return 'non';
  };
  // A bid is corrected until its lot is awarded (the API refuses what it must).
  const correctable = lot.status === 'open' && ['published', 'closed'].includes(tender.status);
  // A refused award lists each better-ranked bid still awaiting a decision ("bids[<id>]").
  const bidLabel = (field) => {
    const id = Number(/^bids\[(\d+)\]$/.exec(field)?.[1]);
    const bid = evaluation?.bids.find((b) => b.bid_id === id);
    return bid ? `${supplierName(bid.supplier_id)}, ` : '';
  };
  // The award's refusal lists each better-ranked bid still awaiting a decision, by its bidder.
  const postAward = async (body) => {
    try {
      await api('POST', `/v1/tenders/${tender.id}/lots/${lot.id}/award`, body);
    } catch (error) {
      error.fields = (error.fields || []).map((f) => ({ ...f, message: `${bidLabel(f.field)}${f.message}` }));
      throw error;
    }
    toastAfterReload(body.unsuccessful ? `Lot ${lot.number} déclaré infructueux.` : `Lot ${lot.number} attribué.`);
    location.reload();
  };
  const award = (b) => () => confirmDialog({
    title: `Attribuer le lot ${lot.number}`,
    lines: [`Le lot ${lot.number} — ${lot.title} sera attribué à ${supplierName(b.supplier_id)} pour ${euros(b.total_price)} HT (rang ${b.rank}, note pondérée ${b.weighted_total.replace('.', ',')}).`,
      'Les marchés de chaque membre seront établis à ce prix ; les autres soumissionnaires devront recevoir une lettre de rejet avant la signature.',
      'Cette décision ne se reprend pas.'],
    confirmLabel: 'Attribuer le lot', act: () => postAward({ bid_id: b.bid_id }),
  });
  // A bid recorded by mistake is removed while nothing was decided on it (the audit trail keeps it).
  const bidOf = (b) => bids.find((x) => x.id === b.bid_id);
  const removable = (b) => correctable && bidOf(b) && !bidOf(b).decisions?.length
    && bidOf(b).regularity === 'received' && bidOf(b).price_review === 'none';
  const remove = (b) => () => confirmDialog({
    title: `Supprimer l’offre de ${supplierName(b.supplier_id)}`,
    lines: [`L’offre de ${supplierName(b.supplier_id)} sur le lot ${lot.number} (${euros(b.total_price)} HT) sera retirée de la consultation ; le journal d’audit la garde telle qu’elle était.`,
      'À réserver à une offre enregistrée par erreur : une offre reçue se juge, elle ne se supprime pas.'],
    confirmLabel: 'Supprimer l’offre', danger: true,
    act: async () => {
      await api('DELETE', `/v1/bids/${b.bid_id}`, undefined, { headers: { 'If-Match': `"v${bidOf(b).version}"` } });
      toastAfterReload(`Offre de ${supplierName(b.supplier_id)} supprimée.`);
      location.reload();
    },
  });
  const unsuccessful = () => confirmDialog({
    title: `Déclarer le lot ${lot.number} infructueux`,
    lines: ['Aucun marché ne sera établi pour ce lot ; les besoins de ses membres reviendront à chacun.'],
    confirmLabel: 'Déclarer infructueux', danger: true,
    reason: { label: 'Motif', required: true, hint: 'aucune offre, aucune offre acceptable…' },
    act: (reason) => postAward({ unsuccessful: true, reason }),
  });
  const ranking = evaluation && evaluation.bids.length ? table([
    { label: 'Rang', cell: rankCell },
    { label: 'Soumissionnaire', cell: (b) => supplierName(b.supplier_id) },
    { label: 'Prix unitaire', numeric: true, cell: (b) => price(b.unit_price) },
    { label: 'Montant du lot', numeric: true, cell: (b) => euros(b.total_price) },
    { label: 'Note prix', numeric: true, cell: (b) => score(b.price_score) },
    { label: 'Autres notes', cell: (b) => Object.entries(b.scores).map(([k, v]) => `${k} ${score(v)}`).join(' · ') },
    // An eliminated bid keeps its marks for the record, out of the ranking.
    { label: 'Note pondérée', numeric: true, cell: (b) => (eliminated(b) ? h('span', {}, score(b.weighted_total), h('small', { class: 'excluded' }, ' écartée')) : h('strong', {}, score(b.weighted_total))) },
    { label: 'Anormalement basse', cell: (b) => lowFlag(b, bids.find((x) => x.id === b.bid_id)) },
    { label: 'Décision', cell: (b) => h('div', { class: 'actions small' },
      decisionCell(b, bids.find((x) => x.id === b.bid_id), { open: decisionsOpen, supplierName: supplierName(b.supplier_id), formSlot: decisionSlot }),
      correctable && bids.find((x) => x.id === b.bid_id) ? button('Corriger…', () => {
        decisionSlot.replaceChildren(bidCorrectionForm(tender, bids.find((x) => x.id === b.bid_id), supplierName(b.supplier_id), () => decisionSlot.replaceChildren()));
        decisionSlot.querySelector('input, textarea')?.focus();
      }, { class: 'secondary small', 'aria-label': `Corriger l’offre de ${supplierName(b.supplier_id)}` }) : null,
      removable(b) ? button('Supprimer', remove(b), { class: 'danger small', 'aria-label': `Supprimer l’offre de ${supplierName(b.supplier_id)}` }) : null,
      b.awardable && decisionsOpen && !waitingFor(b).length ? button('Attribuer le lot', award(b)) : null,
      b.awardable && decisionsOpen && waitingFor(b).length
        ? h('small', { class: 'waiting' }, `attribuable après une décision sur l’offre de ${waitingFor(b).map((x) => supplierName(x.supplier_id)).join(', ')}, mieux classée`) : null) },
  ], evaluation.bids, { caption: 'Analyse des offres' }) : h('p', { class: 'empty' }, 'Aucune offre enregistrée.');

  // Bids are recorded while the tender is published (none after closing).
  const bidForm = lot.status === 'open' && tender.status === 'published' ? newBidForm(tender, lot, suppliers) : null;
  return h('section', { class: 'card lot', 'data-lot': lot.number },
    h('h2', {}, `Lot ${lot.number} — ${lot.title}`, ' ', h('span', { class: `badge ${lot.status}` }, label(lot.status))),
    winnerLine(lot, chain, evaluation, bids, supplierName),
    h('p', {}, `${quantityWithUnit(lot.quantity, lot.unit)} · valeur estimée ${euros(lot.estimated_value)}`,
      lot.officer_estimate ? ` · estimation de l’acheteur ${euros(lot.officer_estimate)}` : '', ` · CPV ${lot.cpv}`,
      ` · TVA ${lot.vat_rate.replace('.0', '').replace('.', ',')} %`),
    tender.status === 'draft' ? estimateForm(tender, lot) : null,
    tender.status === 'draft' ? vatForm(tender, lot) : null,
    consumptionLink(tender, lot),
    table([{ label: 'Membre', cell: (m) => code(m.member_id) }, { label: 'Quantité', numeric: true, cell: (m) => quantityWithUnit(m.quantity, lot.unit) },
      { label: 'Valeur de référence', numeric: true, cell: (m) => euros(m.reference_value) }], lot.members),
    ranking, drawForms(tender, lot, evaluation, supplierName), decisionSlot, decisionHistory(bids, supplierName),
    drawHistory(draws, evaluation, supplierName), general,
    lot.status === 'open' && tender.status === 'closed' ? button('Déclarer le lot infructueux', unsuccessful, { class: 'secondary' }) : null,
    chain?.error ? h('p', { class: 'error', role: 'alert' }, `Après l’attribution : ${chain.error.message}`) : null,
    chain && !chain.error ? awardChainSection(tender, lot, chain, { bids, supplierName, memberName }) : null,
    lot.status === 'awarded' ? referencesBlock(tender, lot, memberName) : null,
    bidForm);
}

// An awarded lot names its winner and the price of the award (the bid the award chain records).
function winnerLine(lot, chain, evaluation, bids, supplierName) {
  if (lot.status !== 'awarded' || !chain || chain.error || !chain.winning_bid_id) return null;
  const evaluated = evaluation?.bids.find((b) => b.bid_id === chain.winning_bid_id);
  const bid = bids.find((b) => b.id === chain.winning_bid_id);
  const supplierId = evaluated?.supplier_id ?? bid?.supplier_id;
  return h('p', { class: 'winner' }, h('strong', {}, `Attribué à ${supplierName(supplierId)}`),
    evaluated ? ` pour ${euros(evaluated.total_price)} HT (prix unitaire ${price(evaluated.unit_price)}, note pondérée ${evaluated.weighted_total.replace('.', ',')})` : '',
    chain.decided_on ? ` — décision du ${date(chain.decided_on)}` : '');
}

// The reference each member's savings were computed against (issue 19): its source, date and
// actualisation, as frozen at the award. Filled when the answer arrives.
function referencesBlock(tender, lot, memberName) {
  const block = h('section', { class: 'references', 'data-references': lot.number }, h('h3', {}, 'Référence des gains'));
  api('GET', `/v1/tenders/${tender.id}/lots/${lot.id}/savings-references`).then((answer) => {
    const rows = answer.members.flatMap((m) => m.parts.map((p) => ({ ...p, member_id: m.member_id })));
    block.append(rows.length ? table([
      { label: 'Membre', cell: (r) => memberName(r.member_id) },
      { label: 'Référence saisie HT', numeric: true, cell: (r) => euros(r.raw) },
      { label: 'Référence retenue HT', numeric: true, cell: (r) => euros(r.actualised) },
      { label: 'Origine', cell: (r) => h('span', { class: r.missing ? 'error' : '' }, r.explanation) },
    ], rows, { caption: 'Prix de référence utilisés pour les gains' }) : h('p', { class: 'empty' }, 'Pas de détail de référence pour ce lot.'));
  }).catch((error) => block.append(h('p', { class: 'error' }, error.message)));
  return block;
}

function newBidForm(tender, lot, suppliers) {
  const supplier = h('select', {}, suppliers.map((s) => h('option', { value: s.id }, s.name)));
  const tiers = h('tbody', {});
  const addTier = (min = '0', unitPrice = '') => tiers.append(h('tr', {},
    h('td', {}, h('input', { type: 'text', class: 'tier-min', value: min, 'aria-label': 'Quantité minimale' })),
    h('td', {}, h('input', { type: 'text', class: 'tier-price', value: unitPrice, 'aria-label': 'Prix unitaire HT' }))));
  addTier();
  const scores = tender.criteria.filter((c) => !c.price && !c.life_cycle_cost).map((c) => [c.name, h('input', { type: 'text', inputmode: 'decimal', class: 'score' })]);
  const receivedAt = h('input', { type: 'datetime-local' });
  const general = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'subcard',
    onsubmit: async (event) => {
      event.preventDefault();
      const body = {
        supplier_id: Number(supplier.value),
        tiers: [...tiers.rows].map((row) => ({ min_quantity: toApiDecimal(row.querySelector('.tier-min').value), unit_price: toApiDecimal(row.querySelector('.tier-price').value) })),
        scores: Object.fromEntries(scores.filter(([, input]) => input.value.trim()).map(([name, input]) => [name, toApiDecimal(input.value)])),
      };
      try {
        if (receivedAt.value) body.received_at = parisDeadline(receivedAt.value, 'received_at');
        await api('POST', `/v1/tenders/${tender.id}/lots/${lot.id}/bids`, body);
        toastAfterReload(`Offre enregistrée sur le lot ${lot.number}.`);
        location.reload();
      } catch (error) { showErrors(form, error, general); }
    },
  }, h('h3', {}, 'Enregistrer une offre'),
  field('Soumissionnaire', supplier, { name: 'supplier_id' }),
  h('div', { 'data-field': 'tiers' }, scrolling(h('table', { class: 'tiers' }, h('caption', {}, 'Prix par tranche (toutes unités au prix de la tranche atteinte)'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'À partir de (quantité)'), h('th', { scope: 'col' }, 'Prix unitaire HT (€)'))), tiers)),
  button('Ajouter une tranche', () => addTier('', ''), { class: 'secondary' }), h('p', { class: 'field-error', role: 'alert' })),
  h('div', { class: 'row' }, scores.map(([name, input]) => field(`Note ${name} (0–100)`, input, { name: `scores.${name}` }))),
  field('Reçue le (heure de Paris)', receivedAt,
    { name: 'received_at', hint: `maintenant si vide ; une offre reçue après le ${parisDateTime(tender.bid_deadline_paris)} est éliminée (R2151-5)` }),
  h('p', { class: 'hint' }, 'La régularité de l’offre s’examine après la clôture de la réception des offres.'),
  general, h('button', { type: 'submit' }, 'Enregistrer l’offre'));
  return form;
}

async function costsSection(tender, code) {
  const costs = await api('GET', `/v1/tenders/${tender.id}/costs`).catch(() => ({ items: [] }));
  const label_ = h('input', { type: 'text', placeholder: 'Publicité BOAMP' });
  const amount = h('input', { type: 'text', inputmode: 'decimal' });
  const key = h('select', {}, [['contract_value', 'au prorata des marchés'], ['quantity', 'au prorata des quantités'], ['equal', 'à parts égales']]
    .map(([v, t]) => h('option', { value: v }, t)));
  const eligible = h('input', { type: 'checkbox' });
  const general = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'subcard',
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api('POST', `/v1/tenders/${tender.id}/costs`, { label: label_.value, amount: toApiDecimal(amount.value), key: key.value, subsidy_eligible: eligible.checked });
        toastAfterReload(`Frais « ${label_.value} » enregistré.`);
        location.reload();
      } catch (error) { showErrors(form, error, general); }
    },
  }, h('h3', {}, 'Ajouter un frais mutualisé'),
  h('div', { class: 'row' }, field('Libellé', label_, { name: 'label' }), field('Montant HT (€)', amount, { name: 'amount' }), field('Clé de répartition', key, { name: 'key' })),
  h('div', { class: 'field check' }, eligible, h('label', { for: eligible.id = 'eligible' }, 'Éligible à la subvention CGLLS')), general,
  h('button', { type: 'submit' }, 'Ajouter'));
  // A cost recorded by mistake is removed (the audit log keeps it); to correct it, add it again.
  const remove = (c) => () => confirmDialog({
    title: `Supprimer le frais « ${c.label} »`,
    lines: [`Le frais de ${euros(c.amount)} HT sera retiré de la consultation et les autres frais seront répartis à nouveau ; le journal d’audit le garde tel qu’il était.`,
      'Pour corriger un frais, supprimez-le puis ajoutez-le de nouveau.'],
    confirmLabel: 'Supprimer le frais', danger: true,
    act: async () => {
      await api('DELETE', `/v1/tenders/${tender.id}/costs/${c.id}`);
      toastAfterReload(`Frais « ${c.label} » supprimé.`);
      location.reload();
    },
  });
  const editable = tender.status !== 'cancelled';
  return h('section', { class: 'card' }, h('h2', {}, 'Frais mutualisés'),
    table([{ label: 'Frais', cell: (c) => c.label }, { label: 'Montant', numeric: true, cell: (c) => euros(c.amount) },
      { label: 'Répartition', cell: (c) => c.allocation.map((a) => `${code(a.member_id)} ${euros(a.share)}`).join(' · ') || 'après attribution' },
      { label: 'Subvention', cell: (c) => (c.subsidy_eligible ? `${percent(c.subsidy_rate)} : ${c.allocation.map((a) => `${code(a.member_id)} ${euros(a.subsidy)}`).join(' · ')}` : '—') },
      ...(editable ? [{ label: 'Action', cell: (c) => button('Supprimer', remove(c), { class: 'danger', 'aria-label': `Supprimer le frais ${c.label}` }) }] : [])],
    costs.items, { empty: 'Aucun frais.' }), editable ? form : null);
}

async function allocationSection(id, code) {
  const methods = Object.keys(allocationMethods);
  const names = Object.fromEntries(methods.map((m) => [m, allocationMethods[m].name]));
  // One after the other: the server computes at most two allocations at once per user
  // (429 beyond), and one refusal would replace the whole page.
  const results = [];
  for (const m of methods) results.push(await api('GET', `/v1/tenders/${id}/allocation?method=${m}`));
  const base = results[0];
  const columns = [{ label: 'Membre', cell: (m) => code(m.member_id) },
    { label: 'Marché', numeric: true, cell: (m) => euros(m.contract) }, { label: 'Gains', numeric: true, cell: (m) => euros(m.savings) },
    { label: 'Effet mutualisation', numeric: true, cell: (m) => euros(m.pooling_effect) },
    ...methods.slice(1).flatMap((method, i) => [
      { label: `${names[method]} : part`, numeric: true, cell: (m) => euros(results[i + 1].members.find((x) => x.member_id === m.member_id)?.fair_share) },
      { label: 'transfert', numeric: true, cell: (m) => euros(results[i + 1].members.find((x) => x.member_id === m.member_id)?.transfer) }])];
  return h('section', { class: 'card', id: 'repartition' }, h('h2', {}, 'Répartition du gain de mutualisation'),
    h('p', {}, `Gain de mutualisation : ${euros(base.totals.pooling_effect)}. `, coreSentence(base.in_core)),
    h('dl', { class: 'methods', id: 'methodes-repartition' }, methods.flatMap((m) => [h('dt', {}, allocationMethods[m].name), h('dd', {}, allocationMethods[m].help)])),
    table(columns, base.members, { caption: 'Le transfert est ce que chaque membre devrait recevoir (négatif : verser) pour passer du prix unique à la méthode.' }));
}
