// Worker glue: runs the Go wasm module and relays messages between the page
// and Go. wasm_exec.js is prepended to this text when the worker Blob is built.
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

self.onmessage = async (ev) => {
  const m = ev.data;
  try {
    switch (m.op) {
      case 'init':
        goReady = init(m.bytes);
        await goReady;
        break;
      case 'inspect': {
        await goReady;
        const started = performance.now();
        const out = await self.biInspect(m.inputs, {
          memoryBudget: m.memoryBudget || 0,
          onProgress: (json) => post({ type: 'progress', progress: JSON.parse(json) }),
          onPassword: (json) => post({ type: 'need-password', request: JSON.parse(json) }),
        });
        const buf = asBuffer(out);
        post({ type: 'result', json: buf, ms: performance.now() - started }, [buf]);
        break;
      }
      case 'password':
        self.biPassword(m.password == null ? null : String(m.password));
        break;
      case 'cancel':
        if (self.biCancel) self.biCancel();
        break;
      case 'db-tables': {
        const out = await self.biDBTables(m.path, !!m.noWal);
        const buf = asBuffer(out);
        post({ type: 'db-result', id: m.id, json: buf }, [buf]);
        break;
      }
      case 'db-rows': {
        const out = await self.biDBRows(m.path, m.table, m.offset, m.limit, !!m.noWal);
        const buf = asBuffer(out);
        post({ type: 'db-result', id: m.id, json: buf }, [buf]);
        break;
      }
    }
  } catch (e) {
    post({ type: 'error', op: m.op, id: m.id, message: String(e && e.message || e), exited });
  }
};
