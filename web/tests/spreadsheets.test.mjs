// Real spreadsheets (issue 20 item 2), as a buyer lives them: a CSV saved by French Excel
// (« CSV (séparateur : point-virgule) »: Windows-1252 bytes, « ; », CRLF, JJ/MM/AAAA dates,
// « 1 234,50 € »), a file with bad cells whose line, column and value are shown, and the
// XLSX template downloaded from the page then uploaded as it is. Figures by hand:
// « 1 200 » litres is 1200; « 1 234,50 € » is 1234.5 €/l HT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, startBrowser, apiClient, contrastProblems, screenshots } from './harness.mjs';
import { sheetToCsv } from '../src/views/needs_import.js';

const NNBSP = '\u202f';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// Windows-1252 as Excel writes it: Latin-1 below 0x100, and its own bytes 0x80–0x9F.
const CP1252_HIGH = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, 'Œ': 0x8c, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, 'œ': 0x9c, 'Ÿ': 0x9f };
function cp1252(text) {
  return Buffer.from([...text].map((c) => {
    if (CP1252_HIGH[c] !== undefined) return CP1252_HIGH[c];
    const code = c.codePointAt(0);
    assert.ok(code < 0x80 || (code >= 0xa0 && code <= 0xff), `« ${c} » is not in Windows-1252`);
    return code;
  }));
}

const HEADER = 'Code CPV;Intitulé;Quantité;Unité;Prix unitaire estimé HT;Département;Date de début;Date de fin';

let server;
let browser;
const problems = [];  // script errors and CSP refusals seen on any page

