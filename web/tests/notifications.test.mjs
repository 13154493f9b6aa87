// Notifications as people meet them (issue 20 item 10): a buyer of OPAL whose two needs
// are grouped in a new tender sees the bell say « Notifications, 1 non lue », opens the
// page, reads the French text, marks it read, follows its link and chooses to be e-mailed
// when a lot is awarded; an officer finds the choices of their role; the finance user finds
// the month closed that `canopee serve` wrote on its first sweep. axe-core on the page.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startServer, startBrowser, apiClient, screenshots } from './harness.mjs';

let server;
let browser;
const problems = [];

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  assert.deepEqual(problems, []);
});

const shot = (page, name) => page.screenshot({ path: join(screenshots, `notifications-${name}.png`), fullPage: true });
const ok = (reply) => {
  assert.ok(reply.status < 300, `${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
};

async function signIn(token) {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.goto(server.url);
  await page.getByLabel('Jeton d’accès').fill(token);
  await page.getByRole('button', { name: 'Utiliser le jeton' }).click();
  return page;
}

// axe-core on the whole page (WCAG 2.1 A and AA), run through the debugging protocol (no CSP exception).
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function assertAccessible(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, []);
}

describe('a buyer', () => {
  test('is told that two needs were grouped, reads it, marks it read and chooses e-mail for awards', async () => {
    const buyer = apiClient(server.url, server.tokens['buyer OPAL']);
    ok(await buyer('POST', '/v1/notifications/read-all'));  // the demo's own notifications set aside
    // Two needs of OPAL and one of REIMS for office chairs (none in the demo), pooled by the officer.
    for (const [who, quantity] of [['buyer OPAL', '60'], ['buyer OPAL', '40'], ['buyer REIMS', '80']]) {
      ok(await apiClient(server.url, server.tokens[who])('POST', '/v1/needs', {
        cpv: '39130000-2', title: 'Sièges de bureau', quantity, unit: 'u', reference_unit_price: '150', department: '02',
        period_start: '2027-09-01', period_end: '2028-08-31', status: 'submitted',
      }));
    }
    const tender = ok(await apiClient(server.url, server.tokens.officer)('POST', '/v1/tenders', {
      title: 'Sièges de bureau', coordinator_member_id: 1, groupement_id: 1,
      criteria: [{ name: 'prix', weight: 60, price: true }, { name: 'valeur technique', weight: 25 }, { name: 'environnement', weight: 15, environmental: true }],
      proposal: { filter: { cpv_prefix: '3913' }, options: { kind: 'supplies', contract_start: '2027-09-01', duration_months: 12 } },
    }));

    const page = await signIn(server.tokens['buyer OPAL']);
    await page.getByRole('heading', { name: 'Mes besoins' }).waitFor();
    const bell = page.getByRole('link', { name: 'Notifications, 1 non lue' });
    await bell.waitFor();
    await bell.click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const title = `Besoins mutualisés : ${tender.reference}`;
    const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: title }) });
    await item.waitFor();
    assert.ok((await item.textContent()).includes(
      `2 besoins de votre organisme sont regroupés dans la consultation ${tender.reference} « Sièges de bureau ». Ils ne peuvent plus être modifiés.`));
    assert.match(await item.textContent(), /non lue/);
    await page.getByText('Aucun serveur de messagerie n’est configuré').waitFor();
    await shot(page, 'buyer');
    await assertAccessible(page);

    await page.getByRole('button', { name: `Marquer comme lue : ${title}` }).click();
    await page.getByRole('link', { name: 'Notifications, aucune non lue' }).waitFor();
    assert.match(await item.textContent(), / — lue/);

    // E-mail when a lot is awarded: saved, and still checked after a reload.
    const awarded = page.getByLabel('Un lot de mes besoins est attribué');
    assert.equal(await awarded.isChecked(), false);
    assert.equal(await page.getByLabel('Mes besoins sont regroupés dans une consultation').isChecked(), false);
    await awarded.check();
    await page.getByRole('button', { name: 'Enregistrer les préférences' }).click();
    await page.getByText('Préférences de notification enregistrées.').waitFor();
    const prefs = ok(await buyer('GET', '/v1/notification-preferences'));
    assert.deepEqual(prefs.items, [{ kind: 'need_pooled', email: false }, { kind: 'lot_awarded', email: true }]);
    await page.reload();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Un lot de mes besoins est attribué').isChecked(), true);

    // The notification's link leads to the needs.
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: 'Mes besoins' }).waitFor();
    await page.context().close();
  });
});

describe('an officer and finance', () => {
  test('find the choices of their role, and finance the month closed by the server’s sweep', async () => {
    const officer = await signIn(server.tokens.officer);
    await officer.getByRole('link', { name: /^Notifications, / }).click();
    await officer.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await officer.getByLabel('La date limite de remise des offres d’une consultation est passée').waitFor();
    await officer.getByLabel('Le délai de suspension d’un lot est écoulé').waitFor();
    assert.equal(await officer.getByLabel('Un lot de mes besoins est attribué').count(), 0);
    await officer.context().close();

    // The month before this one in Paris, as the sweep at the server's start closed it.
    const months = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
    const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' })
      .format(new Date()).split('-').map(Number);
    const closed = month === 1 ? `décembre ${year - 1}` : `${months[month - 2]} ${year}`;
    const finance = await signIn(server.tokens.finance);
    await finance.getByRole('link', { name: /^Notifications, \d+ non lues?$/ }).click();
    await finance.getByRole('link', { name: `Mois clos : ${closed}` }).waitFor();
    await finance.getByLabel('Un mois est clos : le rapport des gains peut être établi').waitFor();
    await shot(finance, 'finance');
    await assertAccessible(finance);
    await finance.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await finance.getByRole('link', { name: 'Notifications, aucune non lue' }).waitFor();
    await finance.context().close();
  });
});
