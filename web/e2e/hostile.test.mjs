// Backups whose text fields hold HTML/script payloads (samples -hostile and
// a hostile report): every view, detail panel, database table and export is
// exercised; no dialog opens, no script runs, no CSP violation is logged,
// nothing touches the network, and the markup shows as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { launch, open, assertClean, gen, download, loadFiles, settle, shot, TABS, buildDir, root } from './harness.mjs';
import { fullReport } from './fixtures.mjs';

const SOURCES = ['app.js', 'vtable.js', 'common.js', 'model.js', 'worker.js', 'index.html'];

test('the page source never renders data as HTML and never navigates', () => {
  for (const f of SOURCES) {
    const src = readFileSync(join(root, 'web', 'src', f), 'utf8');
    for (const bad of [/innerHTML/, /outerHTML/, /insertAdjacentHTML/, /document\.write/, /\beval\(/, /new Function/, /\.src\s*=/, /window\.open/, /location\.(href|assign|replace)/, /srcdoc/, /<a\s[^>]*href=/i, /<img\b/i, /<link\b/i, /rel=["']?(prefetch|preconnect|dns-prefetch|preload)/i]) {
      assert.ok(!bad.test(src), `${f} must not contain ${bad}`);
    }
  }
  // The one href is a Blob URL of the tool's own export bytes.
  const app = readFileSync(join(root, 'web', 'src', 'app.js'), 'utf8');
  assert.equal((app.match(/\.href\s*=/g) || []).length, 1);
  assert.match(app, /a\.href = url;/);
});

async function pwned(page) {
  return page.evaluate(() => window.__pwned === undefined && !document.querySelector('img, iframe, object, embed, a[href]:not([href^="blob:"])'));
}

async function exercise(page, label) {
  for (const tab of TABS) {
    await page.click(`[data-testid=tab-${tab}]`);
    await page.waitForTimeout(150);
    await settle(page);
    // Open the details of the first rows.
    const rows = await page.$$('#view [data-testid=row]');
    for (const r of rows.slice(0, 4)) { await r.click(); await page.waitForTimeout(30); }
    if (tab === 'messages') {
      await page.click('[data-testid=messages-mode-table]');
      await settle(page);
      for (const r of (await page.$$('#view [data-testid=row]')).slice(0, 8)) await r.click();
      await shot(page, `hostile-${label}-messages`);
      await page.click('[data-testid=messages-mode-threads]');
      await page.waitForTimeout(200);
      for (const t of (await page.$$('[data-testid=thread]')).slice(0, 6)) { await t.click(); await page.waitForTimeout(60); }
      await shot(page, `hostile-${label}-conversation`);
    }
    if (tab === 'databases') {
      for (let i = 0; i < (await page.$$('[data-testid=db-item]')).length; i++) {
        await (await page.$$('[data-testid=db-item]'))[i].click();
        await page.waitForTimeout(150);
        const n = (await page.$$('[data-testid=db-table]')).length;
        for (let j = 0; j < n; j++) {
          const b = (await page.$$('[data-testid=db-table]'))[j];
          if (!b) break;
          await b.click();
          await page.waitForTimeout(80);
          await settle(page);
          for (const r of (await page.$$('[data-testid=db-rows] [data-testid=row]')).slice(0, 2)) await r.click();
        }
      }
      await shot(page, `hostile-${label}-databases`);
    }
    if (tab === 'files') {
      for (const d of (await page.$$('#view [data-testid=row]')).slice(0, 10)) await d.click();
    }
    assert.ok(await pwned(page), `${label} ${tab}: something from the backup ran or loaded`);
  }
  // Exports with hostile content.
  await page.click('[data-testid=tab-messages]');
  await page.click('[data-testid=messages-mode-table]');
  await settle(page);
  await download(page, '#view [data-testid=export-csv]');
  await download(page, '[data-testid=export-json]');
  const html = (await download(page, '[data-testid=export-report]')).bytes.toString('utf8');
  assert.ok(!/<script/i.test(html) && !/<img/i.test(html), 'printable report has no markup from the backup');
  assert.ok(await pwned(page));
}

test('hostile generated backups (dump zip + MIUI folder): no dialog, no script, no CSP violation', { timeout: 300_000 }, async () => {
  const dump = gen('dump-hostile.zip', ['-kind', 'dump', '-hostile']);
  const miui = gen('miui-hostile', ['-kind', 'miui', '-variant', 'folder', '-hostile']);
  const set = join(miui, readdirSync(miui)[0]);
  const h = await launch();
  try {
    await open(h.page);
    assert.equal(await loadFiles(h.page, dump), 'done');
    await exercise(h.page, 'dump');
    // The markup is on screen as text.
    await h.page.click('[data-testid=tab-messages]');
    await h.page.fill('#view [data-testid=filter]', 'onerror');
    await h.page.waitForTimeout(400);
    await settle(h.page);
    const text = await h.page.textContent('#view');
    assert.match(text, /<img src=x onerror=|<script>/, 'hostile markup shown as text');
    assert.equal(await loadFiles(h.page, set, { folder: true }), 'done');
    await exercise(h.page, 'miui');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

test('hostile report with every kind of record: no dialog, no script, no CSP violation', async () => {
  mkdirSync(buildDir, { recursive: true });
  const path = join(buildDir, 'fixture-hostile.json');
  writeFileSync(path, fullReport({ messages: 30, hostile: true }));
  const h = await launch();
  try {
    await open(h.page);
    assert.equal(await loadFiles(h.page, path), 'done');
    await h.page.click('[data-testid=reveal-toggle]');
    await exercise(h.page, 'report');
    await h.page.fill('[data-testid=global-search]', '<script>');
    await h.page.waitForFunction(() => /match/.test(document.querySelector('[data-testid=search-note]').textContent));
    await h.page.click('[data-testid=tab-contacts]');
    await settle(h.page);
    assert.match(await h.page.textContent('[data-testid=contacts-table]'), /<script>window.__pwned=2<\/script>/);
    assert.ok(await pwned(h.page));
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});
