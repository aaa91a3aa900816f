// Worker glue: runs the Go wasm module, keeps the report model (model.js)
// and answers the page's queries. A worker reads one backup (op
// 'inspect') and hands its report over; the page then ends it and a fresh
// one keeps the model (op 'load'): see `current` below. wasm_exec.js,
// common.js and model.js are prepended to this text when the worker Blob
// is built.
'use strict';
// goReady resolves when Go runs: the page sends 'init' (with the module's
// bytes) at once, or — in a worker that took a report over — only when Go
// is needed.
let goStarted = null;
let goReady = new Promise((resolve) => { goStarted = resolve; });
let exited = false;
let wasmMemory = null; // Go's linear memory (it never shrinks)

const wasmMiB = () => (wasmMemory ? Math.round(wasmMemory.buffer.byteLength / 1048576) : 0);

function post(msg, transfer) { self.postMessage(msg, transfer || []); }

async function init(bytes) {
  const go = new Go();
  const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
  wasmMemory = instance.exports.mem || null;
  go.run(instance).then(() => { exited = true; post({ type: 'exited' }); });
  // Go installs its functions synchronously during run(); wait a tick.
  await new Promise((r) => setTimeout(r, 0));
  post({ type: 'ready', version: self.biVersion ? self.biVersion() : '' });
}

// biReadInto reads a Blob's bytes [off, end) into dst (a Uint8Array Go
// keeps) and returns how many there were: Go's blobReaderAt reads
// databases in place with it (wasm/blobio.go says why not directly). As a
// "binary string": a 64 KiB string V8's young generation frees at the next
// scavenge, where each readAsArrayBuffer left 64 KiB of external memory
// that V8 collects only every ~35 MiB (1 GiB dump, hash workers stubbed:
// the parse worker's sawtooth gone, the renderer's peak 438 → 426 MiB).
let frsShared = null;
// A read the browser refuses (the file changed or went away since it was
// chosen) gives the reason as a string, for Go's error naming the file.
self.biReadInto = (blob, off, end, dst) => {
  try {
    if (!frsShared) frsShared = new FileReaderSync();
    const s = frsShared.readAsBinaryString(blob.slice(off, end));
    const n = Math.min(s.length, dst.length);
    for (let i = 0; i < n; i++) dst[i] = s.charCodeAt(i);
    return s.length;
  } catch (e) {
    return String((e && e.name) || 'Error') + ': ' + String((e && e.message) || e);
  }
};

function asBuffer(u8) {
  // Transfer the exact bytes (the Uint8Array owns its whole buffer).
  return u8.buffer.byteLength === u8.byteLength ? u8.buffer : u8.slice().buffer;
}

