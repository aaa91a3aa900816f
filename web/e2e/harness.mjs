// Shared harness for the browser end-to-end tests: Debian's chromium driven
// by playwright-core, headless, the page loaded from file://, every network
// attempt counted (request events, routed aborts, WebSockets and a canary TCP
// server), and page errors, console errors and CSP violations collected.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync, crc32 } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const pagePath = join(root, 'dist', 'backup-inspector.html');
export const pageURL = pathToFileURL(pagePath).href;
export const cli = join(root, 'dist', 'backup-inspector');
export const shotsDir = join(root, 'build', 'screenshots');

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// launch opens a fresh browser context with the network guard installed.
export async function launch() {
  if (!existsSync(pagePath)) throw new Error(`${pagePath} is missing: run make dist`);
  mkdirSync(shotsDir, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'bi-chromium-'));
  const canary = await startCanary();
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--enable-precise-memory-info'],
  });
  const net = { bad: [], canary };
  const ok = (u) => /^(file|blob|data):/.test(u);
  ctx.on('request', (r) => { if (!ok(r.url())) net.bad.push('request ' + r.url()); });
  await ctx.route('**/*', (r) => (ok(r.request().url()) ? r.continue() : (net.bad.push('routed ' + r.request().url()), r.abort())));
  await ctx.routeWebSocket(/.*/, (ws) => { net.bad.push('websocket ' + ws.url()); ws.close(); });
  const errors = [];
  const page = ctx.pages()[0] || (await ctx.newPage());
  const watch = (p) => {
    p.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
    p.on('console', (m) => {
      if (m.type() === 'error' || m.text().includes('Content Security Policy')) errors.push('console: ' + m.text());
    });
    p.on('dialog', (d) => { errors.push('dialog: ' + d.message()); d.dismiss(); });
  };
  watch(page);
  ctx.on('page', watch);
  const close = async () => {
    await ctx.close();
    canary.server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { ctx, page, net, errors, close };
}

// startCanary listens on 127.0.0.1 and counts connections: the only way to
// see a bare preconnect.
function startCanary() {
  return new Promise((res) => {
    const c = { connections: 0 };
    c.server = createServer((s) => { c.connections++; s.destroy(); });
    c.server.listen(0, '127.0.0.1', () => { c.port = c.server.address().port; res(c); });
  });
}

// open loads the page from file:// and waits until the parser is ready.
export async function open(page) {
  await page.goto(pageURL);
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid=status]');
    return s && s.dataset.state === 'idle' && /Ready/.test(s.textContent);
  }, null, { timeout: 60_000 });
}

// waitState waits until [data-testid=status] has one of the given states.
export async function waitState(page, states, timeout = 120_000) {
  await page.waitForFunction((st) => st.includes(document.querySelector('[data-testid=status]').dataset.state), states, { timeout });
  return page.getAttribute('[data-testid=status]', 'data-state');
}

export async function count(page, name) {
  return Number((await page.textContent(`[data-testid=count-${name}]`)).trim());
}

export async function shot(page, name) {
  await page.screenshot({ path: join(shotsDir, name + '.png'), fullPage: false });
}

// runCLI runs the native CLI and returns {code, stdout, stderr}.
export function runCLI(args, opts = {}) {
  try {
    const stdout = execFileSync(cli, args, { encoding: 'buffer', maxBuffer: 1 << 30, ...opts });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    if (typeof e.status !== 'number') throw e;
    return { code: e.status, stdout: e.stdout, stderr: String(e.stderr) };
  }
}

export function truth(name) {
  return JSON.parse(readFileSync(join(root, 'samples', 'small', name + '.truth.json'), 'utf8'));
}

// assertClean fails when anything touched the network or the page reported
// an error.
export function assertClean(assert, h) {
  assert.deepStrictEqual(h.net.bad, [], 'network attempts');
  assert.strictEqual(h.net.canary.connections, 0, 'canary connections');
  assert.deepStrictEqual(h.errors, [], 'page errors');
}

// ---- Helpers shared by the view tests ----

export const buildDir = join(root, 'build', 'e2e');
const genBin = join(root, 'build', 'gen');

