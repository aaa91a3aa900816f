// Hash worker: the SHA-256 of every top-level input file, computed in a
// worker of its own in parallel with the parse worker (which then does not
// hash them). Reads each File with blob.stream() and a BYOB reader (one
// reused 1 MiB buffer: flat memory) into hash-wasm's incremental SHA-256
// (hashwasm.js is prepended to this text when the worker Blob is built).
//
// In:  {op: 'hash', files: [{id, file}]}
// Out: {type: 'progress', done, total}  (at most ~10 a second)
//      {type: 'hash', id, hex}  or  {type: 'hash', id, error}
//      {type: 'done'}
'use strict';
async function hashFile(file, onBytes) {
  const h = await self.hashwasm.createSHA256();
  h.init();
  const rd = file.stream().getReader({ mode: 'byob' });
  let ab = new ArrayBuffer(1 << 20);
  for (;;) {
    const r = await rd.read(new Uint8Array(ab));
    if (r.done) break;
    h.update(r.value);
    onBytes(r.value.byteLength);
    ab = r.value.buffer;
  }
  return h.digest('hex');
}

self.onmessage = async ({ data: m }) => {
  if (m.op !== 'hash') return;
  let done = 0, last = 0;
  const total = m.files.reduce((a, f) => a + f.file.size, 0);
  const onBytes = (n) => {
    done += n;
    const now = performance.now();
    if (now - last > 100) { last = now; self.postMessage({ type: 'progress', done, total }); }
  };
  for (const { id, file } of m.files) {
    try {
      self.postMessage({ type: 'hash', id, hex: await hashFile(file, onBytes) });
    } catch (e) {
      self.postMessage({ type: 'hash', id, error: String((e && e.message) || e) });
    }
  }
  self.postMessage({ type: 'progress', done, total });
  self.postMessage({ type: 'done' });
};
