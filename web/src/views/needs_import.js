// The buyer's import of needs: a CSV (UTF-8 or Windows-1252, as French Excel saves it) is
// sent as its bytes, for the server to read its encoding; an XLSX workbook is read here,
// its first sheet turned into the same CSV (UTF-8, « ; »), so that the all-or-nothing rules
// and the errors are the server's. The template comes in both formats.
import { api } from '../api.js';
import { h, field, table, button } from '../dom.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// The API's column names, as the template's French headers say them.
const columnLabels = {
  cpv: 'Code CPV', title: 'Intitulé', description: 'Description', quantity: 'Quantité', unit: 'Unité',
  reference_unit_price: 'Prix unitaire estimé HT', department: 'Département', period_start: 'Date de début',
  period_end: 'Date de fin', recurring: 'Récurrent', reference_source: 'Source de la référence',
  reference_date: 'Date de la référence', reference_index: 'Indice',
};

// "line 7.quantity" → { line: '7', column: 'Quantité' }; "header" → the header's line 1.
export function errorPlace(fieldName) {
  if (fieldName === 'header') return { line: '1', column: 'En-tête' };
  const match = /^line (\d+)(?:\.(.+))?$/.exec(fieldName);
  if (!match) return { line: '—', column: '—' };
  const column = match[2] || '';
  return { line: match[1], column: columnLabels[column] || (column.startsWith('attr.') ? column : column || '—') };
}

const two = (n) => String(n).padStart(2, '0');

// One cell of the sheet as the CSV carries it: exact number strings with a decimal comma,
// dates JJ/MM/AAAA (read-excel-file gives them at midnight UTC), yes/no in French.
function cellText(value) {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return `${two(value.getUTCDate())}/${two(value.getUTCMonth() + 1)}/${value.getUTCFullYear()}`;
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  if (typeof value === 'number') return String(value).replace('.', ',');
  return String(value);
}

const csvField = (text) => (/[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

// The sheet's rows as CSV; an empty row stays an empty line, so that line numbers are the sheet's rows.
export function sheetToCsv(rows) {
  const lines = rows.map((row) => {
    const cells = row.map(cellText);
    return cells.every((c) => c === '') ? '' : cells.map(csvField).join(';');
  });
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\r\n')}\r\n`;
}

const isXlsx = (file) => file.type === XLSX_TYPE || /\.xlsx$/i.test(file.name);

// The numbers as written in the workbook (parseNumber keeps their text): no float on the way.
// The reader is loaded only when a workbook is chosen.
async function readFirstSheet(file) {
  const { readSheet } = await import('read-excel-file/browser');
  return readSheet(file, { parseNumber: (text) => text.replace('.', ',') });
}

async function downloadTemplate(format) {
  const response = await api('GET', `/v1/needs/import-template?format=${format}`, undefined, { raw: true });
  const link = h('a', { href: URL.createObjectURL(await response.blob()), download: `modele-import-besoins.${format}` });
  document.body.append(link);
  link.click();
  link.remove();
}

export function importView() {
  const file = h('input', { type: 'file', accept: `.csv,.xlsx,text/csv,${XLSX_TYPE}` });
  const result = h('div', { role: 'status' });
  const failed = (message) => result.append(h('p', { class: 'error', role: 'alert' }, message));
  const run = async () => {
    result.replaceChildren();
    if (!file.files.length) { failed('Choisissez un fichier CSV ou XLSX.'); return; }
    const chosen = file.files[0];
    if (/\.(xls|ods|numbers)$/i.test(chosen.name)) {
      failed('Ce format de classeur n’est pas lu : enregistrez le fichier en XLSX (« Classeur Excel ») ou en CSV, puis recommencez.');
      return;
    }
    let body = chosen;  // a CSV goes as its bytes: the server reads UTF-8 or Windows-1252
    if (isXlsx(chosen)) {
      try {
        body = sheetToCsv(await readFirstSheet(chosen));
      } catch {
        failed('Ce fichier XLSX ne peut pas être lu : ouvrez-le dans votre tableur et enregistrez-le de nouveau, ou enregistrez-le en CSV.');
        return;
      }
    }
    try {
      const done = await api('POST', '/v1/needs/import', body, { contentType: 'text/csv' });
      result.append(h('p', { class: 'notice' }, `${done.imported} besoin(s) importé(s).`));
    } catch (error) {
      failed(error.message);
      if (error.fields.length) {
        result.append(table([
          { label: 'Ligne', cell: (e) => errorPlace(e.field).line },
          { label: 'Colonne', cell: (e) => errorPlace(e.field).column },
          { label: 'Valeur', cell: (e) => (e.value === undefined ? '—' : h('code', { class: 'cell-value' }, e.value === '' ? '(vide)' : e.value)) },
          { label: 'Problème', cell: (e) => e.message },
        ], error.fields, { caption: 'Erreurs, ligne par ligne' }));
      }
    }
  };
  const template = (format, label) => button(label, async () => {
    try { await downloadTemplate(format); } catch (error) { failed(error.message); }
  }, { class: 'secondary' });
  return h('section', { class: 'card' }, h('h1', {}, 'Importer des besoins (CSV ou XLSX)'),
    h('p', {}, 'Une ligne par besoin, avec les colonnes du modèle : Code CPV, Intitulé, Quantité, Unité, Prix unitaire estimé HT, Département, Date de début, Date de fin, et au choix Description, Récurrent, Source de la référence, Date de la référence, Indice, attr.<nom>. Les noms anglais (cpv, title…) restent acceptés.'),
    h('p', {}, 'CSV enregistré par Excel (« CSV (séparateur : point-virgule) » ou « CSV UTF-8 ») ou classeur XLSX (première feuille). Dates JJ/MM/AAAA, montants « 1 234,50 € » acceptés. Tout le fichier est importé, ou rien.'),
    h('div', { class: 'actions' }, template('csv', 'Télécharger le modèle (CSV)'), template('xlsx', 'Télécharger le modèle (XLSX)')),
    field('Fichier', file), button('Importer', run), result);
}
