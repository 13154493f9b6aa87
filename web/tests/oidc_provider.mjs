// A real OpenID Connect provider for the tests (the npm package oidc-provider), on
// http://127.0.0.1:<port>: one client (code flow, PKCE S256, client_secret_basic) whose
// redirect address is the server's callback, and any login accepted by its
// development login form (« Enter any login ») — the account's e-mail is
// <login>@bailleur-a.example. Consent is granted at once, as for an organisation's
// own application. Used by web/tests/oidc.test.mjs and, run as a program, by the
// C++ API tests (it prints {"issuer": …} on one line).
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

export const clientId = 'canopee-tests';
export const clientSecret = 'secret-de-test-assez-long-0123456789';

// Listens first (so that the issuer's port is known before the server under test
// starts), then `configure(redirectUri)` creates the provider.
export async function listenProvider() {
  let handler = (req, res) => { res.statusCode = 503; res.end(); };
  const server = createServer((req, res) => handler(req, res));
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const configure = (redirectUri) => {
    const provider = new Provider(issuer, {
      clients: [{
        client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri],
        grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic',
      }],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
      cookies: { keys: ['cle-de-test-des-cookies-du-fournisseur'] },
      pkce: { methods: ['S256'], required: () => true },
      async findAccount(ctx, id) {
        return { accountId: id, async claims() { return { sub: id, email: `${id}@bailleur-a.example`, email_verified: true, name: `Personne ${id}` }; } };
      },
      async loadExistingGrant(ctx) {
        const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
        if (grantId) return ctx.oidc.provider.Grant.find(grantId);
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
        grant.addOIDCScope('openid email profile');
        await grant.save();
        return grant;
      },
    });
    handler = provider.callback();
  };
  const stop = () => new Promise((done) => { server.closeAllConnections?.(); server.close(done); });
  return { issuer, configure, stop };
}

// The login at the provider without a browser: follows the authorization address,
// posts the development login form with `login`, and answers the address the
// provider sends the browser back to (the server's callback with code and state).
export async function loginWithoutBrowser(authorizationUrl, login) {
  const jar = new Map();
  const keep = (response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  let url = authorizationUrl;
  let body;
  const origin = new URL(authorizationUrl).origin;
  for (let hop = 0; hop < 10; hop += 1) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET', redirect: 'manual',
      headers: { cookie: cookie(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body,
    });
    keep(response);
    body = undefined;
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.origin !== origin) return next.toString();
      url = next.toString();
      continue;
    }
    const html = await response.text();
    const action = html.match(/action="([^"]+)"/);
    if (!action || !html.includes('name="login"')) throw new Error(`unexpected page at the provider: ${html.slice(0, 200)}`);
    url = new URL(action[1], url).toString();
    body = new URLSearchParams({ prompt: 'login', login, password: 'x' }).toString();
  }
  throw new Error('too many redirects at the provider');
}

// Run as a program: `node oidc_provider.mjs <redirect URI>`; stops on SIGTERM, or when
// the process that started it is gone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.info = console.error; // stdout carries the one line the tests read, nothing else
  const { issuer, configure, stop } = await listenProvider();
  configure(process.argv[2]);
  process.stdout.write(`${JSON.stringify({ issuer, client_id: clientId, client_secret: clientSecret })}\n`);
  const parent = process.ppid;
  const end = () => stop().then(() => process.exit(0));
  process.on('SIGTERM', end);
  setInterval(() => { if (process.ppid !== parent) end(); }, 1000);
}
