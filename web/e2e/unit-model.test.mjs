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

const sourceAccess = JSON.parse('[1]', function (k, v, ctx) { return k === '0' ? !!(ctx && ctx.source) : v; })[0];

test('parseJSON: BigInt only for long number tokens, not long digit runs in strings', () => {
  const { BI } = load();
  const a = BI.parseJSON('{"iccid": "89441000303182212345", "sha256": "1234567890123456abc", "n": 12}');
  assert.equal(a.iccid, '89441000303182212345');
  assert.equal(a.n, 12);
  // JSON.parse's source text access (the reviver's third argument) is in
  // Chromium and Node 21+; without it the values stay numbers (the browser
  // tests run the same function in Chromium).
  if (!sourceAccess) return;
  for (const text of ['{"n": 12345678901234567890}', '{"n":\n  -12345678901234567890}', '[1, 12345678901234567890]', '[12345678901234567890]']) {
    const v = BI.parseJSON(text);
    const x = Array.isArray(v) ? v[v.length - 1] : v.n;
    assert.equal(typeof x, 'bigint', text);
    assert.equal(x, BigInt(/-?\d{20}/.exec(text)[0]));
  }
  // A 16-digit number that is safe stays a number.
  assert.equal(BI.parseJSON('{"n": 1234567890123456}').n, 1234567890123456);
});

