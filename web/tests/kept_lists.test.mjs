// Kept lists in the browser (`serve --read-cache-max-age`, PostgreSQL): the needs'
// list may be answered from a kept answer for a while, yet a buyer who submits a
// need in the form finds it in « Mes besoins » at once — the browser sends back the
// position of its last write (the cookie canopee_read_after) by itself. A need
// written meanwhile by someone else shows that the list really was a kept one.
// Runs on the throwaway PostgreSQL of the test command (CANOPEE_TEST_PG_URL).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, startBrowser, apiClient } from './harness.mjs';

const cluster = process.env.CANOPEE_TEST_PG_URL;
if (!cluster) throw new Error('CANOPEE_TEST_PG_URL is not set: run through scripts/test, which starts PostgreSQL');
const name = `canopee_web_kept_${process.pid}`;
const psql = (sql) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', cluster, '-c', sql], { stdio: ['ignore', 'pipe', 'pipe'] });

let server;
let browser;

const need = (title) => ({
  cpv: '77311000-3', title, quantity: '40', unit: 'h', reference_unit_price: '35', department: '51',
  period_start: '2027-01-01', period_end: '2027-12-31', status: 'submitted',
});

before(async () => {
  psql(`DROP DATABASE IF EXISTS ${name}`);
  psql(`CREATE DATABASE ${name}`);
  server = await startServer({ database: cluster.replace(/\/[^/]*$/, `/${name}`), serveArgs: ['--read-cache-max-age', '30'] });
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  psql(`DROP DATABASE IF EXISTS ${name}`);
});

describe('a buyer, with lists kept 30 s', () => {
  test('finds the need they submit at once, while a need written by another client waits for the list to age', async () => {
    const reimsApi = apiClient(server.url, server.tokens['buyer REIMS']);
    const amiensApi = apiClient(server.url, server.tokens['buyer AMIENS']);
    const context = await browser.newContext({ locale: 'fr-FR' });
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    await page.goto(server.url);
    await page.getByLabel('Jeton d’accès').fill(server.tokens['buyer REIMS']);
    await page.getByRole('button', { name: 'Utiliser le jeton' }).click();
    await page.getByRole('heading', { name: 'Mes besoins' }).waitFor();
    const menu = (label) => page.locator('#menu').getByRole('link', { name: label, exact: true });
    const reopenList = async () => {
      await menu('Nouveau besoin').click();
      await page.getByRole('heading', { name: 'Nouveau besoin' }).waitFor();
      await menu('Mes besoins').click();
      await page.getByRole('heading', { name: 'Mes besoins' }).waitFor();
      await page.getByRole('table').waitFor();
    };

    // Another member writes (the database moves on), then the list is read and kept.
    assert.equal((await amiensApi('POST', '/v1/needs', need('Élagage à Amiens'))).status, 201);
    await reopenList();
    // A need of this member written by another client (no cookie): the browser is
    // served the kept list, without it.
    const other = await reimsApi('POST', '/v1/needs', need('Entretien des haies'));
    assert.equal(other.status, 201);
    assert.match(other.headers.get('canopee-read-after'), /^[0-9A-F]+\/[0-9A-F]+$/);
    await reopenList();
    assert.equal(await page.getByRole('row').filter({ hasText: 'Entretien des haies' }).count(), 0,
      'the list was kept: a need written since by another client is not in it yet');

    // The buyer's own need, through the form: in the list at once, and the other one with it.
    await menu('Nouveau besoin').click();
    await page.getByLabel('Code CPV').fill('77311000-3');
    await page.getByLabel('Intitulé').fill('Tonte des pelouses');
    await page.getByLabel('Quantité', { exact: true }).fill('12 000');
    await page.getByLabel('Prix unitaire de référence HT (€)').fill('0,45');
    await page.getByLabel('Unité', { exact: true }).selectOption('m2');
    await page.getByLabel('Département de livraison').fill('51');
    await page.getByLabel('Début de période').fill('2027-01-01');
    await page.getByLabel('Fin de période').fill('2027-12-31');
    await page.getByRole('button', { name: 'Soumettre le besoin' }).click();
    await page.getByRole('status').filter({ hasText: /Besoin n° \d+ enregistré \(soumis\)/ }).waitFor();
    await page.getByRole('heading', { name: 'Mes besoins' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'Tonte des pelouses' }).waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: 'Entretien des haies' }).count(), 1);
    const cookies = await context.cookies();
    assert.ok(cookies.some((c) => c.name === 'canopee_read_after'), 'the browser keeps the position of its write');
    await context.close();
  });
});
