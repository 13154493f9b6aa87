// The documents of a procedure (R2181-3, R2183-1, R2184-1, R2185-2): the letters kept
// as sent, the award notice, the rapport de présentation, the members' contract
// summaries, the closure letters. Each PDF is kept as produced with its SHA-256; the
// page lists them, downloads them and asks the API to produce new ones.
import { api, session } from '../api.js';
import { h, table, button } from '../dom.js';
import { date, parisMoment } from '../format.js';

// Downloads a PDF the API answers (the session's token is a header, so a plain link
// cannot carry it): fetched, then saved under `name`.
export async function downloadPdf(path, name) {
  const response = await api('GET', path, undefined, { raw: true, accept: 'application/pdf' });
  const blob = await response.blob();
  const link = h('a', { href: URL.createObjectURL(blob), download: `${name}.pdf` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

const fileName = (reference) => reference.replace(/[^A-Za-z0-9-]/g, '_');

export const downloadDocument = (doc) => downloadPdf(`/v1/documents/${doc.id}`, fileName(doc.reference));

// Told whenever a document is kept, so that the list of the procedure's documents follows.
export const documentKept = () => document.dispatchEvent(new CustomEvent('canopee:document-kept'));

// Produces a document (POST /v1/tenders/{id}/documents), then downloads it.
export async function produceDocument(tenderId, body) {
  const doc = await api('POST', `/v1/tenders/${tenderId}/documents`, body);
  documentKept();
  await downloadDocument(doc);
  return doc;
}

// The tender's documents, with what the officer may produce at the tender's level:
// the rapport de présentation once the bids are opened, and the letters of a lot
// declared unsuccessful or of a procedure declared without follow-up.
export async function documentsSection(tender, { bidsOf, supplierName }) {
  const section = h('section', { class: 'card documents', id: 'documents' });
  const officer = session.me()?.role === 'officer';
  const message = h('p', { class: 'error', role: 'alert' });
  const lotNumber = (lotId) => tender.lots.find((l) => l.id === lotId)?.number;

  const render = async () => {
    const { items } = await api('GET', `/v1/tenders/${tender.id}/documents`);
    const produce = (label, body, attrs = {}) => button(label, async () => {
      message.textContent = '';
      try {
        await produceDocument(tender.id, body);
        await render();
      } catch (error) { message.textContent = error.fields?.length ? error.fields.map((f) => f.message).join(' ; ') : error.message; }
    }, { class: 'secondary', ...attrs });

    const actions = [];
    if (officer && tender.closed_at) {
      actions.push(produce('Rapport de présentation (PDF)', { kind: 'presentation_report' }, { id: 'rapport-presentation' }));
    }
    if (officer) {
      tender.lots.forEach((lot, i) => {
        const closed = lot.status === 'unsuccessful' || tender.status === 'cancelled';
        if (!closed) return;
        for (const bid of bidsOf[i] || []) {
          actions.push(produce(`Lettre de clôture — lot ${lot.number}, ${supplierName(bid.supplier_id)} (PDF)`,
            { kind: 'closure_letter', bid_id: bid.id }, { class: 'secondary closure-letter' }));
        }
      });
    }
    const list = table([
      { label: 'Lot', cell: (d) => (d.lot_id ? String(lotNumber(d.lot_id) ?? '') : '—') },
      { label: 'Document', cell: (d) => d.kind_label },
      { label: 'Référence', cell: (d) => d.reference },
      { label: 'Daté du', cell: (d) => date(d.dated) },
      { label: 'Produit le', cell: (d) => parisMoment(d.created_at) },
      { label: 'Empreinte SHA-256', cell: (d) => h('code', { title: d.sha256 }, `${d.sha256.slice(0, 12)}…`) },
      { label: '', cell: (d) => button('Télécharger (PDF)', () => downloadDocument(d), { class: 'secondary download' }) },
    ], items, { caption: 'Documents conservés tels que produits', empty: 'Aucun document produit pour l’instant.' });
    section.replaceChildren(h('h2', {}, 'Documents de la procédure'),
      h('p', { class: 'hint' }, 'Chaque document est conservé tel qu’il a été produit, avec son empreinte SHA-256 inscrite au journal d’audit : le document envoyé est le document conservé.'),
      actions.length ? h('div', { class: 'actions' }, actions) : null, message, list);
  };
  await render();
  // Letters prepared, summaries and notices produced elsewhere on the page: listed at once.
  document.addEventListener('canopee:document-kept', () => { if (section.isConnected) render().catch(() => {}); });
  return section;
}
