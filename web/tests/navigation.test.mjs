// Finding one's way in the web application, in a real Chromium against the real server on the
// demo network (issue 20, items 1, 13 and 14): filters that live in the address (reload, back
// button, a link opened in another window), downloads built from the applied filters only,
// numbers and units as French readers read them, the active menu item, breadcrumbs, success
// toasts, « Réessayer » when the server cannot be reached, searching a list, duplicating a need.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, startBrowser, apiClient, screenshots } from './harness.mjs';

const NNBSP = '\u202f';  // French thousands separator and before € / %
const NBSP = '\u00a0';

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
  await page.locator('#menu a').first().waitFor();
  return page;
}

// The texts of the first cells of a table's body rows.
const column = (page, caption, index = 0) =>
  page.locator(`table:has(caption:text("${caption}")) tbody tr td:nth-child(${index + 1})`).allTextContents();
const kpi = (page, title) => page.locator('.kpi', { hasText: title }).locator('strong').textContent();
// "11575.00" → "11 575,00 €" by hand: narrow no-break spaces between thousands, a comma.
const frenchEuros = (text) => {
  const [integer, fraction] = text.replace('-', '').split('.');
  return `${text.startsWith('-') ? '−' : ''}${integer.replace(/\B(?=(\d{3})+(?!\d))/g, NNBSP)},${fraction}${NNBSP}€`;
};

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  assert.deepEqual(problems, []);
});

