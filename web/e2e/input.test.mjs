// Input and keyboard: several files dropped at once (mixed formats) are read
// as separate inputs with a progress row each; the tabs, the global search
// and the tables work from the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { launch, open, waitState, count, assertClean, root, cliJSON, liveCount, settle, buildDir, loadFiles } from './harness.mjs';

const small = (n) => join(root, 'samples', 'small', n);

test('dropping mixed files reads each as an input, with per-file progress', async () => {
  const names = ['mmssms.db', 'telephony.ab', 'miui.zip'];
  const want = cliJSON(names.map(small)).report;
  const h = await launch();
  const page = h.page;
  try {
    await open(page);
    await page.evaluate(() => {
      window.__maxRows = 0;
      new MutationObserver(() => { window.__maxRows = Math.max(window.__maxRows, document.querySelectorAll('[data-testid=progress-row]').length); })
        .observe(document.getElementById('progress-list'), { childList: true });
    });
    const files = names.map((n) => ({ name: n, b64: readFileSync(small(n)).toString('base64') }));
    const dt = await page.evaluateHandle((fs) => {
      const d = new DataTransfer();
      for (const f of fs) d.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
      return d;
    }, files);
    await page.dispatchEvent('[data-testid=drop-zone]', 'dragover', { dataTransfer: dt });
    await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer: dt });
    assert.equal(await waitState(page, ['done', 'error']), 'done');
    assert.equal(await page.evaluate(() => window.__maxRows), names.length, 'one progress row per input');
    assert.equal(await count(page, 'messages'), liveCount(want.messages));
    assert.equal(await count(page, 'contacts'), liveCount(want.contacts));
    assert.equal(await count(page, 'calls'), liveCount(want.calls));
    await page.waitForSelector('[data-testid=inputs]');
    const inputs = await page.$$eval('[data-testid=inputs] tbody tr', (rows) => rows.length);
    assert.equal(inputs, names.length, 'every dropped file is an input');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

// 70 inputs: the report's inputs, files and contacts are arrays Go writes
// element by element (64 or more) yet shorter than one 32 KiB piece of the
// layout, so without cuts. Go once wrote their cuts as null and the worker
// then read the whole report at once (wasm/encode.go arrayLayout).
test('many small inputs: the model is still built from the layout, in pieces', async () => {
  const dir = join(buildDir, 'many-vcards');
  mkdirSync(dir, { recursive: true });
  const paths = [];
  for (let i = 0; i < 70; i++) {
    const p = join(dir, `c${String(i).padStart(2, '0')}.vcf`);
    writeFileSync(p, `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person ${i}\r\nTEL;TYPE=CELL:+1555010${String(i).padStart(4, '0')}\r\nEND:VCARD\r\n`);
    paths.push(p);
  }
  const want = cliJSON(paths).report;
  assert.equal(want.inputs.length, 70);
  const h = await launch();
  const page = h.page;
  try {
    await open(page);
    assert.equal(await loadFiles(page, paths), 'done');
    assert.equal(await count(page, 'contacts'), liveCount(want.contacts));
    const detail = await page.evaluate(() => performance.getEntriesByName('bi-result').pop().detail);
    assert.ok(detail.layout >= 3, 'inputs, files and contacts are split: ' + JSON.stringify(detail));
    assert.equal(detail.wholeRead, false, 'the model read the report in pieces');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

test('keyboard: tabs with arrow keys, / for search, tables with arrows and Enter', async () => {
  const h = await launch();
  const page = h.page;
  try {
    await open(page);
    await page.setInputFiles('[data-testid=file-input]', small('mmssms.db'));
    assert.equal(await waitState(page, ['done', 'error']), 'done');
    await page.focus('[data-testid=tab-overview]');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('[data-testid=tab-messages]', 'aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'tab-messages');
    await page.keyboard.press('End');
    assert.equal(await page.getAttribute('[data-testid=tab-problems]', 'aria-selected'), 'true');
    await page.keyboard.press('Home');
    assert.equal(await page.getAttribute('[data-testid=tab-overview]', 'aria-selected'), 'true');

    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'global-search');
    await page.keyboard.type('zzzz-nothing');
    await page.waitForFunction(() => /0 record/.test(document.querySelector('[data-testid=search-note]').textContent));
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.querySelector('[data-testid=search-note]').textContent === '');

    // Messages table: filter box, ArrowDown into the table, move, detail.
    await page.click('[data-testid=tab-messages]');
    await page.click('[data-testid=messages-mode-table]');
    await settle(page);
    await page.focus('#view [data-testid=filter]');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'messages-table');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    const n = Number(await page.textContent('#view [data-testid=view-count]'));
    await page.waitForSelector(`[data-testid=messages-table] [data-testid=row][aria-rowindex="${n + 1}"].selected`);
    await page.waitForFunction(() => document.querySelector('[data-testid=detail-body]'));
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});
