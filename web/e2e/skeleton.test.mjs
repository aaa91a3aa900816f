// Walking skeleton: real files set on the page's inputs, parsed by Go/wasm in
// the worker, every message on screen, the same as the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { launch, open, waitState, count, shot, runCLI, root, assertClean } from './harness.mjs';

const small = (n) => join(root, 'samples', 'small', n);

function cliReport(path) {
  const r = runCLI(['inspect', '--json', path]);
  assert.equal(r.code, 0, 'CLI exit code: ' + r.stderr);
  return JSON.parse(r.stdout.toString('utf8'));
}

async function rowsText(page) {
  return page.$$eval('[data-testid=messages-table] [data-testid=row]', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
}

for (const name of ['mmssms.db', 'telephony.ab']) {
  test(`${name}: every message on screen, same as the CLI`, async () => {
    const want = cliReport(small(name));
    assert.ok(want.messages.length > 0, 'the CLI finds messages');
    const h = await launch();
    try {
      await open(h.page);
      await h.page.setInputFiles('[data-testid=file-input]', small(name));
      assert.equal(await waitState(h.page, ['done', 'error']), 'done');
      assert.equal(await count(h.page, 'messages'), want.messages.length);
      assert.equal(await count(h.page, 'problems'), want.problems.length);
      const rows = await rowsText(h.page);
      assert.equal(rows.length, want.messages.length);
      // Same order, same address, body and time as the CLI's report.
      rows.forEach((cells, i) => {
        const m = want.messages[i];
        assert.equal(cells[3], m.address, `row ${i} address`);
        assert.equal(cells[4], m.body, `row ${i} body`);
        assert.equal(cells[0], m.time.replace('T', ' ').replace('Z', ' UTC'), `row ${i} time`);
      });
      await shot(h.page, 'skeleton-' + name.replace(/\W/g, '_'));
      assertClean(assert, h);
    } finally {
      await h.close();
    }
  });
}

test('sample button loads the bundled sample', async () => {
  const h = await launch();
  try {
    await open(h.page);
    await h.page.click('[data-testid=sample-button]');
    assert.equal(await waitState(h.page, ['done', 'error']), 'done');
    assert.ok(await count(h.page, 'messages') > 0);
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

test('a file that is not a backup is reported, not fatal', async () => {
  const h = await launch();
  try {
    await open(h.page);
    await h.page.setInputFiles('[data-testid=file-input]', [
      { name: 'notes.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('SQLite format 3\0 but truncated') },
      { name: 'mmssms.db', mimeType: 'application/octet-stream', buffer: readFileSync(small('mmssms.db')) },
    ]);
    assert.equal(await waitState(h.page, ['done', 'error']), 'done');
    assert.ok(await count(h.page, 'problems') > 0, 'the broken file is a problem');
    assert.ok(await count(h.page, 'messages') > 0, 'the good file is still read');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});