test('parseJSONBytes: the same values as parseJSON of the text, parsed in pieces', async () => {
  const { BI } = load();
  const enc = new TextEncoder();
  const tricky = ['a "quoted" [bracket] {brace}, comma', 'back\\slash\\', '\\"', 'привет 👋 ', '\u0000\u2028', ']', '[', '"', ',', '}'];
  const rep = JSON.parse(fullReport({ messages: 300, hostile: true }));
  rep.messages.forEach((m, i) => { m.body = tricky[i % tricky.length] + m.body; });
  rep.deleted = { messages: rep.messages.slice(0, 50), contacts: [], note: 'x' };
  rep['we"ird\\key'] = rep.messages.slice(0, 40);
  rep.files = (rep.files || []).concat(rep.messages.map((m, i) => ({ path: 'f' + i + ',[]{}', size: i })));
  const bigNum = '9007199254740993123';
  for (const indent of [2, 0]) {
    let text = JSON.stringify(rep, null, indent);
    // A number beyond 2^53 inside a split array and in the rest.
    text = text.replace('"size": 7', '"size": ' + bigNum).replace('"size":7', '"size":' + bigNum);
    text = text.replace(/^\{/, '{"top": ' + bigNum + ',');
    const want = BI.parseJSON(text);
    const bytes = enc.encode('\uFEFF' + text + '\n');
    for (const opts of [{ chunk: 64, min: 16 }, { chunk: 1000, min: 200 }, { chunk: 1, min: 1 }, undefined]) {
      const got = BI.parseJSONBytes(bytes, opts);
      assert.deepStrictEqual(got, want, JSON.stringify(opts) + ' indent ' + indent);
    }
    if (sourceAccess) {
      assert.equal(typeof BI.parseJSONBytes(bytes, { chunk: 64, min: 16 }).top, 'bigint');
      assert.equal(BI.parseJSONBytes(bytes, { chunk: 64, min: 16 }).files.find((f) => f.path === 'f7,[]{}').size, BigInt(bigNum));
    }
    // Damaged text fails as JSON.parse fails.
    for (const cut of [text.length - 1, text.length >> 1, 10]) {
      assert.throws(() => BI.parseJSONBytes(enc.encode(text.slice(0, cut)), { chunk: 64, min: 16 }), (e) => e.name === 'SyntaxError', 'cut at ' + cut);
    }
    assert.throws(() => BI.parseJSONBytes(enc.encode(text + '}'), { chunk: 64, min: 16 }), (e) => e.name === 'SyntaxError');
  }
  // With the layout the writer gives (wasm/encode.go arrayLayout): the
  // same values; a layout that does not fit is ignored.
  {
    const enc8 = (x) => enc.encode(x).length;
    let text = '{"schema": "x",\n  "messages": ';
    const layout = [];
    const arr = (path, list) => {
      const a = { path, start: enc8(text), cuts: [] };
      text += '[';
      list.forEach((m, k) => { if (k) { if (k % 7 === 0) a.cuts.push(enc8(text)); text += ',\n    '; } text += JSON.stringify(m); });
      a.end = enc8(text);
      text += ']';
      layout.push(a);
    };
    arr(['messages'], rep.messages);
    text += ', "deleted": {"calls": [], "messages": ';
    arr(['deleted', 'messages'], rep.messages.slice(0, 30));
    text += '}, "files": ';
    arr(['files'], rep.files);
    text += '}\n';
    const bytes = enc.encode(text);
    const want = BI.parseJSON(text);
    assert.deepStrictEqual(BI.parseJSONBytes(bytes, { layout }), want);
    const off = JSON.parse(JSON.stringify(layout));
    off[0].cuts[1]--; // not a comma
    assert.deepStrictEqual(BI.parseJSONBytes(bytes, { layout: off, chunk: 64, min: 16 }), want);
    const inString = JSON.parse(JSON.stringify(layout));
    const q = text.indexOf('comma', layout[0].start);
    inString[0].cuts = [enc8(text.slice(0, text.lastIndexOf(',', q)))]; // the comma of '{brace}, comma' in a body
    assert.equal(bytes[inString[0].cuts[0]], 0x2c);
    assert.deepStrictEqual(BI.parseJSONBytes(bytes, { layout: inString, chunk: 64, min: 16 }), want);
    const wrongPath = JSON.parse(JSON.stringify(layout));
    wrongPath[2].path = ['messages'];
    assert.deepStrictEqual(BI.parseJSONBytes(bytes, { layout: wrongPath }), want);
    // From a Blob read piece by piece (FileReaderSync in the worker; a
    // stand-in here that counts what is read): with the layout only the
    // pieces, each once; with a layout that does not fit, the whole.
    let reads = 0, readBytes = 0;
    const blob = { size: bytes.length, slice: (a, b) => ({ a, b }) };
    const ctx = load();
    ctx.FileReaderSync = class {
      readAsArrayBuffer({ a, b }) { reads++; readBytes += b - a; return bytes.slice(a, b).buffer; }
    };
    // An array without cuts may say so with null or no cuts (Go wrote
    // null before: the whole report was read at once).
    const noCuts = JSON.parse(JSON.stringify(layout));
    noCuts[1].cuts = null;
    delete noCuts[2].cuts;
    for (const [lay, label] of [[layout, 'layout'], [noCuts, 'null or no cuts'], [off, 'not a comma'], [inString, 'comma in a string'], [wrongPath, 'wrong path'], [null, 'none']]) {
      reads = 0; readBytes = 0;
      const info = {};
      assert.deepStrictEqual(J(ctx.BI.parseJSONBlob(blob, { layout: lay, info })), J(want), label);
      assert.equal(!!info.whole, lay !== layout && lay !== noCuts, label + ': read whole');
      if (lay === layout || lay === noCuts) {
        // Every byte once, the delimiters between reads twice: the
        // document around the arrays, then each array (< 1 MiB) at once.
        assert.equal(reads, 2 * layout.length + 1, label);
        assert.ok(readBytes <= bytes.length + 2 * layout.length, label + ': ' + readBytes + ' bytes read of ' + bytes.length);
      } else assert.ok(readBytes >= bytes.length, label);
    }
    // An array of more than 1 MiB is read ~1 MiB of pieces at a time, each
    // piece parsed apart (its delimiters changed in the bytes read, and put
    // back for the next piece).
    const many = [];
    for (let k = 0; k < 40000; k++) many.push({ body: 'message ' + k + ' \u00e9\u{1f600} ' + 'x'.repeat(k % 50), n: k });
    let t2 = '{"messages": [';
    const lay2 = { path: ['messages'], start: enc8(t2) - 1, cuts: [] };
    many.forEach((m, k) => { if (k) { if (k % 100 === 0) lay2.cuts.push(enc8(t2)); t2 += ','; } t2 += JSON.stringify(m); });
    lay2.end = enc8(t2);
    t2 += '], "n": 1}';
    const b2 = enc.encode(t2);
    assert.ok(b2.length > 2 << 20);
    const blob2 = { size: b2.length, slice: (a, b) => ({ a, b }) };
    ctx.FileReaderSync = class {
      readAsArrayBuffer({ a, b }) { reads++; readBytes += b - a; return b2.slice(a, b).buffer; }
    };
    reads = 0; readBytes = 0;
    assert.deepStrictEqual(J(ctx.BI.parseJSONBlob(blob2, { layout: [lay2] })), J(JSON.parse(t2)));
    const blocks = reads - 2;
    assert.ok(blocks >= Math.ceil(b2.length / (1 << 20)) && blocks <= Math.ceil(b2.length / (1 << 20)) + 2, blocks + ' block reads for ' + b2.length + ' bytes');
    assert.ok(readBytes <= b2.length + blocks + 2, readBytes + ' bytes read of ' + b2.length);
    // The same, letting the event loop run now and then (the worker's
    // model of a handed-over report).
    ctx.setTimeout = setTimeout;
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 0);
    const parsed = await ctx.BI.parseJSONBlobAsync(blob2, { layout: [lay2], every: 1 });
    clearInterval(timer);
    assert.deepStrictEqual(J(parsed), J(JSON.parse(t2)));
    assert.ok(ticks > 0, 'no timer ran while the pieces were parsed');
    ctx.FileReaderSync = class {
      readAsArrayBuffer({ a, b }) { return bytes.slice(a, b).buffer; }
    };
    for (const [lay, label] of [[layout, 'layout'], [off, 'not a comma'], [null, 'none']]) {
      assert.deepStrictEqual(J(await ctx.BI.parseJSONBlobAsync(blob, { layout: lay })), J(want), 'async: ' + label);
    }
  }
  // Not an object, or small: parsed whole.
  assert.deepStrictEqual(BI.parseJSONBytes(enc.encode('[1,2,3]'), { chunk: 1, min: 1 }), BI.parseJSON('[1,2,3]'));
  assert.deepStrictEqual(BI.parseJSONBytes(enc.encode('{"a":[1,2]}')), BI.parseJSON('{"a":[1,2]}'));
  // Duplicate keys keep the last, as JSON.parse does.
  const dup = '{"a": [1, 2, 3, 4, 5, 6], "a": [7, 8, 9, 10, 11, 12]}';
  assert.deepStrictEqual(BI.parseJSONBytes(enc.encode(dup), { chunk: 1, min: 1 }), BI.parseJSON(dup));
});

