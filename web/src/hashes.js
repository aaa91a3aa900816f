'use strict';
// BIHashes: the SHA-256 of the top-level input files, computed in a worker
// of its own (hash-worker.js + hash-wasm) while the parse worker reads the
// same files. The parse worker is handed a placeholder per file instead of
// hashing it (wasm/hash.go suppliedSHA256), and a MessagePort (job.port) on
// which it announces the files inside them that are byte ranges of them
// (biRangeHash in worker.js), each with a placeholder of its own: the hash
// worker hashes those in the same pass. The overview shows as soon as the
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
    const ch = new MessageChannel();
    job.port = ch.port2; // for the parse worker (transferred with 'inspect')
    const src = document.getElementById('hash-worker').textContent;
    const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    const w = new Worker(url);
    URL.revokeObjectURL(url);
    job.worker = w;
    job.promise = new Promise((resolve) => {
      const end = (error) => {
        if (job.done) return;
        for (const id of job.ids) if (!job.results.has(id)) job.results.set(id, '');
        job.done = true;
        job.error = error || null;
        w.terminate();
        resolve(job);
      };
      job.end = end;
      w.onmessage = ({ data: m }) => {
        if (m.type === 'progress') { job.progress = { done: m.done, total: m.total }; if (onProgress) onProgress(job.progress); }
        else if (m.type === 'hash') job.results.set(m.id, typeof m.hex === 'string' && m.hex.length === LEN ? m.hex : '');
        else if (m.type === 'done') { job.stats = m.stats; end(); }
      };
      w.onerror = (e) => { e.preventDefault(); end('the hash worker failed: ' + (e.message || 'unknown error')); };
    });
    w.postMessage({ op: 'hash', files, port: ch.port1 }, [ch.port1]);
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

  // patchObjects does the same on parsed report objects (inputs, files).
  function patchObjects(list, job) {
    for (const x of list || []) {
      if (x && typeof x.sha256 === 'string' && x.sha256.startsWith(job.prefix)) {
        const v = job.results.get(x.sha256) || '';
        if (v) x.sha256 = v; else delete x.sha256;
      }
    }
  }

  return { start, cancel, patchJSON, patchObjects };
})();
