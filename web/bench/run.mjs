// `make bench`: for generated inputs of each size and kind, in the same run,
// the native CLI (inspect --json), the page's wasm under Node, the page in
// headless chromium (files set → overview, → data-state=done; CPU time and
// peak memory of the browser) and the baselines: a raw blob.stream() read
// and hash-wasm's incremental SHA-256 of the same files in the same browser,
// and the C sqlite3 CLI scanning the databases inside the input (against
// parsers/sqlite reading the same files). Medians of --reps runs.
// Prints a Markdown table and writes the raw figures as JSON.
//
//	node web/bench/run.mjs [--sizes 100MiB,1GiB,4GiB] [--kinds miui,ab-unc,ab,miui-zip,dump]
//	                       [--reps 3] [--skip node,page,sqlite] [--work build/bench] [--keep]
//	node web/bench/run.mjs --table build/bench/results.json   # print the table again
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { root, launch, pageRun, baselines } from './browser.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf('--' + name); return i >= 0 ? args[i + 1] : def; };
const sizes = opt('sizes', process.env.BENCH_SIZES || '100MiB').split(',').filter(Boolean);
const kinds = opt('kinds', process.env.BENCH_KINDS || 'miui,ab-unc,ab,miui-zip,dump').split(',').filter(Boolean);
const reps = Number(opt('reps', process.env.BENCH_REPS || '3'));
const skip = new Set(opt('skip', process.env.BENCH_SKIP || '').split(',').filter(Boolean));
const work = opt('work', join(root, 'build', 'bench'));
const keep = args.includes('--keep');

const KINDS = {
  miui: { args: ['-kind', 'miui'], folder: true, label: 'MIUI set (folder)' },
  'miui-zip': { args: ['-kind', 'miui', '-variant', 'zip'], file: 'miui.zip', label: 'MIUI set (zip)' },
  'ab-unc': { args: ['-kind', 'ab', '-variant', 'uncompressed'], file: 'backup.ab', label: '.ab uncompressed' },
  ab: { args: ['-kind', 'ab'], file: 'backup.ab', label: '.ab compressed' },
  dump: { args: ['-kind', 'dump', '-variant', 'zip'], file: 'dump.zip', label: 'dump zip' },
};

// The build is copied into the work folder first: other jobs may rebuild
// dist/ while a long run goes on.
const snap = join(work, 'snapshot');
const cli = join(snap, 'backup-inspector');
const wasm = join(snap, 'app.wasm');
const html = join(snap, 'backup-inspector.html');
const gen = join(work, 'gen');
const extract = join(work, 'extractdb');
const MiB = 1048576;

function parseSize(s) {
  const m = /^(\d+(?:\.\d+)?)(KiB|MiB|GiB)?$/.exec(s);
  if (!m) throw new Error('bad size ' + s);
  return Math.round(Number(m[1]) * ({ KiB: 1024, MiB: MiB, GiB: 1024 * MiB }[m[2]] || 1));
}
const median = (a) => { const b = a.filter((x) => x != null && !Number.isNaN(x)).sort((x, y) => x - y); return b.length ? (b.length % 2 ? b[(b.length - 1) / 2] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2) : null; };
const loadavg = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

function filesOf(p) {
  if (!statSync(p).isDirectory()) return [p];
  const out = [];
  const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) { const q = join(d, e.name); if (e.isDirectory()) walk(q); else if (e.isFile() && !q.endsWith('.truth.json')) out.push(q); } };
  walk(p);
  return out;
}
const bytesOf = (p) => filesOf(p).reduce((a, f) => a + statSync(f).size, 0);

function machine() {
  const cpu = (/model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8')) || [])[1] || '?';
  const v = (cmd, a) => { try { return execFileSync(cmd, a, { encoding: 'utf8' }).trim().split('\n')[0]; } catch { return '?'; } };
  return {
    cpu, cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), go: v('go', ['version']), node: process.version,
    chromium: v(process.env.CHROMIUM || '/usr/bin/chromium', ['--version']), sqlite3: v('sqlite3', ['--version']).split(' ')[0],
    html: statSync(html).size, version: v(cli, ['version']), wasm: statSync(wasm).size, date: new Date().toISOString().slice(0, 16) + 'Z',
  };
}

// timeCmd runs a command with /usr/bin/time: wall s, CPU s, max RSS MiB.
function timeCmd(cmd, a) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...a], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
  const last = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { s: last[0], cpu: last[1] + last[2], rssMiB: Math.round(last[3] / 1024), code: r.status };
}

