// Performance and scale (issue 8): top-level inputs are hashed in a worker of
// their own while Go parses them, the overview comes first and the hashes
// are put into the report when they are done (the exported JSON is still
// the CLI's, byte for byte); a parser that dies (Go out of memory) is
// restarted and the other inputs are read again without the one it was
// reading, which the report names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { launch, open, waitState, root, assertClean, download, cliJSON } from './harness.mjs';

const small = (n) => join(root, 'samples', 'small', n);
const sha = (p) => createHash('sha256').update(readFileSync(p)).digest('hex');

test('input hashes from the hash worker: export equals the CLI bytes', async () => {
  const files = [small('telephony-uncompressed.ab'), small('miui.zip'), small('mmssms.db')];
  const h = await launch();
  try {
    await open(h.page);
    const states = [];
    await h.page.evaluate(() => {
      window.__states = [];
      const s = document.querySelector('[data-testid=status]');
      new MutationObserver(() => window.__states.push(s.dataset.state)).observe(s, { attributes: true });
    });
    await h.page.setInputFiles('[data-testid=file-input]', files);
    assert.equal(await waitState(h.page, ['done', 'error']), 'done');
    states.push(...(await h.page.evaluate(() => window.__states)));
    assert.ok(!states.includes('error'), 'states ' + states);
    const got = await download(h.page, '[data-testid=export-json]');
    const want = cliJSON(files);
    assert.ok(Buffer.compare(got.bytes, want.bytes) === 0, 'exported JSON differs from the CLI');
    const rep = JSON.parse(got.bytes.toString('utf8'));
    const byName = (r) => Object.fromEntries(r.inputs.map((i) => [i.name, i.sha256]));
    assert.deepEqual(byName(rep), Object.fromEntries(files.map((f) => [f.split('/').pop(), sha(f)])));
    assert.ok(!got.bytes.includes('bipending'), 'a placeholder is left in the report');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

test('a parser that dies is restarted; the other inputs are read, the lost one is a problem', async () => {
  const files = [small('telephony-uncompressed.ab'), small('telephony.ab'), small('contacts.vcf')];
  const h = await launch();
  try {
    await open(h.page);
    // Test hook: the worker behaves as if Go died of out-of-memory while
    // reading this input.
    await h.page.evaluate(() => { window.biTestCrashOn = 'telephony.ab'; });
    await h.page.setInputFiles('[data-testid=file-input]', files);
    assert.equal(await waitState(h.page, ['done', 'error']), 'done');
    const got = await download(h.page, '[data-testid=export-json]');
    const rep = JSON.parse(got.bytes.toString('utf8'));
    assert.deepEqual(Object.fromEntries(rep.inputs.map((i) => [i.name, i.sha256])),
      { 'telephony-uncompressed.ab': sha(files[0]), 'contacts.vcf': sha(files[2]) });
    const oom = rep.problems.filter((p) => p.code === 'out-of-memory');
    assert.equal(oom.length, 1);
    assert.equal(oom[0].input, 'telephony.ab');
    const want = cliJSON([files[0], files[2]]).report;
    assert.equal(rep.messages.length, want.messages.length);
    assert.equal(rep.contacts.length, want.contacts.length);
    assert.ok(rep.messages.length > 0 && rep.contacts.length > 0);
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});
