// Worker glue: runs the Go wasm module, keeps the report model (model.js)
// and answers the page's queries. wasm_exec.js, common.js and model.js are
// prepended to this text when the worker Blob is built.
'use strict';
let goReady = null;
let exited = false;

function post(msg, transfer) { self.postMessage(msg, transfer || []); }

async function init(bytes) {
  const go = new Go();
  const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
  go.run(instance).then(() => { exited = true; post({ type: 'exited' }); });
  // Go installs its functions synchronously during run(); wait a tick.
  await new Promise((r) => setTimeout(r, 0));
  post({ type: 'ready', version: self.biVersion ? self.biVersion() : '' });
}

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

async function inspect(m) {
  await goReady;
  const started = performance.now();
  let out = await savedReport(m.inputs);
  const live = !out;
  if (!out) {
    out = await self.biInspect(m.inputs, {
      memoryBudget: m.memoryBudget || 0,
      problems: m.problems || [],
      onProgress: (json) => {
        const p = JSON.parse(json);
        post({ type: 'progress', progress: p });
        // Test hook (e2e): behave as if Go died of out-of-memory in this input.
        if (m.testCrashOn && p.input === m.testCrashOn && !exited) { exited = true; post({ type: 'exited' }); self.close(); }
      },
      onPassword: (json) => post({ type: 'need-password', request: JSON.parse(json) }),
    });
  }
  const goMs = performance.now() - started;
  const summary = BIModel.load(new TextDecoder().decode(out));
  summary.live = live;
  const buf = asBuffer(out);
  post({ type: 'result', json: buf, summary, ms: performance.now() - started, goMs }, [buf]);
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
  dbTables: async (path, noWal) => goJSON(await self.biDBTables(path, !!noWal)),
  dbQuery: async (q) => goJSON(await self.biDBQuery(JSON.stringify(q))),
  patchHashes: (pairs) => BIModel.patchHashes(pairs),
};

self.onmessage = async (ev) => {
  const m = ev.data;
  try {
    switch (m.op) {
      case 'init':
        goReady = init(m.bytes);
        await goReady;
        break;
      case 'inspect':
        await inspect(m);
        break;
      case 'password':
        self.biPassword(m.password == null ? null : String(m.password));
        break;
      case 'cancel':
        if (self.biCancel) self.biCancel();
        break;
      case 'call': {
        const fn = calls[m.fn];
        if (!fn) throw new Error('unknown call ' + m.fn);
        const value = await fn(...(m.args || []));
        post({ type: 'reply', id: m.id, ok: true, value }, value instanceof ArrayBuffer ? [value] : []);
        break;
      }
    }
  } catch (e) {
    const message = String((e && e.message) || e);
    if (m.op === 'call') post({ type: 'reply', id: m.id, ok: false, error: message });
    else post({ type: 'error', op: m.op, message, exited });
  }
};
