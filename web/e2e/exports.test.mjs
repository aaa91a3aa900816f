// Exports: the JSON is byte-identical to the CLI's; the CSV reads back to
// the report's values with spreadsheet formulas neutralised; the printable
// report is self-contained, has no script, names the inputs' hashes and the
// tool version, and reads with scripts disabled and no network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { launch, open, assertClean, gen, cliJSON, root, download, loadFiles, buildDir, liveCount, shot } from './harness.mjs';
import { fullReport } from './fixtures.mjs';

const small = (n) => join(root, 'samples', 'small', n);

// parseCSV reads RFC 4180 and undoes the formula neutralisation.
function parseCSV(buf) {
  let text = buf.toString('utf8');
  assert.equal(text.charCodeAt(0), 0xfeff, 'CSV starts with a BOM (spreadsheets then read UTF-8)');
  text = text.slice(1);
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') { if (text[i + 1] === '"') { cell += '"'; i++; } else q = false; } else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  assert.equal(cell, '', 'CSV ends with CRLF');
  const head = rows.shift();
  const unneutral = (s) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
  return { head, rows: rows.map((r) => r.map(unneutral)), raw: rows };
}

for (const [label, paths] of [
  ['mmssms.db', () => [small('mmssms.db')]],
  ['generated MIUI zip and telephony.ab together', () => [gen('miui-exp.zip', ['-kind', 'miui', '-variant', 'zip']), small('telephony.ab')]],
  ['database with its -wal', () => [small('mmssms-wal.db'), small('mmssms-wal.db-wal')]],
]) {
  test(`export-json is byte-identical to inspect --json: ${label}`, async () => {
    const files = paths();
    const cli = cliJSON(files);
    const h = await launch();
    try {
      await open(h.page);
      assert.equal(await loadFiles(h.page, files), 'done');
      const got = await download(h.page, '[data-testid=export-json]');
      assert.match(got.name, /\.json$/);
      assert.ok(got.bytes.equals(cli.bytes), `page export (${got.bytes.length} bytes) differs from the CLI (${cli.bytes.length} bytes)`);
      assertClean(assert, h);
    } finally {
      await h.close();
    }
  });
}

// Files inside the inputs that are byte ranges of them (stored .bak files in
// a MIUI zip and the tar entries inside them, tar entries of an
// uncompressed .ab, nested) are hashed by the hash worker in its pass over
// the input, not by Go: the export is still the CLI's, byte for byte.
for (const [label, paths, folder] of [
  ['stored MIUI zip and uncompressed .ab', () => [gen('ranges-miui.zip', ['-kind', 'miui', '-variant', 'zip', '-size', '6MiB']),
    gen('ranges-unc.ab', ['-kind', 'ab', '-variant', 'uncompressed', '-size', '6MiB'])], false],
  ['MIUI folder', () => [gen('ranges-miui', ['-kind', 'miui', '-size', '6MiB'])], true],
]) {
  // Files up to 8 MiB are hashed one-shot by WebCrypto, bigger ones by
  // hash-wasm (hash-worker.js); the samples are small, so the second run
  // makes every file go through hash-wasm.
  for (const oneShot of [undefined, 0]) {
    test(`inner files hashed by the hash worker${oneShot === 0 ? ' (hash-wasm only)' : ''}; export-json = inspect --json: ${label}`, async () => {
      const files = paths();
      const cli = cliJSON(files);
      const h = await launch();
      try {
        await open(h.page);
        if (oneShot !== undefined) await h.page.evaluate((n) => { window.__biHashOneShot = n; }, oneShot);
        assert.equal(await loadFiles(h.page, files, { folder }), 'done');
        const stats = await h.page.evaluate(() => performance.getEntriesByName('bi-hashes').pop().detail);
        assert.ok(stats.ranges >= 5, 'ranges hashed by the hash worker: ' + JSON.stringify(stats));
        if (oneShot === 0) assert.equal(stats.oneShot, 0, 'nothing one-shot: ' + JSON.stringify(stats));
        else assert.ok(stats.oneShot > 0, 'files hashed one-shot: ' + JSON.stringify(stats));
        const got = await download(h.page, '[data-testid=export-json]');
        assert.ok(got.bytes.equals(cli.bytes), `page export (${got.bytes.length} bytes) differs from the CLI (${cli.bytes.length} bytes)`);
        assertClean(assert, h);
      } finally {
        await h.close();
      }
    });
  }
}

