// After a lot's award (R2181-1 to R2183-1): the letters to the bidders, the standstill,
// each member contract's signature and notification, and the award notice's last day.
// The API decides everything (stage, standstill, refusals); this page shows it and asks.
import { api, session } from '../api.js';
import { h, field, table } from '../dom.js';
import { date, longDate, parisDay, parisMoment, daysUntil } from '../format.js';
import { downloadPdf, produceDocument, documentKept } from './documents.js';

const letterLabels = { award: 'courrier d’attribution', rejection: 'courrier de rejet' };
const meansLabels = { electronic: 'voie électronique', post: 'autre moyen (courrier)' };

// The section of an awarded lot: `chain` as the API gave it, `bids` the lot's bids
// ({ id, supplier_id }), `supplierName(id)` and `memberName(id)` from the tender view.
export function awardChainSection(tender, lot, chain, { bids, supplierName, memberName }) {
  const section = h('section', { class: 'subcard award-chain', 'data-lot': lot.number, id: `apres-attribution-${lot.number}` });
  const officer = session.me()?.role === 'officer';
  const path = `/v1/tenders/${tender.id}/lots/${lot.id}`;
  const bidderName = (bidId) => {
    const bid = bids.find((b) => b.id === bidId);
    return bid ? supplierName(bid.supplier_id) : `offre n° ${bidId}`;
  };
  // A refusal is shown as the API says it, except the one that lists bid ids: its bidders are named.
  const refusal = (error, chain) => (error.code === 'contract.signature.letters_missing'
    ? `Tous les soumissionnaires doivent avoir été informés avant la signature (R2181-1 à R2181-4) ; courriers à envoyer : ${chain.letters_missing.map(bidderName).join(', ')}.`
    : error.message);

  const render = (current) => {
    const letterError = h('p', { class: 'error', role: 'alert' });
    const contractError = h('p', { class: 'error', role: 'alert' });
    const reload = async () => render(await api('GET', `${path}/award-chain`));
    // Every irreversible step is confirmed first; a refusal shows the API's French detail.
    const step = (question, call, slot) => async (event) => {
      event?.preventDefault();
      if (!confirm(typeof question === 'function' ? question() : question)) return;
      try {
        const answer = await call();
        if (answer?.stage) render(answer); else await reload();
      } catch (error) { slot.textContent = refusal(error, current); }
    };

    // The bidders, the winner first (its letter is the award letter; the others' a rejection).
    const ids = [...new Set([current.winning_bid_id, ...current.letters.map((l) => l.bid_id), ...current.letters_missing])];
    const letterRows = ids.map((bidId) => ({ bidId, letter: current.letters.find((l) => l.bid_id === bidId) }));
    const letterForm = (bidId) => {
      const kind = bidId === current.winning_bid_id ? 'award' : 'rejection';
      const means = h('select', {}, Object.entries(meansLabels).map(([v, t]) => h('option', { value: v }, t)));
      const sentAt = h('input', { type: 'datetime-local' });
      const name = bidderName(bidId);
      return h('form', {
        class: 'inline letter',
        onsubmit: step(`Enregistrer le ${letterLabels[kind]} envoyé à ${name} ? Il ne pourra plus être modifié.`, () => {
          const body = { bid_id: bidId, kind, means: means.value };
          if (sentAt.value) body.sent_at = sentAt.value;  // Paris time
          return api('POST', `${path}/letters`, body);
        }, letterError),
      }, field('Moyen d’envoi', means, { name: 'means' }),
      field('Envoyé le (heure de Paris)', sentAt, { name: 'sent_at', hint: 'maintenant si vide' }),
      h('button', {
        type: 'button', class: 'secondary prepare',
        onclick: async (event) => {
          letterError.textContent = '';
          try {
            const doc = await api('POST', `${path}/letters/prepare`, { bid_id: bidId, means: means.value });
            documentKept();
            await downloadPdf(`/v1/documents/${doc.id}`, doc.reference.replace(/[^A-Za-z0-9-]/g, '_'));
            event.target.closest('form').querySelector('.prepared').textContent =
              `Courrier préparé (${meansLabels[doc.letter_means]}) et conservé : envoyez-le, puis enregistrez l’envoi.`;
          } catch (error) { letterError.textContent = error.message; }
        },
      }, 'Préparer le courrier (PDF)'),
      h('span', { class: 'prepared hint' }),
      h('button', { type: 'submit', class: 'secondary' }, 'Enregistrer l’envoi'));
    };
    const letters = table([
      { label: 'Soumissionnaire', cell: (r) => bidderName(r.bidId) },
      { label: 'Courrier', cell: (r) => letterLabels[r.bidId === current.winning_bid_id ? 'award' : 'rejection'] },
      {
        label: 'Envoi',
        cell: (r) => (r.letter
          ? h('span', {}, h('span', { class: 'sent' }, `envoyé le ${parisMoment(r.letter.sent_at)} par ${meansLabels[r.letter.means] || r.letter.means}`), ' ',
            officer && r.letter.document_id
              ? h('button', {
                type: 'button', class: 'secondary download',
                onclick: () => downloadPdf(`/v1/documents/${r.letter.document_id}`, `courrier-${r.bidId}`),
              }, 'Courrier envoyé (PDF)') : null)
          : officer ? letterForm(r.bidId) : 'à envoyer'),
      },
    ], letterRows, { caption: 'Courriers aux soumissionnaires (R2181-1 à R2181-4)' });

    // Signing, then notifying, a member contract: a date (today by default), confirmed first.
    const dateForm = (label, verb, question, call) => {
      const day = h('input', { type: 'date', value: parisDay(), max: parisDay() });
      return h('form', { class: 'inline contract-step', onsubmit: step(() => question(day.value), () => call(day.value), contractError) },
        field(label, day), h('button', { type: 'submit' }, verb));
    };
    const signForm = (c, member) => dateForm('Date de signature', 'Signer',
      (day) => `Signer le marché de ${member} le ${date(day)} ? La signature ne peut pas être annulée.`,
      (day) => api('POST', `/v1/contracts/${c.id}/signature`, { signed_on: day }, { headers: { 'If-Match': `"v${c.version}"` } }));
    const notifyForm = (c, member) => dateForm('Date de notification', 'Notifier',
      (day) => `Notifier le marché de ${member} au titulaire le ${date(day)} ? Il entrera en vigueur ce jour-là (R2182-4).`,
      (day) => api('POST', `/v1/contracts/${c.id}/notification`, { notified_on: day }, { headers: { 'If-Match': `"v${c.version}"` } }));
    // The contracts are signed only once the chain allows it (every bidder written to, the
    // standstill over); before that the page says when, and offers no form.
    const signable = current.stage === 'to_sign';
    const unsigned = current.stage === 'letters_to_send' ? 'à signer après les courriers'
      : current.stage === 'standstill' && current.standstill ? `à signer à partir du ${longDate(current.standstill.signature_from)}`
        : 'à signer';
    const signatureWhen = current.stage === 'letters_to_send' && current.letters_missing.length
      ? h('p', { class: 'signature-when' }, 'Signature possible une fois tous les soumissionnaires informés (R2181-1 à R2181-4) ; courriers à envoyer : ',
        h('strong', {}, current.letters_missing.map(bidderName).join(', ')), '.')
      : null;
    const contractRows = current.contracts.map((c) => ({ c, member: memberName(c.member_id) }));
    const contracts = table([
      { label: 'Membre', cell: (r) => r.member },
      { label: 'Signature', cell: (r) => (r.c.signed_on ? `signé le ${date(r.c.signed_on)}` : officer && signable ? signForm(r.c, r.member) : unsigned) },
      {
        label: 'Notification',
        cell: (r) => (r.c.notified_on ? `notifié le ${date(r.c.notified_on)}`
          : r.c.signed_on && officer ? notifyForm(r.c, r.member) : r.c.signed_on ? 'à notifier' : '—'),
      },
      { label: 'État', cell: (r) => (r.c.in_force ? h('span', { class: 'badge awarded' }, 'en vigueur') : r.c.signed_on ? 'signé' : 'non signé') },
      ...(officer ? [{
        label: 'Acte d’engagement',
        cell: (r) => h('button', {
          type: 'button', class: 'secondary contract-summary',
          onclick: () => produceDocument(tender.id, { kind: 'contract_summary', contract_id: r.c.id })
            .catch((error) => { contractError.textContent = error.message; }),
        }, 'Synthèse (PDF)'),
      }] : []),
    ], contractRows, { caption: 'Marchés des membres (R2182-4 : en vigueur à la notification)' });

    section.replaceChildren(...[
      h('h3', {}, 'Après l’attribution'),
      h('p', { class: 'stage' }, 'Étape : ', h('strong', {}, current.stage_label),
        ` · décision d’attribution du ${date(current.decided_on)}`),
      letters, letterError,
      standstillPart(current, path, officer, render),
      signatureWhen, contracts, contractError,
      awardNoticePart(tender, current, path, officer, render)].filter(Boolean));
  };
  render(chain);
  return section;
}

