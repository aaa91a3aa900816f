'use strict';
// BIHashes: the SHA-256 of the top-level input files, computed in workers
// of their own (hash-worker.js + hash-wasm: one reads the inputs, the other
// the ranges that pass cannot take) while the parse worker reads the same
// files. The parse worker is handed a placeholder per file instead of
// hashing it (wasm/hash.go suppliedSHA256), and a MessagePort (job.port) on
// which it announces the files inside them that are byte ranges of them
// (biRangeHash in worker.js), each with a placeholder of its own: the hash
// worker hashes those in the same pass. On a second port (job.streamPort)
// it sends the bytes of the other files inside them that it reads (a
// compressed .ab's entries), which the 'ranges' worker hashes at once. The overview shows as soon as the
// parse is done and the placeholders in the report (its JSON bytes and the
// worker's model) are replaced when the hashes are done.
var BIHashes = (function () {
  const LEN = 64; // a SHA-256 in hex: placeholders have the same length

  function randomHex(n) {
    const b = new Uint8Array(n);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }

  // start sets files[].sha256 of every input to a placeholder and hashes
  // the files. job.promise resolves when every file and every range the
  // parse worker announced on job.port has a result: job.results maps
  // placeholder → hex ('' when it could not be read).
  function start(inputs, onProgress) {
    const prefix = 'bipending' + randomHex(12);
    const job = { prefix, results: new Map(), done: false, progress: { done: 0, total: 0 } };
    const files = [];
    let k = 0;
    for (const inp of inputs) {
      // In the order the parse reads them (Go sorts a folder's files by
      // path), so that ranges are announced before this pass gets there.
      const order = inp.files.slice().sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const f of order) {
        const ph = prefix + String(k++).padStart(LEN - prefix.length, '0');
        f.sha256 = ph;
        files.push({ id: ph, file: f.file });
      }
    }
    job.ids = files.map((f) => f.id);
    const ch = new MessageChannel(); // parse worker → pass
    const ch2 = new MessageChannel(); // pass → ranges
    const ch3 = new MessageChannel(); // parse worker ⇄ ranges: streams
    job.port = ch.port2; // for the parse worker (transferred with 'inspect')
    job.streamPort = ch3.port2; // likewise: the bytes of files it hashes nowhere else
    const src = document.getElementById('hash-worker').textContent;
    const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    // The URL stays valid until the job ends: a worker may fetch its
    // script after the constructor returns.
    const workers = [new Worker(url), new Worker(url)];
    job.workers = workers;
    job.stats = {};
    job.promise = new Promise((resolve) => {
      const end = (error) => {
        if (job.done) return;
        for (const id of job.ids) if (!job.results.has(id)) job.results.set(id, '');
        job.done = true;
        job.error = error || null;
        for (const w of workers) w.terminate();
        URL.revokeObjectURL(url);
        resolve(job);
      };
      job.end = end;
      const prog = [{ done: 0, total: 0 }, { done: 0, total: 0 }];
      let finished = 0;
      workers.forEach((w, i) => {
        w.onmessage = ({ data: m }) => {
          if (m.type === 'progress') {
            prog[i] = { done: m.done, total: m.total };
            job.progress = { done: prog[0].done + prog[1].done, total: prog[0].total + prog[1].total };
            if (onProgress) onProgress(job.progress);
          } else if (m.type === 'hash') {
            job.results.set(m.id, typeof m.hex === 'string' && m.hex.length === LEN ? m.hex : '');
            // A stored zip entry whose CRC-32 differs: Go did not check it
            // (container RangeCRC32); the page reads the inputs again.
            if (m.crcBad) job.crcBad = true;
          }
          else if (m.type === 'done') {
            for (const [k, v] of Object.entries(m.stats || {})) job.stats[k] = (job.stats[k] || 0) + v;
            if (++finished === workers.length) end();
          }
        };
        w.onerror = (e) => { e.preventDefault(); end('the hash worker failed: ' + (e.message || 'unknown error')); };
      });
    });
    // Test hook (e2e): the size up to which files are hashed one-shot by
    // WebCrypto (hash-worker.js ONESHOT); 0 = hash-wasm only.
    const oneShot = typeof self.__biHashOneShot === 'number' ? self.__biHashOneShot : undefined;
    workers[0].postMessage({ op: 'hash', role: 'pass', files, port: ch.port1, ranges: ch2.port1, oneShot }, [ch.port1, ch2.port1]);
    // Test hook (e2e): each stream buffer handed back this much later.
    const streamDelay = typeof self.__biStreamDelay === 'number' ? self.__biStreamDelay : 0;
    workers[1].postMessage({ op: 'hash', role: 'ranges', files, port: ch2.port2, streams: ch3.port1, oneShot, streamDelay }, [ch2.port2, ch3.port1]);
    return job;
  }

  // cancel stops a job; its promise resolves with empty hashes.
  function cancel(job) {
    if (job && !job.done) { job.cancelled = true; job.end('cancelled'); }
  }

  // patchJSON replaces the placeholders in the report's JSON bytes with the
  // hashes, in place. A hash that could not be computed (or a range whose
  // result never came) drops its `"sha256": "…"` member, as Go's encoder
  // omits an empty sha256. Returns the (possibly new) ArrayBuffer.
  function patchJSON(buf, job) {
    const u8 = new Uint8Array(buf);
    const pre = new TextEncoder().encode(job.prefix);
    const cuts = [];
    let i = 0;
    for (;;) {
      i = u8.indexOf(pre[0], i);
      if (i < 0 || i + LEN > u8.length) break;
      let ok = true;
      for (let j = 1; j < pre.length; j++) if (u8[i + j] !== pre[j]) { ok = false; break; }
      if (!ok) { i++; continue; }
      const id = new TextDecoder().decode(u8.subarray(i, i + LEN));
      const hex = job.results.get(id) || '';
      if (hex) {
        for (let j = 0; j < LEN; j++) u8[i + j] = hex.charCodeAt(j);
      } else {
        // Back over `"sha256": "` and the whitespace to the comma.
        const key = new TextEncoder().encode('"sha256": "');
        let s = i - key.length, good = s >= 0;
        for (let j = 0; good && j < key.length; j++) if (u8[s + j] !== key[j]) good = false;
        if (good) {
          s--;
          while (s >= 0 && (u8[s] === 0x20 || u8[s] === 0x0a || u8[s] === 0x09 || u8[s] === 0x0d)) s--;
          if (s >= 0 && u8[s] === 0x2c) cuts.push([s, i + LEN + 1]);
        }
      }
      i += LEN;
    }
    if (!cuts.length) return buf;
    let n = u8.length;
    for (const [a, b] of cuts) n -= b - a;
    const out = new Uint8Array(n);
    let o = 0, p = 0;
    for (const [a, b] of cuts) { out.set(u8.subarray(p, a), o); o += a - p; p = b; }
    out.set(u8.subarray(p), o);
    return out.buffer;
  }

  // patchBlob does what patchJSON does to a report held as a Blob (the
  // page's: Chromium keeps its bytes outside the renderer), without reading
  // it into memory: the Blob is scanned 1 MiB at a time and the result is
  // made of slices of it and the hashes. Resolves to the new Blob.
  async function patchBlob(blob, job) {
    const pre = new TextEncoder().encode(job.prefix);
    const key = new TextEncoder().encode('"sha256": "');
    const dec = new TextDecoder();
    const W = 1 << 20;
    const parts = [];
    let from = 0; // blob bytes before this are in parts
    for (let off = 0; off < blob.size; off += W) {
      // A window and the LEN - 1 bytes after it: a placeholder that starts
      // in the window is whole in it.
      const u8 = new Uint8Array(await blob.slice(off, Math.min(off + W + LEN - 1, blob.size)).arrayBuffer());
      const lim = Math.min(W, u8.length);
      let i = 0;
      for (;;) {
        i = u8.indexOf(pre[0], i);
        if (i < 0 || i >= lim) break;
        if (i + LEN > u8.length) break;
        let ok = true;
        for (let j = 1; j < pre.length; j++) if (u8[i + j] !== pre[j]) { ok = false; break; }
        if (!ok) { i++; continue; }
        const p = off + i;
        const hex = job.results.get(dec.decode(u8.subarray(i, i + LEN))) || '';
        if (hex) {
          parts.push(blob.slice(from, p), hex);
          from = p + LEN;
        } else {
          // Back over `"sha256": "` and the whitespace to the comma.
          const back = Math.min(p - from, 4096);
          const b = new Uint8Array(await blob.slice(p - back, p).arrayBuffer());
          let s = b.length - key.length, good = s >= 0;
          for (let j = 0; good && j < key.length; j++) if (b[s + j] !== key[j]) good = false;
          if (good) {
            s--;
            while (s >= 0 && (b[s] === 0x20 || b[s] === 0x0a || b[s] === 0x09 || b[s] === 0x0d)) s--;
            if (s >= 0 && b[s] === 0x2c) {
              parts.push(blob.slice(from, p - back + s));
              from = p + LEN + 1;
            }
          }
        }
        i += LEN;
      }
    }
    if (!parts.length) return blob;
    parts.push(blob.slice(from));
    return new Blob(parts, { type: blob.type || 'application/json' });
  }

  // patchObjects does the same on parsed report objects (inputs, files).
  function patchObjects(list, job) {
    for (const x of list || []) {
      if (x && typeof x.sha256 === 'string' && x.sha256.startsWith(job.prefix)) {
        const v = job.results.get(x.sha256) || '';
        if (v) x.sha256 = v; else delete x.sha256;
      }
    }
  }

  return { start, cancel, patchJSON, patchBlob, patchObjects };
})();
