// The password flow on encrypted Android backups: none asked for a plain
// backup; an empty and a wrong password are refused with an error and a
// retry; the right one decrypts; skipping still reads the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, open, waitState, count, shot, assertClean, root, cliJSON, download, liveCount, truth } from './harness.mjs';

const small = (n) => join(root, 'samples', 'small', n);
const PASSWORD = truth('telephony-encrypted.ab').password || 'sample-password';

// watchStates records every data-state the status element takes.
async function watchStates(page) {
  await page.evaluate(() => {
    const s = document.querySelector('[data-testid=status]');
    window.__states = [s.dataset.state];
    new MutationObserver(() => { if (window.__states.at(-1) !== s.dataset.state) window.__states.push(s.dataset.state); })
      .observe(s, { attributes: true, attributeFilter: ['data-state'] });
  });
}

async function submit(page, password) {
  await page.fill('[data-testid=password-input]', password);
  await page.click('[data-testid=password-submit]');
}

// nextAsk waits for the page to ask again (the form re-appears).
async function nextAsk(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid=status]').dataset.state === 'need-password' && !document.querySelector('#password-form').hidden);
}

test('a plain backup never asks for a password', async () => {
  const h = await launch();
  try {
    await open(h.page);
    await watchStates(h.page);
    await h.page.setInputFiles('[data-testid=file-input]', small('telephony.ab'));
    assert.equal(await waitState(h.page, ['done', 'error']), 'done');
    const states = await h.page.evaluate(() => window.__states);
    assert.ok(!states.includes('need-password'), 'states: ' + states.join(' → '));
    assert.ok(await h.page.isHidden('[data-testid=password-input]'));
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

test('encrypted .ab: empty and wrong passwords are refused, then the right one decrypts', async () => {
  const want = cliJSON([small('telephony-encrypted.ab')], ['--password', PASSWORD]);
  assert.ok(want.report.messages.length > 0);
  const h = await launch();
  const page = h.page;
  try {
    await open(page);
    await page.setInputFiles('[data-testid=file-input]', small('telephony-encrypted.ab'));
    assert.equal(await waitState(page, ['need-password', 'done', 'error']), 'need-password');
    for (const id of ['password-input', 'password-submit', 'password-skip']) assert.ok(await page.isVisible(`[data-testid=${id}]`), id);
    assert.ok(await page.isHidden('[data-testid=password-error]'), 'no error before the first try');
    await shot(page, 'password-ask');

    await submit(page, '');
    await nextAsk(page);
    assert.ok(await page.isVisible('[data-testid=password-error]'), 'an empty password is wrong');

    await submit(page, 'not-the-password');
    await nextAsk(page);
    assert.ok(await page.isVisible('[data-testid=password-error]'), 'a wrong password shows the error');
    assert.equal(await page.inputValue('[data-testid=password-input]'), '', 'the field is cleared for the retry');
    await shot(page, 'password-wrong');

    await submit(page, PASSWORD);
    assert.equal(await waitState(page, ['done', 'error']), 'done');
    assert.ok(await page.isHidden('[data-testid=password-input]'));
    assert.equal(await count(page, 'messages'), liveCount(want.report.messages));
    const got = await download(page, '[data-testid=export-json]');
    assert.ok(got.bytes.equals(want.bytes), 'decrypted report equals the CLI with --password');
    // The database browser: the worker that holds the report opens the
    // databases the worker that decrypted them copied out (Blobs), without
    // reading the backup again or asking for its password.
    const msg = (want.report.databases[0].tables || []).find((t) => t.name === 'message');
    assert.ok(msg && msg.rows > 0, 'the CLI lists the message table of ' + want.report.databases[0].path);
    await page.click('[data-testid=tab-databases]');
    await page.click('[data-testid=db-table]:has-text("message")');
    const rows = await page.waitForFunction(() => { const c = document.querySelector('[data-testid=db-row-count]'); return c && /^\d+$/.test(c.textContent) ? Number(c.textContent) : false; }).then((x) => x.jsonValue());
    assert.equal(rows, msg.rows, 'message rows in the database browser');
    const src = await page.evaluate(() => { const e = performance.getEntriesByName('bi-dbsource').pop(); return e && e.detail; });
    assert.equal(src && src.how, 'located', 'databases opened where they were: ' + JSON.stringify(src));
    assert.equal(await page.getAttribute('[data-testid=status]', 'data-state'), 'done');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});

test('encrypted .ab skipped among other files: the rest is read, the skip is reported', async () => {
  const plain = cliJSON([small('mmssms.db')]).report;
  const h = await launch();
  const page = h.page;
  try {
    await open(page);
    await page.setInputFiles('[data-testid=file-input]', [small('telephony-encrypted.ab'), small('mmssms.db')]);
    assert.equal(await waitState(page, ['need-password', 'done', 'error']), 'need-password');
    await page.click('[data-testid=password-skip]');
    assert.equal(await waitState(page, ['done', 'error']), 'done');
    assert.equal(await count(page, 'messages'), liveCount(plain.messages), 'the other file is read');
    const rep = JSON.parse((await download(page, '[data-testid=export-json]')).bytes.toString('utf8'));
    const enc = rep.exposure.coverage.find((c) => c.path.startsWith('telephony-encrypted.ab'));
    const said = JSON.stringify(rep.problems) + JSON.stringify(rep.exposure.coverage);
    assert.ok(enc || /encrypt|password/i.test(said), 'the skipped backup is named in coverage or problems: ' + said);
    await page.click('[data-testid=tab-problems]');
    await page.waitForSelector('[data-testid=coverage-table]');
    await shot(page, 'password-skipped');
    assertClean(assert, h);
  } finally {
    await h.close();
  }
});
