// node-inspect runs the page's wasm module (build/app.wasm) under Node the
// way the page's worker does: wasm_exec.js, then biInspect over File objects
// backed by the files on disk (fs.openAsBlob, read through blob.stream()
// with a BYOB reader). A FileReaderSync stand-in gives Go the same random
// access it has in a browser worker (synchronous reads of slices).
//
//	node web/bench/node-inspect.mjs [--wasm build/app.wasm] [--out report.json] [--no-readerat] [--no-hashwasm] [--budget BYTES] [--env GOGC=50] [--as-page] PATH...
//
// --as-page: Go hashes what the page's parse worker hashes, no more: the
// top-level files and the files inside them that are byte ranges of them
// (hashed by the page's hash worker) get placeholders, which stay in the
// report (for timing and profiling the parse alone).
//
// It prints one JSON line: {ms, cpuMs, bytes, mibps, peakRssMiB, wasmMemMiB, reportBytes}.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import vm from 'node:vm';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
let wasmPath = 'build/app.wasm', outPath = '', readerAt = true, budget = 0, asPage = false;
const goEnv = {};
const paths = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--wasm') wasmPath = args[++i];
  else if (a === '--out') outPath = args[++i];
  else if (a === '--no-readerat') readerAt = false;
  else if (a === '--budget') budget = Number(args[++i]);
  else if (a === '--no-hashwasm') continue;
  else if (a === '--as-page') asPage = true;
  else if (a === '--env') { const [k, v] = args[++i].split('='); goEnv[k] = v; }
  else paths.push(a);
}
if (!paths.length) {
  console.error('usage: node node-inspect.mjs [--wasm build/app.wasm] [--out report.json] [--no-readerat] [--budget BYTES] PATH...');
  process.exit(2);
}

const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
globalThis.fs = fs; // wasm_exec.js writes Go's stdout/stderr through it
require(path.join(goroot, 'lib', 'wasm', 'wasm_exec.js'));
// The parse worker's hash-wasm pool, as in the page (--no-hashwasm: Go's
// own SHA-256 only).
if (!process.argv.includes('--no-hashwasm')) {
  const src = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'src');
  globalThis.self = globalThis;
  vm.runInThisContext(fs.readFileSync(path.join(src, 'hashwasm.js'), 'utf8'));
  vm.runInThisContext(fs.readFileSync(path.join(src, 'hash-pool.js'), 'utf8'));
  await globalThis.biHashPoolReady;
}

// A File stand-in whose slices remember where they are, so the
// FileReaderSync stand-in can read them synchronously from disk.
const fds = new Map();
function fileFor(p, blob) {
  const name = path.basename(p);
  return {
    name, size: blob.size,
    stream: () => blob.stream(),
    slice: (a, b) => {
      b = Math.min(b ?? blob.size, blob.size);
      return { __path: p, a, b, size: Math.max(0, b - a), stream: () => blob.slice(a, b).stream() };
    },
  };
}
globalThis.FileReaderSync = readerAt ? class {
  readAsArrayBuffer(s) {
    let fd = fds.get(s.__path);
    if (fd == null) { fd = fs.openSync(s.__path, 'r'); fds.set(s.__path, fd); }
    const ab = new ArrayBuffer(Math.max(0, s.b - s.a));
    fs.readSync(fd, new Uint8Array(ab), 0, ab.byteLength, s.a);
    return ab;
  }
} : undefined;

async function inputs() {
  const out = [];
  let bytes = 0;
  for (const p of paths) {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      const files = [];
      const walk = async (dir, rel) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
          const full = path.join(dir, e.name);
          const r = rel ? rel + '/' + e.name : e.name;
          if (e.isDirectory()) await walk(full, r);
          else if (e.isFile()) { const b = await fs.openAsBlob(full); bytes += b.size; files.push({ path: r, file: fileFor(full, b) }); }
        }
      };
      await walk(p, '');
      out.push({ name: path.basename(p), isDir: true, files });
    } else {
      const b = await fs.openAsBlob(p);
      bytes += b.size;
      out.push({ name: path.basename(p), isDir: false, files: [{ path: '', file: fileFor(p, b) }] });
    }
  }
  return { out, bytes };
}

const go = new Go();
go.env = goEnv;
const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), go.importObject);
let exited = false;
go.run(instance).then(() => { exited = true; });
await new Promise((r) => setTimeout(r, 0));
const { out: ins, bytes } = await inputs();
if (asPage) {
  let n = 0;
  const ph = (c) => 'placeholder' + c + String(n++).padStart(52, '0');
  for (const inp of ins) for (const f of inp.files) f.sha256 = ph('f');
  globalThis.biRangeHash = (file, off, len) => (len >= 16 << 10 ? ph('r') : null); // worker.js RANGE_MIN
}

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 100);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let rep;
try {
  rep = await globalThis.biInspect(ins, { memoryBudget: budget, onProgress: () => {}, onPassword: () => globalThis.biPassword(null) });
} catch (e) {
  clearInterval(sampler);
  console.error('biInspect failed:', e && e.message, exited ? '(Go exited)' : '');
  process.exit(1);
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
if (outPath) fs.writeFileSync(outPath, rep);
const res = {
  ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), bytes, mibps: +(bytes / 1048576 / (ms / 1000)).toFixed(1),
  peakRssMiB: Math.round(peakRss / 1048576),
  wasmMemMiB: Math.round(instance.exports.mem.buffer.byteLength / 1048576),
  reportBytes: rep.length,
};
console.log(JSON.stringify(res));
process.exit(0);
