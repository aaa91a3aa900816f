// A database with more than 100k messages, written at test time into
// build/e2e by web/e2e/bigdb: the page reads it, the table scrolls to the end with fewer than
// 300 rows in the DOM, filtering and sorting run in the worker, the database
// browser pages through the same table, and a run can be cancelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launch, open, waitState, count, shot, assertClean, bigDB, cliJSON, settle, buildDir, root, gen, deflatedZip, download } from './harness.mjs';

const N = Number(process.env.BIG_MESSAGES || 120_000);

const rowCount = (page) => page.$$eval('[data-testid=row]', (r) => r.length);

// frameGaps measures the longest gap between animation frames while fn runs.
async function frameGaps(page, fn) {
  await page.evaluate(() => {
    window.__gaps = [];
    let last = performance.now();
    window.__gapsOn = true;
    const tick = (t) => { window.__gaps.push(t - last); last = t; if (window.__gapsOn) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  await fn();
  return page.evaluate(() => {
    window.__gapsOn = false;
    const g = window.__gaps.slice(1).sort((a, b) => a - b);
    return { frames: g.length, max: g[g.length - 1], p95: g[Math.floor(g.length * 0.95)], median: g[Math.floor(g.length / 2)] };
  });
}

test('100k messages: read, scroll to the end, filter, sort, count, DOM bound, database browser', { timeout: 600_000 }, async () => {
  const db = bigDB(N);
  const { report } = cliJSON([db]);
  const live = report.messages.filter((m) => !m.deleted);
  assert.equal(live.length, N, 'the CLI reads every message');
  const h = await launch();
  const page = h.page;
  const numbers = { messages: N };
  try {
    await open(page);
    // The overview comes before the report (wasm/overview.go): the moment
    // the exposure summary shows, the user goes to the messages tab, which
    // says the records are loading; when the report is in, that tab (not
    // the overview) shows the list.
    await page.evaluate(() => {
      const seen = (window.__early = { at: null });
      const obs = new MutationObserver(() => {
        if (seen.at != null || !document.querySelector('#view [data-testid=exposure-summary]')) return;
        seen.at = performance.now();
        seen.status = document.querySelector('[data-testid=status]').dataset.state;
        seen.overviewMarks = performance.getEntriesByName('bi-overview').length;
        seen.resultMarks = performance.getEntriesByName('bi-result').length;
        seen.countMessages = document.querySelector('[data-testid=count-messages]')?.textContent.trim();
        document.querySelector('[data-testid=tab-messages]').click();
        seen.loading = !!document.querySelector('#view [data-testid=loading-records]');
        seen.view = document.getElementById('view').dataset.view;
        obs.disconnect();
      });
      obs.observe(document.body, { subtree: true, childList: true });
    });
    const t0 = Date.now();
    await page.setInputFiles('[data-testid=file-input]', db);
    await page.waitForFunction(() => window.__early.at != null, null, { timeout: 480_000 });
    const early = await page.evaluate(() => window.__early);
    assert.equal(early.status, 'working', 'the overview is shown while the run goes on');
    assert.equal(early.overviewMarks, 1, 'the overview message came first');
    assert.equal(early.resultMarks, 0, 'the report had not arrived when the overview showed');
    assert.equal(Number(early.countMessages), N, 'the overview counts the messages before the report');
    assert.equal(early.view, 'messages');
    assert.ok(early.loading, 'the messages tab says the records are loading');
    await shot(page, 'big-overview-loading');
    assert.equal(await waitState(page, ['done', 'error'], 480_000), 'done');
    numbers.readSeconds = (Date.now() - t0) / 1000;
    const marks = await page.evaluate(() => ['bi-overview', 'bi-result'].map((n) => performance.getEntriesByName(n).map((e) => e.startTime)));
    assert.equal(marks[0].length, 1);
    assert.equal(marks[1].length, 1);
    assert.ok(marks[0][0] < marks[1][0], 'bi-overview before bi-result');
    numbers.overviewBeforeResultMs = Math.round(marks[1][0] - marks[0][0]);
    // The worker built its model piece by piece from the layout Go gave,
    // not from the whole report read at once.
    const detail = await page.evaluate(() => performance.getEntriesByName('bi-result')[0].detail);
    assert.ok(detail.layout > 0 && detail.wholeRead === false, 'the model read the report in pieces: ' + JSON.stringify(detail));
    // The user's tab is kept and now shows the list.
    assert.equal(await page.getAttribute('[data-testid=tab-messages]', 'aria-selected'), 'true');
    assert.equal(await page.getAttribute('#view', 'data-view'), 'messages');
    assert.equal(await page.$('#view [data-testid=loading-records]'), null);
    await page.waitForSelector('#view [data-testid=view-count]');
    assert.equal(await count(page, 'messages'), N);

    await page.click('[data-testid=tab-messages]');
    await page.click('[data-testid=messages-mode-table]');
    await page.waitForFunction((n) => document.querySelector('#view [data-testid=view-count]').textContent === String(n), N);
    await settle(page);
    assert.ok(await rowCount(page) < 300, 'DOM row bound at the top');

    // Wheel down through the table; rows stay bounded, frames keep coming.
    const table = await page.$('[data-testid=messages-table]');
    const box = await table.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    let maxRows = 0;
    const gaps = await frameGaps(page, async () => {
      for (let i = 0; i < 60; i++) {
        await page.mouse.wheel(0, 2400);
        await page.waitForTimeout(16);
        if (i % 10 === 0) maxRows = Math.max(maxRows, await rowCount(page));
      }
    });
    await settle(page);
    numbers.wheelFrames = gaps;
    assert.ok(maxRows < 300, `rows in the DOM while scrolling: ${maxRows}`);

    // Jump to the end: the last row is the last message.
    const t1 = Date.now();
    await page.$eval('[data-testid=messages-table]', (s) => { s.scrollTop = s.scrollHeight; });
    await page.waitForSelector(`[data-testid=messages-table] [data-testid=row][aria-rowindex="${N + 1}"]`);
    await settle(page);
    numbers.jumpToEndMs = Date.now() - t1;
    assert.ok(await rowCount(page) < 300, 'DOM row bound at the end');
    const lastBody = await page.textContent(`[data-testid=messages-table] [data-testid=row][aria-rowindex="${N + 1}"] .c-body`);
    const lm = live[N - 1];
    assert.equal(lastBody, (lm.subject ? lm.subject + ' — ' : '') + lm.body, 'last row is the last message');
    await shot(page, 'big-messages-end');

    // Keyboard: End then Home.
    await page.focus('[data-testid=messages-table]');
    await page.keyboard.press('Home');
    await page.waitForSelector('[data-testid=messages-table] [data-testid=row][aria-rowindex="2"].selected');

    // Filter (in the worker) and count.
    const token = 'привет';
    const want = live.filter((m) => [m.body, m.subject, m.address, m.name].join(' ').toLowerCase().includes(token)).length;
    assert.ok(want > 0 && want < N);
    const t2 = Date.now();
    await page.fill('#view [data-testid=filter]', token);
    await page.waitForFunction((n) => document.querySelector('#view [data-testid=view-count]').textContent === String(n), want);
    numbers.filterMs = Date.now() - t2;
    await settle(page);
    assert.ok(await rowCount(page) < 300);
    await shot(page, 'big-messages-filtered');

    // Sort by correspondent, both ways.
    await page.fill('#view [data-testid=filter]', '');
    await page.waitForFunction((n) => document.querySelector('#view [data-testid=view-count]').textContent === String(n), N);
    const t3 = Date.now();
    await page.click('[data-testid=sort-address]');
    await settle(page);
    numbers.sortMs = Date.now() - t3;
    const addrs = live.map((m) => (m.address || '').toLowerCase()).sort();
    const first = await page.textContent('[data-testid=messages-table] [data-testid=row][aria-rowindex="2"] .c-address');
    assert.equal(first.toLowerCase(), addrs[0]);
    await page.click('[data-testid=sort-address]');
    await page.waitForFunction((a) => {
      const c = document.querySelector('[data-testid=messages-table] [data-testid=row][aria-rowindex="2"] .c-address');
      return c && c.textContent.toLowerCase() === a;
    }, addrs[addrs.length - 1]);

    // Timeline over every event.
    await page.click('[data-testid=tab-timeline]');
    await page.waitForSelector('[data-testid=timeline-chart] rect.bar');
    assert.ok(await rowCount(page) < 300);
    await shot(page, 'big-timeline');

    // The database browser pages through the same table.
    await page.click('[data-testid=tab-databases]');
    await page.click('[data-testid=db-table]:has-text("sms")');
    const sms = N;
    await page.waitForFunction((n) => { const c = document.querySelector('[data-testid=db-row-count]'); return c && c.textContent === String(n); }, sms, { timeout: 120_000 });
    await page.$eval('[data-testid=db-rows]', (s) => { s.scrollTop = s.scrollHeight; });
    await page.waitForSelector(`[data-testid=db-rows] [data-testid=row][aria-rowindex="${sms + 1}"]`);
    assert.ok(await rowCount(page) < 300, 'DOM row bound in the database browser');
    await shot(page, 'big-database');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
  writeFileSync(join(buildDir, 'big-numbers.json'), JSON.stringify(numbers, null, 2));
  console.log('# 100k numbers: ' + JSON.stringify(numbers));
});

test('a long run can be cancelled', { timeout: 300_000 }, async () => {
  const db = bigDB(N);
  const h = await launch();
  const page = h.page;
  try {
    await open(page);
    await page.setInputFiles('[data-testid=file-input]', db);
    await page.waitForFunction(() => document.querySelector('[data-testid=status]').dataset.state === 'working');
    await page.waitForSelector('[data-testid=progress-row]');
    await page.waitForSelector('[data-testid=cancel-button]:visible');
    await shot(page, 'big-progress');
    await page.click('[data-testid=cancel-button]');
    assert.equal(await waitState(page, ['idle', 'done', 'error'], 120_000), 'idle');
    assert.match(await page.textContent('[data-testid=status]'), /Cancelled/);
    assert.ok(await page.isHidden('[data-testid=cancel-button]'));
    // The page still works afterwards.
    await page.setInputFiles('[data-testid=file-input]', join(root, 'samples', 'small', 'mmssms.db'));
    assert.equal(await waitState(page, ['done', 'error']), 'done');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

// Cancelled while Go waits for the hash worker to hand stream buffers back
// (a compressed .ab's entries; a test hook has the hash worker keep them):
// the wait ends at once, not after Go's 30 s limit, and the page is usable
// again.
test('a run waiting for the hash worker (streams) can be cancelled at once', { timeout: 120_000 }, async () => {
  const ab = gen('streams.ab', ['-kind', 'ab', '-size', '40MiB']);
  const h = await launch();
  const page = h.page;
  try {
    await open(page);
    await page.evaluate(() => { window.__biStreamDelay = 1e9; });
    await page.setInputFiles('[data-testid=file-input]', ab);
    await page.waitForSelector('[data-testid=cancel-button]:visible');
    await page.waitForTimeout(3000); // 16 buffers in flight, none handed back: Go waits
    const t = Date.now();
    await page.click('[data-testid=cancel-button]');
    assert.equal(await waitState(page, ['idle', 'done', 'error'], 60_000), 'idle');
    assert.ok(Date.now() - t < 10_000, 'cancelled in ' + (Date.now() - t) + ' ms');
    await page.evaluate(() => { window.__biStreamDelay = 0; });
    await page.setInputFiles('[data-testid=file-input]', join(root, 'samples', 'small', 'mmssms.db'));
    assert.equal(await waitState(page, ['done', 'error']), 'done');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

// A database bigger than what the page holds in Go's memory (16 MiB), found
// where it cannot be read at random (deflated in a zip): it is copied into a
// Blob and read from there (wasm/spool.go): the report is the CLI's (which
// uses a temporary file), and the database browser opens that Blob.
const smsPath = 'data/user_de/0/com.android.providers.telephony/databases/mmssms.db';
for (const [label, make] of [
  ['a 20 MiB deflated database', () => { const db = bigDB(3000, 20); return [deflatedZip('spooled-db.zip', smsPath, db), statSync(db).size]; }],
  // A zip inside the zip's deflated entry: the inner zip is held in the
  // Blob, the database stored in it read from there.
  ['a 20 MiB database in a zip in a deflated entry', () => {
    const inner = deflatedZip('spooled-inner.zip', smsPath, bigDB(3000, 20), true);
    return [deflatedZip('spooled-zip.zip', 'sdcard/backup/phone.zip', inner), statSync(inner).size];
  }],
]) test(label + ' is read from a Blob, as the CLI reads it', { timeout: 300_000 }, async () => {
  const [zip, spooledBytes] = make();
  const cli = cliJSON([zip]);
  assert.equal(cli.report.messages.length, 3000, 'the CLI reads every message');
  assert.ok(!cli.report.problems.some((p) => p.code === 'too-large'), 'no too-large problem');
  const h = await launch();
  const page = h.page;
  try {
    await open(page);
    await page.setInputFiles('[data-testid=file-input]', zip);
    assert.equal(await waitState(page, ['done', 'error'], 240_000), 'done');
    const got = await download(page, '[data-testid=export-json]');
    assert.ok(got.bytes.equals(cli.bytes), `page export (${got.bytes.length} bytes) differs from the CLI (${cli.bytes.length} bytes)`);
    assert.equal(await count(page, 'messages'), 3000);
    const spooled = await page.evaluate(() => { const e = performance.getEntriesByName('bi-result').pop(); return e && e.detail.spooled; });
    assert.equal(spooled, spooledBytes, 'held in a Blob');
    await page.click('[data-testid=tab-databases]');
    await page.click('[data-testid=db-table]:has-text("padding")');
    await page.waitForFunction(() => { const c = document.querySelector('[data-testid=db-row-count]'); return c && c.textContent === '320'; }, null, { timeout: 60_000 });
    const src = await page.evaluate(() => { const e = performance.getEntriesByName('bi-dbsource').pop(); return e && e.detail; });
    assert.deepEqual(src, { how: 'located', databases: 1 }, 'the database opened where the first worker held it');
    await shot(page, zip.endsWith('spooled-db.zip') ? 'spooled-db' : 'spooled-zip');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});