test('CSV round trip of messages, calls, contacts, identifiers; formulas neutralised', async () => {
  const dump = gen('dump.zip', ['-kind', 'dump']);
  const { report } = cliJSON([dump]);
  mkdirSync(buildDir, { recursive: true });
  const fixture = join(buildDir, 'fixture-csv.json');
  const ftext = fullReport({ messages: 30 });
  writeFileSync(fixture, ftext);
  const frep = JSON.parse(ftext);
  const h = await launch();
  const page = h.page;
  try {
    await open(page);
    assert.equal(await loadFiles(page, dump), 'done');
    await page.click('[data-testid=tab-messages]');
    await page.click('[data-testid=messages-mode-table]');
    await page.waitForSelector('[data-testid=messages-table] [data-testid=row]');
    const csv = parseCSV((await download(page, '#view [data-testid=export-csv]')).bytes);
    const col = (n) => csv.head.indexOf(n);
    assert.deepEqual(csv.head.slice(0, 5), ['time (UTC)', 'sent time (UTC)', 'kind', 'direction', 'address']);
    const live = report.messages.filter((m) => !m.deleted);
    assert.equal(csv.rows.length, live.length, 'one line per message');
    csv.rows.forEach((r, i) => {
      const m = live[i];
      assert.equal(r[col('time (UTC)')], m.time || '', `row ${i} time`);
      assert.equal(r[col('direction')], m.direction);
      assert.equal(r[col('address')], m.address);
      assert.equal(r[col('body')], m.body, `row ${i} body`);
      assert.equal(r[col('source')], m.source);
      assert.equal(r[col('links')], (m.links || []).map((l) => l.url).join('; '));
    });
    // A filtered, sorted view exports exactly what it shows.
    await page.fill('#view [data-testid=filter]', 'bank');
    await page.click('[data-testid=sort-address]');
    await page.waitForTimeout(400);
    const shown = Number(await page.textContent('#view [data-testid=view-count]'));
    const fcsv = parseCSV((await download(page, '#view [data-testid=export-csv]')).bytes);
    assert.equal(fcsv.rows.length, shown);
    const addrs = fcsv.rows.map((r) => r[col('address')].toLowerCase());
    assert.deepEqual(addrs, [...addrs].sort(), 'sorted by address');

    // The full model: calls, contacts, identifiers, and a formula cell.
    await page.setInputFiles('[data-testid=file-input]', fixture);
    await page.waitForFunction(() => /saved report/.test(document.querySelector('[data-testid=status]').textContent));
    await page.click('[data-testid=tab-messages]');
    await page.click('[data-testid=messages-mode-table]');
    await page.waitForSelector('[data-testid=messages-table] [data-testid=row]');
    const mcsv = parseCSV((await download(page, '#view [data-testid=export-csv]')).bytes);
    const formula = mcsv.raw.find((r) => r[mcsv.head.indexOf('body')].includes('HYPERLINK'));
    assert.ok(formula[mcsv.head.indexOf('body')].startsWith("'="), 'a cell starting with = gets a leading apostrophe');
    assert.ok(mcsv.raw.every((r) => r.every((c) => !/^[=+\-@\t\r]/.test(c))), 'no cell starts with a formula character');
    for (const [tab, arr, check] of [
      ['calls', frep.calls.filter((c) => !c.deleted), (r, c, head) => { assert.equal(r[head.indexOf('number')], c.number); assert.equal(r[head.indexOf('duration (s)')], String(c.durationSeconds)); assert.equal(r[head.indexOf('time (UTC)')], c.time); }],
      ['contacts', frep.contacts.filter((c) => !c.deleted), (r, c, head) => { assert.equal(r[head.indexOf('name')], c.name); assert.equal(r[head.indexOf('emails')], c.emails.join('; ')); }],
      ['identifiers', frep.identifiers, (r, c, head) => { assert.equal(r[head.indexOf('value')], c.value); assert.equal(r[head.indexOf('valid')], String(c.valid)); }],
    ]) {
      await page.click(`[data-testid=tab-${tab}]`);
      await page.waitForSelector(`#view [data-testid=row]`);
      const t = parseCSV((await download(page, '#view [data-testid=export-csv]')).bytes);
      assert.equal(t.rows.length, arr.length, tab + ' rows');
      t.rows.forEach((r, i) => check(r, arr[i], t.head));
    }
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

test('printable report: self-contained, no script, input hashes and version, readable without scripts', async () => {
  mkdirSync(buildDir, { recursive: true });
  const fixture = join(buildDir, 'fixture-report-html.json');
  writeFileSync(fixture, fullReport({ messages: 20, hostile: true }));
  const { report } = cliJSON([small('mmssms.db')]);
  const h = await launch();
  let html, html2;
  try {
    await open(h.page);
    assert.equal(await loadFiles(h.page, small('mmssms.db')), 'done');
    const got = await download(h.page, '[data-testid=export-report]');
    assert.match(got.name, /\.html$/);
    html = got.bytes.toString('utf8');
    await loadFiles(h.page, fixture);
    html2 = (await download(h.page, '[data-testid=export-report]')).bytes.toString('utf8');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
  for (const doc of [html, html2]) {
    assert.ok(!/<script/i.test(doc), 'no script element');
    assert.ok(!/<[a-z][^>]*\son[a-z]+\s*=/i.test(doc), 'no event handler attribute');
    assert.ok(!/<(img|link|iframe|object|embed|a)\b/i.test(doc), 'nothing that loads or links');
    assert.match(doc, /Content-Security-Policy" content="default-src 'none'/);
  }
  assert.ok(html.includes(report.inputs[0].sha256), 'input SHA-256');
  assert.ok(html.includes(report.generator.version), 'tool version');
  assert.ok(html2.includes('&lt;img src=x onerror='), 'hostile text escaped');
  // Open it with scripts disabled: it reads, and loads nothing.
  const dir = join(buildDir, 'report-html');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'report.html');
  writeFileSync(file, html2);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const bad = [];
    ctx.on('request', (r) => { if (!r.url().startsWith('file:')) bad.push(r.url()); });
    const page = await ctx.newPage();
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto('file://' + file);
    const text = await page.textContent('body');
    assert.match(text, /Backup Inspector report/);
    assert.match(text, /Message number 4/);
    assert.match(text, /<script>window.__pwned=2<\/script>/, 'markup from the backup shows as text');
    assert.equal(await page.$$eval('img, script, iframe', (e) => e.length), 0);
    await page.screenshot({ path: join(root, 'build', 'screenshots', 'printable-report.png') });
    assert.deepEqual(bad, []);
    assert.deepEqual(dialogs, []);
  } finally {
    await browser.close();
  }
});

// Files inside a compressed .ab are neither inputs nor byte ranges of them:
// Go sends their bytes to the 'ranges' hash worker as it inflates them
// (streams, 1 MiB at a time, at most 16 MiB in flight: a 40 MiB .ab makes
// the parse wait for the hash worker), and the report holds placeholders
// until their hashes are in. Streams up to 8 MiB are hashed one-shot by
// WebCrypto, longer ones by hash-wasm from their first bytes on (the
// second run: hash-wasm only; the third: one-shot up to 1 MiB, so that the
// 8 MiB files go over to hash-wasm). The export is still the CLI's, byte
// for byte.
for (const oneShot of [undefined, 0, 1 << 20]) {
  test(`files inside a compressed .ab hashed as streams by the hash worker${oneShot === undefined ? '' : ' (one-shot up to ' + oneShot + ' bytes)'}; export-json = inspect --json`, async () => {
    const files = [gen('streams.ab', ['-kind', 'ab', '-size', '40MiB'])];
    const cli = cliJSON(files);
    const h = await launch();
    try {
      await open(h.page);
      if (oneShot !== undefined) await h.page.evaluate((n) => { window.__biHashOneShot = n; }, oneShot);
      assert.equal(await loadFiles(h.page, files), 'done');
      const stats = await h.page.evaluate(() => performance.getEntriesByName('bi-hashes').pop().detail);
      assert.ok(stats.streams >= 5 && stats.streamBytes > 35 << 20, 'streams hashed by the hash worker: ' + JSON.stringify(stats));
      if (oneShot === 0) assert.equal(stats.oneShot, 0, 'nothing one-shot: ' + JSON.stringify(stats));
      else if (oneShot) assert.ok(stats.oneShot >= 1 && stats.oneShot < stats.streams, 'small streams one-shot, the 8 MiB ones not: ' + JSON.stringify(stats));
      else assert.ok(stats.oneShot >= 5, 'streams up to 8 MiB hashed one-shot: ' + JSON.stringify(stats));
      const res = await h.page.evaluate(() => performance.getEntriesByName('bi-result').pop().detail);
      assert.ok(res.streams && res.streams.buffers >= 1 && res.streams.buffers <= 17, 'stream buffers bounded: ' + JSON.stringify(res.streams));
      const got = await download(h.page, '[data-testid=export-json]');
      assert.ok(got.bytes.equals(cli.bytes), `page export (${got.bytes.length} bytes) differs from the CLI (${cli.bytes.length} bytes)`);
      const rep = JSON.parse(got.bytes.toString('utf8'));
      assert.ok(rep.files.filter((f) => f.size >= 64 << 10).every((f) => /^[0-9a-f]{64}$/.test(f.sha256)), 'every big file has its SHA-256');
      assertClean(assert, h);
    } finally {
      await h.close();
    }
  });
}

// damageStoredEntry flips a byte in the middle of the biggest stored entry
// of a zip (read through its central directory) and returns that entry's
// name: its CRC-32 no longer matches.
function damageStoredEntry(buf) {
  let eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = buf.readUInt32LE(eocd + 16);
  const n = buf.readUInt16LE(eocd + 10);
  let best = null;
  for (let i = 0; i < n; i++) {
    const method = buf.readUInt16LE(p + 10), size = buf.readUInt32LE(p + 24), nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32), local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (method === 0 && (!best || size > best.size)) best = { name, size, local };
    p += 46 + nameLen + extraLen + commentLen;
  }
  const data = best.local + 30 + buf.readUInt16LE(best.local + 26) + buf.readUInt16LE(best.local + 28);
  buf[data + (best.size >> 1)] ^= 0x5a;
  return best.name;
}

// A stored zip entry's CRC-32 is checked by the hash worker as it hashes
// the entry (Go does not read a .bak's media to its end for it); when it
// differs, the page reads the inputs again with Go checking, and the
// report — the problem naming the entry included — is the CLI's.
test('stored zip entry with a wrong CRC-32: found by the hash worker, reported as the CLI does', async () => {
  const src = gen('crc-miui.zip', ['-kind', 'miui', '-variant', 'zip', '-size', '6MiB']);
  const buf = readFileSync(src);
  const name = damageStoredEntry(buf);
  const file = join(buildDir, 'crc-damaged.zip');
  writeFileSync(file, buf);
  const cli = cliJSON([file]);
  assert.ok(cli.report.problems.some((p) => /checksum/.test(p.message) && p.path.includes(name)), 'the CLI reports the mismatch of ' + name + ': ' + JSON.stringify(cli.report.problems));
  const h = await launch();
  try {
    await open(h.page);
    // The second read says why it happens (status text, and a mark).
    await h.page.evaluate(() => {
      window.__said = [];
      new MutationObserver(() => window.__said.push(document.querySelector('[data-testid=status]').textContent))
        .observe(document.querySelector('[data-testid=status]'), { childList: true, characterData: true, subtree: true });
    });
    assert.equal(await loadFiles(h.page, [file]), 'done');
    const said = await h.page.evaluate(() => window.__said);
    assert.ok(said.some((t) => /does not match its CRC-32: reading .* again/.test(t)), 'the status says why: ' + said.join(' | '));
    assert.deepEqual(await h.page.evaluate(() => performance.getEntriesByName('bi-reread').map((e) => e.detail)), [{ reason: 'crc32' }]);
    const runs = await h.page.evaluate(() => performance.getEntriesByName('bi-result').length);
    assert.equal(runs, 2, 'a second read after the hash worker found the mismatch');
    const got = await download(h.page, '[data-testid=export-json]');
    assert.ok(got.bytes.equals(cli.bytes), `page export (${got.bytes.length} bytes) differs from the CLI (${cli.bytes.length} bytes)`);
    assertClean(assert, h);
  } finally {
    await h.close();
  }
  // Undamaged, the hash worker checked the stored entries and one read did.
  const h2 = await launch();
  try {
    await open(h2.page);
    assert.equal(await loadFiles(h2.page, [src]), 'done');
    const stats = await h2.page.evaluate(() => performance.getEntriesByName('bi-hashes').pop().detail);
    assert.ok(stats.crcChecked >= 3 && stats.crcBad === 0, 'CRC-32 checked by the hash worker: ' + JSON.stringify(stats));
    assert.equal(await h2.page.evaluate(() => performance.getEntriesByName('bi-result').length), 1);
    const got = await download(h2.page, '[data-testid=export-json]');
    assert.ok(got.bytes.equals(cliJSON([src]).bytes), 'undamaged: export = CLI');
  } finally {
    await h2.close();
  }
});
