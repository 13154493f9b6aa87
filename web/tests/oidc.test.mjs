// Sign-in through a member's identity provider (OpenID Connect, issue 20 item 9) against
// a real provider (oidc-provider, web/tests/oidc_provider.mjs) and the real server: the
// first time, the person is refused in French and their account is listed for the
// administrator, who associates it with a buyer in the administration page; the second
// time the person lands signed in as that buyer. Then the protocol's guards without a
// browser: a flow is bound to the browser that started it, a state serves once, an
// unknown state, a forged code and a cancelled login each send back to the sign-in page
// with their code, never an error page.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startServer, startBrowser, apiClient, screenshots } from './harness.mjs';
import { listenProvider, loginWithoutBrowser, clientId, clientSecret } from './oidc_provider.mjs';

let provider;
let server;
let browser;
let admin;
const problems = [];
const LOGIN = 'marie.durand';
const EMAIL = `${LOGIN}@bailleur-a.example`;

async function freePort() {
  const probe = createServer();
  await new Promise((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}

// axe-core (WCAG 2.1 A and AA rules) on a part of the page, run through the debugging protocol.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function axeViolations(page, selector) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(axeSource);
  return page.evaluate(async (target) => {
    const result = await window.axe.run(document.querySelector(target), { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, selector);
}

const shot = (page, name) => page.screenshot({ path: join(screenshots, `oidc-${name}.png`), fullPage: true });

async function newPage() {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return page;
}

// The server's answer to an address, redirects not followed.
async function visit(path, cookie) {
  const response = await fetch(path.startsWith('http') ? path : server.url + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: response.status, location: response.headers.get('location') || '', cookies: response.headers.getSetCookie() };
}
const cookieNamed = (cookies, name) => cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

describe('sign-in through the member’s identity provider', () => {
  before(async () => {
    provider = await listenProvider();
    const port = await freePort();
    provider.configure(`http://127.0.0.1:${port}/v1/oidc/bailleur-a/callback`);
    server = await startServer({
      listen: `127.0.0.1:${port}`,
      env: {
        CANOPEE_OIDC_PROVIDERS: 'bailleur-a', CANOPEE_OIDC_BAILLEUR_A_ISSUER: provider.issuer,
        CANOPEE_OIDC_BAILLEUR_A_CLIENT_ID: clientId, CANOPEE_OIDC_BAILLEUR_A_CLIENT_SECRET: clientSecret,
        CANOPEE_OIDC_BAILLEUR_A_NAME: 'Annuaire Bailleur A',
      },
    });
    browser = await startBrowser();
    admin = apiClient(server.url, server.tokens.admin);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await provider?.stop();
  });

  test('refused until an administrator associates the account, then signed in as that user', async () => {
    const users = (await admin('GET', '/v1/users?limit=500')).body.items;
    const buyer = users.find((u) => u.role === 'buyer' && u.active);
    assert.ok(buyer, 'the demo network has a buyer');

    const page = await newPage();
    await page.goto(server.url);
    const providerLink = page.getByRole('link', { name: 'Se connecter avec Annuaire Bailleur A' });
    await providerLink.click();
    // The provider's own (development) login form.
    await page.getByPlaceholder('Enter any login').fill(LOGIN);
    await page.getByPlaceholder('and password').fill('peu importe');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    const refusal = page.locator('#connexion-organisation');
    await refusal.waitFor();
    assert.equal(await refusal.textContent(), 'Votre compte chez votre organisation n’est pas encore associé à un utilisateur de Canopée. Votre demande est enregistrée : un administrateur doit l’associer, puis reconnectez-vous.');
    assert.match(page.url(), /#\/connexion\?oidc=oidc\.unmapped$/);
    assert.equal((await page.evaluate(() => fetch('/v1/session').then((r) => r.json()))).signed_in, false);
    assert.deepEqual(await axeViolations(page, '#contenu'), []);
    await shot(page, 'refused');

    // The administrator finds the account with its e-mail and associates it with the buyer.
    const adminPage = await newPage();
    await adminPage.goto(server.url);
    await adminPage.getByLabel('Jeton d’accès').fill(server.tokens.admin);
    await adminPage.getByRole('button', { name: 'Utiliser le jeton' }).click();
    const section = adminPage.locator('#comptes-organisation');
    const row = section.getByRole('row').filter({ hasText: EMAIL });
    await row.waitFor();
    assert.deepEqual(await row.getByRole('cell').allTextContents().then((cells) => cells.slice(0, 4)),
      ['Annuaire Bailleur A', EMAIL, `Personne ${LOGIN}`, 'en attente']);
    assert.deepEqual(await axeViolations(adminPage, '#comptes-organisation'), []);
    await section.getByLabel(`Utilisateur pour ${EMAIL}`).selectOption({ label: `${buyer.name} (${buyer.email})` });
    await section.getByRole('button', { name: `Associer ${EMAIL}` }).click();
    await section.getByRole('status').filter({ hasText: `Compte ${EMAIL} associé.` }).waitFor();
    // The table is drawn again after the message: wait for the row's new state, then read it.
    await row.getByRole('cell').filter({ hasText: `associé à ${buyer.name}` }).waitFor();
    assert.equal(await row.getByRole('cell').nth(3).textContent(), `associé à ${buyer.name} (${buyer.email})`);
    await shot(adminPage, 'mapped');

    // The same person again: the provider remembers them, Canopée now signs them in as the buyer.
    await page.goto(`${server.url}/#/connexion`);
    await page.getByRole('link', { name: 'Se connecter avec Annuaire Bailleur A' }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    const current = await page.evaluate(() => fetch('/v1/session').then((r) => r.json()));
    assert.equal(current.signed_in, true);
    assert.equal(current.user.email, buyer.email);
    assert.ok(!page.url().includes('connexion'), page.url());
    await shot(page, 'signed-in');

    // The administrator's decisions are in the audit log.
    const identity = (await admin('GET', '/v1/oidc/identities?status=mapped')).body.items.find((i) => i.email === EMAIL);
    assert.equal(identity.user.id, buyer.id);
    const audit = (await admin('GET', `/v1/audit?entity=oidc_identity&id=${identity.id}`)).body.items.map((a) => a.action).sort();
    assert.deepEqual(audit, ['mapped', 'seen']);
    assert.deepEqual(problems, []);
  });

  test('a flow serves once, in the browser that started it; forged or cancelled returns say why', async () => {
    const start = await visit('/v1/oidc/bailleur-a/start');
    assert.equal(start.status, 302);
    const authorization = new URL(start.location);
    assert.equal(authorization.origin, provider.issuer);
    for (const [name, value] of [['response_type', 'code'], ['scope', 'openid email profile'], ['client_id', clientId],
      ['code_challenge_method', 'S256'], ['redirect_uri', `${server.url}/v1/oidc/bailleur-a/callback`]]) {
      assert.equal(authorization.searchParams.get(name), value, name);
    }
    assert.match(authorization.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
    const browserCookie = cookieNamed(start.cookies, 'canopee_oidc');
    assert.ok(browserCookie, 'the flow is bound to this browser by a cookie');
    const callback = await loginWithoutBrowser(start.location, LOGIN);

    // Another browser (another cookie) cannot finish it, and the state is spent.
    const other = cookieNamed((await visit('/v1/oidc/bailleur-a/start')).cookies, 'canopee_oidc');
    assert.equal((await visit(callback, other)).location, '/#/connexion?oidc=oidc.browser_mismatch');
    assert.equal((await visit(callback, browserCookie)).location, '/#/connexion?oidc=oidc.state_used');

    // A fresh flow finishes once: a session cookie and the application; replayed, refused.
    const second = await visit('/v1/oidc/bailleur-a/start');
    const secondCookie = cookieNamed(second.cookies, 'canopee_oidc');
    const secondCallback = await loginWithoutBrowser(second.location, LOGIN);
    const finished = await visit(secondCallback, secondCookie);
    assert.equal(finished.location, '/#/');
    assert.ok(cookieNamed(finished.cookies, 'canopee_session'));
    assert.equal((await visit(secondCallback, secondCookie)).location, '/#/connexion?oidc=oidc.state_used');

    // A code the provider never issued: the token endpoint refuses it.
    const third = await visit('/v1/oidc/bailleur-a/start');
    const thirdCallback = new URL(await loginWithoutBrowser(third.location, LOGIN));
    thirdCallback.searchParams.set('code', `${thirdCallback.searchParams.get('code')}x`);
    assert.equal((await visit(thirdCallback.toString(), cookieNamed(third.cookies, 'canopee_oidc'))).location,
      '/#/connexion?oidc=oidc.token_refused');

    // A state never issued, a cancelled login, an unknown provider.
    assert.equal((await visit(`/v1/oidc/bailleur-a/callback?code=abc&state=${'0'.repeat(64)}`, secondCookie)).location,
      '/#/connexion?oidc=oidc.state_unknown');
    assert.equal((await visit('/v1/oidc/bailleur-a/callback?error=access_denied&state=x')).location, '/#/connexion?oidc=oidc.cancelled');
    assert.equal((await visit('/v1/oidc/inconnu/start')).location, '/#/connexion?oidc=oidc.provider_unknown');

    // The public list of providers, for the sign-in page.
    const list = await (await fetch(`${server.url}/v1/oidc/providers`)).json();
    assert.deepEqual(list, { providers: [{ id: 'bailleur-a', name: 'Annuaire Bailleur A' }] });
  });
});
