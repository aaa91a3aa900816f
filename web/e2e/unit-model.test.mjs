// Unit tests of the page's pure JS (common.js, model.js) under node: masking,
// CSV cells, time zones, bidi markers, and the worker-side model's queries
// (filters, parts, sorting, brush, conversations, tree, histogram, CSV,
// printable report). The browser tests cover the same code end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './harness.mjs';
import { fullReport } from './fixtures.mjs';

// Values from the vm realm have other prototypes: compare plain copies.
const J = (x) => JSON.parse(JSON.stringify(x));

function load() {
  const ctx = vm.createContext({ console, Intl, Date, TextEncoder, TextDecoder, atob, Math, JSON });
  const src = ['common.js', 'model.js'].map((f) => readFileSync(join(root, 'web', 'src', f), 'utf8')).join('\n');
  vm.runInContext(src + '\nglobalThis.BI = BI; globalThis.BIModel = BIModel;', ctx);
  return ctx;
}

test('mask keeps the last four letters or digits and e-mail domains', () => {
  const { BI } = load();
  assert.equal(BI.mask('+447700900123'), '+••••••••0123');
  assert.equal(BI.mask('owner@gmail.com'), '•••••@gmail.com');
  assert.equal(BI.mask('123'), '•••');
  assert.equal(BI.mask(''), '');
});

test('CSV cells: formulas neutralised, quoting, round trip', () => {
  const { BI } = load();
  for (const [v, want] of [['=1+2', "'=1+2"], ['+44 7700', "'+44 7700"], ['-3', "'-3"], ['@SUM(A1)', "'@SUM(A1)"], ['\tx', "'\tx"], ['\rx', "\"'\rx\""], ['a,b', '"a,b"'], ['say "hi"', '"say ""hi"""'], ['line\nbreak', '"line\nbreak"'], ['plain', 'plain'], [null, '']]) {
    assert.equal(BI.csvCell(v), want, JSON.stringify(v));
  }
  const rows = [['a', 'b,c', 'd"e', 'f\r\ng', '']];
  assert.deepEqual(J(BI.parseCSV('\uFEFF' + rows.map(BI.csvLine).join(''))), rows);
});

test('time zones: UTC and named zones, every time names its zone', () => {
  const { BI } = load();
  const iso = '2024-07-01T12:34:56.789Z';
  assert.equal(BI.zone('UTC').format(iso), '2024-07-01 12:34:56 UTC');
  assert.equal(BI.zone('UTC').format(iso, true), '2024-07-01 12:34:56.789 UTC');
  assert.equal(BI.zone('Asia/Calcutta').format(iso), '2024-07-01 18:04:56 UTC+05:30');
  assert.equal(BI.zone('Europe/Berlin').format(iso), '2024-07-01 14:34:56 UTC+02:00');
  assert.equal(BI.zone('Europe/Berlin').format('2024-01-01T00:00:00.000Z'), '2024-01-01 01:00:00 UTC+01:00');
  assert.equal(BI.zone('America/New_York').offsetMs(Date.parse(iso)), -4 * 3600000);
});

test('bidi controls are shown, not obeyed', () => {
  const { BI } = load();
  assert.equal(BI.visible('\u202Egnp.exe'), '[U+202E]gnp.exe');
  assert.equal(BI.visible('مرحبا'), 'مرحبا');
  assert.equal(BI.escapeHTML('<b>\u2066x'), '&lt;b&gt;[U+2066]x');
});

test('sqlValue renders database values', () => {
  const { BI } = load();
  assert.equal(BI.sqlValue(null).text, 'NULL');
  assert.equal(BI.sqlValue(9007199254740993n).text, '9007199254740993');
  assert.equal(BI.sqlValue({ base64: 'AAECAw==' }).text, 'BLOB 4 B 00010203');
  assert.equal(BI.sqlValue({ real: 'NaN' }).text, 'NaN');
  assert.equal(BI.sqlValue('x').text, 'x');
});

