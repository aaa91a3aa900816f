// Every view of the page against the report: a generated MIUI set (as a
// folder) and a synthetic report holding every part of the model. Each
// tab's count equals the report's array; rows stay few in the DOM; deleted
// records are apart; integers beyond 2^53 stay exact; masking, zones,
// themes, keyboard, time brush, global search and a 200 % zoom layout work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { launch, open, waitState, count, shot, assertClean, gen, cliJSON, viewCount, settle, liveCount, TABS, buildDir, loadFiles } from './harness.mjs';
import { fullReport, BIG } from './fixtures.mjs';

// expected is what each tab's [data-testid=view-count] must show.
function expected(rep) {
  const dated = (a) => a.filter((r) => !r.deleted && r.time).length;
  return {
    messages: liveCount(rep.messages), contacts: liveCount(rep.contacts), calls: liveCount(rep.calls),
    identifiers: rep.identifiers.length, timeline: dated(rep.messages) + dated(rep.calls),
    files: rep.files.length, databases: rep.databases.length, problems: rep.problems.length,
  };
}

async function domRows(page) {
  return page.$$eval('[data-testid=row], [data-testid=thread], [data-testid=tree-dir]', (r) => r.length);
}

async function everyTab(h, rep, prefix) {
  const want = expected(rep);
  for (const tab of TABS) {
    if (tab === 'overview') {
      await h.page.click('[data-testid=tab-overview]');
      await h.page.waitForSelector('[data-testid=exposure-summary]');
    } else {
      assert.equal(await viewCount(h.page, tab), want[tab], `${tab} count`);
      await settle(h.page);
    }
    assert.ok(await domRows(h.page) < 300, `${tab}: fewer than 300 rows in the DOM`);
    await shot(h.page, `${prefix}-${tab}`);
  }
  // The hooks of the skeleton.
  assert.equal(await count(h.page, 'messages'), want.messages);
  assert.equal(await count(h.page, 'contacts'), want.contacts);
  assert.equal(await count(h.page, 'calls'), want.calls);
  assert.equal(await count(h.page, 'identifiers'), want.identifiers);
  assert.equal(await count(h.page, 'problems'), want.problems);
}

