// Zero network, no injection, evidence untouched — with payloads aimed at
// the harness's canary server on 127.0.0.1, so that anything that escaped
// the route guard would still be counted. Inputs are written here (vCard
// with remote PHOTO/LOGO URIs, SMS Backup & Restore with MMS parts and
// SMIL referencing remote content, call logs, a tar whose entry names are
// markup, an Android backup whose telephony JSON carries payloads) plus the
// generator's -hostile dump. Every tab, row, detail, toggle, search and
// export is used, then the bundled sample; then the printable report is
// opened as a page of its own. Expected: 0 requests, 0 WebSockets, 0 canary
// connections, no dialog, window.__pwned never set, no CSP violation, no
// event-handler or remote-URL attribute anywhere in the DOM, CSV cells
// neutralised, inputs byte-identical afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, statSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { deflateSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { launch, open, assertClean, gen, download, loadFiles, settle, shot } from './harness.mjs';

// payloads returns hostile strings aimed at the canary on port.
function payloads(port) {
  const u = (p) => `http://127.0.0.1:${port}/${p}`;
  return [
    `<img src=${u('img')} onerror="window.__pwned=1">`,
    `<script>window.__pwned=2</script>`,
    `"><svg onload="window.__pwned=3">`,
    `<iframe src="${u('frame')}"></iframe>`,
    `<link rel=preconnect href="${u('preconnect')}"><link rel=prefetch href="${u('prefetch')}">`,
    `<meta http-equiv="refresh" content="0;url=${u('refresh')}">`,
    `<a href="javascript:window.__pwned=4">click</a>`,
    `<style>body{background:url(${u('css')})}</style>`,
    `<object data="${u('object')}"></object><embed src="${u('embed')}">`,
    `=HYPERLINK("${u('csv')}","x")`,
    `+cmd|' /C calc'!A0`,
    `-2+3+cmd|' /C calc'!A0`,
    `@SUM(1+1)*cmd|' /C calc'!A0`,
    `{{constructor.constructor('window.__pwned=5')()}}`,
    '${window.__pwned=6}',
    `<base href="${u('base')}/">`,
    `<form action="${u('form')}"><button formaction="${u('formaction')}">x</button></form>`,
    `<video src="${u('video')}" poster="${u('poster')}"></video>`,
    `<img srcset="${u('srcset')} 1x">`,
    `<svg><image href="${u('svgimage')}"/></svg>`,
    `${u('plainlink')} and https://tracker.example.invalid/pixel.gif`,
    '\u202Egnp.exe',
  ];
}

const xmlAttr = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function vcard(port, P) {
  const u = (p) => `http://127.0.0.1:${port}/${p}`;
  const cards = P.map((p, i) => [
    'BEGIN:VCARD', 'VERSION:3.0',
    `FN:Contact ${i} ${p}`, `N:${p};Contact ${i};;;`, `NOTE:${p}`, `ORG:${p}`, `TITLE:${p}`,
    `EMAIL;TYPE=INTERNET:x${i}@example.com`, `URL:${i % 2 ? 'javascript:window.__pwned=7' : u('url')}`,
    `TEL;TYPE=CELL:+1555010${String(i).padStart(4, '0')}`,
    `PHOTO;VALUE=uri:${u('photo' + i + '.jpg')}`,
    'END:VCARD'].join('\r\n'));
  cards.push(['BEGIN:VCARD', 'VERSION:4.0', 'FN:Four', `PHOTO:${u('photo4.jpg')}`, `LOGO;VALUE=uri:${u('logo.png')}`,
    `SOUND;VALUE=uri:${u('sound.ogg')}`, `KEY;VALUE=uri:${u('key')}`, `X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;${P[0]}`, 'END:VCARD'].join('\r\n'));
  cards.push(['BEGIN:VCARD', 'VERSION:2.1', 'FN:TwoOne', `PHOTO;VALUE=URL;TYPE=JPEG:${u('photo21.jpg')}`, 'END:VCARD'].join('\r\n'));
  return cards.join('\r\n') + '\r\n';
}