// The award notice (R2183-1): its last day once a contract is signed, its content
// field by field and as a PDF, the day it was sent.
function awardNoticePart(tender, chain, path, officer, render) {
  const part = h('div', { class: 'award-notice' });
  const error = h('p', { class: 'error', role: 'alert' });
  const lines = [];
  if (chain.award_notice_sent_on) {
    lines.push(h('p', {}, `Avis d’attribution envoyé le ${date(chain.award_notice_sent_on)}`,
      chain.award_notice_late ? h('strong', {}, ` — après le ${date(chain.award_notice_due)}, hors du délai de 30 jours (R2183-1)`) : '', '.'));
  } else if (chain.award_notice_due) {
    lines.push(h('p', {}, `Avis d’attribution à publier au plus tard le ${date(chain.award_notice_due)} (R2183-1).`));
  }
  if (officer) {
    const fields = h('div', { class: 'notice-fields' });
    const buttons = [
      h('button', {
        type: 'button', class: 'secondary',
        onclick: async () => {
          try {
            const content = await api('GET', `${path}/award-notice`);
            fields.replaceChildren(table([
              { label: 'Rubrique', cell: (f) => f.label },
              { label: 'Contenu', cell: (f) => f.value || h('em', {}, 'à compléter') },
            ], content.fields, { caption: 'Contenu de l’avis d’attribution' }));
          } catch (e) { error.textContent = e.message; }
        },
      }, 'Contenu de l’avis'),
      h('button', {
        type: 'button', class: 'secondary award-notice-pdf',
        onclick: () => produceDocument(tender.id, { kind: 'award_notice', lot_id: chain.lot_id })
          .catch((e) => { error.textContent = e.message; }),
      }, 'Avis d’attribution (PDF)'),
    ];
    if (chain.first_signed_on && !chain.award_notice_sent_on) {
      const day = h('input', { type: 'date', value: parisDay(), max: parisDay(), min: chain.first_signed_on });
      buttons.push(h('form', {
        class: 'inline award-notice-sent',
        onsubmit: async (event) => {
          event.preventDefault();
          if (!confirm(`Enregistrer l’envoi de l’avis d’attribution le ${date(day.value)} ?`)) return;
          try { render(await api('POST', `${path}/award-notice`, { sent_on: day.value })); } catch (e) { error.textContent = e.message; }
        },
      }, field('Avis envoyé le', day, { name: 'sent_on' }), h('button', { type: 'submit' }, 'Enregistrer l’envoi de l’avis')));
    }
    lines.push(h('div', { class: 'actions' }, buttons), fields, error);
  }
  part.replaceChildren(...lines);
  return lines.length ? part : null;
}

