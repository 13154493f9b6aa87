// Accessibility and small screens, on every page of every role, against the real server on
// the demo network: each menu entry is clicked as a person would, and on each page reached
// the test checks what a keyboard or screen-reader user, or a phone, would meet —
//   - focus on the page title (h1) after the navigation;
//   - axe-core clean for WCAG 2.1 A and AA;
//   - no sideways scrolling of the page at 1366 px nor at 390 px (wide tables scroll in
//     their own labelled, keyboard-focusable box);
//   - no script error, no console error, no CSP refusal, no English word in the visible text.
// Then the skip link, the focus ring of a field in error and the loading state, step by step.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, startBrowser, apiClient, screenshots } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const axePath = resolve(here, '../node_modules/axe-core/axe.min.js');
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

// English that must never reach a user, matched as whole words, whatever the case: the
// engine's texts seen in issue 20, the browser's and the database's words, the API's status
// codes, a unit code left untranslated, and what a script prints for a missing value.
const ENGLISH = [
  'Failed to fetch', 'internal error', 'database is locked', 'header', 'abnormally low', 'rejected bid',
  'regularity', 'no other member', 'not yet', 'checked', 'excluded', 'ranking', 'day', 'days', 'month', 'months',
  'year', 'years', 'undefined', 'null', 'NaN', '[object Object]', 'Infinity', 'true', 'false',
  'the', 'and', 'with', 'must', 'should', 'cannot', 'is', 'are', 'was', 'been', 'has', 'have', 'this', 'from', 'which',
  'error', 'warning', 'failed', 'unknown', 'invalid', 'missing', 'required', 'not found', 'forbidden',
  'draft', 'submitted', 'pooled', 'tendered', 'awarded', 'published', 'closed', 'cancelled', 'withdrawn', 'pending',
  'bid', 'bids', 'tender', 'tenders', 'supplier', 'member', 'members', 'need', 'needs', 'contract', 'order', 'orders',
  'invoice', 'invoiced', 'delivered', 'paid', 'savings', 'award',
];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const englishPattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${ENGLISH.map(escape).join('|')})(?![\\p{L}\\p{N}_])`, 'giu');

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A signed-in page whose every problem (script error, console error, CSP refusal) lands in `problems`.
// The browser itself logs « Failed to load resource » for each answer in error: on a page merely
// visited none is expected; where a step sends what the server must refuse, `refused` names the
// statuses expected (400 for a form in error, 401 for an unknown token) or the network error.
async function signIn(token, problems, { refused = [] } = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: LAPTOP });
  // axe-core is served from the page's own origin, as the page's policy allows no inline script.
  await context.route(`${server.url}/test-tools/axe.min.js`, (route) => route.fulfill({ path: axePath, contentType: 'text/javascript' }));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation',
      (event) => console.error(`CSP refusal: ${event.violatedDirective} ${event.blockedURI}`));
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.where = 'sign-in';
  page.on('pageerror', (error) => problems.push(`${page.where}: page error: ${error.message}`));
  page.on('console', (message) => {
    const expected = message.text().startsWith('Failed to load resource: ') &&
      refused.some((status) => message.text().includes(typeof status === 'number' ? `status of ${status} ` : status));
    if ((message.type() === 'error' && !expected) || /Refused to|Content Security Policy/.test(message.text())) problems.push(`${page.where}: console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => dialog.dismiss());
  await page.goto(server.url);
  await page.getByLabel('Jeton d’accès').fill(token);
  await navigate(page, () => page.getByRole('button', { name: 'Utiliser le jeton' }).click());
  return page;
}

