// Unit test of hashes.js's patching under node: the report held as a Blob
// (patchBlob, read 1 MiB at a time) comes out byte for byte as the bytes
// patched in memory (patchJSON): hashes in, placeholders whose hash could
// not be computed dropped with their member, placeholders on window
// boundaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';

function load() {
  const ctx = vm.createContext({ Blob, TextEncoder, TextDecoder, Uint8Array, Map, Math, String, Array });
  vm.runInContext(readFileSync(join(root, 'web', 'src', 'hashes.js'), 'utf8') + '\nglobalThis.BIHashes = BIHashes;', ctx);
  return ctx.BIHashes;
}

test('patchBlob = patchJSON: hashes in, failed ones dropped, across 1 MiB windows', async () => {
  const H = load();
  const prefix = 'bipending0123456789abcdef01234567';
  const ph = (k) => prefix + String(k).padStart(64 - prefix.length, '0');
  const results = new Map();
  const files = [];
  let k = 0;
  // ~3 MiB of files; some placeholders are put right at the 1 MiB window
  // boundaries, some hashes are missing ('' or no result at all).
  let text = '{\n  "schema": "backup-inspector.report/1",\n  "files": [';
  const W = 1 << 20;
  const targets = [W - 1, 2 * W, 3 * W + 1];
  while (text.length < 3 * W + 5000) {
    const id = ph(k);
    const pad = 'x'.repeat(k % 97);
    let entry = (k ? ',' : '') + '\n    {\n      "path": "f' + k + pad + '",\n      "sha256": "' + id + '",\n      "size": ' + k + '\n    }';
    // Put a placeholder at b - 1, b and b + 1 of the window boundaries b.
    for (let e = 0; e < targets.length; e++) {
      const at = text.length + entry.indexOf(id);
      const shift = targets[e] - at;
      if (shift >= 0 && shift < 400) {
        entry = entry.replace('"path": "f', '"path": "' + 'y'.repeat(shift) + 'f');
        targets.splice(e, 1);
        break;
      }
    }
    text += entry;
    files.push(id);
    if (k % 11 === 5) results.set(id, '');
    else if (k % 13 !== 7) results.set(id, (k.toString(16).padStart(8, '0')).repeat(8));
    k++;
  }
  text += '\n  ]\n}\n';
  const bytes = new TextEncoder().encode(text);
  let onEdge = 0;
  for (const b of [W, 2 * W, 3 * W]) for (const d of [-1, 0, 1]) if (text.startsWith(prefix, b + d)) onEdge++;
  assert.equal(onEdge, 3, 'placeholders on window boundaries');
  const job = { prefix, results };
  const want = new Uint8Array(H.patchJSON(bytes.slice().buffer, job));
  const got = new Uint8Array(await (await H.patchBlob(new Blob([bytes]), job)).arrayBuffer());
  assert.equal(got.length, want.length);
  assert.ok(Buffer.from(got).equals(Buffer.from(want)), 'patchBlob differs from patchJSON');
  // Sanity: hashes in, failed members gone, the result still JSON.
  const doc = JSON.parse(new TextDecoder().decode(got));
  assert.equal(doc.files.length, files.length);
  for (let i = 0; i < files.length; i++) {
    const v = results.get(files[i]);
    if (v) assert.equal(doc.files[i].sha256, v);
    else if (v === '') assert.equal(doc.files[i].sha256, undefined, 'dropped: ' + i);
  }
  // Nothing to patch: the same Blob back.
  const plain = new Blob(['{"files": []}']);
  assert.equal(await H.patchBlob(plain, job), plain);
});

test('hash worker: a stream read that never settles is given up and the rest read in slices', async () => {
  const t = {};
  const ctx = vm.createContext({ self: { __biTest: t, postMessage() {} }, setTimeout, clearTimeout, Promise, Uint8Array, ArrayBuffer, Math, Map, String, JSON, console });
  vm.runInContext(readFileSync(join(root, 'web', 'src', 'hash-worker.js'), 'utf8'), ctx);
  const data = new Uint8Array(10 << 20);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 11)) & 0xff;
  // A blob whose BYOB stream gives two reads of 300 KB, then one that
  // never settles; slices read with arrayBuffer() work.
  const fake = (a, b) => ({
    size: b - a,
    stream() {
      let pos = a, reads = 0;
      return { getReader: () => ({
        read(view) {
          if (++reads > 2) return new Promise(() => {});
          const n = Math.min(300_000, view.byteLength, b - pos);
          const out = new Uint8Array(view.buffer, 0, n);
          out.set(data.subarray(pos, pos + n));
          pos += n;
          return Promise.resolve(n ? { done: false, value: out } : { done: true, value: undefined });
        },
        cancel: () => Promise.resolve(),
      }) };
    },
    slice: (x, y) => fake(a + x, a + Math.min(y, b - a)),
    arrayBuffer: async () => data.slice(a, b).buffer,
  });
  const got = [];
  const n = await t.readBlob(fake(0, data.length), (u8) => { got.push(u8.slice()); }, 50);
  assert.equal(n, data.length);
  const all = Buffer.concat(got.map((u) => Buffer.from(u)));
  assert.ok(all.equals(Buffer.from(data)), 'the bytes, in order, once');
  assert.ok(got.length > 2, 'went on with slices');
});

// The hash worker's CRC-32 (stored zip entries' check) is zip's: equal to
// node's zlib.crc32 at every length around its 8-byte steps, and when fed
// in pieces.
test('hash worker crc32 = zlib.crc32, whole and in pieces', async () => {
  const { crc32: zcrc } = await import('node:zlib');
  const { randomBytes } = await import('node:crypto');
  const self = { __biTest: {}, postMessage() {}, crypto: {} };
  new Function('self', readFileSync(join(root, 'web', 'src', 'hash-worker.js'), 'utf8'))(self);
  const crc32 = self.__biTest.crc32;
  for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 1000, 65537]) {
    const b = randomBytes(n);
    assert.equal(crc32(0, b), zcrc(b), 'length ' + n);
    const cut = n >> 1;
    assert.equal(crc32(crc32(0, b.subarray(0, cut)), b.subarray(cut)), zcrc(b), 'in two pieces, length ' + n);
  }
  assert.equal(crc32(0, new TextEncoder().encode('123456789')), 0xcbf43926, 'the check value');
});
