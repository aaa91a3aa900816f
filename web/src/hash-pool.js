// Parse worker: a pool of hash-wasm SHA-256 hashers for Go (wasm/hash.go
// hashes every file found inside a backup with them: ~2–3× Go's own
// SHA-256 in wasm). hashwasm.js (hash-wasm, MIT) is prepended to this text
// when the worker Blob is built. Go falls back to crypto/sha256 when the
// pool is empty or hash-wasm is missing.
'use strict';
(function () {
  const pool = [];
  const scratch = new Uint8Array(64 << 10); // wasm/hash.go hashChunk
  self.biHashScratch = scratch;
  self.biHasher = () => {
    const h = pool.pop();
    if (!h) return null;
    h.init();
    return h;
  };
  self.biHasherRelease = (h) => { pool.push(h); };
  self.biHashUpdate = (h, n) => { h.update(n === scratch.length ? scratch : scratch.subarray(0, n)); };
  // Nesting needs one hasher per level (a file in a tar in a .bak in a
  // zip); 16 is plenty, more falls back to Go.
  self.biHashPoolReady = (async () => {
    if (!self.hashwasm) return 0;
    try {
      for (let i = 0; i < 16; i++) pool.push(await self.hashwasm.createSHA256());
    } catch (e) { /* no wasm for hash-wasm: Go hashes alone */ }
    return pool.length;
  })();
})();