// The page has rendered: the main content is no longer busy and has its title.
async function settled(page) {
  await page.locator('main#contenu:not([aria-busy]) h1:not([data-left])').first().waitFor();
  // Charts and tables settle on the next frames (ResizeObserver).
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

const sideScroll = (page) => page.evaluate(() => ({
  scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  // The widest elements, to say where it comes from.
  culprits: [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .filter((e) => !e.closest('.table-scroll')).slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`),
}));

async function axeViolations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ url: '/test-tools/axe.min.js' });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

async function englishWords(page) {
  const text = await page.evaluate(() => document.body.innerText);
  const found = new Set();
  for (const m of text.matchAll(englishPattern)) {
    const line = text.slice(Math.max(0, text.lastIndexOf('\n', m.index) + 1), text.indexOf('\n', m.index) === -1 ? undefined : text.indexOf('\n', m.index));
    found.add(`« ${m[0]} » in « ${line.trim().slice(0, 160)} »`);
  }
  return [...found];
}

// Every wide table's box can be scrolled from the keyboard, and says what it holds.
const tableBoxes = (page) => page.evaluate(() => [...document.querySelectorAll('main table')].flatMap((table) => {
  const box = table.closest('.table-scroll');
  if (!box) return [`a table outside a scrolling box: ${table.querySelector('caption, th')?.textContent}`];
  const problems = [];
  if (!box.checkVisibility()) return problems;  // in a closed <details>: out of sight, out of the Tab order
  if (getComputedStyle(box).overflowX !== 'auto') problems.push('a table box without overflow-x: auto');
  if (box.scrollWidth > box.clientWidth && box.tabIndex !== 0) {
    problems.push(`a wide table box out of keyboard reach: ${table.querySelector('caption, th')?.textContent} (${box.scrollWidth} > ${box.clientWidth})`);
  }
  if (box.tabIndex === 0 && !(box.getAttribute('role') === 'region' && box.getAttribute('aria-label'))) problems.push('a focusable table box without a label');
  return problems;
}));

// Does what leads to another page (a click) and waits for that page: the title of the page
// left is marked, so that it is not taken for the new one's.
async function navigate(page, action) {
  await page.evaluate(() => document.querySelector('main h1')?.setAttribute('data-left', ''));
  await action();
  await settled(page);
}

// Checks the page now shown, at 1366 px then 390 px, and puts what is wrong in `problems`.
async function check(page, where, problems, { focusTitle = true } = {}) {
  page.where = where;
  await settled(page);
  const note = (list, kind) => { for (const item of list) problems.push(`${where}: ${kind}: ${item}`); };
  if (focusTitle) {
    const focused = await page.evaluate(() => document.activeElement?.matches('main h1') ? 'h1' : document.activeElement?.outerHTML.slice(0, 80));
    if (focused !== 'h1') problems.push(`${where}: the focus is not on the page title but on ${focused}`);
  }
  note(await axeViolations(page), 'axe');
  note(await englishWords(page), 'English');
  note(await tableBoxes(page), 'table');
  for (const viewport of [LAPTOP, PHONE]) {
    await page.setViewportSize(viewport);
    await settled(page);
    const { scroll, client, culprits } = await sideScroll(page);
    if (scroll > client) problems.push(`${where}: ${scroll} px wide in a ${client} px window (${culprits.join(', ')})`);
    if (viewport === PHONE) note(await tableBoxes(page), 'table at 390 px');
  }
  await page.setViewportSize(LAPTOP);
  await settled(page);
}

// Clicks every entry of the menu in turn and checks each page.
async function walkMenu(page, role, problems) {
  const entries = await page.locator('#menu a').allTextContents();
  assert.ok(entries.length >= 3, `${role} has a menu`);
  for (const entry of entries) {
    const link = page.locator('#menu').getByRole('link', { name: entry, exact: true });
    // The entry of the page shown leads nowhere else: that page is checked as it is.
    const here = await link.getAttribute('href') === await page.evaluate(() => location.hash);
    if (!here) await navigate(page, () => link.click());
    await check(page, `${role} « ${entry} »`, problems, { focusTitle: !here });
  }
  return entries;
}

const report = (problems) => assert.deepEqual(problems, [], `\n${problems.join('\n')}`);

// The main page of each role, for docs/web.md (a 1366 × 768 view, as a laptop shows it).
async function homeShot(page, role) {
  mkdirSync(screenshots, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screenshots, `role-${role}.jpg`), type: 'jpeg', quality: 60 });
}

describe('every page of every role', () => {
  test('a buyer: each menu entry and a contract', async () => {
    const problems = [];
    const page = await signIn(server.tokens['buyer AMIENS'], problems);
    await check(page, 'buyer home', problems);
    await homeShot(page, 'buyer');
    const entries = await walkMenu(page, 'buyer', problems);
    assert.deepEqual(entries, ['Mes besoins', 'Nouveau besoin', 'Import CSV', 'Mes marchés', 'Mes commandes', 'Mes gains', 'Seuils et saucissonnage']);
    await navigate(page, () => page.locator('#menu').getByRole('link', { name: 'Mes marchés' }).click());
    await navigate(page, () => page.locator('main a[href^="#/marches/"]').first().click());
    await check(page, 'buyer contract page', problems);
    await page.context().close();
    report(problems);
  });

  test('an officer: each menu entry and every tender', async () => {
    const problems = [];
    const page = await signIn(server.tokens.officer, problems);
    await check(page, 'officer home', problems);
    await homeShot(page, 'officer');
    await walkMenu(page, 'officer', problems);
    await navigate(page, () => page.locator('#menu').getByRole('link', { name: 'Consultations' }).click());
    const references = await page.locator('main a[href^="#/consultations/"]').allTextContents();
    assert.ok(references.length >= 1, 'the demo network has tenders');
    for (const reference of references) {
      if (await page.evaluate(() => location.hash) !== '#/consultations') {
        await navigate(page, () => page.locator('#menu').getByRole('link', { name: 'Consultations' }).click());
      }
      await navigate(page, () => page.locator('main').getByRole('link', { name: reference, exact: true }).click());
      await check(page, `officer tender ${reference}`, problems);
      const consumption = page.locator('main a.consumption-link');
      if (await consumption.count()) {
        await navigate(page, () => consumption.first().click());
        await check(page, `officer tender ${reference}, consumption of a lot`, problems);
      }
    }
    await page.context().close();
    report(problems);
  });

  test('finance: each menu entry and a contract', async () => {
    const problems = [];
    const page = await signIn(server.tokens.finance, problems);
    await check(page, 'finance home', problems);
    await homeShot(page, 'finance');
    await walkMenu(page, 'finance', problems);
    await navigate(page, () => page.locator('#menu').getByRole('link', { name: 'Marchés' }).click());
    await navigate(page, () => page.locator('main a[href^="#/marches/"]').first().click());
    await check(page, 'finance contract page', problems);
    await page.context().close();
    report(problems);
  });

  test('an administrator: each menu entry', async () => {
    const problems = [];
    const page = await signIn(server.tokens.admin, problems);
    await check(page, 'admin home', problems);
    await homeShot(page, 'admin');
    await walkMenu(page, 'admin', problems);
    await page.context().close();
    report(problems);
  });
});

describe('the pages that show the server\'s own words', () => {
  test('the sign-in page, at 1366 and 390 px', async () => {
    const problems = [];
    const context = await browser.newContext({ locale: 'fr-FR', viewport: LAPTOP });
    await context.route(`${server.url}/test-tools/axe.min.js`, (route) => route.fulfill({ path: axePath, contentType: 'text/javascript' }));
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`sign-in: page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 401 /.test(message.text())) problems.push(`sign-in: console: ${message.text()}`);
    });
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    // The e-mail address field takes the focus at once.
    await page.waitForFunction(() => document.activeElement?.matches('input[type=email]'));
    await check(page, 'sign-in', problems, { focusTitle: false });
    // A refused token: the message, in French, is also checked.
    await page.getByLabel('Jeton d’accès').fill('cnp_0000');
    await page.getByRole('button', { name: 'Utiliser le jeton' }).click();
    await page.getByRole('alert').filter({ hasText: 'Jeton inconnu' }).waitFor();
    await check(page, 'sign-in refused', problems, { focusTitle: false });
    await context.close();
    report(problems);
  });

  test('an officer: a closed tender with an abnormally low bid, a rejected one, and the proposal\'s exclusions', async () => {
    // Set up through the API on the demo's published tender CNP-2026-0002, lot 1 (one bid at 1 395 €):
    // 1 000 € is below 0.9 × the mean of 1 000, 1 395 and 1 400 € (abnormally low), 1 500 € is then declared irregular.
    const officer = apiClient(server.url, server.tokens.officer);
    const tender = (await officer('GET', '/v1/tenders/2')).body;
    assert.equal(tender.reference, 'CNP-2026-0002');
    const lot = tender.lots[0].id;
    const scores = { 'valeur technique': '70', 'performance environnementale': '60' };
    for (const [supplier, price] of [[1, '1000'], [3, '1400'], [2, '1500']]) {
      const bid = await officer('POST', `/v1/tenders/2/lots/${lot}/bids`, { supplier_id: supplier, tiers: [{ min_quantity: '0', unit_price: price }], scores });
      assert.equal(bid.status, 201, JSON.stringify(bid.body));
    }
    const closed = await officer('POST', '/v1/tenders/2/close', { reason: 'Les trois prestataires consultés ont répondu' }, { 'If-Match': `"v${tender.version}"` });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    const bids = (await officer('GET', `/v1/tenders/2/lots/${lot}/bids`)).body.items;
    const high = bids.find((b) => b.supplier_id === 2);
    const irregular = await officer('POST', `/v1/bids/${high.id}/decisions`, { decision: 'irregular', reason: 'Attestation d’assurance manquante' }, { 'If-Match': `"v${high.version}"` });
    assert.equal(irregular.status, 200, JSON.stringify(irregular.body));

    // And a need counted in days (unit code « day »), submitted by a buyer, for the census and the proposal.
    const buyer = apiClient(server.url, server.tokens['buyer REIMS']);
    const need = await buyer('POST', '/v1/needs', { cpv: '79713000-5', title: 'Gardiennage des chantiers', quantity: '12', unit: 'day',
      reference_unit_price: '410.00', department: '51', period_start: '2027-01-01', period_end: '2027-12-31', status: 'submitted' });
    assert.equal(need.status, 201, JSON.stringify(need.body));

    const problems = [];
    const page = await signIn(server.tokens.officer, problems);
    await check(page, 'officer census with a need in days', problems);
    await navigate(page, () => page.locator('#menu').getByRole('link', { name: 'Consultations' }).click());
    await navigate(page, () => page.locator('main').getByRole('link', { name: 'CNP-2026-0002', exact: true }).click());
    const rows = page.locator('table:has(caption:text("Analyse des offres")) tbody tr');
    await rows.filter({ hasText: 'Peintures de Picardie' }).locator('.badge.warn', { hasText: 'oui' }).waitFor();
    const closedDetails = page.locator('main details:not([open]) > summary');
    while (await closedDetails.count()) await closedDetails.first().click();
    await check(page, 'officer tender CNP-2026-0002 closed, with decisions', problems, { focusTitle: false });

    await navigate(page, () => page.locator('#menu').getByRole('link', { name: 'Proposition de mutualisation' }).click());
    await page.getByRole('button', { name: 'Calculer la proposition' }).click();
    await page.locator('#proposition h2').waitFor();
    await check(page, 'officer proposal', problems, { focusTitle: false });
    await page.context().close();
    report(problems);
  });

  test('a buyer: a need refused field by field, a CSV import refused line by line', async () => {
    const problems = [];
    const page = await signIn(server.tokens['buyer REIMS'], problems, { refused: [400] });
    await navigate(page, () => page.locator('#menu').getByRole('link', { name: 'Nouveau besoin' }).click());
    await page.getByLabel('Quantité', { exact: true }).fill('douze');
    await page.getByRole('button', { name: 'Soumettre le besoin' }).click();
    await page.locator('[data-field="quantity"] .field-error').filter({ hasText: /nombre/ }).waitFor();
    await check(page, 'buyer need refused', problems, { focusTitle: false });

    await navigate(page, () => page.locator('#menu').getByRole('link', { name: 'Import CSV' }).click());
    const csv = ['cpv;intitule;quantite', '44810000-1;Peinture;douze'].join('\r\n');
    await page.getByLabel('Fichier').setInputFiles({ name: 'besoins.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Importer' }).click();
    await page.locator('main .error, main table:has(caption:text("Erreurs, ligne par ligne"))').first().waitFor();
    await check(page, 'buyer import refused', problems, { focusTitle: false });
    await page.context().close();
    report(problems);
  });
});

