// Browser side of `make bench`: the page from file:// in Debian's headless
// chromium (playwright-core, as the e2e tests), timed from the moment the
// files are set to the overview and to data-state=done, with the peak
// resident memory of the renderer that runs the page and its workers
// sampled from /proc; and, in the same browser, the baselines: a raw
// blob.stream() read of the same file and incremental SHA-256 with
// hash-wasm (the fastest incremental hasher found: see docs/performance.md).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

// launch starts a fresh headless chromium with its own profile directory
// (used to find its processes in /proc).
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'bi-bench-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath, headless: true, viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--enable-precise-memory-info'],
  });
  // Nothing may leave the machine, benchmarks included.
  await ctx.route('**/*', (r) => (/^(file|blob|data):/.test(r.request().url()) ? r.continue() : r.abort()));
  const page = ctx.pages()[0] || (await ctx.newPage());
  return { ctx, page, profile, close: async () => { await ctx.close(); rmSync(profile, { recursive: true, force: true }); } };
}

// chromiumProcs lists {pid, type, rss} of the processes of this browser.
function chromiumProcs(profile) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let cmd;
    try { cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8'); } catch { continue; }
    if (!cmd.includes('chromium') && !cmd.includes('chrome')) continue;
    if (!cmd.includes(profile) && !isChildOfProfile(d, profile)) continue;
    let rss = 0, cpu = 0, file = 0;
    try {
      const status = readFileSync(`/proc/${d}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      rss = m ? Number(m[1]) * 1024 : 0;
      // File-backed pages: Chromium's own code and data files, mapped by
      // every renderer (and shared with the other processes).
      const fb = /RssFile:\s+(\d+) kB/.exec(status);
      file = fb ? Number(fb[1]) * 1024 : 0;
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      cpu = (Number(f[11]) + Number(f[12])) * 10; // utime + stime, ticks of 10 ms
    } catch { continue; }
    const t = /--type=([a-z-]+)/.exec(cmd);
    out.push({ pid: Number(d), type: t ? t[1] : 'browser', rss, file, cpu });
  }
  return out;
}

const parentCache = new Map();
function isChildOfProfile(pid, profile) {
  // Zygote-forked renderers do not repeat --user-data-dir: walk up.
  let p = pid;
  for (let i = 0; i < 6; i++) {
    let st;
    try { st = readFileSync(`/proc/${p}/stat`, 'utf8'); } catch { return false; }
    const ppid = st.slice(st.lastIndexOf(')') + 2).split(' ')[1];
    if (!ppid || ppid === '0' || ppid === '1') return false;
    let cmd = parentCache.get(ppid);
    if (cmd == null) {
      try { cmd = readFileSync(`/proc/${ppid}/cmdline`, 'utf8'); } catch { return false; }
      parentCache.set(ppid, cmd);
    }
    if (cmd.includes(profile)) return true;
    p = ppid;
  }
  return false;
}

// sampler samples every 200 ms the largest renderer's RSS (and its RSS
// without file-backed pages: Chromium's mapped code, ~120 MiB, the same in
// every renderer whatever the page does) and the sum over all processes of
// the browser.
// It also adds up the CPU time the browser's processes used meanwhile
// (a figure that the other jobs on a busy machine do not inflate).
export function sampler(profile) {
  const s = { renderer: 0, rendererAnon: 0, total: 0, cpu0: new Map(), cpu: new Map(), trace: [], t0: Date.now() };
  const tick = () => {
    let tot = 0, ren = 0, anon = 0;
    for (const p of chromiumProcs(profile)) {
      tot += p.rss;
      if (p.type === 'renderer' && p.rss > ren) { ren = p.rss; anon = p.rss - p.file; }
      if (!s.cpu0.has(p.pid)) s.cpu0.set(p.pid, s.cpu.size ? 0 : p.cpu);
      s.cpu.set(p.pid, p.cpu);
    }
    s.renderer = Math.max(s.renderer, ren);
    s.rendererAnon = Math.max(s.rendererAnon, anon);
    s.trace.push([Date.now() - s.t0, Math.round(ren / 1048576)]);
    s.total = Math.max(s.total, tot);
  };
  tick();
  for (const [pid, c] of s.cpu) s.cpu0.set(pid, c);
  const id = setInterval(tick, 200);
  s.stop = () => {
    clearInterval(id);
    tick();
    let cpu = 0;
    for (const [pid, c] of s.cpu) cpu += c - (s.cpu0.get(pid) || 0);
    // rendererAt: the renderer's largest RSS within 200 ms of ms after the start.
    const rendererAt = (ms) => (ms == null ? null : Math.max(0, ...s.trace.filter(([t]) => Math.abs(t - ms) <= 200).map(([, r]) => r)));
    return { rendererMiB: Math.round(s.renderer / 1048576), rendererNoFileMiB: Math.round(s.rendererAnon / 1048576), totalMiB: Math.round(s.total / 1048576), cpuMs: cpu, trace: s.trace, rendererAt };
  };
  s.reset = () => { s.renderer = 0; s.rendererAnon = 0; s.total = 0; };
  return s;
}

const pageURL = () => pathToFileURL(join(root, 'dist', 'backup-inspector.html')).href;

// pageRun opens the page and runs one inspection of paths (a folder input
// when folder). It returns {overviewMs, doneMs, state, mem}.
export async function pageRun(b, paths, opts = {}) {
  // A fresh tab each run, as a user opens the page: a reused tab's renderer
  // carries the memory of earlier runs and of the baselines (100 MiB or
  // more at 1 GiB), which its RSS does not give back.
  const page = await b.ctx.newPage();
  try {
    return await pageRunIn(b, page, paths, opts);
  } finally {
    await page.close();
  }
}

async function pageRunIn(b, page, paths, { folder = false, timeout = 600_000, html = '' } = {}) {
  const t0 = Date.now();
  await page.goto(html ? pathToFileURL(html).href : pageURL());
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid=status]');
    return s && s.dataset.state === 'idle' && /Ready/.test(s.textContent);
  }, null, { timeout: 60_000, polling: 20 });
  const readyMs = Date.now() - t0;
  const interactive = await page.evaluate(() => {
    const m = performance.getEntriesByName('bi-ready')[0];
    return m ? Math.round(m.startTime) : null;
  });
  // Record, in the page, when the files are set, when the overview shows
  // and when the status says done.
  await page.evaluate(() => {
    const t = (window.__biBench = { set: 0, overview: 0, done: 0, state: '' });
    const capture = () => { if (!t.set) t.set = performance.now(); };
    document.querySelector('[data-testid=file-input]').addEventListener('change', capture, true);
    document.querySelector('[data-testid=folder-input]').addEventListener('change', capture, true);
    const check = () => {
      const st = document.querySelector('[data-testid=status]').dataset.state;
      const res = document.getElementById('results');
      if (t.set && !t.overview && res && !res.hidden && document.querySelector('[data-testid=exposure-summary]')) t.overview = performance.now();
      if (t.set && !t.done && (st === 'done' || st === 'error')) { t.done = performance.now(); t.state = st; if (!t.overview) t.overview = t.done; }
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'hidden'] });
  });
  const mem = sampler(b.profile);
  await page.setInputFiles(folder ? '[data-testid=folder-input]' : '[data-testid=file-input]', paths);
  await page.waitForFunction(() => window.__biBench.done > 0, null, { timeout, polling: 100 });
  const t = await page.evaluate(() => window.__biBench);
  const { rendererAt, ...m } = mem.stop();
  const status = await page.textContent('[data-testid=status]');
  // The worker's own timings: Go (biInspect) and Go + loading the model.
  // When the overview message (bi-overview) and the whole report (bi-result)
  // arrived, from the files being set.
  const w = await page.evaluate((set) => {
    const r = performance.getEntriesByName('bi-result').pop(), o = performance.getEntriesByName('bi-overview').pop();
    return { ...(r && r.detail ? r.detail : {}), resultAt: r ? r.startTime - set : null, overviewAt: o ? o.startTime - set : null, overviewWorkerMs: o && o.detail ? o.detail.workerMs : null, overviewWasmMiB: o && o.detail ? o.detail.wasmMiB : null };
  }, t.set);
  // The hash worker's ranges: announced, read again because announced late.
  const hs = await page.evaluate(() => { const e = performance.getEntriesByName('bi-hashes').pop(); return e && e.detail ? e.detail : null; });
  return { overviewMs: Math.round(t.overview - t.set), doneMs: Math.round(t.done - t.set), goMs: Math.round(w.goMs || 0), workerMs: Math.round(w.workerMs || 0),
    overviewMarkMs: w.overviewAt == null ? null : Math.round(w.overviewAt), resultMs: w.resultAt == null ? null : Math.round(w.resultAt), wasmMiB: w.wasmMiB || null, overviewWasmMiB: w.overviewWasmMiB || null,
    loadMs: w.loadMs == null ? null : Math.round(w.loadMs), streams: w.streams || null, layoutArrays: w.layout == null ? null : w.layout, wholeRead: w.wholeRead == null ? null : w.wholeRead,
    // The renderer's RSS (MiB) when the overview and the report arrived.
    rendererAtOverviewMiB: rendererAt(w.overviewAt), rendererAtResultMiB: rendererAt(w.resultAt), rendererAtStartMiB: m.trace.length ? m.trace[0][1] : null,
    state: t.state, status, readyMs, interactiveMs: interactive, hashStats: hs, ...m };
}

// The baseline page: a worker that reads a File with blob.stream() and a
// BYOB reader, optionally hashing it incrementally with hash-wasm.
function baselineHTML() {
  const hw = readFileSync(join(root, 'web', 'src', 'hashwasm.js'), 'utf8');
  const worker = `
${hw}
self.onmessage = async ({ data: m }) => {
  const t0 = performance.now();
  let n = 0, hex = '';
  for (const f of m.files) {
    let h = null;
    if (m.mode === 'hash-wasm') { h = await hashwasm.createSHA256(); h.init(); }
    const rd = f.stream().getReader({ mode: 'byob' });
    let ab = new ArrayBuffer(1 << 20);
    for (;;) {
      // Chromium 156 now and then never settles a BYOB read: start again.
      let timer = 0;
      const r = await Promise.race([rd.read(new Uint8Array(ab)), new Promise((res) => { timer = setTimeout(() => res(null), 10000); })]);
      clearTimeout(timer);
      if (r === null) { postMessage({ stalled: true }); return; }
      if (r.done) break;
      n += r.value.byteLength;
      if (h) h.update(r.value);
      ab = r.value.buffer;
    }
    if (h) hex = h.digest('hex');
  }
  postMessage({ ms: performance.now() - t0, n, hex });
};`;
  return `<!doctype html><meta charset=utf-8><title>bench</title>
<input type=file id=f multiple>
<script type=text/plain id=w>${worker}</script>
<script>
const runOnce = (mode) => new Promise((resolve, reject) => {
  const url = URL.createObjectURL(new Blob([document.getElementById('w').textContent], { type: 'text/javascript' }));
  const w = new Worker(url);
  w.onmessage = (e) => { w.terminate(); resolve(e.data); };
  w.onerror = (e) => { w.terminate(); reject(new Error(e.message)); };
  w.postMessage({ mode, files: [...document.getElementById('f').files] });
});
window.runBaseline = async (mode) => {
  for (let stalls = 0; ; stalls++) {
    const r = await runOnce(mode);
    if (!r.stalled) return { ...r, stalls };
    if (stalls >= 3) throw new Error('baseline ' + mode + ': reads stalled 4 times');
  }
};
</script>`;
}

// baselines measures, for files (read one after the other), the raw read
// and hash-wasm SHA-256 rates (MiB/s) in this browser.
export async function baselines(b, files, { modes = ['read', 'hash-wasm'] } = {}) {
  if (!Array.isArray(files)) files = [files];
  const dir = mkdtempSync(join(tmpdir(), 'bi-bench-page-'));
  const html = join(dir, 'baseline.html');
  writeFileSync(html, baselineHTML());
  const out = {};
  try {
    await b.page.goto(pathToFileURL(html).href);
    await b.page.setInputFiles('#f', files);
    const size = files.reduce((a, f) => a + statSync(f).size, 0);
    for (const mode of modes) {
      const r = await b.page.evaluate((m) => window.runBaseline(m), mode);
      if (r.n !== size) throw new Error(`baseline ${mode}: read ${r.n} of ${size} bytes`);
      out[mode] = { ms: Math.round(r.ms), mibps: +(size / 1048576 / (r.ms / 1000)).toFixed(1), hex: r.hex, stalls: r.stalls };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