// gen runs the samples generator (built once into build/gen) and returns
// the output path. Outputs are cached across tests in build/e2e.
export function gen(name, args) {
  mkdirSync(buildDir, { recursive: true });
  const out = join(buildDir, name);
  if (existsSync(out) && existsSync(out + '.truth.json')) return out;
  if (!existsSync(genBin)) execFileSync('go', ['build', '-o', genBin, './samples/cmd/gen'], { cwd: root, stdio: 'inherit' });
  execFileSync(genBin, [...args, '-out', out], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

// bigDB writes (once) an SMS database with n messages (and pad MiB of
// random blobs) using the Go helper in web/e2e/bigdb and returns its path.
export function bigDB(n, pad = 0) {
  mkdirSync(buildDir, { recursive: true });
  const out = join(buildDir, pad ? `big-${n}-pad${pad}.db` : `big-${n}.db`);
  if (!existsSync(out)) execFileSync('go', ['run', './web/e2e/bigdb', '-n', String(n), '-pad', String(pad), '-out', out], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

// deflatedZip writes (once) a zip holding the file src as entry name,
// deflated (or stored), and returns its path.
export function deflatedZip(out, name, src, stored = false) {
  out = join(buildDir, out);
  if (existsSync(out)) return out;
  const data = readFileSync(src);
  const method = stored ? 0 : 8;
  const comp = stored ? data : deflateRawSync(data);
  const nameB = Buffer.from(name, 'utf8');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(method, 8);
  local.writeUInt32LE(crc >>> 0, 14); local.writeUInt32LE(comp.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameB.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x0800, 8); central.writeUInt16LE(method, 10);
  central.writeUInt32LE(crc >>> 0, 16); central.writeUInt32LE(comp.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(nameB.length, 28);
  const cdOff = local.length + nameB.length + comp.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameB.length, 12); end.writeUInt32LE(cdOff, 16);
  writeFileSync(out, Buffer.concat([local, nameB, comp, central, nameB, end]));
  return out;
}

// cliJSON returns the CLI's report bytes for paths (and its exit code).
export function cliJSON(paths, extra = []) {
  const r = runCLI(['inspect', '--json', ...extra, ...paths]);
  if (r.code !== 0 && r.code !== 1) throw new Error('CLI failed: ' + r.stderr);
  return { bytes: r.stdout, report: JSON.parse(r.stdout.toString('utf8')), code: r.code };
}

// download clicks selector and returns the downloaded bytes.
export async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

export const TABS = ['overview', 'messages', 'contacts', 'calls', 'identifiers', 'timeline', 'files', 'databases', 'problems'];

// viewCount opens a tab and returns its [data-testid=view-count] number
// once the view has loaded.
export async function viewCount(page, tab) {
  await page.click(`[data-testid=tab-${tab}]`);
  await page.waitForFunction(() => {
    const v = document.querySelector('#view [data-testid=view-count]');
    return v && /^\d+$/.test(v.textContent.trim());
  }, null, { timeout: 30_000 });
  return Number((await page.textContent('#view [data-testid=view-count]')).trim());
}

// settle waits until no virtual table shows a row still loading.
export async function settle(page) {
  await page.waitForFunction(() => !document.querySelector('.vt-row.loading') && [...document.querySelectorAll('.vt')].every((t) => t.dataset.loaded === 'true'), null, { timeout: 30_000 });
}

// liveCount is how many records of a report array are not deleted.
export const liveCount = (a) => a.filter((r) => !r.deleted).length;

// loadFiles sets files (or a folder) on the page's inputs and waits for done.
export async function loadFiles(page, paths, { folder = false, timeout = 180_000 } = {}) {
  await page.setInputFiles(folder ? '[data-testid=folder-input]' : '[data-testid=file-input]', paths);
  return waitState(page, ['done', 'error'], timeout);
}

// collectRows scrolls a virtual table from top to bottom and returns every
// row's cell texts in order (for tables small enough to walk).
export async function collectRows(page, testid) {
  const sel = `[data-testid=${testid}]`;
  await page.$eval(sel, (s) => { s.scrollTop = 0; });
  const rows = new Map();
  const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  for (let guard = 0; guard < 10000; guard++) {
    await frames(); // the table renders on the next frame after a scroll
    await settle(page);
    const got = await page.$$eval(`${sel} [data-testid=row]`, (rs) => rs.map((r) => [Number(r.getAttribute('aria-rowindex')), [...r.children].map((c) => c.textContent)]));
    for (const [i, cells] of got) rows.set(i, cells);
    const more = await page.$eval(sel, (s) => {
      if (s.scrollTop + s.clientHeight >= s.scrollHeight - 1) return false;
      s.scrollTop += Math.max(32, s.clientHeight - 64);
      return true;
    });
    if (!more) break;
  }
  return [...rows.keys()].sort((a, b) => a - b).map((k) => rows.get(k));
}