describe('moving around with the keyboard', () => {
  test('the skip link lands on the main content and keeps the form being filled', async () => {
    const problems = [];
    const page = await signIn(server.tokens['buyer REIMS'], problems);
    await navigate(page, () => page.locator('#menu').getByRole('link', { name: 'Nouveau besoin' }).click());
    await page.getByLabel('Intitulé').fill('Tonte des pelouses');
    // Back up the page with Shift+Tab, as a keyboard user does, to the first link of the page.
    for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.matches('a.skip'))); i++) await page.keyboard.press('Shift+Tab');
    const skip = page.getByRole('link', { name: 'Aller au contenu' });
    assert.equal(await skip.evaluate((link) => link === document.activeElement), true, 'the skip link is reached from the keyboard');
    const box = await skip.boundingBox();
    assert.ok(box && box.x >= 0 && box.y >= 0 && box.width > 0, 'focused, the skip link is shown');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'contenu', 'the focus is on the main content');
    assert.equal(await page.evaluate(() => location.hash), '#/besoins/nouveau', 'the page stays where it was');
    assert.equal(await page.getByLabel('Intitulé').inputValue(), 'Tonte des pelouses', 'the form keeps what was typed');
    // The next Tab goes to the first control of the page's content, not back to the menu.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.getElementById('contenu').contains(document.activeElement)), true);
    await page.context().close();
    report(problems);
  });

  test('a field in error shows a red border, and a focus ring of 3:1 at least when focused', async () => {
    const problems = [];
    const page = await signIn(server.tokens['buyer REIMS'], problems, { refused: [400] });
    await navigate(page, () => page.locator('#menu').getByRole('link', { name: 'Nouveau besoin' }).click());
    await page.getByLabel('Quantité', { exact: true }).fill('douze');
    await page.getByRole('button', { name: 'Soumettre le besoin' }).click();
    await page.locator('[data-field="quantity"] .field-error').filter({ hasText: /nombre/ }).waitFor();
    // The focus went to the first field in error; the ring is the focus colour, not a pale red.
    const ring = (locator) => locator.evaluate((element) => {
      const style = getComputedStyle(element);
      const rgb = (text) => text.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      const luminance = ([r, g, b]) => {
        const c = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
      };
      const card = rgb(getComputedStyle(element.closest('.card, form, main')).backgroundColor);
      const [a, b] = [luminance(rgb(style.outlineColor)), luminance(card)].sort((x, y) => y - x);
      return { focused: element === document.activeElement, invalid: element.getAttribute('aria-invalid'), outline: style.outlineStyle,
        width: parseFloat(style.outlineWidth), contrast: (a + 0.05) / (b + 0.05), border: style.borderTopColor };
    });
    const focused = page.locator(':focus');
    const inError = await ring(focused);
    assert.equal(inError.focused, true);
    assert.equal(inError.invalid, 'true', 'the focus is on a field in error');
    assert.equal(inError.outline, 'solid');
    assert.ok(inError.width >= 3, `a ring of ${inError.width} px`);
    assert.ok(inError.contrast >= 3, `the ring's contrast is ${inError.contrast.toFixed(2)}:1`);
    // Left, the field in error keeps its red border (--bad, #a11d1d) and has no ring.
    const quantity = page.getByLabel('Quantité', { exact: true });
    await quantity.focus();
    await page.keyboard.press('Tab');
    const left = await ring(quantity);
    assert.equal(left.invalid, 'true');
    assert.equal(left.border, 'rgb(161, 29, 29)');
    assert.equal(left.outline, 'none');
    // Back on it with Shift+Tab: the ring again.
    await page.keyboard.press('Shift+Tab');
    const back = await ring(quantity);
    assert.equal(back.focused, true);
    assert.ok(back.outline === 'solid' && back.width >= 3 && back.contrast >= 3, JSON.stringify(back));
    await page.context().close();
    report(problems);
  });

  test('a page that loads says so, busy, then gives the focus to its title', async () => {
    const problems = [];
    const page = await signIn(server.tokens['buyer REIMS'], problems);
    // The server's answer for the contracts is held back one second and a half (a slow network).
    let release;
    const held = new Promise((done) => { release = done; });
    await page.route('**/v1/contracts*', async (route) => { await held; await route.continue(); });
    await page.locator('#menu').getByRole('link', { name: 'Mes marchés' }).click();
    const main = page.locator('main#contenu');
    await main.getByRole('status').filter({ hasText: 'Chargement…' }).waitFor();
    assert.equal(await main.getAttribute('aria-busy'), 'true');
    assert.equal(await main.locator('h1').count(), 0);
    release();
    await main.getByRole('heading', { level: 1, name: 'Mes marchés' }).waitFor();
    assert.equal(await main.getAttribute('aria-busy'), null, 'no longer busy');
    assert.equal(await main.getByText('Chargement…').count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Mes marchés', 'the focus is on the title');
    await page.unroute('**/v1/contracts*');
    await page.context().close();
    report(problems);
  });

  test('a server out of reach: a French page with « Réessayer », then the page once it answers', async () => {
    const problems = [];
    const page = await signIn(server.tokens['buyer REIMS'], problems, { refused: ['net::ERR_INTERNET_DISCONNECTED'] });
    // The network drops the contracts' request (the browser alone would say « Failed to fetch »).
    await page.route('**/v1/contracts*', (route) => route.abort('internetdisconnected'));
    await navigate(page, () => page.locator('#menu').getByRole('link', { name: 'Mes marchés' }).click());
    assert.equal(await page.locator('main h1').textContent(), 'Page indisponible');
    await page.getByRole('alert').filter({ hasText: 'Le serveur ne répond pas : vérifiez la connexion, puis réessayez.' }).waitFor();
    await check(page, 'buyer contracts, server out of reach', problems);
    await page.unroute('**/v1/contracts*');
    await navigate(page, () => page.getByRole('button', { name: 'Réessayer' }).click());
    assert.equal(await page.locator('main h1').textContent(), 'Mes marchés');
    await page.context().close();
    report(problems);
  });
});
