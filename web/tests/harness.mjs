// The real thing for the browser tests: the canopee binary on a throwaway SQLite
// database loaded with the demo network, serving the built application, and a
// headless Chromium. Nothing is mocked; everything is stopped at the end.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
export const binary = process.env.CANOPEE_BIN || join(root, 'build/canopee');
export const screenshots = process.env.CANOPEE_SCREENSHOT_DIR || join(root, 'build/web-screenshots');
const chromiumPath = process.env.CANOPEE_CHROMIUM || '/usr/bin/chromium';

// `canopee demo` prints one line per user: role, [member,] token, e-mail.
function parseTokens(output) {
  const tokens = {};
  for (const line of output.split('\n')) {
    const m = line.match(/^\s+(\w+)(?: (\w+))?\s+(cnp_[0-9a-f]+)\s+(\S+)$/);
    if (m) tokens[m[2] ? `${m[1]} ${m[2]}` : m[1]] = m[3];
  }
  return tokens;
}

// `options.env` adds to the server's environment, `options.listen` fixes its address
// (an identity provider must know the callback address before the server starts),
// `options.database` replaces the SQLite file (an empty PostgreSQL database) and
// `options.serveArgs` adds to `canopee serve`'s arguments.
export async function startServer(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'canopee-web-'));
  const database = options.database || `sqlite://${join(dir, 'canopee.db')}`;
  // Logged at info, every request included, into a file the tests read back.
  const env = { ...process.env, CANOPEE_DATABASE_URL: database, CANOPEE_LOG_LEVEL: 'info', CANOPEE_WEB_ROOT: join(root, 'web/dist'), ...options.env };
  const tokens = parseTokens(execFileSync(binary, ['demo'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  const logPath = join(dir, 'server.log');
  const log = openSync(logPath, 'a');
  const child = spawn(binary, ['serve', '--listen', options.listen || '127.0.0.1:0', '--workers', '4', ...(options.serveArgs || [])],
    { env, stdio: ['ignore', 'pipe', log] });
  const url = await new Promise((done, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`the server did not start: ${seen}`)), 20000);
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); done(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`the server exited with ${code}: ${seen}`)); });
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    closeSync(log);
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, tokens, stop, env, log: () => readFileSync(logPath, 'utf8') };
}

export async function startBrowser() {
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=fr-FR'],
  });
}

// The API itself, to set up and to check what the pages show against the figures.
export function apiClient(url, token) {
  return async (method, path, body, headers = {}) => {
    const response = await fetch(url + path, {
      method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text.startsWith('{') ? JSON.parse(text) : text };
  };
}

// WCAG 2 contrast of every visible piece of text on the page against the first
// opaque background behind it: 4.5:1, or 3:1 for large text (24px, or 18.66px bold).
// Returns the offenders, as "text — ratio".
export function contrastProblems(page) {
  return page.evaluate(() => {
    const parse = (color) => {
      const m = color.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
      return m ? { rgb: [Number(m[1]), Number(m[2]), Number(m[3])], alpha: m[4] === undefined ? 1 : Number(m[4]) } : null;
    };
    const luminance = ([r, g, b]) => {
      const channel = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const background = (element) => {
      for (let e = element; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.alpha === 1) return c.rgb;
      }
      return [255, 255, 255];
    };
    const problems = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!node.textContent.trim() || !element || element.closest('.skip, canvas')) continue;
      const style = getComputedStyle(element);
      if (style.visibility === 'hidden' || element.getClientRects().length === 0) continue;
      const ink = parse(style.color).rgb;
      const [a, b] = [luminance(ink), luminance(background(element))].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(`${node.textContent.trim().slice(0, 40)} — ${ratio.toFixed(2)}`);
    }
    return problems;
  });
}