test('model: parts, filters, sorting, brush, conversations, tree, histogram, CSV, report', () => {
  const { BI, BIModel } = load();
  const text = fullReport({ messages: 40 });
  const rep = JSON.parse(text);
  const sum = BIModel.load(text);
  assert.deepStrictEqual(BIModel.load(new TextEncoder().encode(text)), sum, 'the model loads the same from the bytes');
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

test('model: indicator matches grouped by file and collection, exact-source filter, CSV and printable report', () => {
  const { BIModel } = load();
  const rep = JSON.parse(fullReport({ messages: 12 }));
  const coll = (name, id) => ({ id, type: 'malware', name });
  const ctx = { before: 'see ', text: 'https://bit.ly/x1', after: ' <b>now</b>' };
  const m = (bundle, c, value, source, extra) => Object.assign({ indicatorId: 'indicator--' + value, indicatorName: 'n ' + value, pattern: "[url:value = '" + value + "']",
    kind: 'url', indicated: value, bundle, collections: c ? [c] : [], record: 'message', source, field: 'body', value, how: 'exact', context: ctx,
    explanation: 'Indicator match: ' + value }, extra || {});
  const A = coll('Alpha', 'malware--a'), B = coll('Beta', 'malware--b');
  rep.indicators = {
    matches: [m('a.stix2', A, 'u1', 'mmssms.db#sms:1'), m('a.stix2', A, 'u2', 'mmssms.db#sms:2'), m('a.stix2', B, 'u3', 'mmssms.db#sms:3', { deleted: true }), m('b.txt', null, '+4477', 'contacts2.db#raw_contacts:1', { kind: 'phone-number', record: 'contact' })],
    checked: { links: 40, apps: 3, files: 6, emails: 1, phoneNumbers: 9, properties: 0, indicators: 5 },
    unsupported: [{ bundle: 'a.stix2', id: 'indicator--x', pattern: '[x AND y]', invalid: false, reason: 'AND' }, { bundle: 'b.txt', line: 4, pattern: 'zz', invalid: true, reason: 'not a number' },
      { bundle: 'a.stix2', id: 'indicator--y', pattern: '[a OR b]', invalid: false, partial: true, reason: 'process' }],
    notResolved: [{ url: 'https://bit.ly/x1', host: 'bit.ly', record: 'message', source: 'mmssms.db#sms:1', field: 'links', note: 'not resolved' }],
    bundles: [{ name: 'a.stix2', format: 'stix2', size: 10, sha256: 'f'.repeat(64), indicators: 4, used: 3, unsupported: 2, collections: [Object.assign({ indicators: 2 }, A), Object.assign({ indicators: 1 }, B)] },
      { name: 'b.txt', format: 'number-list', size: 5, sha256: 'e'.repeat(64), indicators: 2, used: 1, unsupported: 1, collections: [] }],
    note: 'An indicator match is a lead.',
  };
  const sum = BIModel.load(JSON.stringify(rep));
  assert.deepEqual(J(sum.indicators), { checked: rep.indicators.checked, bundles: rep.indicators.bundles, note: rep.indicators.note, matches: 4, deletedMatches: 1, records: 4,
    unsupported: 3, invalid: 1, partial: 1, notResolved: 1 });
  assert.equal(sum.counts.indicators.total, 4);

  // Grouped: a header per file and first collection, in the report's order.
  const g = BIModel.query({ view: 'indicators', grouped: true, limit: 100 });
  assert.equal(g.records, 4);
  assert.equal(g.count, 7);
  assert.deepEqual(J(g.rows.map((r) => (r.group ? 'G ' + r.group.bundle + ' ' + (r.group.collection ? r.group.collection.name : '-') + ' ' + r.group.count : r.r.value))),
    ['G a.stix2 Alpha 2', 'u1', 'u2', 'G a.stix2 Beta 1', 'u3', 'G b.txt - 1', '+4477']);
  const gf = BIModel.query({ view: 'indicators', grouped: true, filter: 'beta', limit: 100 });
  assert.deepEqual(J(gf.rows.map((r) => (r.group ? 'G' : r.r.value))), ['G', 'u3']);
  // Sorted: flat.
  assert.deepEqual(J(BIModel.query({ view: 'indicators', sort: 'value', desc: true, limit: 100 }).rows.map((r) => r.r.value)), ['u3', 'u2', 'u1', '+4477']);
  // Exact source: sms:1 only, not sms:10, sms:11…
  const one = BIModel.query({ view: 'messages', source: 'mmssms.db#sms:1', limit: 100 });
  assert.deepEqual(J(one.rows.map((r) => r.r.source)), ['mmssms.db#sms:1']);
  assert.ok(BIModel.query({ view: 'messages', filter: 'mmssms.db#sms:1', limit: 100 }).count > 1, 'a filter would have matched more');
  assert.equal(BIModel.query({ view: 'files', source: 'backup.zip!data/calllog.db' }).count, 1);
  assert.equal(BIModel.query({ view: 'apps', source: 'com.whatsapp' }).count, 1);
  assert.equal(BIModel.query({ view: 'iocUnsupported', limit: 10 }).count, 3);
  assert.equal(BIModel.query({ view: 'notResolved', limit: 10 }).count, 1);
  // Global search counts the matches too.
  assert.equal(BIModel.counts({ global: 'alpha' }).indicators, 2);

  // CSV: one line per match, context joined.
  const csv = BIModel.csv({ view: 'indicators' });
  const lines = csv.split('\r\n').filter(Boolean);
  assert.equal(lines.length, 5);
  assert.ok(lines[0].includes('bundle,collections,indicator,indicatorId,pattern,kind,indicated,record,source,field,value'));
  assert.ok(lines[1].includes('see https://bit.ly/x1 <b>now</b>'));
  assert.equal(BIModel.csv({ view: 'iocUnsupported' }).split('\r\n').filter(Boolean).length, 4);

  // Printable report: a section, everything escaped, the highlight a <mark>.
  const html = BIModel.reportHTML({ zone: 'UTC', now: 0 });
  assert.match(html, /<h2>Indicator matches <span class="n">\(4\)<\/span><\/h2>/);
  assert.ok(html.includes('see <mark>https://bit.ly/x1</mark> &lt;b&gt;now&lt;/b&gt;'));
  assert.match(html, /Indicators not used <span class="n">\(3\)<\/span>/);
  assert.match(html, /Shortened links, not resolved \(never looked up\)/);
  assert.ok(!/infected/i.test(html));

  // Without indicators: empty lists, no section.
  delete rep.indicators;
  const s2 = BIModel.load(JSON.stringify(rep));
  assert.equal(s2.indicators, null);
  assert.equal(BIModel.query({ view: 'indicators', grouped: true }).count, 0);
  assert.ok(!BIModel.reportHTML({ zone: 'UTC', now: 0 }).includes('Indicator matches'));
});
