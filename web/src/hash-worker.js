// Hash worker: the SHA-256 of every top-level input file, computed in a
// worker of its own in parallel with the parse worker (which then does not
// hash them), and of the byte ranges of those files that are files inside
// them (tar entries of an uncompressed .ab or MIUI .bak, stored zip
// entries: container.InputFile.RangeSHA256), in the same pass: each chunk
// read goes to the file's hasher and to the hasher of every range it falls
// in. Reads each File with blob.stream() and a BYOB reader (one reused
// 1 MiB buffer: flat memory) into hash-wasm's incremental SHA-256
// (hashwasm.js is prepended to this text when the worker Blob is built).
//
// The parse worker announces ranges on a MessagePort as it finds them. A
// range announced after this worker has read past its start (the parse is
// behind) is read again on its own (blob.slice) once the pass is over.
//
// In:  {op: 'hash', files: [{id, file}], port}   files in the parse's order
//      port: {op: 'range', file, off, len, id} … {op: 'end'}
// Out: {type: 'progress', done, total}  (at most ~10 a second)
//      {type: 'hash', id, hex}  or  {type: 'hash', id, error}
//      {type: 'done', stats: {ranges, late, lateBytes}}
'use strict';
(function () {
  const CHUNK = 1 << 20;
  const pool = [];
  async function hasher() {
    const h = pool.pop() || (await self.hashwasm.createSHA256());
    h.init();
    return h;
  }
  const release = (h) => { if (pool.length < 32) pool.push(h); };
  const post = (m) => self.postMessage(m);

  const files = new Map(); // id → {file, pos, started, done, pending: [], active: []}
  const late = [];
  const stats = { ranges: 0, late: 0, lateBytes: 0 };
  let ended = true;
  let wake = null;
  const poke = () => { if (wake) { const w = wake; wake = null; w(); } };
  let done = 0, total = 0, last = 0;
  const onBytes = (n) => {
    done += n;
    const now = performance.now();
    if (now - last > 100) { last = now; post({ type: 'progress', done, total }); }
  };

  function addRange(r) {
    stats.ranges++;
    const f = files.get(r.file);
    if (!f || r.off < 0 || r.len < 0 || r.off + r.len > f.file.size) {
      post({ type: 'hash', id: r.id, error: 'range outside its file' });
      return;
    }
    if (f.done || (f.started && r.off < f.pos)) {
      // Read past already: hash it on its own later.
      stats.late++;
      stats.lateBytes += r.len;
      total += r.len;
      late.push(r);
      poke();
      return;
    }
    let i = f.pending.length; // they come mostly in order
    while (i > 0 && f.pending[i - 1].off > r.off) i--;
    f.pending.splice(i, 0, r);
  }

  function finish(r) {
    post({ type: 'hash', id: r.id, hex: r.h.digest('hex') });
    release(r.h);
    r.h = null;
  }

  // feed hands bytes [f.pos, f.pos + u8.length) of f to its ranges.
  async function feed(f, u8) {
    const a = f.pos, b = a + u8.length;
    while (f.pending.length && f.pending[0].off < b) {
      const r = f.pending.shift();
      r.h = await hasher();
      f.active.push(r);
    }
    let ended = 0;
    for (const r of f.active) {
      const s = Math.max(r.off, a), e = Math.min(r.off + r.len, b);
      if (e > s) r.h.update(u8.subarray(s - a, e - a));
      if (r.off + r.len <= b) { finish(r); ended++; }
    }
    if (ended) f.active = f.active.filter((r) => r.h);
    f.pos = b;
  }

  async function hashFile(f) {
    const h = await hasher();
    f.started = true;
    const rd = f.file.stream().getReader({ mode: 'byob' });
    let ab = new ArrayBuffer(CHUNK);
    try {
      for (;;) {
        const r = await rd.read(new Uint8Array(ab));
        if (r.done) break;
        h.update(r.value);
        if (f.pending.length || f.active.length) await feed(f, r.value);
        else f.pos += r.value.byteLength;
        onBytes(r.value.byteLength);
        ab = r.value.buffer;
      }
      return h.digest('hex');
    } finally {
      release(h);
      f.done = true;
      // Ranges past the end (the file shrank?) have no hash.
      for (const r of f.pending.concat(f.active)) {
        post({ type: 'hash', id: r.id, error: 'range past the end of its file' });
        if (r.h) release(r.h);
      }
      f.pending = [];
      f.active = [];
    }
  }

  async function hashLate(r) {
    const f = files.get(r.file);
    const h = await hasher();
    try {
      const rd = f.file.slice(r.off, r.off + r.len).stream().getReader({ mode: 'byob' });
      let ab = new ArrayBuffer(CHUNK), n = 0;
      for (;;) {
        const x = await rd.read(new Uint8Array(ab));
        if (x.done) break;
        h.update(x.value);
        n += x.value.byteLength;
        onBytes(x.value.byteLength);
        ab = x.value.buffer;
      }
      if (n !== r.len) throw new Error('read ' + n + ' of ' + r.len + ' bytes');
      post({ type: 'hash', id: r.id, hex: h.digest('hex') });
    } catch (e) {
      post({ type: 'hash', id: r.id, error: String((e && e.message) || e) });
    } finally {
      release(h);
    }
  }

  self.onmessage = async ({ data: m }) => {
    if (m.op !== 'hash') return;
    for (const { id, file } of m.files) {
      files.set(id, { file, pos: 0, started: false, done: false, pending: [], active: [] });
      total += file.size;
    }
    if (m.port) {
      ended = false;
      m.port.onmessage = ({ data: x }) => {
        if (x.op === 'range') addRange(x);
        else if (x.op === 'end') { ended = true; poke(); }
      };
    }
    for (const { id } of m.files) {
      try {
        post({ type: 'hash', id, hex: await hashFile(files.get(id)) });
      } catch (e) {
        post({ type: 'hash', id, error: String((e && e.message) || e) });
      }
    }
    for (;;) {
      while (late.length) await hashLate(late.shift());
      if (ended) break;
      await new Promise((r) => { wake = r; });
    }
    post({ type: 'progress', done, total });
    post({ type: 'done', stats });
  };
})();