// The standstill (R2182-1): its end once the rejection letters are out; under a procedure
// other than the formal one, before any rejection letter, the officer may choose one.
function standstillPart(chain, path, officer, render) {
  const lines = [];
  if (chain.standstill) {
    const left = daysUntil(chain.standstill.signature_from);
    lines.push(h('p', { class: 'standstill' },
      `Délai de suspension : courriers de rejet envoyés le ${date(chain.standstill.last_letter_on)}. `,
      h('strong', {}, `Signature possible à partir du ${longDate(chain.standstill.signature_from)}`),
      left > 0 ? ` (encore ${left} jour${left > 1 ? 's' : ''}).` : ' (délai écoulé).'));
  } else if (chain.procedure === 'formal') {
    lines.push(h('p', { class: 'standstill' },
      'Délai de suspension (R2182-1) : 11 jours après le dernier courrier de rejet envoyé par voie électronique, 16 jours par un autre moyen.'));
  } else if (chain.chosen_standstill_days) {
    lines.push(h('p', { class: 'standstill' },
      `Délai de suspension choisi : ${chain.chosen_standstill_days} jours après le dernier courrier de rejet.`));
  } else {
    lines.push(h('p', { class: 'standstill' }, 'Aucun délai de suspension : procédure non formalisée, signature possible dès l’envoi des courriers.'));
  }
  const rejectionSent = chain.letters.some((l) => l.kind === 'rejection');
  if (officer && chain.procedure !== 'formal' && !rejectionSent) {
    const days = h('input', { type: 'number', min: 1, max: 60, value: chain.chosen_standstill_days ?? '' });
    const general = h('p', { class: 'error', role: 'alert' });
    const form = h('form', {
      class: 'inline standstill-choice',
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          render(await api('POST', `${path}/standstill`, { days: days.value.trim() ? Number(days.value) : null }));
        } catch (error) { general.textContent = error.message; }
      },
    }, field('Délai de suspension choisi (jours)', days, { name: 'days', hint: 'de 1 à 60 ; vide : aucun ; modifiable jusqu’au premier courrier de rejet' }),
    h('button', { type: 'submit', class: 'secondary' }, 'Enregistrer le délai'));
    lines.push(form, general);
  }
  return h('div', {}, lines);
}