function nodeRun(path) {
  const r = spawnSync(process.execPath, [join(root, 'web', 'bench', 'node-inspect.mjs'), '--wasm', wasm, path], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = r.stdout.trim().split('\n').pop();
  try { return JSON.parse(line); } catch { return { error: (r.stderr || '').slice(-300) }; }
}

// sqliteScan: seconds for the C sqlite3 CLI to read every row of every
// table of the databases found in path (one process per database), and
// for parsers/sqlite to do the same (one process in all).
function sqliteScan(path) {
  const dir = join(work, 'dbs');
  rmSync(dir, { recursive: true, force: true });
  execFileSync(extract, ['-out', dir, path], { stdio: ['ignore', 'ignore', 'inherit'] });
  const dbs = readdirSync(dir).filter((f) => !/-(wal|journal)$/.test(f)).map((f) => join(dir, f));
  const bytes = readdirSync(dir).reduce((a, f) => a + statSync(join(dir, f)).size, 0);
  let ours = 0, c = 0;
  // parsers/sqlite reading every row (before sqlite3, which may fold a -wal
  // into its database).
  if (dbs.length) ours = Number(execFileSync(extract, ['-scan', ...dbs], { encoding: 'utf8' }).trim());
  for (const db of dbs) {
    const tables = spawnSync('sqlite3', ['-readonly', db, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    const script = '.output /dev/null\n' + tables.map((t) => `SELECT * FROM "${t.replace(/"/g, '""')}";`).join('\n') + '\n';
    const t0 = process.hrtime.bigint();
    spawnSync('sqlite3', ['-readonly', db], { input: script, stdio: ['pipe', 'ignore', 'ignore'] });
    c += Number(process.hrtime.bigint() - t0) / 1e9;
  }
  rmSync(dir, { recursive: true, force: true });
  return { dbs: dbs.length, bytes, ours, c };
}

function ensureTools() {
  mkdirSync(snap, { recursive: true });
  for (const [from, to] of [[join(root, 'dist', 'backup-inspector'), cli], [join(root, 'build', 'app.wasm'), wasm], [join(root, 'dist', 'backup-inspector.html'), html]]) {
    if (!existsSync(from)) throw new Error(from + ' is missing: run make dist');
    copyFileSync(from, to);
  }
  execFileSync('go', ['build', '-o', gen, './samples/cmd/gen'], { cwd: root, stdio: 'inherit' });
  execFileSync('go', ['build', '-o', extract, './web/bench/extractdb'], { cwd: root, stdio: 'inherit' });
  if (!skip.has('sqlite') && spawnSync('sqlite3', ['--version']).status !== 0) {
    console.error('bench: sqlite3 is not installed (apt-get install sqlite3); skipping the sqlite3 baseline');
    skip.add('sqlite');
  }
}

async function main() {
  ensureTools();
  const m = machine();
  const results = [];
  console.error(`bench: ${m.cpu}, ${m.cores} cores, load ${loadavg()}; sizes ${sizes}; kinds ${kinds}; ${reps} rep(s)`);
  const b = skip.has('page') ? null : await launch();
  try {
    for (const size of sizes) {
      for (const kind of kinds) {
        const k = KINDS[kind];
        if (!k) throw new Error('unknown kind ' + kind);
        const need = parseSize(size) * 2.2;
        const fs = statfsSync(work);
        if (fs.bavail * fs.bsize < need) { console.error(`bench: not enough free disk for ${size} ${kind}; skipped`); continue; }
        const dir = join(work, `in-${size}-${kind}`);
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        const out = k.folder ? join(dir, 'miui') : join(dir, k.file);
        const t0 = Date.now();
        execFileSync(gen, [...k.args, '-size', size, '-out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
        const bytes = bytesOf(out);
        const r = { size, kind, label: k.label, bytes, genS: (Date.now() - t0) / 1000, load: [loadavg()], runs: [] };
        console.error(`bench: ${size} ${kind}: ${(bytes / MiB).toFixed(0)} MiB generated in ${r.genS} s`);
        for (let i = 0; i < reps; i++) {
          const run = {};
          run.native = timeCmd(cli, ['inspect', '--json', out]);
          if (!skip.has('node')) run.node = nodeRun(out);
          if (b) {
            run.page = await pageRun(b, [out], { folder: !!k.folder, html });
            run.base = await baselines(b, filesOf(out));
          }
          r.runs.push(run);
          console.error(`bench:   run ${i + 1}: native ${run.native.s} s, node ${run.node ? run.node.ms / 1000 : '-'} s, page ${run.page ? run.page.doneMs / 1000 : '-'} s (overview ${run.page ? run.page.overviewMs / 1000 : '-'} s, records ${run.page ? run.page.resultMs / 1000 : '-'} s, CPU ${run.page ? run.page.cpuMs / 1000 : '-'} s, renderer ${run.page ? run.page.rendererMiB : '-'} MiB, wasm ${run.page ? run.page.wasmMiB : '-'} MiB${run.page && run.page.wholeRead ? ', THE MODEL READ THE REPORT WHOLE (layout did not fit)' : ''}), hash-wasm ${run.base ? run.base['hash-wasm'].mibps : '-'} MiB/s; load ${loadavg()}`);
        }
        if (!skip.has('sqlite')) r.sqlite = sqliteScan(out);
        r.load.push(loadavg());
        results.push(r);
        if (!keep) rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    if (b) await b.close();
  }
  const file = join(work, 'results.json');
  writeFileSync(file, JSON.stringify({ machine: m, results }, null, 1));
  console.log(table(m, results));
  console.error('bench: raw figures in ' + file);
}

const f1 = (x) => (x == null ? '–' : x.toFixed(1));
const f0 = (x) => (x == null ? '–' : Math.round(x).toString());
const f2 = (x) => (x == null ? '–' : x.toFixed(2));

// table renders the medians as Markdown.
export function table(m, results) {
  const lines = [];
  lines.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB; ${m.go}; Node ${m.node}; ${m.chromium} (headless); sqlite3 ${m.sqlite3}; ${m.date}.`);
  lines.push(`Build ${m.version}. Page: ${(m.html / 1e6).toFixed(2)} MB single HTML (wasm ${(m.wasm / 1e6).toFixed(2)} MB raw, inlined gzip+base64).`);
  lines.push('');
  lines.push('| input | MiB | native CLI s (MiB/s, CPU s, RSS MiB) | wasm in Node s (MiB/s, CPU s) | page overview s (of it Go) | page records s | page done s (MiB/s) | page CPU s | renderer / without file-backed / all peak MiB (Go wasm) | browser read MiB/s | hash-wasm MiB/s | page ÷ hash-wasm | DBs in it: sqlite3 CLI ms : parsers/sqlite ms | load |');
  lines.push('|---|---:|---|---|---:|---:|---|---:|---|---:|---:|---:|---|---|');
  for (const r of results) {
    const mib = r.bytes / MiB;
    const med = (f) => median(r.runs.map(f));
    const ns = med((x) => x.native.s), ncpu = med((x) => x.native.cpu), nrss = med((x) => x.native.rssMiB);
    const ws = med((x) => (x.node && x.node.ms != null ? x.node.ms / 1000 : null)), wcpu = med((x) => (x.node && x.node.cpuMs != null ? x.node.cpuMs / 1000 : null));
    const ov = med((x) => (x.page ? x.page.overviewMs / 1000 : null)), done = med((x) => (x.page ? x.page.doneMs / 1000 : null));
    const goS = med((x) => (x.page && x.page.goMs ? x.page.goMs / 1000 : null));
    const rec = med((x) => (x.page && x.page.resultMs != null ? x.page.resultMs / 1000 : null));
    const wm = med((x) => (x.page && x.page.wasmMiB ? x.page.wasmMiB : null));
    const pcpu = med((x) => (x.page ? x.page.cpuMs / 1000 : null));
    const ren = med((x) => (x.page ? x.page.rendererMiB : null)), all = med((x) => (x.page ? x.page.totalMiB : null));
    const renNoFile = med((x) => (x.page && x.page.rendererNoFileMiB ? x.page.rendererNoFileMiB : null));
    const rd = med((x) => (x.base ? x.base.read.mibps : null)), hw = med((x) => (x.base ? x.base['hash-wasm'].mibps : null));
    const pageRate = done ? mib / done : null;
    const sq = r.sqlite ? `${r.sqlite.dbs} (${f1(r.sqlite.bytes / MiB)} MiB): ${f0(r.sqlite.c * 1000)} : ${f0(r.sqlite.ours * 1000)}` : '–';
    lines.push(`| ${r.size} ${r.label} | ${f0(mib)} | ${f1(ns)} (${f0(ns ? mib / ns : null)}, ${f1(ncpu)}, ${f0(nrss)}) | ${f1(ws)} (${f0(ws ? mib / ws : null)}, ${f1(wcpu)}) | ${f1(ov)} (${f1(goS)}) | ${f1(rec)} | ${f1(done)} (${f0(pageRate)}) | ${f1(pcpu)} | ${f0(ren)} / ${f0(renNoFile)} / ${f0(all)} (${f0(wm)}) | ${f0(rd)} | ${f0(hw)} | ${pageRate && hw ? Math.round((100 * pageRate) / hw) + ' %' : '–'} | ${sq} | ${r.load.join(' → ')} |`);
  }
  const starts = results.flatMap((r) => r.runs.map((x) => (x.page ? x.page.interactiveMs : null))).filter((x) => x != null);
  if (starts.length) lines.push('', `Page start from file:// (navigation → parser ready, median of ${starts.length}): ${f0(median(starts))} ms.`);
  return lines.join('\n');
}

if (args[0] === '--table') {
  // Re-render the table of a results.json.
  const { machine: m, results } = JSON.parse(readFileSync(args[1], 'utf8'));
  console.log(table(m, results));
} else {
  main().catch((e) => { console.error(e); process.exit(1); });
}