describe('filters in the address', () => {
  test('the needs status filter survives a reload, the back button and a link opened elsewhere', async () => {
    const buyer = apiClient(server.url, server.tokens['buyer REIMS']);
    const all = (await buyer('GET', '/v1/needs?limit=500')).body.items;
    const awarded = all.filter((n) => n.status === 'awarded').map((n) => String(n.id));
    // The demo's REIMS has one awarded need (the paint of the first tender) among several.
    assert.equal(awarded.length, 1);
    assert.ok(all.length > 1);
    const page = await signIn(server.tokens['buyer REIMS']);
    await page.getByRole('heading', { name: 'Mes besoins' }).waitFor();
    assert.equal((await column(page, 'besoin(s)')).length, all.length);

    await page.getByLabel('Statut').selectOption({ label: 'attribué' });
    await page.waitForURL(/#\/besoins\?statut=awarded$/);
    await page.locator('caption', { hasText: '1 besoin(s)' }).waitFor();
    assert.deepEqual(await column(page, 'besoin(s)'), awarded);

    await page.reload();
    await page.locator('caption', { hasText: '1 besoin(s)' }).waitFor();
    assert.deepEqual(await column(page, 'besoin(s)'), awarded);
    assert.equal(await page.getByLabel('Statut').inputValue(), 'awarded');

    const link = page.url();
    await page.goBack();
    await page.waitForURL(/#\/besoins$/);
    await page.locator('caption', { hasText: `${all.length} besoin(s)` }).waitFor();
    assert.equal(await page.getByLabel('Statut').inputValue(), '');

    // A colleague of the same member opens the link: the same rows.
    const other = await signIn(server.tokens['buyer REIMS']);
    await other.goto(link);
    await other.locator('caption', { hasText: '1 besoin(s)' }).waitFor();
    assert.deepEqual(await column(other, 'besoin(s)'), awarded);
    await other.context().close();
    await page.context().close();
  });

  test('the finance filters live in the address, and a download holds the applied figures, not the typed ones', async () => {
    const finance = apiClient(server.url, server.tokens.finance);
    const members = (await finance('GET', '/v1/members')).body.items;
    const oise = members.find((m) => m.code === 'OISE');
    const amiens = members.find((m) => m.code === 'AMIENS');
    const whole = (await finance('GET', '/v1/reports/savings?group_by=member&basis=contract')).body;
    const applied = (await finance('GET', `/v1/reports/savings?group_by=member&basis=contract&member=${oise.id}`)).body;
    const typed = (await finance('GET', `/v1/reports/savings?group_by=member&basis=contract&member=${amiens.id}`)).body;
    // The demo's savings differ by member, so a download of the wrong filters would show.
    assert.notEqual(applied.totals.savings, typed.totals.savings);
    assert.notEqual(applied.totals.savings, whole.totals.savings);

    const page = await signIn(server.tokens.finance);
    await page.getByRole('heading', { name: 'Tableau de bord des gains achats' }).waitFor();
    assert.equal(await kpi(page, 'Gains HT'), frenchEuros(whole.totals.savings));
    await page.getByLabel('Membre', { exact: true }).selectOption({ label: 'OISE' });
    await page.getByLabel('Base').selectOption({ label: 'sur 12 mois' });
    await page.getByLabel('Base').selectOption({ label: 'durée des marchés' });
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await page.waitForURL(new RegExp(`#/gains\\?membre=${oise.id}$`));
    await page.waitForFunction((text) => document.querySelector('.kpi strong')?.textContent === text, frenchEuros(applied.totals.savings));
    await page.reload();
    await page.waitForFunction((text) => document.querySelector('.kpi strong')?.textContent === text, frenchEuros(applied.totals.savings));
    assert.equal(await page.getByLabel('Membre', { exact: true }).inputValue(), String(oise.id));

    // AMIENS chosen but not applied: the page says so, and the file holds OISE's figures, byte for byte the API's.
    await page.getByLabel('Membre', { exact: true }).selectOption({ label: 'AMIENS' });
    await page.locator('#filtres-non-appliques').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger (CSV)' }).click()]);
    const bytes = readFileSync(await download.path());
    const expected = Buffer.from(await (await fetch(`${server.url}/v1/reports/savings?group_by=member&basis=contract&member=${oise.id}`,
      { headers: { Authorization: `Bearer ${server.tokens.finance}`, Accept: 'text/csv' } })).arrayBuffer());
    assert.ok(bytes.equals(expected), `${bytes}\n≠\n${expected}`);
    const file = bytes.toString('utf8');
    const total = file.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(';')).find((cells) => cells[0] === 'Total');
    assert.ok(total.includes(applied.totals.savings.replace('.', ',')), total.join(';'));
    assert.ok(!total.includes(typed.totals.savings.replace('.', ',')), total.join(';'));

    // The link opened in another window: the same figures; back, the whole network again.
    const link = page.url();
    const other = await signIn(server.tokens.finance);
    await other.goto(link);
    await other.waitForFunction((text) => document.querySelector('.kpi strong')?.textContent === text, frenchEuros(applied.totals.savings));
    await other.context().close();
    await page.goBack();
    await page.waitForURL(/#\/gains$/);
    await page.waitForFunction((text) => document.querySelector('.kpi strong')?.textContent === text, frenchEuros(whole.totals.savings));
    await page.context().close();
  });
});

describe('filters in the address, on the orders', () => {
  test('the orders state filter: reload, back, and a download of the applied state while another is chosen', async () => {
    const finance = apiClient(server.url, server.tokens.finance);
    const all = (await finance('GET', '/v1/orders?limit=500')).body.items;
    const paid = all.filter((o) => o.status === 'paid').map((o) => o.reference).sort();
    // The demo's orders: some paid, some sent only.
    assert.ok(paid.length > 0 && paid.length < all.length);
    assert.ok(all.some((o) => o.status === 'sent'));
    const page = await signIn(server.tokens.finance);
    await page.getByRole('link', { name: 'Bons de commande' }).click();
    await page.locator('caption', { hasText: `${all.length} bon(s) de commande` }).waitFor();
    await page.getByLabel('État', { exact: true }).selectOption({ label: 'payé' });
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/#\/commandes\?statut=paid$/);
    await page.locator('caption', { hasText: `${paid.length} bon(s) de commande` }).waitFor();
    assert.deepEqual((await column(page, 'bon(s) de commande')).sort(), paid);
    await page.reload();
    await page.locator('caption', { hasText: `${paid.length} bon(s) de commande` }).waitFor();
    assert.equal(await page.getByLabel('État', { exact: true }).inputValue(), 'paid');

    // « envoyé » chosen, not applied: said under the form; the file holds the paid orders, the API's bytes.
    await page.getByLabel('État', { exact: true }).selectOption({ label: 'envoyé' });
    await page.locator('#filtres-non-appliques').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger (CSV)' }).click()]);
    const bytes = readFileSync(await download.path());
    const expected = Buffer.from(await (await fetch(`${server.url}/v1/orders?status=paid`,
      { headers: { Authorization: `Bearer ${server.tokens.finance}`, Accept: 'text/csv' } })).arrayBuffer());
    assert.ok(bytes.equals(expected), `${bytes}\n≠\n${expected}`);
    for (const reference of paid) assert.ok(bytes.toString('utf8').includes(reference), reference);
    for (const o of all.filter((x) => x.status === 'sent')) assert.ok(!bytes.toString('utf8').includes(o.reference), o.reference);

    await page.goBack();
    await page.waitForURL(/#\/commandes$/);
    await page.locator('caption', { hasText: `${all.length} bon(s) de commande` }).waitFor();
    await page.context().close();
  });
});

describe('numbers as French readers read them', () => {
  test('units with their plural, SIREN and SIRET grouped, months abbreviated, allocation methods explained', async () => {
    // A need counted in days: 12 of them read « 12 jours », its price of 350,125 € keeps its third decimal.
    const buyer = apiClient(server.url, server.tokens['buyer OISE']);
    const created = await buyer('POST', '/v1/needs', {
      cpv: '90911200-8', title: 'Nettoyage après travaux, journées', quantity: '12', unit: 'day', reference_unit_price: '350.125',
      department: '60', period_start: '2027-01-01', period_end: '2027-12-31', status: 'submitted',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    let page = await signIn(server.tokens['buyer OISE']);
    const row = page.getByRole('row').filter({ hasText: 'Nettoyage après travaux, journées' });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[3], `12 jours`);
    assert.equal(cells[4], `350,125${NNBSP}€`);
    // A unit price of 4 decimals with zeros at the end shows 2: the demo's boiler maintenance at « 95,00 € »-like prices.
    const prices = await column(page, 'besoin(s)', 4);
    for (const p of prices) assert.match(p, new RegExp(`^\\d[\\d${NNBSP}]*,\\d{2}(\\d*[1-9])?${NNBSP}€$`), p);
    await page.context().close();

    // The members' SIREN and SIRET grouped as on a Kbis: REIMS 270510027 → « 270 510 027 ».
    page = await signIn(server.tokens.admin);
    await page.getByRole('row').filter({ hasText: 'REIMS' }).first().waitFor();
    const reims = await page.getByRole('row').filter({ hasText: 'REIMS' }).first().locator('td').allTextContents();
    assert.ok(reims.includes(`270${NBSP}510${NBSP}027`), reims.join(' | '));
    assert.ok(reims.includes(`270${NBSP}510${NBSP}027${NBSP}00013`), reims.join(' | '));
    await page.context().close();

    // The savings by month: the API's "2026-12" reads « déc. 2026 ».
    const finance = apiClient(server.url, server.tokens.finance);
    const byMonth = (await finance('GET', '/v1/reports/savings?group_by=month&basis=contract')).body.rows;
    assert.ok(byMonth.length > 0);
    const short = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
    page = await signIn(server.tokens.finance);
    await page.getByRole('heading', { name: 'Tableau de bord des gains achats' }).waitFor();
    assert.deepEqual(await column(page, 'Gains par mois'), byMonth.map((r) => `${short[Number(r.label.slice(5, 7)) - 1]} ${r.label.slice(0, 4)}`));
    assert.deepEqual(await column(page, 'Gains par mois', 1), byMonth.map((r) => frenchEuros(r.savings)));
    await page.context().close();

    // The allocation methods by plain names, each with its sentence, and the core said plainly.
    page = await signIn(server.tokens.officer);
    const officer = apiClient(server.url, server.tokens.officer);
    const tender = (await officer('GET', '/v1/tenders?limit=500')).body.items.find((t) => t.status === 'awarded');
    await page.goto(`${server.url}/#/consultations/${tender.id}`);
    const methods = page.locator('#methodes-repartition');
    await methods.waitFor();
    assert.deepEqual(await methods.locator('dt').allTextContents(),
      ['Prix unique (contrats)', 'Apport de chacun (valeur de Shapley)', 'Au prorata des quantités', 'À parts égales']);
    assert.ok((await methods.locator('dd').nth(1).textContent()).includes('ce que sa participation ajoute en moyenne au gain du groupe'));
    const core = (await officer('GET', `/v1/tenders/${tender.id}/allocation?method=uniform`)).body.in_core;
    await page.locator('#repartition').getByText(core ? /Partage stable \(dans le « cœur »\)/ : /Partage instable/).waitFor();
    await page.screenshot({ path: join(screenshots, 'navigation-allocation.png'), fullPage: true });
    await page.context().close();
  });
});

describe('finding one’s way', () => {
  test('the menu marks the page shown, a breadcrumb leads back, the icon is served', async () => {
    const page = await signIn(server.tokens.finance);
    const current = () => page.locator('#menu a[aria-current="page"]').allTextContents();
    await page.getByRole('heading', { name: 'Tableau de bord des gains achats' }).waitFor();
    assert.deepEqual(await current(), ['Tableau de bord']);
    await page.getByRole('link', { name: 'Gains réalisés' }).click();
    await page.getByRole('heading', { name: /Gains réalisés/ }).waitFor();
    // « Gains réalisés » (#/gains/realises) is under « Tableau de bord » (#/gains): only the closer one is marked.
    assert.deepEqual(await current(), ['Gains réalisés']);

    // The icon: linked from the page, served as SVG.
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    const served = await fetch(new URL(icon, server.url));
    assert.equal(served.status, 200);
    assert.match(served.headers.get('content-type'), /image\/svg\+xml/);
    await page.context().close();

    // An officer on a tender: « Consultations » marked in the menu, the breadcrumb back to the list.
    const officerPage = await signIn(server.tokens.officer);
    const officer = apiClient(server.url, server.tokens.officer);
    const tender = (await officer('GET', '/v1/tenders?limit=500')).body.items[0];
    await officerPage.goto(`${server.url}/#/consultations/${tender.id}`);
    const crumbs = officerPage.getByRole('navigation', { name: 'Fil d’Ariane' });
    await crumbs.waitFor();
    assert.deepEqual(await crumbs.locator('li').allTextContents(), ['Consultations', tender.reference]);
    assert.equal(await crumbs.locator('[aria-current="page"]').textContent(), tender.reference);
    assert.deepEqual(await officerPage.locator('#menu a[aria-current="page"]').allTextContents(), ['Consultations']);
    await crumbs.getByRole('link', { name: 'Consultations' }).click();
    await officerPage.getByRole('heading', { name: 'Consultations groupées' }).waitFor();
    await officerPage.context().close();

    // A buyer on one of its contracts: « Mes marchés » marked, and the way back to them.
    const buyer = apiClient(server.url, server.tokens['buyer OISE']);
    const contract = (await buyer('GET', '/v1/contracts?limit=500')).body.items.find((c) => c.in_force);
    const buyerPage = await signIn(server.tokens['buyer OISE']);
    await buyerPage.goto(`${server.url}/#/marches/${contract.id}`);
    const way = buyerPage.getByRole('navigation', { name: 'Fil d’Ariane' });
    await way.waitFor();
    assert.deepEqual(await way.locator('li').allTextContents(), ['Mes marchés', `${contract.tender_reference} — lot ${contract.lot_number}`]);
    assert.deepEqual(await buyerPage.locator('#menu a[aria-current="page"]').allTextContents(), ['Mes marchés']);
    await way.getByRole('link', { name: 'Mes marchés' }).click();
    await buyerPage.getByRole('heading', { name: 'Mes marchés' }).waitFor();
    assert.match(buyerPage.url(), /#\/marches$/);
    await buyerPage.context().close();
  });

  test('a search narrows the tenders and the needs, and stays in the address', async () => {
    const officer = apiClient(server.url, server.tokens.officer);
    const tenders = (await officer('GET', '/v1/tenders?limit=500')).body.items;
    // « chaudieres » without its accent finds « Entretien des chaudières 2027-2028 » only.
    const boilers = tenders.filter((t) => /chaudières/i.test(t.title)).map((t) => t.reference);
    assert.equal(boilers.length, 1);
    assert.ok(tenders.length > 1);
    const page = await signIn(server.tokens.officer);
    await page.getByRole('link', { name: 'Consultations' }).click();
    await page.locator('caption', { hasText: `${tenders.length} consultation(s)` }).waitFor();
    await page.getByLabel('Rechercher une consultation').fill('chaudieres');
    await page.locator('caption', { hasText: `1 consultation(s) sur ${tenders.length}` }).waitFor();
    assert.deepEqual(await column(page, 'consultation(s)'), boilers);
    assert.match(page.url(), /#\/consultations\?q=chaudieres$/);
    await page.reload();
    await page.locator('caption', { hasText: `1 consultation(s) sur ${tenders.length}` }).waitFor();
    assert.equal(await page.getByLabel('Rechercher une consultation').inputValue(), 'chaudieres');
    await page.getByLabel('Rechercher une consultation').fill('aucune consultation de ce nom');
    await page.getByText('Aucune consultation ne correspond à la recherche.').waitFor();
    await page.context().close();

    const buyer = apiClient(server.url, server.tokens['buyer REIMS']);
    const lifts = (await buyer('GET', '/v1/needs?limit=500')).body.items.filter((n) => /ascenseurs/i.test(n.title)).map((n) => String(n.id));
    assert.equal(lifts.length, 1);
    const buyerPage = await signIn(server.tokens['buyer REIMS']);
    await buyerPage.getByLabel('Rechercher un besoin').fill('Ascenseur');
    await buyerPage.locator('caption', { hasText: /^1 besoin\(s\) sur/ }).waitFor();
    assert.deepEqual(await column(buyerPage, 'besoin(s)'), lifts);
    // The status filter applied keeps the search.
    await buyerPage.getByLabel('Statut').selectOption({ label: 'en consultation' });
    await buyerPage.waitForURL(/#\/besoins\?statut=tendered&q=Ascenseur$/);
    await buyerPage.locator('caption', { hasText: /^1 besoin\(s\) sur/ }).waitFor();
    await buyerPage.context().close();
  });

  test('a need is duplicated with its dates to enter again, saved with a toast; a lost server offers « Réessayer »', async () => {
    const buyer = apiClient(server.url, server.tokens['buyer REIMS']);
    const needs = (await buyer('GET', '/v1/needs?limit=500')).body.items;
    const source = needs.find((n) => n.title === 'Peinture intérieure blanche');
    const page = await signIn(server.tokens['buyer REIMS']);
    await page.getByRole('link', { name: `Dupliquer le besoin n° ${source.id}` }).click();
    await page.getByRole('heading', { name: 'Nouveau besoin' }).waitFor();
    await page.locator('#copie-de', { hasText: `Copie du besoin n° ${source.id}` }).waitFor();
    assert.deepEqual(await page.locator('#menu a[aria-current="page"]').allTextContents(), ['Nouveau besoin']);
    // Everything but the dates comes from the need copied.
    assert.equal(await page.getByLabel('Code CPV').inputValue(), source.cpv);
    assert.equal(await page.getByLabel('Intitulé').inputValue(), source.title);
    assert.equal(await page.getByLabel('Unité', { exact: true }).inputValue(), source.unit);
    assert.equal(await page.getByLabel('Quantité', { exact: true }).inputValue(), '800');
    assert.equal(await page.getByLabel('Début de période').inputValue(), '');
    assert.equal(await page.getByLabel('Fin de période').inputValue(), '');

    // Next year's paint: a new title, the dates; one day of the server unreachable first.
    await page.getByLabel('Intitulé').fill('Peinture intérieure blanche 2028');
    await page.getByLabel('Quantité', { exact: true }).fill('1');
    await page.getByLabel('Début de période').fill('2028-01-01');
    await page.getByLabel('Fin de période').fill('2028-12-31');
    await page.context().setOffline(true);
    await page.getByRole('button', { name: 'Enregistrer en brouillon' }).click();
    await page.getByRole('alert').filter({ hasText: 'Le serveur ne répond pas' }).waitFor();
    assert.equal((await buyer('GET', '/v1/needs?limit=500')).body.items.length, needs.length);
    await page.context().setOffline(false);
    // « Réessayer » sends the form again by the same button: a draft.
    await page.getByRole('button', { name: 'Réessayer' }).click();
    const toast = page.locator('#toasts[role="status"] .toast', { hasText: /Besoin n° \d+ enregistré \(brouillon\)/ });
    await toast.waitFor();
    const id = Number((await toast.textContent()).match(/n° (\d+)/)[1]);
    const copy = (await buyer('GET', `/v1/needs/${id}`)).body;
    assert.deepEqual([copy.title, copy.cpv, copy.unit, copy.quantity, copy.reference_unit_price, copy.department, copy.period_start, copy.period_end, copy.status],
      ['Peinture intérieure blanche 2028', source.cpv, source.unit, '1', source.reference_unit_price, source.department, '2028-01-01', '2028-12-31', 'draft']);
    // Back on the list (the toast still there): the copy, its unit in the singular for 1.
    await page.getByRole('heading', { name: 'Mes besoins' }).waitFor();
    const row = await page.getByRole('row').filter({ hasText: 'Peinture intérieure blanche 2028' }).locator('td').allTextContents();
    assert.equal(row[3], '1 l');
    await page.screenshot({ path: join(screenshots, 'navigation-toast.png') });

    // The need page: its breadcrumb back to the list.
    await page.getByRole('link', { name: String(id), exact: true }).click();
    await page.getByRole('heading', { name: `Besoin n° ${id}` }).waitFor();
    const crumbs = page.getByRole('navigation', { name: 'Fil d’Ariane' });
    assert.deepEqual(await crumbs.locator('li').allTextContents(), ['Mes besoins', `Besoin n° ${id}`]);
    await crumbs.getByRole('link', { name: 'Mes besoins' }).click();
    await page.getByRole('heading', { name: 'Mes besoins' }).waitFor();
    await page.context().close();
  });

  test('a write followed by a reload still shows its toast; a download while offline offers « Réessayer »', async () => {
    const officer = apiClient(server.url, server.tokens.officer);
    const tender = (await officer('GET', '/v1/tenders?limit=500')).body.items.find((t) => t.status === 'closed');
    const before = (await officer('GET', `/v1/tenders/${tender.id}/costs`)).body.items.length;
    const page = await signIn(server.tokens.officer);
    await page.goto(`${server.url}/#/consultations/${tender.id}`);
    await page.getByRole('heading', { name: 'Ajouter un frais mutualisé' }).waitFor();
    await page.getByLabel('Libellé').fill('Reprographie des dossiers');
    await page.getByLabel('Montant HT (€)').fill('120,00');
    await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
    await page.locator('#toasts .toast', { hasText: 'Frais « Reprographie des dossiers » enregistré.' }).waitFor();
    const costs = (await officer('GET', `/v1/tenders/${tender.id}/costs`)).body.items;
    assert.equal(costs.length, before + 1);
    assert.equal(costs.find((c) => c.label === 'Reprographie des dossiers').amount, '120.00');
    await page.getByRole('button', { name: 'Supprimer le frais Reprographie des dossiers' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Supprimer le frais', exact: true }).click();
    await page.locator('#toasts .toast', { hasText: 'Frais « Reprographie des dossiers » supprimé.' }).waitFor();
    assert.equal((await officer('GET', `/v1/tenders/${tender.id}/costs`)).body.items.length, before);
    await page.context().close();

    const finance = await signIn(server.tokens.finance);
    await finance.getByRole('heading', { name: 'Tableau de bord des gains achats' }).waitFor();
    await finance.context().setOffline(true);
    await finance.getByRole('button', { name: 'Télécharger (XLSX)' }).click();
    await finance.getByRole('alert').filter({ hasText: 'Le serveur ne répond pas' }).waitFor();
    await finance.context().setOffline(false);
    const [download] = await Promise.all([finance.waitForEvent('download'), finance.getByRole('button', { name: 'Réessayer' }).click()]);
    assert.equal(download.suggestedFilename(), 'gains-achats.xlsx');
    assert.equal(readFileSync(await download.path()).subarray(0, 2).toString(), 'PK');
    await finance.context().close();
  });

  test('a unit counted once or many times: « 1 jour », « 12 jours »', async () => {
    const buyer = apiClient(server.url, server.tokens['buyer AMIENS']);
    const titles = [['1', 'Vitrerie, un jour'], ['12', 'Vitrerie, douze jours'], ['1.5', 'Vitrerie, un jour et demi']];
    for (const [quantity, title] of titles) {
      const created = await buyer('POST', '/v1/needs', {
        cpv: '90911200-8', title, quantity, unit: 'day', reference_unit_price: '400',
        department: '80', period_start: '2027-01-01', period_end: '2027-12-31', status: 'draft',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    const page = await signIn(server.tokens['buyer AMIENS']);
    const quantityOf = async (title) => {
      const cell = page.getByRole('cell', { name: title, exact: true });
      await cell.waitFor();  // the list is drawn after sign-in
      return (await page.getByRole('row').filter({ has: cell }).locator('td').allTextContents())[3];
    };
    assert.equal(await quantityOf('Vitrerie, un jour'), '1 jour');
    assert.equal(await quantityOf('Vitrerie, un jour et demi'), '1,5 jour');
    assert.equal(await quantityOf('Vitrerie, douze jours'), '12 jours');
    await page.context().close();
  });
});