test('model: parts, filters, sorting, brush, conversations, tree, histogram, CSV, report', () => {
  const { BI, BIModel } = load();
  const text = fullReport({ messages: 40 });
  const rep = JSON.parse(text);
  const sum = BIModel.load(text);
  const live = rep.messages.filter((m) => !m.deleted);
  assert.equal(sum.counts.messages.live, live.length);
  assert.equal(sum.counts.messages.deleted, 1);
  assert.equal(sum.counts.contacts.deleted, 1);
  assert.equal(sum.counts.timeline.total, live.length + rep.calls.filter((c) => !c.deleted).length);

  // Paging returns the report's order.
  const page = BIModel.query({ view: 'messages', offset: 5, limit: 3 });
  assert.equal(page.count, live.length);
  assert.deepEqual(J(page.rows.map((r) => r.r.source)), live.slice(5, 8).map((m) => m.source));
  assert.equal(BIModel.query({ view: 'messages', part: 'deleted', limit: 10 }).rows[0].r.body, 'A deleted message');

  // Filter tokens are ANDed, case-insensitive, over every field.
  const f = BIModel.query({ view: 'messages', filter: 'ALICE number', limit: 100 });
  assert.equal(f.count, live.filter((m) => m.name === 'Alice Example' && m.body.includes('number')).length);
  assert.equal(BIModel.query({ view: 'contacts', global: 'xiaomi' }).count, 1);

  // Sort by duration, descending, stable.
  const calls = J(BIModel.query({ view: 'calls', sort: 'duration', desc: true, limit: 100 }).rows.map((r) => r.r.durationSeconds));
  assert.deepEqual(calls, [...calls].sort((a, b) => b - a));

  // Brush: [from, to) in local ms (UTC here).
  const from = Date.parse(live[3].time), to = Date.parse(live[10].time);
  assert.equal(BIModel.query({ view: 'messages', brush: [from, to] }).count, 7);

  // Conversations: one per thread, counts of live messages.
  const th = BIModel.query({ view: 'threads', limit: 100 });
  assert.equal(th.count, 5);
  assert.equal(th.rows.reduce((a, r) => a + r.r.count, 0), live.length);
  const one = th.rows[0].r;
  assert.equal(BIModel.query({ view: 'messages', thread: one.key, limit: 100 }).count, one.count);

  // Tree: containers and folders; "!" inside names decoded.
  const tree = BIModel.query({ view: 'tree', limit: 100 });
  assert.equal(tree.records, rep.files.length);
  assert.ok(tree.rows.some((r) => r.name === 'a!b' && r.kind === 'folder'));
  assert.ok(tree.rows.some((r) => r.name === 'inner.tar' && r.kind === 'container'));
  const collapsed = BIModel.query({ view: 'tree', collapsed: ['backup.zip'], limit: 100 });
  assert.equal(collapsed.count, 1);

  // Histogram: every dated live event in exactly one bucket.
  const h = BIModel.histogram({ bucket: 'day' });
  assert.equal(h.buckets.reduce((a, b) => a + b.msgIn + b.msgOut + b.calls, 0), sum.counts.timeline.total);
  assert.equal(BIModel.histogram({ bucket: 'hour' }).bucket, 'hour');

  // Zone change moves wall-clock buckets.
  BIModel.setZone('Asia/Calcutta');
  const hk = BIModel.histogram({ bucket: 'hour' });
  assert.equal(hk.total, h.total);
  assert.equal(hk.from % 3600000, 0);
  BIModel.setZone('UTC');

  // CSV: a header and one line per selected record, formulas neutralised.
  const csv = BI.parseCSV(BIModel.csv({ view: 'messages' }));
  assert.equal(csv.length, live.length + 1);
  assert.ok(csv.some((r) => r[csv[0].indexOf('body')].startsWith("'=HYPERLINK")));

  // Printable report: escaped, no script.
  const html = BIModel.reportHTML({ zone: 'UTC', reveal: false, now: 0 });
  assert.ok(!/<script/i.test(html));
  assert.ok(html.includes('1970-01-01 00:00:00 UTC'));
  assert.ok(html.includes('+••••••••0123'));
  assert.ok(!html.includes('+447700900123 —'), 'masked unless revealed');
});