test('generated MIUI set as a folder: every tab matches the report', async () => {
  const out = gen('miui-folder', ['-kind', 'miui', '-variant', 'folder']);
  const set = join(out, readdirSync(out)[0]);
  const { report } = cliJSON([set]);
  const h = await launch();
  try {
    await open(h.page);
    assert.equal(await loadFiles(h.page, set, { folder: true }), 'done');
    await everyTab(h, report, 'miui');
    // Messages as a table, too.
    await h.page.click('[data-testid=tab-messages]');
    await h.page.click('[data-testid=messages-mode-table]');
    await h.page.waitForFunction((n) => document.querySelector('#view [data-testid=view-count]').textContent === String(n), liveCount(report.messages));
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

test('the whole model: views, deleted apart, exact big integers, masking, zones, brush, search, keyboard, themes, 200 % zoom', async () => {
  mkdirSync(buildDir, { recursive: true });
  const path = join(buildDir, 'fixture-report.json');
  const text = fullReport({ messages: 40 });
  writeFileSync(path, text);
  const rep = JSON.parse(text);
  const h = await launch();
  const page = h.page;
  try {
    await open(page);
    assert.equal(await loadFiles(page, path), 'done');
    assert.match(await page.textContent('[data-testid=status]'), /saved report/);
    await everyTab(h, rep, 'model');

    // Overview: the 2014 block, masked until revealed.
    await page.click('[data-testid=tab-overview]');
    const exp = await page.textContent('[data-testid=exposure-summary]');
    assert.ok(!exp.includes('447700900123'), 'own number masked by default');
    assert.ok(exp.includes('0123'), 'its last digits stay visible');
    assert.match(exp, /IMSI/);
    assert.match(exp, /ICCID/);
    assert.match(exp, /IMEI/);
    assert.match(exp, /received SMS/);
    assert.match(exp, /together/, 'number + IMSI + IMEI flag');
    await page.click('[data-testid=reveal-toggle]');
    assert.ok((await page.textContent('[data-testid=exposure-summary]')).includes('+447700900123'), 'revealed');
    await shot(page, 'model-overview-revealed');
    await page.click('[data-testid=reveal-toggle]');

    // Deleted records: apart, and marked.
    await page.click('[data-testid=tab-contacts]');
    await page.click('[data-testid=part-deleted]');
    await page.waitForFunction(() => document.querySelector('#view [data-testid=view-count]').textContent === '1');
    await settle(page);
    assert.equal(await page.$$eval('[data-testid=contacts-table] [data-testid=row].deleted', (r) => r.length), 1);
    assert.match(await page.textContent('[data-testid=contacts-table] [data-testid=row]'), /Deleted Dave/);
    await shot(page, 'model-contacts-deleted');
    await page.click('[data-testid=part-live]');

    // Messages: conversations with bubbles and attachments; table mode.
    await page.click('[data-testid=tab-messages]');
    await page.waitForSelector('[data-testid=bubble]');
    await page.click('[data-testid=thread] >> nth=0');
    await page.waitForSelector('[data-testid=bubble] [data-testid=attachments]', { timeout: 5000 }).catch(() => {});
    await shot(page, 'model-messages-conversation');
    await page.click('[data-testid=messages-mode-table]');
    await settle(page);
    // Keyboard: focus the table, move down twice, the detail follows.
    await page.focus('[data-testid=messages-table]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('[data-testid=detail-body]'));
    assert.equal(await page.textContent('[data-testid=detail-body]'), rep.messages[1].body);
    // Sorting by text, descending on a second click.
    await page.click('[data-testid=sort-body]');
    await settle(page);
    const bodies = rep.messages.filter((m) => !m.deleted).map((m) => m.body.toLowerCase()).sort();
    assert.equal((await page.textContent('[data-testid=messages-table] [data-testid=row] .c-body')).toLowerCase(), bodies[0]);
    await page.click('[data-testid=sort-body]');
    await settle(page);
    assert.equal((await page.textContent('[data-testid=messages-table] [data-testid=row] .c-body')).toLowerCase(), bodies[bodies.length - 1]);

    // Time zones: every time names its zone.
    await page.selectOption('[data-testid=zone-select]', 'Asia/Calcutta');
    const firstTime = (re) => page.waitForFunction((src) => {
      const c = document.querySelector('[data-testid=messages-table] [data-testid=row] .c-time');
      return c && new RegExp(src).test(c.textContent);
    }, re.source);
    await firstTime(/UTC\+05:30$/);
    await shot(page, 'model-messages-kolkata');
    await page.selectOption('[data-testid=zone-select]', 'UTC');
    await firstTime(/ UTC$/);

    // Timeline: click a bar to set a time filter; the other views follow.
    await page.click('[data-testid=tab-timeline]');
    await page.waitForSelector('[data-testid=timeline-chart] rect.hit');
    await shot(page, 'model-timeline');
    const bars = await page.$$('[data-testid=timeline-chart] rect.hit');
    await bars[Math.floor(bars.length / 2)].click();
    await page.waitForSelector('[data-testid=brush-chip]:not([hidden])');
    const from = Number(await page.getAttribute('[data-testid=brush-chip]', 'data-from'));
    const to = Number(await page.getAttribute('[data-testid=brush-chip]', 'data-to'));
    const inRange = (a) => a.filter((r) => !r.deleted && r.time && Date.parse(r.time) >= from && Date.parse(r.time) < to).length;
    await page.waitForFunction((n) => document.querySelector('#view [data-testid=view-count]').textContent === String(n), inRange(rep.messages) + inRange(rep.calls));
    await shot(page, 'model-timeline-brushed');
    assert.equal(await viewCount(page, 'calls'), inRange(rep.calls), 'calls follow the brush');
    await page.click('[data-testid=tab-messages]');
    await page.waitForFunction((n) => document.querySelector('#view [data-testid=view-count]').textContent === String(n), inRange(rep.messages));
    await page.click('[data-testid=brush-clear]');
    await page.waitForFunction((n) => document.querySelector('#view [data-testid=view-count]').textContent === String(n), liveCount(rep.messages));

    // Global search across every view.
    await page.fill('[data-testid=global-search]', 'alice');
    await page.waitForFunction(() => /match/.test(document.querySelector('[data-testid=search-note]').textContent));
    assert.equal(await viewCount(page, 'contacts'), 1);
    const aliceMsgs = rep.messages.filter((m) => !m.deleted && JSON.stringify(m).toLowerCase().includes('alice')).length;
    assert.equal(await viewCount(page, 'messages'), aliceMsgs);
    await page.fill('[data-testid=global-search]', '');
    await page.waitForFunction(() => document.querySelector('[data-testid=search-note]').textContent === '');

    // Integers beyond 2^53 exact; recovered records apart.
    await page.click('[data-testid=tab-databases]');
    await page.waitForSelector('[data-testid=recovered-table] [data-testid=row]');
    await settle(page);
    const rec = await page.textContent('[data-testid=recovered-table]');
    assert.ok(rec.includes(BIG), 'rowid ' + BIG + ' shown exactly');
    assert.equal(await page.$$eval('[data-testid=recovered-table] [data-testid=row].deleted', (r) => r.length), rep.recovered.length);
    await shot(page, 'model-databases');

    // Files: a tree with containers; filtering flattens it.
    await page.click('[data-testid=tab-files]');
    await settle(page);
    assert.ok(await page.$$eval('[data-testid=tree-dir]', (r) => r.length) > 0, 'folders in the tree');
    await page.fill('#view [data-testid=filter]', 'notes.txt');
    await page.waitForFunction(() => document.querySelector('#view [data-testid=view-count]').textContent === '1');
    await settle(page);
    assert.match(await page.textContent('[data-testid=files-table] [data-testid=row]'), /inner\.tar!a%21b\/notes\.txt/);
    await page.click('[data-testid=part-apps]');
    await page.waitForFunction((n) => document.querySelector('#view [data-testid=view-count]').textContent === String(n), rep.apps.length);
    await settle(page);
    assert.match(await page.textContent('[data-testid=apps-table]'), /encrypted/);
    await shot(page, 'model-files-apps');
    await page.click('[data-testid=part-files]');

    // Dark theme.
    await page.click('[data-testid=theme-toggle]');
    await page.click('[data-testid=theme-toggle]');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    await page.click('[data-testid=tab-overview]');
    await shot(page, 'model-dark-overview');
    await page.click('[data-testid=tab-messages]');
    await page.waitForSelector('[data-testid=messages-table] [data-testid=row]');
    await settle(page);
    await shot(page, 'model-dark-messages');
    await page.click('[data-testid=theme-toggle]');

    // 200 % zoom: half the CSS pixels; nothing overflows the page sideways.
    await page.setViewportSize({ width: 640, height: 450 });
    for (const tab of ['overview', 'messages', 'timeline', 'databases']) {
      await page.click(`[data-testid=tab-${tab}]`);
      await page.waitForTimeout(300);
      await settle(page);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 1, `${tab} at 200 %: page overflows sideways by ${over}px`);
      await page.$eval('#tabs', (e) => e.scrollIntoView());
      await shot(page, `model-zoom200-${tab}`);
    }
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

test('database browser: WAL applied vs main file only, schema, filter, sort', async () => {
  const { root } = await import('./harness.mjs');
  const db = join(root, 'samples', 'small', 'mmssms-wal.db');
  const { report } = cliJSON([db, db + '-wal']);
  const sms = report.databases[0].tables.find((t) => t.name === 'sms');
  assert.ok(sms.rowsMainOnly < sms.rows, 'the WAL adds rows');
  const h = await launch();
  const page = h.page;
  const rowsShown = () => page.waitForFunction(() => { const c = document.querySelector('[data-testid=db-row-count]'); return c && /^\d+$/.test(c.textContent) ? Number(c.textContent) : false; }).then((x) => x.jsonValue());
  try {
    await open(page);
    assert.equal(await loadFiles(page, [db, db + '-wal']), 'done');
    assert.equal(await viewCount(page, 'databases'), report.databases.length);
    await page.click('[data-testid=db-table]:has-text("sms")');
    assert.equal(await rowsShown(), sms.rows, 'WAL applied');
    // The fresh worker opened the database and its WAL where the worker
    // that read them said they are (the input files), without reading again.
    const src = await page.evaluate(() => { const e = performance.getEntriesByName('bi-dbsource').pop(); return e && e.detail; });
    assert.deepEqual(src, { how: 'located', databases: report.databases.length });
    assert.match(await page.textContent('[data-testid=db-schema]'), /CREATE TABLE sms/);
    await shot(page, 'db-wal-applied');
    await page.click('[data-testid=db-wal-off]');
    await page.waitForSelector('[data-testid=db-wal-off][aria-pressed=true]');
    await page.click('[data-testid=db-table]:has-text("sms")');
    assert.equal(await rowsShown(), sms.rowsMainOnly, 'main file only');
    await shot(page, 'db-main-only');
    await page.click('[data-testid=db-wal-on]');
    await page.click('[data-testid=db-table]:has-text("sms")');
    assert.equal(await rowsShown(), sms.rows);
    // Filter and sort run in Go over the cached table.
    const addr = report.messages.find((m) => m.kind === 'sms').address;
    await page.fill('[data-testid=db-filter]', addr);
    const n = report.messages.filter((m) => m.kind === 'sms' && m.address === addr).length;
    await page.waitForFunction((k) => document.querySelector('[data-testid=db-row-count]').textContent === String(k), n);
    await page.fill('[data-testid=db-filter]', '');
    await page.waitForFunction((k) => document.querySelector('[data-testid=db-row-count]').textContent === String(k), sms.rows);
    await settle(page);
    await page.click('[data-testid=sort--2]'); // rowid ascending
    await settle(page);
    await page.click('[data-testid=sort--2]'); // descending
    await page.waitForFunction((k) => { const c = document.querySelector('[data-testid=db-rows] [data-testid=row][aria-rowindex="2"] .c--2'); return c && c.textContent === String(k); }, sms.rows);
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});