// A single file that is a report this tool wrote earlier is opened as it is
// (no backup to parse; the database browser is not available then).
async function savedReport(inputs) {
  if (inputs.length !== 1 || inputs[0].isDir || inputs[0].files.length !== 1) return null;
  const f = inputs[0].files[0].file;
  if (f.size < 32) return null;
  const head = await f.slice(0, 512).text();
  if (!/^\uFEFF?\s*\{\s*"schema"\s*:\s*"backup-inspector\.report\//.test(head)) return null;
  return new Uint8Array(await f.arrayBuffer());
}

// The report the model holds: read live by Go (which keeps it, for
// matching indicator files later), or a saved file (kept to match again).
// A live report is handed over (op 'load', below): the worker that read
// the backup only encodes it, and the page ends that worker, so that Go's
// wasm memory (grown to its high-water mark while parsing, never given
// back) is gone before a fresh worker builds the model from the report's
// Blob. That worker's Go has neither the report nor the databases: it
// matches indicators with the report's bytes (handed: the page's copy,
// hashes in), and reads the inputs again, once, when the database browser
// is first used (rebuild).
let current = { live: false, saved: null, handed: false };

// Files inside the inputs that are byte ranges of them (tar entries of an
// uncompressed .ab, stored zip entries) of at least RANGE_MIN bytes are
// hashed by the hash worker in its pass over the input (hash-worker.js):
// Go asks biRangeHash (wasm/hash.go), which announces the range on the
// port and returns the placeholder the report holds until the hash is in.
const RANGE_MIN = 16 << 10;

function rangeHasher(port, prefix) {
  if (!port || !prefix) return undefined;
  let n = 0;
  // crc: a stored zip entry's CRC-32, which the hash worker checks too.
  return (file, off, len, crc) => {
    if (!(len >= RANGE_MIN)) return null;
    const id = prefix + 'r' + String(n++).padStart(64 - prefix.length - 1, '0');
    const r = { op: 'range', file, off, len, id };
    if (typeof crc === 'number') r.crc = crc >>> 0;
    port.postMessage(r);
    return id;
  };
}

// blobSink collects the report's bytes from Go (wasm/encode.go
// encodeReportSink: sink(scratch, n), scratch reused) into a Blob of one
// Blob per MiB (no copies of its own; Go lets the event loop turn every
// 8 MiB, when Chromium moves the bytes out of the renderer): Chromium holds
// a Blob's bytes outside the renderer, so the page
// never holds the whole report's text (50 MB for 110k messages, twice
// while Go's pieces were joined).
function blobSink() {
  const parts = [];
  return {
    push(scratch, n) { parts.push(new Blob([scratch.subarray(0, n)])); },
    finish() { return new Blob(parts, { type: 'application/json' }); },
  };
}

// Files inside the inputs that are neither inputs nor byte ranges of them
// (entries of a compressed or encrypted .ab, deflated zip entries) are
// hashed by the 'ranges' hash worker, not on this thread: Go copies their
// bytes, 1 MiB at a time, into buffers it takes here (wasm/hash.go
// streamSHA256), which are transferred on the port and handed back once
// hashed; with STREAM_CREDIT of them in flight Go waits (biStreamWait).
// Files under 64 KiB are hashed here (hash-pool), as before: a message
// each would cost more.
const STREAM_CHUNK = 1 << 20;
const STREAM_CREDIT = 16;

function streamHasher(port, prefix) {
  if (!port || !prefix) return null;
  const free = [];
  let inflight = 0, n = 0;
  let waiters = [];
  const stats = { made: 0, waits: 0, waitMs: 0 };
  port.onmessage = ({ data: x }) => {
    if (x.op !== 'back') return;
    inflight--;
    free.push(new Uint8Array(x.buf));
    if (inflight < STREAM_CREDIT) { const w = waiters; waiters = []; for (const f of w) f(); }
  };
  return {
    open: () => ({ id: prefix + 's' + String(n++).padStart(64 - prefix.length - 1, '0'), buf: null }),
    // buf: the buffer Go copies the next bytes of a stream into.
    buf: (st) => {
      if (!st.buf) {
        if (free.length) st.buf = free.pop();
        else { stats.made++; st.buf = new Uint8Array(STREAM_CHUNK); }
      }
      return st.buf;
    },
    // send hands buf[0:k] on; true: Go waits (wait) before the next.
    send: (st, k, last) => {
      const buf = st.buf;
      st.buf = null;
      port.postMessage({ op: 'chunk', id: st.id, buf: buf.buffer, n: k, last }, [buf.buffer]);
      inflight++;
      return inflight >= STREAM_CREDIT;
    },
    abort: (st) => {
      if (st.buf) { free.push(st.buf); st.buf = null; }
      port.postMessage({ op: 'abort', id: st.id });
    },
    wait: () => {
      if (inflight < STREAM_CREDIT) return Promise.resolve();
      const t = performance.now();
      stats.waits++;
      return new Promise((r) => waiters.push(() => { stats.waitMs += performance.now() - t; r(); }));
    },
    // release lets Go's waits end (cancel: Go sees it and stops).
    release: () => { const w = waiters; waiters = []; for (const f of w) f(); },
    close: () => {
      port.postMessage({ op: 'end' });
      port.close();
      const w = waiters; waiters = [];
      for (const f of w) f();
    },
    stats: () => ({ buffers: stats.made, waits: stats.waits, waitMs: Math.round(stats.waitMs) }),
  };
}

let activeStreams = null; // the running inspection's (cancel releases its waits)

function installStreams(sh) {
  self.biStreamOpen = sh ? () => sh.open() : undefined;
  self.biStreamBuf = sh ? (st) => sh.buf(st) : undefined;
  self.biStreamSend = sh ? (st, k, last) => sh.send(st, k, last) : undefined;
  self.biStreamAbort = sh ? (st) => sh.abort(st) : undefined;
  self.biStreamWait = sh ? () => sh.wait() : undefined;
}

async function inspect(m) {
  await goReady;
  const started = performance.now();
  self.biSpooled = 0; // bytes Go held in Blobs (wasm/spool.go)
  const port = m.rangePort || null;
  const replay = (m.replayPasswords || []).slice();
  let streams = null;
  let out = null;
  let goMs = 0;
  current = { live: false, saved: null, handed: false };
  try {
    out = await savedReport(m.inputs);
    if (!out) {
      self.biRangeHash = rangeHasher(port, m.hashPrefix);
      streams = streamHasher(m.streamPort || null, m.hashPrefix);
      activeStreams = streams;
      installStreams(streams);
      const sink = blobSink();
      out = { live: true, sink, bytes: await self.biInspect(m.inputs, {
        reportSink: (scratch, n) => sink.push(scratch, n),
        memoryBudget: m.memoryBudget || 0,
        problems: m.problems || [],
        onProgress: (json) => {
          const p = JSON.parse(json);
          post({ type: 'progress', progress: p, wasmMiB: wasmMiB() });
          // Test hook (e2e): behave as if Go died of out-of-memory in this input.
          if (m.testCrashOn && p.input === m.testCrashOn && !exited) { exited = true; post({ type: 'exited' }); self.close(); }
        },
        strictCRC: !!m.strictCRC,
        // A second read (strictCRC) answers with the passwords given the first time, in order.
        onPassword: (json) => {
          if (replay.length) { const pw = replay.shift(); setTimeout(() => self.biPassword(pw), 0); return; }
          post({ type: 'need-password', request: JSON.parse(json) });
        },
        // The overview, before the whole report is encoded and loaded.
        onOverview: (json) => post({ type: 'overview', summary: BIModel.early(BI.parseJSON(json)), ms: performance.now() - started, wasmMiB: wasmMiB() }),
      }) };
      goMs = performance.now() - started;
    } else {
      out = { live: false, bytes: out };
    }
  } finally {
    // No more ranges: the hash worker may finish.
    self.biRangeHash = undefined;
    if (port) { port.postMessage({ op: 'end' }); port.close(); }
    installStreams(null);
    activeStreams = null;
    if (streams) streams.close();
    else if (m.streamPort) { m.streamPort.postMessage({ op: 'end' }); m.streamPort.close(); }
  }
  // Where the report's big arrays are (wasm/encode.go arrayLayout).
  let layout = null;
  try { layout = typeof out.bytes.layout === 'string' ? JSON.parse(out.bytes.layout) : null; } catch (e) { layout = null; }
  const t = performance.now();
  // Go handed the bytes to the sink ({size, layout} returned) or returned
  // them (a saved report).
  const json = out.sink && !(out.bytes instanceof Uint8Array) ? out.sink.finish() : out.bytes;
  if (json instanceof Blob && json.size !== out.bytes.size) throw new Error('the report lost bytes on its way out of Go (' + json.size + ' of ' + out.bytes.size + ')');
  out.bytes = null;
  if (json instanceof Blob && out.live && m.handOff) {
    // The page ends this worker and a fresh one loads the model (op 'load').
    // Where the databases are (their inputs and offsets, or copies of the
    // ones held in Go's memory), for the fresh worker's database browser.
    let dbs = null;
    try { dbs = self.biSessionExport ? await self.biSessionExport() : null; } catch (e) { dbs = null; }
    post({ type: 'report', json, layout, goMs, ms: performance.now() - started, wasmMiB: wasmMiB(), streams: streams ? streams.stats() : null, dbs, spooled: self.biSpooled || 0 });
    return;
  }
  const summary = BIModel.load(json, layout);
  const loadMs = performance.now() - t;
  summary.live = out.live;
  current = { live: out.live, saved: out.live ? null : m.inputs[0].files[0].file };
  if (json instanceof Blob) {
    post({ type: 'result', json, summary, ms: performance.now() - started, goMs, loadMs, layout: layout ? layout.length : 0, wasmMiB: wasmMiB() });
    return;
  }
  const buf = asBuffer(json);
  post({ type: 'result', json: buf, summary, ms: performance.now() - started, goMs, loadMs, layout: layout ? layout.length : 0, wasmMiB: wasmMiB() }, [buf]);
}

// load builds the model of a live report another worker read and encoded
// ({json: Blob, layout, inputs, passwords, goMs, ms, wasmMiB}: the times
// and Go's memory are that worker's, for the page's marks).
async function load(m) {
  const t = performance.now();
  const info = { whole: false };
  const summary = await BIModel.loadAsync(m.json, m.layout, info);
  const loadMs = performance.now() - t;
  summary.live = true;
  current = { live: true, saved: null, handed: true, inputs: m.inputs, passwords: m.passwords || [], dbs: m.dbs || null, rebuilt: null };
  post({ type: 'result', json: m.json, summary, ms: m.ms + loadMs, goMs: m.goMs, loadMs, layout: m.layout ? m.layout.length : 0, wholeRead: info.whole, wasmMiB: m.wasmMiB, streams: m.streams || null, spooled: m.spooled || 0 });
}

// rebuild gives this worker's Go the databases of a handed-over report
// (the database browser), once: where the worker that read the backup said
// they are (biSessionExport: parts of the inputs, Blobs of the ones it
// held in memory), or, without that, by reading the inputs again: the
// same files, the same placeholders for the hashes (none is computed
// again), the passwords the user gave, in order; the report is dropped.
function rebuild() {
  if (!current.handed) return Promise.resolve();
  if (!current.rebuilt) {
    current.rebuilt = (async () => {
      await goReady;
      // The worker that read the backup said where its databases are
      // (inputs and offsets, Blobs of the ones it held): open them there
      // (1 GiB compressed .ab: the first open 7.6 s → see docs/performance.md).
      if (current.dbs && self.biSessionImport) {
        const n = self.biSessionImport(current.dbs);
        if (typeof n === 'number') { post({ type: 'db-source', how: 'located', databases: n }); return; }
      }
      post({ type: 'db-source', how: 'reread' });
      const passwords = current.passwords.slice();
      let n = 0;
      self.biRangeHash = (file, off, len) => (len >= RANGE_MIN ? 'birebuild' + String(n++).padStart(55, '0') : null);
      try {
        // Only the databases are wanted: none is read for a report (no
        // summary, no database module, no deleted-record search: the
        // report has all that), no report encoded. The first open of the
        // database browser at 1 GiB: dump 13.2 → 2.5 s, .ab 4.0 → 2.5 s,
        // compressed .ab 9.1 → 7.6 s (the inflate).
        await self.biInspect(current.inputs, {
          databasesOnly: true,
          noReport: true,
          memoryBudget: 0,
          problems: [],
          onProgress: (json) => post({ type: 'db-progress', progress: JSON.parse(json) }),
          onPassword: () => { const pw = passwords.length ? passwords.shift() : null; setTimeout(() => self.biPassword(pw), 0); },
          onOverview: () => {},
        });
      } finally {
        self.biRangeHash = undefined;
      }
    })();
    current.rebuilt.catch(() => { current.rebuilt = null; });
  }
  return current.rebuilt;
}

// ---- Indicator files ----
const IOC_MAX = 64 << 20; // indicators.MaxFileSize
const IOC_EXT = /\.(stix2?|json|txt)$/i;

// classify tells indicator files (STIX2 bundles, lists of phone numbers)
// from backups and saved reports by their content, for single files:
// [{name, file, force}] → [{kind, reason, error, bundle, usable, unsupported}]
// (kind '' = not an indicator file). Only JSON objects and text are read
// whole, and only up to the indicator size limit; force (the indicator
// picker) takes the file as indicators whatever it holds.
async function classify(files) {
  await goReady;
  const out = [];
  for (const { name, file, force } of files) {
    const forced = force || /\.stix2?$/i.test(name);
    if (!forced && (file.size === 0 || file.size > IOC_MAX)) { out.push({ kind: '', reason: file.size ? 'larger than an indicator file can be' : 'empty' }); continue; }
    const head = new Uint8Array(await file.slice(0, 4096).arrayBuffer());
    if (!forced) {
      let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
      while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
      const json = head[i] === 0x7b; // '{'
      if (json && /^\uFEFF?\s*\{\s*"schema"\s*:\s*"backup-inspector\.report\//.test(new TextDecoder().decode(head.subarray(0, 512)))) { out.push({ kind: '', reason: 'a saved report' }); continue; }
      if (!json && head.indexOf(0) >= 0) { out.push({ kind: '', reason: 'binary data' }); continue; }
      if (head[i] === 0x3c || head[i] === 0x5b) { out.push({ kind: '', reason: 'XML or a JSON array' }); continue; } // '<', '['
      if (!json && !IOC_EXT.test(name) && file.size > (1 << 20)) { out.push({ kind: '', reason: 'large text' }); continue; }
      // A big JSON file is read whole (into Go's memory, which never
      // shrinks) only when its start looks like a STIX bundle.
      if (json && file.size > (1 << 20) && !/"type"\s*:\s*"bundle"|"bundle--/.test(new TextDecoder().decode(head))) { out.push({ kind: '', reason: 'large JSON, not a STIX bundle' }); continue; }
    }
    if (file.size > IOC_MAX) { out.push({ kind: 'invalid', error: name + ': larger than ' + IOC_MAX + ' bytes, the limit of an indicator file' }); continue; }
    const bytes = new Uint8Array(await file.arrayBuffer());
    out.push(JSON.parse(self.biIndicatorsProbe(name, bytes, forced)));
  }
  return out;
}

// match loads the indicator files ([{name, file}]) and matches them with
// the current report: Go's kept report (hashes: the page's [placeholder,
// hex] pairs of the top-level files) or the saved report's bytes. The
// model is reloaded from the new report bytes, which the page keeps.
async function match(files, hashes, base) {
  await goReady;
  if (!current.live && !current.saved) throw new Error('no report to match the indicators with');
  const list = [];
  for (const f of files) list.push({ name: f.name, bytes: new Uint8Array(await f.file.arrayBuffer()) });
  // A handed-over report is matched as its bytes (the page's, hashes in):
  // the same bytes as Go's kept report would give (e2e).
  const bytesOf = async (b) => (b instanceof Blob ? new Uint8Array(await b.arrayBuffer()) : new Uint8Array(b));
  let saved = current.saved ? await bytesOf(current.saved) : null;
  if (current.handed) {
    if (!base) throw new Error('no report to match the indicators with');
    saved = await bytesOf(base);
  }
  const res = await self.biIndicatorsMatch(list, current.live && !current.handed ? hashes || [] : null, saved);
  const out = res.json;
  const summary = BIModel.load(out);
  summary.live = current.live;
  return { json: asBuffer(out), summary, errors: JSON.parse(res.errors) };
}

const utf8 = (s) => { const b = new TextEncoder().encode(s); return b.buffer; };
const goJSON = (u8) => BI.parseJSON(new TextDecoder().decode(u8));

// Functions the page calls with {op:'call', id, fn, args}.
const calls = {
  query: (q) => BIModel.query(q),
  counts: (q) => BIModel.counts(q),
  histogram: (q) => BIModel.histogram(q),
  setZone: (z) => BIModel.setZone(z),
  csv: (q) => utf8(BIModel.csv(q)),
  report: (o) => utf8(BIModel.reportHTML(o)),
  dbTables: async (path, noWal) => { await rebuild(); return goJSON(await self.biDBTables(path, !!noWal)); },
  dbQuery: async (q) => { await rebuild(); return goJSON(await self.biDBQuery(JSON.stringify(q))); },
  patchHashes: (pairs) => BIModel.patchHashes(pairs),
  classify,
  match,
};

// loading: the model being built from a handed-over report (op 'load').
let loading = Promise.resolve();

self.onmessage = async (ev) => {
  const m = ev.data;
  try {
    switch (m.op) {
      case 'init':
        // Not while the model is being built (the page starts this
        // worker's Go once the hashes are in: often then).
        await loading.catch(() => {});
        goStarted(init(m.bytes));
        await goReady;
        break;
      case 'inspect':
        await inspect(m);
        break;
      case 'load':
        // Calls that come meanwhile wait for the model.
        loading = load(m);
        await loading;
        break;
      case 'password':
        self.biPassword(m.password == null ? null : String(m.password));
        break;
      case 'cancel':
        if (self.biCancel) self.biCancel();
        if (activeStreams) activeStreams.release(); // Go may be waiting for the hash worker
        break;
      case 'call': {
        await loading.catch(() => {});
        const fn = calls[m.fn];
        if (!fn) throw new Error('unknown call ' + m.fn);
        const value = await fn(...(m.args || []));
        const transfer = value instanceof ArrayBuffer ? [value] : value && value.json instanceof ArrayBuffer ? [value.json] : [];
        post({ type: 'reply', id: m.id, ok: true, value }, transfer);
        break;
      }
    }
  } catch (e) {
    const message = String((e && e.message) || e);
    if (m.op === 'call') post({ type: 'reply', id: m.id, ok: false, error: message });
    else post({ type: 'error', op: m.op, message, exited });
  }
};
