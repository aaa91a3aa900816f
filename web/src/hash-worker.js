// Hash workers: the SHA-256 of every top-level input file, computed beside
// the parse worker (which then does not hash them), and of the byte ranges
// of those files that are files inside them (tar entries of an
// uncompressed .ab or MIUI .bak, stored zip entries:
// container.InputFile.RangeSHA256). hashwasm.js (hash-wasm's incremental
// SHA-256) is prepended to this text when the worker Blob is built. Files
// are read with blob.stream() and a BYOB reader into one reused 1 MiB
// buffer: flat memory. Files and ranges up to ONESHOT (8 MiB) are hashed
// one-shot by WebCrypto instead (see ONESHOT).
//
// Two workers run this script (hashes.js):
//   'pass' reads each input once, front to back, and feeds every chunk to
//     the input's hasher and to the hasher of the range it falls in
//     ("in the pass"). The parse worker announces the ranges on a
//     MessagePort as it finds them. A range announced after the pass has
//     read past its start (the parse is behind), or inside a range already
//     taken in the pass (a tar entry in a stored .bak in a zip), goes to…
//   'ranges', which reads each such range again on its own (blob.slice).
//     It starts when the parse is done: until then one worker hashes beside
//     the parse (the pass, which once through its inputs takes about half
//     of the bytes waiting in 'ranges' ('steal'), again and again), so
//     that the parse has the second core; then both hash to the end. (A
//     1 GiB dump zip, whose parse outlasts the pass: with 'ranges' starting
//     when the pass was through, overview 11.7 / done 14.6 s; now 10.5 /
//     13.5 s.)
//
// 'ranges' also hashes the streams: files inside the inputs that are neither
// inputs nor byte ranges of them (entries of a compressed or encrypted .ab,
// deflated zip entries): the parse worker sends their bytes as it reads
// them (worker.js streamHasher), and they are hashed at once, before any
// range — the parse waits when STREAM_CREDIT buffers are in flight — on
// the second core rather than on the parse's thread (a 1 GiB compressed
// .ab: 1 GiB of hash-wasm, ~3.5 s, was the parse worker's).
//
// In:  {op: 'hash', role: 'pass', files: [{id, file}], port, ranges}
//        files in the parse's order; port: from the parse worker
//        ({op: 'range', file, off, len, id} … {op: 'end'}); ranges: to the
//        'ranges' worker (the same messages, {op: 'go'} and {op: 'steal'},
//        answered {op: 'stolen', list, ended})
//      {op: 'hash', role: 'ranges', files, port, streams}   port: from
//        'pass'; streams: from the parse worker ({op: 'chunk', id, buf, n,
//        last} … {op: 'end'}; {op: 'abort', id}), answered {op: 'back',
//        buf} (the buffer, transferred back, once hashed)
// Out: {type: 'progress', done, total}  (at most ~10 a second)
//      {type: 'hash', id, hex}  or  {type: 'hash', id, error}
//      {type: 'done', stats}
'use strict';
(function () {
  const CHUNK = 1 << 20;
  // Files and ranges of up to ONESHOT bytes are read whole into one reused
  // buffer and hashed by WebCrypto (crypto.subtle.digest: one-shot only,
  // but native SHA-256 — SHA-NI where the CPU has it — on a thread of the
  // browser's own): measured here 720–1500 MiB/s against hash-wasm's
  // ~310 (docs/performance.md). digest copies its input when called, so
  // the buffer is refilled while the previous digest runs; at most one is
  // in flight. Memory: the buffer plus that copy, 2 × ONESHOT at most, and
  // only while such a file is read. Bigger files go through hash-wasm,
  // CHUNK bytes at a time.
  let ONESHOT = 8 << 20;
  const subtle = self.crypto && self.crypto.subtle;
  let big = null; // the reused buffer (grows to the largest file read, ≤ ONESHOT)
  let inflight = Promise.resolve();
  const pool = [];
  async function hasher() {
    const h = pool.pop() || (await self.hashwasm.createSHA256());
    h.init();
    return h;
  }
  const release = (h) => { if (pool.length < 32) pool.push(h); };
  const post = (m) => self.postMessage(m);

  // CRC-32 (IEEE, zip's), slicing by 8: a range with a crc (a stored zip
  // entry: worker.js rangeHasher) is checked as it is hashed, so that Go
  // need not read the entry to its end for it (container RangeCRC32); the
  // result says crcBad when it differs and the page reads the inputs
  // again with Go checking (app.js).
  const CRC_T = (() => {
    const t = new Uint32Array(8 * 256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[i] = c;
    }
    for (let i = 0; i < 256; i++) for (let s = 1; s < 8; s++) t[s * 256 + i] = (t[(s - 1) * 256 + i] >>> 8) ^ t[t[(s - 1) * 256 + i] & 255];
    return t;
  })();
  function crc32(crc, u8) {
    const T = CRC_T;
    let c = ~crc;
    let i = 0;
    const n = u8.length, end8 = n - (n % 8);
    while (i < end8) {
      const a = c ^ (u8[i] | (u8[i + 1] << 8) | (u8[i + 2] << 16) | (u8[i + 3] << 24));
      c = T[1792 + (a & 255)] ^ T[1536 + ((a >>> 8) & 255)] ^ T[1280 + ((a >>> 16) & 255)] ^ T[1024 + (a >>> 24)] ^
        T[768 + u8[i + 4]] ^ T[512 + u8[i + 5]] ^ T[256 + u8[i + 6]] ^ T[u8[i + 7]];
      i += 8;
    }
    while (i < n) c = T[(c ^ u8[i++]) & 255] ^ (c >>> 8);
    return ~c >>> 0;
  }
  // result is the message for a range's hash (and its CRC-32 check).
  const result = (r, hex, c) => {
    const m = { type: 'hash', id: r.id, hex };
    if (typeof r.crc === 'number' && c !== r.crc) { m.crcBad = true; stats.crcBad++; }
    if (typeof r.crc === 'number') stats.crcChecked++;
    return m;
  };

  const files = new Map(); // id → {file, pos, started, done, cover, pending: [], active: []}
  const queue = []; // ranges to read on their own ('ranges')
  let out = null; // port to the 'ranges' worker ('pass')
  // ms: from the start to the end of the pass over the inputs (pass), spent
  // reading ranges on their own (ranges), waiting for ranges (wait).
  const stats = { ranges: 0, inPass: 0, inPassBytes: 0, apart: 0, apartBytes: 0, stolen: 0, stolenBytes: 0, stalls: 0, oneShot: 0, oneShotBytes: 0, streams: 0, streamBytes: 0, pausedMs: 0, crcChecked: 0, crcBad: 0, passMs: 0, rangesMs: 0, waitMs: 0 };
  let passBytes = 0; // the inputs' bytes ('pass')
  let ended = true;
  let wake = null;
  const poke = () => { if (wake) { const w = wake; wake = null; w(); } };
  let done = 0, total = 0, last = 0;
  const onBytes = (n) => {
    done += n;
    const now = performance.now();
    if (now - last > 100) { last = now; post({ type: 'progress', done, total }); }
  };

  // addRange ('pass') takes a range into the pass, or hands it on.
  function addRange(r) {
    stats.ranges++;
    const f = files.get(r.file);
    if (!f || r.off < 0 || r.len < 0 || r.off + r.len > f.file.size) {
      post({ type: 'hash', id: r.id, error: 'range outside its file' });
      return;
    }
    // Balance: the pass hashes every input byte anyway; a range goes into
    // it only while the pass's share (the inputs and the ranges in the
    // pass) is below what the 'ranges' worker was handed. Ranges are parts
    // of the inputs, so that is seldom: nearly every range is read again
    // by 'ranges', beside the pass. (Taking every range it could, the pass
    // hashed a 1 GiB MIUI set twice on one thread — 11.5 to 15 s — while
    // 'ranges' waited 10 s of it.)
    if (f.done || (f.started && r.off < f.pos) || r.off < f.cover || passBytes + stats.inPassBytes >= stats.apartBytes) {
      stats.apart++;
      stats.apartBytes += r.len;
      out.postMessage(r);
      return;
    }
    stats.inPass++;
    stats.inPassBytes += r.len;
    f.cover = r.off + r.len;
    let i = f.pending.length; // they come in order of offset, mostly
    while (i > 0 && f.pending[i - 1].off > r.off) i--;
    f.pending.splice(i, 0, r);
  }

  function finish(r) {
    post(result(r, r.h.digest('hex'), r.c));
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
    let n = 0;
    for (const r of f.active) {
      const s = Math.max(r.off, a), e = Math.min(r.off + r.len, b);
      if (e > s) {
        const part = u8.subarray(s - a, e - a);
        r.h.update(part);
        if (typeof r.crc === 'number') r.c = crc32(r.c || 0, part);
      }
      if (r.off + r.len <= b) { finish(r); n++; }
    }
    if (n) f.active = f.active.filter((r) => r.h);
    f.pos = b;
  }

  // Reads of a file's stream settle as microtasks while data is buffered:
  // a pass over one big file would not let the port's messages (the
  // ranges, to hand on to 'ranges') in until its end, and 'ranges' would
  // wait idle (a 1 GiB .ab: 4.5 s). The pass lets other tasks run every
  // YIELD bytes.
  const YIELD = 8 << 20;
  const nextTask = () => new Promise((r) => setTimeout(r, 0));
  // The pass pauses while 'ranges' hashes streams ('streaming' messages),
  // until none came for STREAM_IDLE_MS.
  const STREAM_IDLE_MS = 250;
  let paused = false, resume = null;
  const unpaused = async () => {
    if (!paused) return;
    const t = performance.now();
    while (paused) await new Promise((r) => { resume = r; });
    stats.pausedMs += Math.round(performance.now() - t);
  };

  // readBlob hands the bytes of blob to onChunk(u8) in order (u8 is only
  // valid during the call) and returns how many there were: a BYOB stream
  // into one reused buffer, but when a read has not settled after STALL_MS
  // — Chromium 156 now and then never settles one (a 64 MiB slice read by
  // 'ranges' at the end of a 4 GiB MIUI set, beside the pass over the same
  // file) — the reader is dropped and the rest is read in 4 MiB
  // arrayBuffer() slices.
  let STALL_MS = 4000;
  // spareAB: the buffer of the last read that ended, for the next one (a
  // new 1 MiB ArrayBuffer per file or range was garbage V8 collected only
  // every few dozen of them: a 4 GiB dump's 75 ranges).
  let spareAB = null;
  async function readBlob(blob, onChunk) {
    let pos = 0;
    const rd = blob.stream().getReader({ mode: 'byob' });
    let ab = spareAB && spareAB.byteLength === CHUNK ? spareAB : new ArrayBuffer(CHUNK);
    spareAB = null;
    for (;;) {
      let timer = 0;
      const stall = new Promise((res) => { timer = setTimeout(() => res(null), STALL_MS); });
      const r = await Promise.race([rd.read(new Uint8Array(ab)), stall]);
      clearTimeout(timer);
      if (r === null) {
        stats.stalls++;
        try { rd.cancel().catch(() => {}); } catch (e) { /* gone */ }
        break;
      }
      if (r.done) {
        if (r.value) spareAB = r.value.buffer;
        return pos;
      }
      await onChunk(r.value);
      pos += r.value.byteLength;
      ab = r.value.buffer;
    }
    while (pos < blob.size) {
      const u8 = new Uint8Array(await blob.slice(pos, Math.min(pos + (4 << 20), blob.size)).arrayBuffer());
      if (!u8.length) break;
      await onChunk(u8);
      pos += u8.length;
    }
    return pos;
  }

  const hex = (buf) => {
    const u8 = new Uint8Array(buf);
    let out = '';
    for (let i = 0; i < u8.length; i++) out += (u8[i] < 16 ? '0' : '') + u8[i].toString(16);
    return out;
  };

  // oneShot reads blob whole (≤ ONESHOT bytes) and starts its digest;
  // done(hex) or fail(message) is called when the digest is in. Returns
  // when the buffer may be reused (the digest has its copy).
  async function oneShot(blob, done, fail, onChunk) {
    const n = blob.size;
    let u8;
    if (n <= CHUNK) {
      u8 = new Uint8Array(await blob.arrayBuffer());
      if (onChunk) await onChunk(u8);
    } else {
      if (!big || big.byteLength < n) {
        big = null; // the old one may go before the new one is made
        big = new ArrayBuffer(Math.min(ONESHOT, Math.max(n, 8 << 20)));
      }
      let pos = 0;
      const got = await readBlob(blob, async (c) => {
        if (pos + c.byteLength > n) throw new Error('the file grew while it was read');
        new Uint8Array(big, pos, c.byteLength).set(c);
        pos += c.byteLength;
        if (onChunk) await onChunk(c);
      });
      u8 = new Uint8Array(big, 0, got);
    }
    if (u8.byteLength !== n) throw new Error('read ' + u8.byteLength + ' of ' + n + ' bytes');
    await inflight; // one digest (one copy) at a time
    stats.oneShot++;
    stats.oneShotBytes += n;
    inflight = subtle.digest('SHA-256', u8).then((d) => done(hex(d)), (e) => fail(String((e && e.message) || e)));
  }
  const useOneShot = (n) => !!subtle && n <= ONESHOT;

  // hashFile hashes input f (and the ranges in the pass, as its bytes go
  // by); done(hex) is called when its hash is in (for a one-shot digest,
  // after hashFile returns).
  async function hashFile(f, done, fail) {
    f.started = true;
    let sinceYield = 0;
    const h = useOneShot(f.file.size) ? null : await hasher();
    const chunk = async (u8) => {
      if ((sinceYield += u8.byteLength) >= YIELD) { sinceYield = 0; await nextTask(); await unpaused(); }
      if (h) h.update(u8);
      if (f.pending.length || f.active.length) await feed(f, u8);
      else f.pos += u8.byteLength;
      onBytes(u8.byteLength);
    };
    try {
      if (h) {
        await readBlob(f.file, chunk);
        done(h.digest('hex'));
      } else {
        await oneShot(f.file, done, fail, chunk);
      }
    } finally {
      if (h) release(h);
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

  // hashRange ('ranges') reads one range on its own: one arrayBuffer()
  // read up to CHUNK bytes, else a stream of its slice. (In Chromium 156 a
  // BYOB read of the stream of a small slice, hundreds of them one after
  // the other, now and then never settled: the page waited for the hashes
  // for ever. The slice is also kept referenced until it is read.)
  async function hashRange(r) {
    const f = files.get(r.file);
    const fail = (error) => post({ type: 'hash', id: r.id, error });
    const withCRC = typeof r.crc === 'number';
    let c = 0;
    if (useOneShot(r.len)) {
      try {
        const part = f.file.slice(r.off, r.off + r.len);
        if (part.size !== r.len) throw new Error('read ' + part.size + ' of ' + r.len + ' bytes');
        await oneShot(part, (hex) => post(result(r, hex, c)), fail, (u8) => { if (withCRC) c = crc32(c, u8); onBytes(u8.byteLength); });
      } catch (e) {
        fail(String((e && e.message) || e));
      }
      return;
    }
    const h = await hasher();
    try {
      const part = f.file.slice(r.off, r.off + r.len);
      let n = 0;
      if (r.len <= CHUNK) {
        const u8 = new Uint8Array(await part.arrayBuffer());
        h.update(u8);
        if (withCRC) c = crc32(c, u8);
        n = u8.byteLength;
        onBytes(n);
      } else {
        n = await readBlob(part, (u8) => { h.update(u8); if (withCRC) c = crc32(c, u8); onBytes(u8.byteLength); });
      }
      if (n !== r.len || part.size !== r.len) throw new Error('read ' + n + ' of ' + r.len + ' bytes');
      post(result(r, h.digest('hex'), c));
    } catch (e) {
      post({ type: 'hash', id: r.id, error: String((e && e.message) || e) });
    } finally {
      release(h);
    }
  }

  async function pass(m) {
    out = m.ranges;
    for (const { id, file } of m.files) {
      files.set(id, { file, pos: 0, started: false, done: false, cover: 0, pending: [], active: [] });
      total += file.size;
      passBytes += file.size;
    }
    let gotEnd = !m.port;
    if (m.port) {
      m.port.onmessage = ({ data: x }) => {
        if (x.op === 'range') addRange(x);
        else if (x.op === 'end') {
          // The parse is done: no more ranges, and 'ranges' may start.
          gotEnd = true;
          if (out) out.postMessage({ op: 'end' });
          poke();
        }
      };
    }
    let stolen = null; // the answer to a 'steal'
    if (out) {
      out.onmessage = ({ data: x }) => {
        if (x.op === 'stolen') { stolen = x; poke(); }
        else if (x.op === 'streaming') {
          paused = x.on;
          if (!paused && resume) { const r = resume; resume = null; r(); }
        }
      };
    }
    if (!m.port && out) out.postMessage({ op: 'end' });
    const t0 = performance.now();
    for (const { id } of m.files) {
      const fail = (error) => post({ type: 'hash', id, error });
      try {
        await hashFile(files.get(id), (hex) => post({ type: 'hash', id, hex }), fail);
      } catch (e) {
        fail(String((e && e.message) || e));
      }
    }
    await inflight;
    stats.passMs = Math.round(performance.now() - t0);
    if (!out) return;
    // Ranges still to come go on to the 'ranges' worker (f.done); this
    // worker takes a share of the ranges waiting there until none are left
    // and none will come ('ranges' itself starts when the parse is done).
    out.postMessage({ op: 'go' });
    let t = performance.now();
    for (;;) {
      stolen = null;
      out.postMessage({ op: 'steal' });
      while (!stolen) await new Promise((r) => { wake = r; });
      const { list, ended: none } = stolen;
      if (list.length) {
        const t1 = performance.now();
        stats.waitMs += Math.round(t1 - t);
        for (const r of list) { total += r.len; stats.stolen++; stats.stolenBytes += r.len; }
        for (const r of list) await hashRange(r);
        t = performance.now();
        stats.rangesMs += Math.round(t - t1);
        continue;
      }
      if (none) break;
      await new Promise((r) => setTimeout(r, 30));
    }
    stats.waitMs += Math.round(performance.now() - t);
    await inflight;
  }

  // 'ranges' starts hashing when the parse is done ('end'): until then the
  // parse has the second core, shared only with the pass (the overview
  // comes sooner; the hashing is the same work either way). When the pass
  // is through its inputs ('go') it asks for ranges ('steal') and gets
  // about half of the bytes waiting here, again and again.
  async function ranges(m) {
    for (const { id, file } of m.files) files.set(id, { file });
    ended = false;
    let go = false, busy = false;
    const port = m.port;
    // Streams: their chunks are hashed in the order they come, one promise
    // chain (a new stream waits for its hasher), each buffer handed back
    // when hashed.
    let streamsEnded = !m.streams;
    // While streams come, the pass waits: the parse waits for their hashes
    // (its credit), the pass's hash is needed only at the end; on two
    // cores the parse and the streams' hashing then have one each, and the
    // overview comes sooner (1 GiB compressed .ab: ~7.7 → see
    // docs/performance.md).
    let idleTimer = 0, on = false;
    const streaming = () => {
      if (!on) { on = true; port.postMessage({ op: 'streaming', on: true }); }
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => { on = false; port.postMessage({ op: 'streaming', on: false }); }, STREAM_IDLE_MS);
    };
    let chain = Promise.resolve();
    const open = new Map(); // id → hasher
    if (m.streams) {
      const sp = m.streams;
      // A stream's first ONESHOT bytes are gathered in one buffer (one
      // stream at a time: accOwner): a file that ends within them is hashed
      // one-shot by WebCrypto (native, ~3.5× hash-wasm here: photos), a
      // longer one goes on in hash-wasm from those bytes.
      let acc = null, accOwner = null;
      const drop = (st) => { if (st.h) release(st.h); if (accOwner === st) accOwner = null; };
      const onStream = async (x) => {
        if (x.op === 'end') {
          for (const [id, st] of open) { post({ type: 'hash', id, error: 'the parse ended before this file did' }); drop(st); }
          open.clear();
          streamsEnded = true;
          poke();
          return;
        }
        if (x.op === 'abort') {
          const st = open.get(x.id);
          if (st) { open.delete(x.id); drop(st); }
          return;
        }
        if (x.op !== 'chunk') return;
        streaming();
        let st = open.get(x.id);
        if (!st) {
          st = { h: null, n: 0 };
          if (!subtle || ONESHOT <= 0 || accOwner) st.h = await hasher();
          else accOwner = st;
          open.set(x.id, st);
          stats.streams++;
        }
        const u8 = new Uint8Array(x.buf, 0, x.n);
        if (!st.h && st.n + x.n > ONESHOT) {
          // Longer than a one-shot file: hash-wasm from its start.
          st.h = await hasher();
          st.h.update(acc.subarray(0, st.n));
          accOwner = null;
        }
        if (st.h) st.h.update(u8);
        else {
          if (!acc || acc.length < ONESHOT) acc = new Uint8Array(ONESHOT);
          acc.set(u8, st.n);
        }
        st.n += x.n;
        stats.streamBytes += x.n;
        if (m.streamDelay) await new Promise((r) => setTimeout(r, m.streamDelay));
        sp.postMessage({ op: 'back', buf: x.buf }, [x.buf]);
        if (x.last) {
          open.delete(x.id);
          if (st.h) {
            post({ type: 'hash', id: x.id, hex: st.h.digest('hex') });
            release(st.h);
            return;
          }
          accOwner = null;
          await inflight; // one digest (one copy) at a time
          stats.oneShot++;
          stats.oneShotBytes += st.n;
          const id = x.id;
          // digest copies its input when called: acc may be reused at once.
          inflight = subtle.digest('SHA-256', acc.subarray(0, st.n)).then((d) => post({ type: 'hash', id, hex: hex(d) }), (e) => post({ type: 'hash', id, error: String((e && e.message) || e) }));
        }
      };
      sp.onmessage = ({ data: x }) => { chain = chain.then(() => onStream(x)).catch((e) => { if (x.id) post({ type: 'hash', id: x.id, error: String((e && e.message) || e) }); }); };
    }
    port.onmessage = ({ data: x }) => {
      if (x.op === 'end') { ended = true; go = true; }
      else if (x.op === 'go') { /* the pass is through its inputs: it steals */ }
      else if (x.op === 'steal') {
        let waiting = 0;
        for (const r of queue) waiting += r.len;
        const list = [];
        let got = 0;
        while (queue.length && (got < waiting / 2 || (busy && !list.length))) {
          const r = queue.pop();
          got += r.len;
          list.push(r);
        }
        total -= got;
        port.postMessage({ op: 'stolen', list, ended: ended && !queue.length });
      } else { queue.push(x); total += x.len; }
      poke();
    };
    for (;;) {
      let t = performance.now();
      while (go && queue.length) {
        busy = true;
        await hashRange(queue.shift());
        busy = false;
      }
      stats.rangesMs += Math.round(performance.now() - t);
      if (ended && streamsEnded && !queue.length) break;
      t = performance.now();
      await new Promise((r) => { wake = r; });
      stats.waitMs += Math.round(performance.now() - t);
    }
    await chain;
    await inflight;
  }

  // Unit tests (web/e2e/unit-hashes.test.mjs) reach readBlob here.
  if (self.__biTest) {
    self.__biTest.readBlob = (blob, onChunk, stallMs) => { STALL_MS = stallMs || STALL_MS; return readBlob(blob, onChunk); };
    self.__biTest.crc32 = crc32;
  }

  self.onmessage = async ({ data: m }) => {
    if (m.op !== 'hash') return;
    if (typeof m.oneShot === 'number') ONESHOT = m.oneShot;
    if (m.role === 'ranges') await ranges(m);
    else await pass(m);
    post({ type: 'progress', done, total });
    post({ type: 'done', stats });
  };
})();