function smsXML(port, P) {
  const u = (p) => `http://127.0.0.1:${port}/${p}`;
  const t0 = 1700000000000;
  const rows = [];
  P.forEach((p, i) => {
    rows.push(`<sms protocol="0" address="${xmlAttr(i % 3 ? '+1555010' + String(i).padStart(4, '0') : p)}" date="${t0 + i * 60000}" type="${1 + (i % 2)}" subject="${xmlAttr(p)}" body="${xmlAttr(p)}" read="1" status="-1" locked="0" date_sent="0" readable_date="x" contact_name="${xmlAttr(p)}" />`);
  });
  const smil = `<smil><head><layout><region id="Image"/></layout></head><body><par dur="5000ms"><img src="${u('smil.jpg')}" region="Image"/><text src="text_0.txt"/></par></body></smil>`;
  P.slice(0, 8).forEach((p, i) => {
    rows.push(`<mms date="${t0 + 3600000 + i * 60000}" rr="129" sub="${xmlAttr(p)}" ct_t="application/vnd.wap.multipart.related" read_status="null" msg_box="1" address="+15550100~${xmlAttr(p)}" m_type="132" text_only="0" read="1" contact_name="${xmlAttr(p)}">` +
      `<parts>` +
      `<part seq="-1" ct="application/smil" name="null" chset="null" cd="null" fn="null" cid="&lt;smil&gt;" cl="smil.xml" ctt_s="null" ctt_t="null" text="${xmlAttr(smil)}" />` +
      `<part seq="0" ct="text/plain" name="${xmlAttr(p)}" chset="106" cd="null" fn="null" cid="&lt;text_0&gt;" cl="text_0.txt" ctt_s="null" ctt_t="null" text="${xmlAttr(p)}" />` +
      `<part seq="1" ct="image/jpeg" name="${xmlAttr(p)}.jpg" chset="null" cd="null" fn="null" cid="&lt;${xmlAttr(u('cid'))}&gt;" cl="${xmlAttr(u('part' + i + '.jpg'))}" ctt_s="null" ctt_t="null" text="null" data="/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==" />` +
      `<part seq="2" ct="text/html" name="null" chset="106" cd="null" fn="null" cid="null" cl="page.html" ctt_s="null" ctt_t="null" text="${xmlAttr(`<html><body><img src="${u('mmshtml')}"><script>window.__pwned=8</script></body></html>`)}" />` +
      `</parts><addrs><addr address="+15550100" type="137" charset="106" /><addr address="${xmlAttr(p)}" type="151" charset="106" /></addrs></mms>`);
  });
  return `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count="${rows.length}" backup_set="x" backup_date="${t0}" type="full">\n${rows.join('\n')}\n</smses>\n`;
}

function callsXML(P) {
  const rows = P.map((p, i) => `<call number="${xmlAttr(i % 2 ? p : '+15550100')}" duration="${i}" date="${1700000000000 + i * 1000}" type="${1 + (i % 3)}" presentation="1" subscription_id="1" post_dial_digits="" subscription_component_name="x" readable_date="x" contact_name="${xmlAttr(p)}" />`);
  return `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count="${rows.length}">\n${rows.join('\n')}\n</calls>\n`;
}

