// Indicators in the page: STIX2 bundles and a list of phone numbers written
// for these tests, matched against a crafted SMS Backup & Restore file and
// vCard (links that match and near misses: look-alike domains, subdomain
// vs suffix, trailing dots and punctuation, IDN, URL fragments) and the
// generated dump sample (apps, files, system properties, a deleted
// contact). The matches shown equal the CLI's `inspect --iocs` report, the
// exported JSON is byte-identical to it, indicator files are told from
// backups and saved reports by content, loading them later matches again
// without reading the backup, and nothing touches the network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { launch, open, assertClean, cliJSON, root, download, loadFiles, buildDir, shot, settle, viewCount } from './harness.mjs';

const small = (n) => join(root, 'samples', 'small', n);
const sha256 = (p) => createHash('sha256').update(readFileSync(p)).digest('hex');
const xmlAttr = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

// writeCase writes the inputs and indicator files of one test into
// build/e2e/ioc-NAME (the canary's port goes into a message body).
function writeCase(name, canaryPort) {
  const dir = join(buildDir, 'ioc-' + name);
  mkdirSync(dir, { recursive: true });
  const p = (f) => join(dir, f);
  const bodies = [
    ['+447700900777', 'Your parcel is held: https://track.evil-parcel.com/x?id=1 ' + HOSTILE + ' pay now'],
    ['+447700900777', 'Login at https://evil-parcel.com.attacker.net/login or notevil-parcel.com/x'],
    ['+12025550199', 'Visit evil-parcel.com.'],
    ['COURIER', '(see https://evil-parcel.com/path), thanks'],
    ['COURIER', 'Новости: http://пример.рф/login и https://exаmple.com/'], // the second "а" is Cyrillic
    ['COURIER', 'Report: https://SPY.example.net:443/a/./b?c=1#frag and https://spy.example.net/a/b?c=2'],
    ['+447700900123', 'mail AGENT@evil-parcel.org now'],
    ['COURIER', 'Short: https://bit.ly/3xyzAB and www.parcel-tracking.info, not parcel-tracking.info.evil.test nor myparcel-tracking.info'],
    ['COURIER', 'go to http://short.example.org/p.'],
    ['COURIER', 'Pixel http://127.0.0.1:' + canaryPort + '/pixel.png and //127.0.0.1:' + canaryPort + '/x'],
  ];
  const sms = bodies.map(([a, b], i) => `  <sms protocol="0" address="${xmlAttr(a)}" date="${1700000000000 + i * 3600000}" type="1" subject="null" body="${xmlAttr(b)}" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" sub_id="1" readable_date="x" contact_name="(Unknown)" />`);
  writeFileSync(p('sms-ioc.xml'), `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count="${sms.length}">\n${sms.join('\n')}\n</smses>\n`);
  writeFileSync(p('contacts-ioc.vcf'), ['BEGIN:VCARD', 'VERSION:3.0', 'N:Desk;Parcel;;;', 'FN:Parcel Desk', 'TEL;TYPE=CELL:+44 7700 900777', 'EMAIL;TYPE=WORK:Agent@Evil-Parcel.org',
    'URL:https://login.evil-parcel.com/', 'NOTE:Old site evil-parcel.co and mirror evil-parcel.com.attacker.net (not ours)', 'END:VCARD', ''].join('\r\n'));
  const vcfHash = sha256(p('contacts-ioc.vcf'));
  // The SHA-256 of a file inside the dump, from the CLI's report.
  const dumpRep = cliJSON([small('dump.zip')]).report;
  const getprop = dumpRep.files.find((f) => f.path.endsWith('/getprop.txt') || f.path.endsWith('!getprop.txt'));
  assert.ok(getprop && getprop.sha256, 'getprop.txt in the dump');
  const ind = (n, pattern, name, extra) => Object.assign({ type: 'indicator', spec_version: '2.1', id: 'indicator--00000000-0000-4000-8000-0000000001' + String(n).padStart(2, '0'),
    created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', name, pattern, pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z' }, extra || {});
  const rel = (n, src, dst) => ({ type: 'relationship', spec_version: '2.1', id: 'relationship--00000000-0000-4000-8000-0000000002' + String(n).padStart(2, '0'),
    created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', relationship_type: 'indicates', source_ref: src, target_ref: dst });
  const MAL = 'malware--00000000-0000-4000-8000-000000000001', CAMP = 'campaign--00000000-0000-4000-8000-000000000002';
  const a = [
    ind(1, "[domain-name:value = 'evil-parcel.com']", 'ParcelSpy delivery domain'),
    ind(2, "[url:value = 'https://spy.example.net/a/b?c=1']", 'ParcelSpy report URL'),
    ind(3, "[email-addr:value = 'agent@evil-parcel.org']", 'Operator address'),
    ind(4, "[app:id = 'com.whatsapp']", 'App present (test)'),
    ind(5, "[app:id = 'com.whatsapp.w4b']", 'Look-alike package (must not match)'),
    ind(6, "[file:name = 'bt_config.conf']", 'File name (test)'),
    ind(7, "[file:hashes.'SHA-256' = '" + vcfHash + "']", 'Hash of a dropped file'),
    ind(8, "[file:hashes.sha256 = '" + getprop.sha256 + "']", 'Hash of a file inside the dump'),
    ind(9, "[android-property:name = 'ro.boot.serialno']", 'System property (test)'),
    ind(10, "[domain-name:value = 'xn--e1afmkfd.xn--p1ai']", 'IDN domain written in punycode'),
    ind(11, "[domain-name:value = 'example.com']", 'Homograph target (must not match exаmple.com)'),
    ind(12, "[domain-name:value = 'a.example' AND url:value = 'http://b.example/']", 'AND is not supported'),
    ind(13, "[domain-name:value = 'broken", 'Malformed pattern'),
    ind(14, "[domain-name:value = 'never.example' OR process:name = 'spy.exe']", 'Partly usable OR'),
  ];
  const bundleA = { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-0000000000aa', objects: [
    { type: 'malware', spec_version: '2.1', id: MAL, created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', name: 'ParcelSpy ' + HOSTILE, is_family: true },
    { type: 'campaign', spec_version: '2.1', id: CAMP, created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', name: 'Operation Courier' },
    ...a,
    ...a.slice(0, 11).map((x, k) => rel(k + 1, x.id, k < 3 ? MAL : k < 9 ? CAMP : MAL)),
  ] };
  writeFileSync(p('parcelspy.stix2'), JSON.stringify(bundleA, null, 1));
  const b = [
    ind(31, "[domain-name:value = 'parcel-tracking.info']", 'Tracking look-alike'),
    ind(32, "[url:value = 'http://short.example.org/p']", 'URL written without the final dot'),
  ];
  const bundleB = { type: 'bundle', id: 'bundle--00000000-0000-4000-8000-0000000000bb', objects: [
    { type: 'report', spec_version: '2.1', id: 'report--00000000-0000-4000-8000-000000000003', created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z',
      name: 'Look-alike watchlist', published: '2024-01-01T00:00:00Z', object_refs: b.map((x) => x.id) },
    ...b,
  ] };
  writeFileSync(p('lookalikes.json'), JSON.stringify(bundleB)); // .json: recognised by content
  writeFileSync(p('numbers.txt'), '# test numbers\n+44 7700 900777   # parcel desk\n+49 1598 3008512, deleted contact in the dump\n+1 202 555 0199\nnot a number\n');
  // Decoys: JSON that is not a bundle, text that is mostly not numbers.
  writeFileSync(p('notes.json'), JSON.stringify({ type: 'note', text: 'call +447700900777' }));
  writeFileSync(p('notes.txt'), 'Meeting notes\ncall the desk at\n+447700900777\ntomorrow morning\n');
  return {
    dir, sms: p('sms-ioc.xml'), vcf: p('contacts-ioc.vcf'), dump: small('dump.zip'), a: p('parcelspy.stix2'), b: p('lookalikes.json'), nums: p('numbers.txt'),
    notesJSON: p('notes.json'), notesTXT: p('notes.txt'),
  };
}

const iocArgs = (files) => files.flatMap((f) => ['--iocs', f]);

async function waitMatched(page, gen) {
  await page.waitForFunction((g) => {
    const b = document.querySelector('[data-testid=ioc-files]');
    return b && b.dataset.state === 'matched' && Number(b.dataset.gen || 0) >= g;
  }, gen, { timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid=export-json]').disabled);
}

// tableRows scrolls a virtual table and returns {testid, cells} per row in
// order (match rows and group headers).
async function tableRows(page, testid) {
  const sel = `[data-testid=${testid}]`;
  await page.$eval(sel, (s) => { s.scrollTop = 0; });
  const rows = new Map();
  for (let guard = 0; guard < 1000; guard++) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await settle(page);
    const got = await page.$$eval(`${sel} .vt-row:not(.loading)`, (rs) => rs.map((r) => [Number(r.getAttribute('aria-rowindex')), r.dataset.testid, [...r.children].filter((c) => !c.hidden).map((c) => c.textContent)]));
    for (const [i, t, cells] of got) rows.set(i, { testid: t, cells });
    const more = await page.$eval(sel, (s) => {
      if (s.scrollTop + s.clientHeight >= s.scrollHeight - 1) return false;
      s.scrollTop += Math.max(32, s.clientHeight - 80);
      return true;
    });
    if (!more) break;
  }
  return [...rows.keys()].sort((x, y) => x - y).map((k) => rows.get(k));
}

// rowAt scrolls a virtual table to row k and returns a selector of what
// in it to click, once the table has drawn it.
async function rowAt(page, testid, k, inner) {
  const sel = `[data-testid=${testid}]`;
  await page.$eval(sel, (s, k) => { s.scrollTop = Math.max(0, k * 76 - 60); }, k);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await settle(page);
  const target = `${sel} .vt-row[aria-rowindex="${k + 2}"] ${inner}`;
  await page.waitForSelector(target);
  return target;
}

test('indicator files dropped with the backups: the matches shown and the export equal inspect --iocs', async () => {
  const h = await launch();
  const page = h.page;
  try {
    const f = writeCase('with', h.net.canary.port);
    const inputs = [f.sms, f.vcf, f.dump];
    const iocs = [f.a, f.b, f.nums];
    const cli = cliJSON(inputs, iocArgs(iocs));
    const ind = cli.report.indicators;
    // What the CLI found is what these files were written to show.
    const values = ind.matches.map((m) => m.value);
    const has = (pred, what) => assert.ok(ind.matches.some(pred), 'expected a match: ' + what);
    has((m) => m.value.includes('track.evil-parcel.com') && m.how === 'subdomain', 'subdomain of the listed domain');
    has((m) => m.kind === 'domain-name' && m.value === 'evil-parcel.com' && m.context && m.context.text.startsWith('evil-parcel.com'), 'domain with a trailing dot');
    has((m) => m.display === 'пример.рф', 'IDN host shown in Unicode');
    has((m) => m.kind === 'url' && m.how === 'without-fragment', 'URL with its fragment set aside');
    has((m) => m.kind === 'url' && m.value === 'http://short.example.org/p', 'URL followed by a full stop');
    has((m) => m.kind === 'email-addr', 'e-mail address');
    has((m) => m.kind === 'app' && m.value === 'com.whatsapp', 'app present');
    has((m) => m.kind === 'file-name', 'file name');
    has((m) => m.kind === 'file-sha256' && m.record === 'file' && m.source === 'contacts-ioc.vcf', 'hash of a dropped (top-level) file');
    has((m) => m.kind === 'file-sha256' && m.source.includes('getprop.txt'), 'hash of a file inside the dump');
    has((m) => m.kind === 'android-property', 'system property');
    has((m) => m.kind === 'phone-number' && m.deleted, 'number of a deleted contact');
    has((m) => m.kind === 'domain-name' && m.value.includes('parcel-tracking.info') && m.bundle === 'lookalikes.json', 'domain from the .json bundle');
    for (const [bad, pred] of [
      ['look-alike with a longer domain', (v) => v.includes('attacker.net')],
      ['suffix without a label boundary', (v) => v.includes('notevil-parcel')],
      ['homograph (Cyrillic а)', (v) => v.includes('xn--exmple')],
      ['other top-level domain', (v) => v === 'evil-parcel.co'],
      ['longer package name', (v) => v.includes('w4b')],
      ['listed domain inside a longer host', (v) => v.includes('info.evil.test')],
      ['listed domain as a suffix of a label', (v) => v.includes('myparcel')],
      ['other query', (v) => v.includes('c=2')],
    ]) assert.ok(!values.some(pred), 'near miss matched: ' + bad);
    assert.ok(ind.notResolved.some((u) => u.host === 'bit.ly'), 'shortened link listed');
    const statuses = new Set(ind.unsupported.map((u) => (u.invalid ? 'invalid' : u.partial ? 'partial' : 'unsupported')));
    assert.deepEqual([...statuses].sort(), ['invalid', 'partial', 'unsupported']);

    await open(page);
    // Backups and indicator files in one pick, in the CLI's input order.
    await page.setInputFiles('[data-testid=file-input]', [f.sms, f.a, f.vcf, f.b, f.dump, f.nums]);
    await page.waitForFunction(() => document.querySelector('[data-testid=status]').dataset.state === 'done', null, { timeout: 120_000 });
    await waitMatched(page, 1);
    assert.deepEqual(await page.$$eval('[data-testid=ioc-file] .ioc-name', (e) => e.map((x) => x.textContent)), ['parcelspy.stix2', 'lookalikes.json', 'numbers.txt']);
    assert.deepEqual(await page.$$eval('[data-testid=inputs] tbody td:first-child', (e) => e.map((x) => x.textContent)), cli.report.inputs.map((i) => i.name));
    await shot(page, 'ioc-overview');
    // Overview counts.
    const sum = await page.textContent('[data-testid=indicators-summary]');
    for (const [tid, n] of [['ioc-sum-matches', ind.matches.length], ['ioc-sum-links', ind.checked.links], ['ioc-sum-apps', ind.checked.apps], ['ioc-sum-files', ind.checked.files]]) {
      assert.equal((await page.textContent(`[data-testid=${tid}] .card-n`)).replace(/\u2009/g, ''), String(n), tid);
    }
    assert.match(sum, /lead for review, not proof/);
    await page.$eval('[data-testid=indicators-summary]', (e) => e.scrollIntoView({ block: 'center' }));
    await shot(page, 'ioc-overview-summary');
    // Export: the CLI's bytes with --iocs.
    const got = await download(page, '[data-testid=export-json]');
    assert.ok(got.bytes.equals(cli.bytes), `page export (${got.bytes.length} bytes) differs from inspect --iocs (${cli.bytes.length} bytes)`);

    // The Indicators tab: note, bundles, matches grouped by bundle and collection.
    assert.equal((await page.textContent('[data-testid=tab-indicators] [data-testid=tab-count]')).trim(), String(ind.matches.length));
    assert.equal(await viewCount(page, 'indicators'), ind.matches.length);
    await settle(page);
    assert.equal(await page.textContent('[data-testid=ioc-note]'), ind.note);
    assert.equal(await page.$$eval('[data-testid=ioc-bundle]', (e) => e.length), ind.bundles.length);
    const collections = await page.$$eval('[data-testid=ioc-collection]', (e) => e.map((x) => x.textContent));
    assert.ok(collections.some((c) => c.includes('Operation Courier')) && collections.some((c) => c.includes('Look-alike watchlist')), 'collections listed');
    await page.$eval('[data-testid=ioc-matches-table]', (t) => t.scrollIntoView({ block: 'end' }));
    await shot(page, 'ioc-matches');
    const rows = await tableRows(page, 'ioc-matches-table');
    const matchRows = rows.filter((r) => r.testid === 'row');
    const groups = rows.filter((r) => r.testid === 'ioc-group');
    assert.equal(matchRows.length, ind.matches.length, 'one row per match');
    ind.matches.forEach((m, i) => {
      const [indicator, found, record] = matchRows[i].cells;
      assert.ok(indicator.includes(m.indicatorName || m.indicatorId) && indicator.includes(m.pattern), `row ${i}: indicator`);
      assert.ok(found.includes(m.value) && found.includes(m.explanation), `row ${i}: value and explanation`);
      if (m.context) assert.ok(found.includes(m.context.before + m.context.text + m.context.after), `row ${i}: context`);
      if (m.display) assert.ok(found.includes('shown as ' + m.display), `row ${i}: IDN display`);
      assert.equal(found.includes('deleted record'), !!m.deleted, `row ${i}: deleted badge`);
      assert.ok(record.startsWith(m.record + ' · ' + m.field), `row ${i}: record`);
    });
    // Group headers: bundle ▸ collection, in the report's order.
    const wantGroups = [];
    for (const m of ind.matches) {
      const c = (m.collections || [])[0];
      const key = m.bundle + ' ▸ ' + (c ? (c.name || c.id) + ' (' + c.type + ')' : 'no collection named');
      if (wantGroups[wantGroups.length - 1] !== key) wantGroups.push(key);
    }
    assert.deepEqual(groups.map((g) => g.cells[0].replace(/\d+ match\(es\)$/, '').trim()), wantGroups);
    // Highlighted text only; the hostile collection name stays text.
    assert.ok(await page.$$eval('[data-testid=ioc-hit]', (e) => e.length) > 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.$$eval('#view img, #view script', (e) => e.length), 0);
    assert.doesNotMatch(await page.evaluate(() => document.body.innerText), /infected/i);

    // The detail of the IDN match.
    const idn = ind.matches.findIndex((m) => m.display === 'пример.рф');
    await page.click(await rowAt(page, 'ioc-matches-table', rows.findIndex((r) => r.testid === 'row' && r.cells[1].includes('shown as пример.рф')), '.c-value'));
    assert.equal(await page.textContent('[data-testid=detail-explanation]'), ind.matches[idn].explanation);
    await shot(page, 'ioc-match-detail');

    // Indicators not used, with their status; shortened links.
    await page.click('[data-testid=part-unsupported]');
    await page.waitForSelector('[data-testid=ioc-unsupported-table][data-loaded=true]');
    assert.equal(Number(await page.textContent('#view [data-testid=view-count]')), ind.unsupported.length);
    const st = await page.$$eval('[data-testid=ioc-status]', (e) => e.map((x) => x.textContent));
    assert.deepEqual([...new Set(st)].sort(), ['invalid', 'partial', 'unsupported']);
    await page.$eval('[data-testid=ioc-unsupported-table]', (t) => t.scrollIntoView({ block: 'end' }));
    await shot(page, 'ioc-unsupported');
    await page.click('[data-testid=part-notresolved]');
    await page.waitForSelector('[data-testid=ioc-notresolved-table][data-loaded=true]');
    assert.equal(Number(await page.textContent('#view [data-testid=view-count]')), ind.notResolved.length);
    assert.match(await page.textContent('[data-testid=ioc-notresolved-table]'), /bit\.ly\/3xyzAB.*not resolved \(never looked up\)/);
    await page.$eval('[data-testid=ioc-notresolved-table]', (t) => t.scrollIntoView({ block: 'end' }));
    await shot(page, 'ioc-notresolved');

    // A match opens its record: the message, alone, in the messages table.
    await page.click('[data-testid=part-matches]');
    await page.waitForSelector('[data-testid=ioc-matches-table][data-loaded=true]');
    const target = ind.matches.find((m) => m.record === 'message' && m.value.includes('track.evil-parcel.com'));
    const k = rows.findIndex((r) => r.testid === 'row' && r.cells[1].includes(target.value) && r.cells[2].includes(target.source.split('#').pop()));
    await page.click(await rowAt(page, 'ioc-matches-table', k, '[data-testid=ioc-open]'));
    await page.waitForSelector('[data-testid=source-chip]');
    assert.equal(await page.getAttribute('[data-testid=tab-messages]', 'aria-selected'), 'true');
    await page.waitForSelector('[data-testid=messages-table][data-loaded=true]');
    assert.equal(Number(await page.textContent('#view [data-testid=view-count]')), 1);
    await page.waitForSelector('[data-testid=detail-body]');
    assert.match(await page.textContent('[data-testid=detail-body]'), /track\.evil-parcel\.com/);
    await shot(page, 'ioc-open-record');
    // The printable report lists the matches, escaped.
    const html = (await download(page, '[data-testid=export-report]')).bytes.toString('utf8');
    assert.match(html, /Indicator matches <span class="n">\(\d+\)<\/span>/);
    assert.ok(!html.includes('<script>window.__pwned'), 'hostile text escaped in the printable report');
    // Dark theme of the tab.
    await page.click('[data-testid=theme-toggle]');
    await page.click('[data-testid=theme-toggle]');
    await page.click('[data-testid=tab-indicators]');
    await page.waitForSelector('[data-testid=ioc-matches-table][data-loaded=true]');
    await page.$eval('[data-testid=ioc-note]', (t) => t.scrollIntoView());
    await shot(page, 'ioc-matches-dark');
    await page.setViewportSize({ width: 640, height: 900 });
    await settle(page);
    await shot(page, 'ioc-matches-narrow');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

test('indicator files loaded after the report: matched again without reading the backup; removing them restores the report', async () => {
  const h = await launch();
  const page = h.page;
  try {
    const f = writeCase('after', h.net.canary.port);
    const inputs = [f.sms, f.vcf];
    await open(page);
    // Indicator files before any backup wait for one.
    await page.setInputFiles('[data-testid=file-input]', [f.nums]);
    await page.waitForFunction(() => /Indicator files ready/.test(document.querySelector('[data-testid=status]').textContent));
    assert.equal(await page.isVisible('[data-testid=ioc-files]'), true);
    await page.click('[data-testid=ioc-remove]');
    assert.equal(await page.isVisible('[data-testid=ioc-files]'), false);

    assert.equal(await loadFiles(page, inputs), 'done');
    assert.ok((await download(page, '[data-testid=export-json]')).bytes.equals(cliJSON(inputs).bytes), 'no indicators: the plain report');
    await page.click('[data-testid=tab-indicators]');
    await page.waitForSelector('[data-testid=ioc-none]');
    await shot(page, 'ioc-none');

    // Now the indicator files, with the indicator picker.
    await page.setInputFiles('[data-testid=ioc-input]', [f.a, f.b, f.nums]);
    await waitMatched(page, 1);
    assert.equal(await page.evaluate(() => performance.getEntriesByName('bi-result').length), 1, 'the backup was not read again');
    const all = cliJSON(inputs, iocArgs([f.a, f.b, f.nums]));
    assert.ok((await download(page, '[data-testid=export-json]')).bytes.equals(all.bytes), 'export after matching = inspect --iocs A --iocs B --iocs N');
    await page.waitForSelector('[data-testid=ioc-matches-table][data-loaded=true]');
    assert.equal(Number(await page.textContent('#view [data-testid=view-count]')), all.report.indicators.matches.length);
    await shot(page, 'ioc-after');

    // The same file again, dragged and dropped (found by content), replaces itself.
    const dt = await page.evaluateHandle((fl) => {
      const d = new DataTransfer();
      d.items.add(new File([fl.text], fl.name));
      return d;
    }, { text: readFileSync(f.nums, 'utf8'), name: 'numbers.txt' });
    await page.dispatchEvent('[data-testid=drop-zone]', 'dragover', { dataTransfer: dt });
    await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer: dt });
    await waitMatched(page, 2);
    assert.equal(await page.$$eval('[data-testid=ioc-file]', (e) => e.length), 3);
    assert.ok((await download(page, '[data-testid=export-json]')).bytes.equals(all.bytes));

    // Removing the number list: the report of the two bundles.
    await page.click('[data-testid=ioc-file][data-kind=number-list] [data-testid=ioc-remove]');
    await waitMatched(page, 3);
    assert.ok((await download(page, '[data-testid=export-json]')).bytes.equals(cliJSON(inputs, iocArgs([f.a, f.b])).bytes), 'export = inspect --iocs A --iocs B');
    // Removing them all: the report without indicators.
    await page.click('[data-testid=ioc-remove]');
    await waitMatched(page, 4);
    await page.click('[data-testid=ioc-remove]');
    await waitMatched(page, 5);
    assert.ok((await download(page, '[data-testid=export-json]')).bytes.equals(cliJSON(inputs).bytes), 'no indicator files left: the plain report');
    await page.click('[data-testid=tab-indicators]');
    await page.waitForSelector('[data-testid=ioc-none]');
    assert.equal(await page.evaluate(() => performance.getEntriesByName('bi-result').length), 1, 'the backup was never read again');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

test('saved reports, backups and look-alike files are never taken for indicator files', async () => {
  const h = await launch();
  const page = h.page;
  try {
    const f = writeCase('sort', h.net.canary.port);
    await open(page);
    // A saved report and a bundle dropped together: the report opens, the
    // bundle is matched with it, and the export is what the CLI writes for
    // the same backup with --iocs.
    const saved = join(f.dir, 'saved-report.json');
    writeFileSync(saved, cliJSON([f.sms]).bytes);
    await page.setInputFiles('[data-testid=file-input]', [saved, f.a]);
    await page.waitForFunction(() => document.querySelector('[data-testid=status]').dataset.state === 'done', null, { timeout: 60_000 });
    await waitMatched(page, 1);
    assert.match(await page.textContent('[data-testid=status]'), /Opened a saved report/);
    assert.deepEqual(await page.$$eval('[data-testid=ioc-file] .ioc-name', (e) => e.map((x) => x.textContent)), ['parcelspy.stix2']);
    assert.ok((await download(page, '[data-testid=export-json]')).bytes.equals(cliJSON([f.sms], iocArgs([f.a])).bytes), 'saved report + bundle = inspect --iocs on the backup');
    await page.click('[data-testid=ioc-remove]');
    await waitMatched(page, 2);
    assert.ok((await download(page, '[data-testid=export-json]')).bytes.equals(readFileSync(saved)), 'without indicator files: the saved bytes');

    // JSON that is not a bundle, text that is mostly not numbers, a vCard,
    // XML and a zip: all read as inputs, none as indicators.
    const inputs = [f.sms, f.notesJSON, f.notesTXT, f.vcf, f.dump];
    await page.setInputFiles('[data-testid=file-input]', inputs);
    await page.waitForFunction(() => performance.getEntriesByName('bi-result').length === 2 && document.querySelector('[data-testid=status]').dataset.state === 'done', null, { timeout: 120_000 });
    assert.equal(await page.isVisible('[data-testid=ioc-files]'), false);
    assert.equal(await page.$$eval('[data-testid=inputs] tbody tr', (e) => e.length), inputs.length);
    assert.ok((await download(page, '[data-testid=export-json]')).bytes.equals(cliJSON(inputs).bytes), 'same report as the CLI on the five inputs');

    // Forced with the indicator picker, a vCard is refused with the reason,
    // and nothing else changes.
    await page.setInputFiles('[data-testid=ioc-input]', [f.vcf]);
    await page.waitForSelector('[data-testid=ioc-error]');
    assert.match(await page.textContent('[data-testid=ioc-error]'), /neither a STIX2 bundle nor a list of phone numbers/);
    await waitMatched(page, 3);
    assert.ok((await download(page, '[data-testid=export-json]')).bytes.equals(cliJSON(inputs).bytes), 'an unusable indicator file adds nothing');
    await shot(page, 'ioc-refused');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});
