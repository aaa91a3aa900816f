// Walking skeleton: real files set on the page's inputs, parsed by Go/wasm in
// the worker, every message on screen, the same as the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { launch, open, waitState, count, shot, runCLI, root, assertClean, settle, liveCount, collectRows } from './harness.mjs';

const small = (n) => join(root, 'samples', 'small', n);

function cliReport(path) {
  const r = runCLI(['inspect', '--json', path]);
  assert.equal(r.code, 0, 'CLI exit code: ' + r.stderr);
  return JSON.parse(r.stdout.toString('utf8'));
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
      assert.equal(await count(h.page, 'messages'), liveCount(want.messages));
      assert.equal(await count(h.page, 'problems'), want.problems.length);
      await h.page.click('[data-testid=tab-messages]');
      await h.page.click('[data-testid=messages-mode-table]');
      await h.page.waitForSelector('[data-testid=messages-table] [data-testid=row]');
      await settle(h.page);
      await shot(h.page, 'skeleton-' + name.replace(/\W/g, '_'));
      const rows = await collectRows(h.page, 'messages-table');
      assert.equal(rows.length, want.messages.length, 'every message, scrolled through');
      // Same order, same address, body and time as the CLI's report.
      rows.forEach((cells, i) => {
        const m = want.messages[i];
        assert.ok(cells[3].endsWith(m.address), `row ${i} address`);
        assert.equal(cells[4], (m.subject ? m.subject + ' — ' : '') + m.body, `row ${i} body`);
        assert.equal(cells[0], m.time.slice(0, 10) + ' ' + m.time.slice(11, 19) + ' UTC', `row ${i} time`);
      });
      assertClean(assert, h);
    } finally {
      await h.close();
    }
  });
}

test('sample button loads the bundled sample (the MIUI set zip)', async () => {
  const want = cliReport(small('miui.zip'));
  const h = await launch();
  try {
    await open(h.page);
    await h.page.click('[data-testid=sample-button]');
    assert.equal(await waitState(h.page, ['done', 'error']), 'done');
    assert.equal(await count(h.page, 'messages'), liveCount(want.messages));
    assert.equal(await count(h.page, 'contacts'), liveCount(want.contacts));
    assert.equal(await count(h.page, 'calls'), liveCount(want.calls));
    assert.equal(await count(h.page, 'identifiers'), want.identifiers.length);
    assert.equal(await count(h.page, 'problems'), want.problems.length);
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