// tar builds a ustar archive (names up to 100 bytes).
function tar(entries) {
  const blocks = [];
  for (const { name, data } of entries) {
    const h = Buffer.alloc(512);
    const nb = Buffer.from(name, 'utf8').subarray(0, 100);
    nb.copy(h, 0);
    h.write('0000644\0', 100); h.write('0000000\0', 108); h.write('0000000\0', 116);
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write((1700000000).toString(8).padStart(11, '0') + '\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\x0000', 257);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

function androidBackup(P) {
  const sms = P.map((p, i) => ({ address: i % 2 ? p : '+15550100', body: p, date: String(1700000000000 + i * 1000), type: String(1 + (i % 2)), read: '1', status: '-1', subject: p }));
  const json = deflateSync(Buffer.from(JSON.stringify(sms), 'utf8'));
  const body = tar([
    { name: 'apps/com.android.providers.telephony/_manifest', data: Buffer.from('1\ncom.android.providers.telephony\n1\n33\n\n1\n0\n') },
    { name: 'apps/com.android.providers.telephony/d_f/000000_sms_backup', data: json },
  ]);
  return Buffer.concat([Buffer.from('ANDROID BACKUP\n5\n0\nnone\n'), body]);
}

function sha(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function treeHashes(paths) {
  const out = {};
  const walk = (p) => {
    const st = statSync(p);
    if (st.isDirectory()) { for (const e of readdirSync(p)) walk(join(p, e)); return; }
    out[p] = `${st.size} ${st.mtimeMs} ${sha(p)}`;
  };
  for (const p of paths) walk(p);
  return out;
}

// domClean checks the rendered DOM: no event-handler attribute, no element
// that loads or navigates, no URL attribute that is not the page's own
// blob:/data: (or an in-page #anchor).
async function domClean(page) {
  return page.evaluate(() => {
    const bad = [];
    const urlAttrs = ['src', 'href', 'action', 'formaction', 'data', 'poster', 'srcset', 'background', 'xlink:href', 'ping', 'codebase'];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        const v = a.value.trim();
        if (n.startsWith('on')) bad.push(`${el.tagName} ${n}`);
        if (urlAttrs.includes(n) && !/^(blob:|data:|#|$)/i.test(v)) bad.push(`${el.tagName} ${n}=${v.slice(0, 80)}`);
      }
      const t = el.tagName.toLowerCase();
      if (['iframe', 'frame', 'object', 'embed', 'video', 'audio', 'base', 'image', 'portal'].includes(t)) bad.push(t);
      if (t === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') || '')) bad.push('meta refresh');
      if (t === 'link') bad.push('link ' + (el.getAttribute('rel') || ''));
      if (t === 'script' && el.closest('#view, main, [data-testid]')) bad.push('script in content');
    }
    if (window.__pwned !== undefined) bad.push('window.__pwned=' + window.__pwned);
    return bad;
  });
}

// parseCSV reads RFC 4180 text.
function parseCSV(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) { if (c === '\r') i++; row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

// clickEach clicks the first n elements matching sel (from index from),
// querying again before each click: views re-render under the clicks.
async function clickEach(page, sel, n, wait, from = 0) {
  for (let i = from; i < from + n; i++) {
    const els = await page.$$(sel);
    if (i >= els.length) break;
    try {
      await els[i].click({ timeout: 5000 });
    } catch (e) {
      if (!/not attached|detached|not visible|outside of the viewport/.test(e.message)) throw e;
    }
    await page.waitForTimeout(wait);
  }
}

async function useEverything(page, label, checks) {
  const step = async (what) => {
    const bad = await domClean(page);
    assert.deepEqual(bad, [], `${label}: after ${what}`);
  };
  await step('load');
  const tabs = await page.$$eval('[data-testid^=tab-]', (ts) => ts.map((t) => t.dataset.testid).filter((id) => id !== 'tab-count'));
  assert.ok(tabs.length >= 5, 'tabs: ' + tabs);
  for (const tab of tabs) {
    await page.click(`[data-testid=${tab}]`);
    await page.waitForTimeout(150);
    await settle(page);
    // every mode button of the view (table / threads…), rows, threads,
    // databases and their tables
    await clickEach(page, '#view [data-testid$=-mode-table], #view [data-testid$=-mode-threads]', 4, 120);
    await settle(page);
    await clickEach(page, '#view [data-testid=row]', 6, 20);
    await clickEach(page, '#view [data-testid=thread]', 4, 40);
    const dbs = (await page.$$('#view [data-testid=db-item]')).length;
    for (let i = 0; i < Math.min(dbs, 3); i++) {
      await clickEach(page, '#view [data-testid=db-item]', 1, 100, i);
      await clickEach(page, '#view [data-testid=db-table]', 4, 80);
      await settle(page);
      await clickEach(page, '#view [data-testid=db-wal-toggle]', 1, 60);
    }
    const csv = await page.$('#view [data-testid=export-csv]');
    if (csv) checks.csv.push((await download(page, '#view [data-testid=export-csv]')).bytes.toString('utf8'));
    await step(tab);
  }
  for (const t of ['reveal-toggle', 'theme-toggle']) {
    if (await page.$(`[data-testid=${t}]`)) { await page.click(`[data-testid=${t}]`); await page.waitForTimeout(100); await step(t); }
  }
  if (await page.$('[data-testid=global-search]')) {
    for (const q of ['<script>', 'onerror', '127.0.0.1', '=HYPERLINK']) {
      await page.fill('[data-testid=global-search]', q);
      await page.waitForTimeout(300);
      await step('search ' + q);
    }
    await page.fill('[data-testid=global-search]', '');
  }
  checks.json = (await download(page, '[data-testid=export-json]')).bytes;
  checks.html = (await download(page, '[data-testid=export-report]')).bytes.toString('utf8');
  await step('exports');
}

test('hostile inputs aimed at a canary: zero network, no script, no markup, inputs untouched', { timeout: 600_000 }, async () => {
  const h = await launch();
  const dir = mkdtempSync(join(tmpdir(), 'bi-net-'));
  try {
    const port = h.net.canary.port;
    const P = payloads(port);
    const files = {
      'contacts.vcf': vcard(port, P),
      'sms-20240101000000.xml': smsXML(port, P),
      'calls-20240101000000.xml': callsXML(P),
    };
    for (const [n, d] of Object.entries(files)) writeFileSync(join(dir, n), d);
    // Entry names are markup too (kept under 100 bytes for ustar).
    writeFileSync(join(dir, 'names.tar'), tar([
      ...P.filter((p) => Buffer.byteLength(p) < 90).map((p, i) => ({ name: `n${i}/${p}.vcf`, data: Buffer.from(vcard(port, [p])) })),
      { name: `<img src=x onerror="window.__pwned=9">.xml`, data: Buffer.from(smsXML(port, P.slice(0, 3))) },
    ]));
    writeFileSync(join(dir, 'telephony.ab'), androidBackup(P));
    const dump = gen('dump-hostile.zip', ['-kind', 'dump', '-hostile']);
    const inputs = [...Object.keys(files), 'names.tar', 'telephony.ab'].map((n) => join(dir, n));
    const before = treeHashes([...inputs, dump]);

    await open(h.page);
    // The policy comes before anything but the charset and allows no network.
    const csp = await h.page.evaluate(() => {
      for (const m of document.head.children) {
        if (m.getAttribute('http-equiv') === 'Content-Security-Policy') return m.getAttribute('content');
        if (!(m.tagName === 'META' && m.hasAttribute('charset'))) return null;
      }
      return null;
    });
    assert.ok(csp, 'CSP meta first in head (after the charset)');
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /connect-src|https?:|\*|'unsafe-eval'/, 'CSP opens nothing: ' + csp);
    assert.match(csp, /form-action 'none'/);
    assert.match(csp, /base-uri 'none'/);

    assert.equal(await loadFiles(h.page, [...inputs, dump]), 'done');
    const checks = { csv: [] };
    await useEverything(h.page, 'hostile inputs', checks);
    await shot(h.page, 'network-hostile');

    // The markup is on screen, as text.
    await h.page.fill('[data-testid=global-search]', '');
    await h.page.click('[data-testid=tab-messages]');
    await clickEach(h.page, '#view [data-testid$=-mode-table]', 1, 150);
    await h.page.fill('#view [data-testid=filter]', 'window.__pwned=2');
    await h.page.waitForTimeout(500);
    await settle(h.page);
    const text = await h.page.textContent('#view');
    assert.ok(text.includes('<script>window.__pwned=2</script>'), 'payload shown as text: ' + text.slice(0, 300));
    assert.deepEqual(await domClean(h.page), [], 'filtered to the payload');

    // CSV: no cell a spreadsheet would run.
    assert.ok(checks.csv.length > 0, 'some view exports CSV');
    for (const c of checks.csv) {
      for (const row of parseCSV(c)) {
        for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, 'formula cell in CSV: ' + cell.slice(0, 60));
      }
    }
    assert.ok(checks.csv.some((c) => c.includes("'=HYPERLINK(")), 'the formula payload is exported, neutralised');
    // JSON export: the payloads as data.
    const rep = JSON.parse(checks.json.toString('utf8'));
    assert.ok(JSON.stringify(rep.messages).includes('<script>window.__pwned=2</script>'), 'JSON keeps the evidence verbatim');
    // Printable report: escaped; its own policy forbids everything.
    const m = checks.html.match(/.{0,80}(<script|<img|<iframe|<svg|<object|<embed|<link|<base|<form|<video|<a\s).{0,80}/is);
    assert.equal(m, null, 'markup in the printable report: ' + (m && m[0]));
    assert.match(checks.html, /&lt;script&gt;window\.__pwned=2&lt;\/script&gt;|&lt;script>window\.__pwned=2&lt;\/script>/);
    assert.match(checks.html, /Content-Security-Policy" content="default-src 'none'/);

    // The bundled sample after all that: still nothing.
    await h.page.click('[data-testid=sample-button]');
    assert.ok(['done', 'error'].includes(await h.page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('[data-testid=status]').dataset.state)).then(() => h.page.getAttribute('[data-testid=status]', 'data-state'))));
    assert.deepEqual(await domClean(h.page), [], 'after the sample');

    // The printable report opened as a page of its own (file://).
    const reportPath = join(dir, 'report.html');
    writeFileSync(reportPath, checks.html);
    const rp = await h.ctx.newPage();
    await rp.goto(pathToFileURL(reportPath).href);
    await rp.waitForTimeout(500);
    assert.equal(await rp.evaluate(() => window.__pwned), undefined, 'script ran in the printable report');
    assert.equal(await rp.evaluate(() => document.querySelectorAll('script, img, iframe, object, embed, link, base, form, a').length), 0);
    assert.deepEqual(await domClean(rp), [], 'printable report DOM');
    await rp.close();

    // Evidence: every input byte-identical, same size and mtime.
    assert.deepEqual(treeHashes([...inputs, dump]), before, 'inputs changed');
    assertClean(assert, h);
    assert.equal(h.net.canary.connections, 0);
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