async function signIn(token) {
  const context = await browser.newContext({ locale: 'fr-FR', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.goto(server.url);
  await page.getByLabel('Jeton d’accès').fill(token);
  await page.getByRole('button', { name: 'Utiliser le jeton' }).click();
  await page.getByRole('heading', { name: 'Mes besoins' }).waitFor();
  return page;
}

const shot = async (page, name) => {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  for (const problem of await contrastProblems(page)) problems.push(`contrast on ${name}: ${problem}`);
};

async function upload(page, file) {
  await page.locator('#menu').getByRole('link', { name: 'Import CSV' }).click();
  await page.getByRole('heading', { name: 'Importer des besoins (CSV ou XLSX)' }).waitFor();
  await page.getByLabel('Fichier').setInputFiles(file);
  await page.getByRole('button', { name: 'Importer' }).click();
}

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a CSV saved by French Excel in Windows-1252 is imported with its accents, amounts and dates', async () => {
  const token = server.tokens['buyer REIMS'];
  const buyer = apiClient(server.url, token);
  const csv = cp1252([HEADER,
    '44810000-1;Peinture œcuménique de l’entrée – « hall »;1\u00a0200;l;1 234,50 €;51;01/01/2027;31/12/2027', ''].join('\r\n'));
  assert.ok(csv.includes(0xe9) && csv.includes(0x80) && csv.includes(0x9c) && csv.includes(0x92), 'the file holds cp1252 bytes');
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(csv), 'the file is not UTF-8');

  const page = await signIn(token);
  await upload(page, { name: 'besoins.csv', mimeType: 'text/csv', buffer: csv });
  await page.getByText('1 besoin(s) importé(s).').waitFor();

  await page.locator('#menu').getByRole('link', { name: 'Mes besoins' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Peinture œcuménique de l’entrée – « hall »' });
  const text = await row.textContent();
  assert.ok(text.includes(`1${NNBSP}200 l`), text);
  assert.ok(text.includes(`1${NNBSP}234,50${NNBSP}€`), text);
  assert.ok(text.includes('01/01/2027 – 31/12/2027'), text);
  assert.ok(!text.includes('\ufffd'), text);
  await shot(page, 'spreadsheets-cp1252-imported');

  const mine = (await buyer('GET', '/v1/needs?limit=500')).body.items.filter((n) => n.title.startsWith('Peinture œcuménique'));
  assert.equal(mine.length, 1);
  assert.deepEqual([mine[0].title, mine[0].quantity, mine[0].reference_unit_price, mine[0].period_start, mine[0].period_end],
    ['Peinture œcuménique de l’entrée – « hall »', '1200', '1234.5000', '2027-01-01', '2027-12-31']);
  await page.context().close();
});

test('bad cells are listed with their line, column and value, and nothing is imported', async () => {
  const token = server.tokens['buyer REIMS'];
  const buyer = apiClient(server.url, token);
  const before = (await buyer('GET', '/v1/needs?limit=500')).body.items.length;
  const csv = cp1252([HEADER,
    '44810000-1;Vernis écologique;10;l;12,00 €;51;01/01/2027;31/12/2027',
    '44810000-1;Lasure;12 34;l;8,50 €;51;29/02/2027;31/04/2027', ''].join('\r\n'));
  const page = await signIn(token);
  await upload(page, { name: 'besoins.csv', mimeType: 'text/csv', buffer: csv });
  const errors = page.locator('table:has(caption:text("Erreurs, ligne par ligne")) tbody tr');
  await errors.first().waitFor();
  const rows = await errors.allTextContents();
  assert.equal(rows.length, 3, rows.join(' | '));
  // Ligne, Colonne (the template's header), Valeur (as typed), Problème.
  assert.ok(rows.includes('3Date de début29/02/2027n’est pas une date du calendrier'), rows.join(' | '));
  assert.ok(rows.includes('3Date de fin31/04/2027n’est pas une date du calendrier'), rows.join(' | '));
  assert.ok(rows.includes('3Quantité12 34doit être un nombre décimal, par exemple « 12,5 » ou « 1 234,5 »'), rows.join(' | '));
  await page.getByText('3 problèmes dans le fichier : rien n’a été importé').waitFor();
  await shot(page, 'spreadsheets-errors');
  assert.equal((await buyer('GET', '/v1/needs?limit=500')).body.items.length, before, 'all or nothing');
  await page.context().close();
});

test('the template downloads as CSV and XLSX; the XLSX uploaded as it is becomes a need, accents kept', async () => {
  const token = server.tokens['buyer AMIENS'];
  const buyer = apiClient(server.url, token);
  const page = await signIn(token);
  await page.locator('#menu').getByRole('link', { name: 'Import CSV' }).click();

  const [csvDownload] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger le modèle (CSV)' }).click()]);
  assert.equal(csvDownload.suggestedFilename(), 'modele-import-besoins.csv');
  const csv = readFileSync(await csvDownload.path(), 'utf8');
  assert.ok(csv.startsWith('\ufeffCode CPV;Intitulé;Description;Quantité;Unité;Prix unitaire estimé HT;Département;Date de début;Date de fin;Récurrent\r\n'), csv);

  const [xlsxDownload] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Télécharger le modèle (XLSX)' }).click()]);
  assert.equal(xlsxDownload.suggestedFilename(), 'modele-import-besoins.xlsx');
  const xlsx = readFileSync(await xlsxDownload.path());
  assert.equal(xlsx.subarray(0, 2).toString(), 'PK', 'an XLSX is a zip');

  await page.getByLabel('Fichier').setInputFiles({ name: 'modele-import-besoins.xlsx', mimeType: XLSX_TYPE, buffer: xlsx });
  await page.getByRole('button', { name: 'Importer' }).click();
  await page.getByText('1 besoin(s) importé(s).').waitFor();
  await shot(page, 'spreadsheets-xlsx-imported');

  await page.locator('#menu').getByRole('link', { name: 'Mes besoins' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Peinture acrylique façade' });
  const text = await row.textContent();
  assert.ok(text.includes('120 l'), text);
  assert.ok(text.includes(`6,20${NNBSP}€`), text);
  assert.ok(text.includes('01/01/2027 – 31/12/2027'), text);
  const mine = (await buyer('GET', '/v1/needs?limit=500')).body.items.filter((n) => n.title === 'Peinture acrylique façade');
  assert.equal(mine.length, 1);
  assert.deepEqual([mine[0].description, mine[0].quantity, mine[0].reference_unit_price, mine[0].department, mine[0].recurring],
    ['Blanc cassé, seaux de 15 l', '120', '6.2000', '69', false]);
  await page.context().close();
});

test('a workbook\'s cells become the import\'s CSV: a date typed in Excel as JJ/MM/AAAA, numbers as written, empty rows kept as lines', () => {
  // read-excel-file gives a date cell as a Date at midnight UTC, numbers as their text (decimal comma
  // already), booleans as such, empty cells as null.
  const rows = [['Code CPV', 'Intitulé', 'Date de début', 'Quantité', 'Récurrent'],
    ['44810000-1', 'Peinture « mate »; façade', new Date(Date.UTC(2028, 1, 29)), '1234,5', true],
    [null, null, null, null, null],
    ['44810000-1', 'Dit "brillant"', new Date(Date.UTC(2027, 11, 31)), '12', false],
    [null, null, null, null, null]];
  assert.equal(sheetToCsv(rows), 'Code CPV;Intitulé;Date de début;Quantité;Récurrent\r\n'
    + '44810000-1;"Peinture « mate »; façade";29/02/2028;1234,5;oui\r\n'
    + '\r\n'  // line 3 stays line 3: the server's line numbers are the sheet's rows
    + '44810000-1;"Dit ""brillant""";31/12/2027;12;non\r\n');
});

test('no page error, no CSP refusal, no contrast problem on the way', () => {
  assert.deepEqual(problems, []);
});
