// The page's Content-Security-Policy is a second barrier behind "no data is
// ever parsed as HTML": its script-src and style-src list only the SHA-256
// hashes of the page's own inline script and style sheet (written by
// web/bundle), so markup injected into the DOM — an <img onerror>, a
// <script>, a style attribute, a javascript: link — does not run, and a
// violation is reported. The parse and hash workers (Blob workers, which
// inherit the policy) still work. A control page with 'unsafe-inline' shows
// that the same injection does run there, so the test can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, open, pagePath, waitState, count } from './harness.mjs';

const sha = (s) => "'sha256-" + createHash('sha256').update(s, 'utf8').digest('base64') + "'";

// inject puts hostile markup into the page the ways a rendering bug would,
// then reports what ran and which violations were reported.
async function inject(page, port) {
  return page.evaluate(async (port) => {
    const violations = [];
    const onv = (e) => violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
    document.addEventListener('securitypolicyviolation', onv);
    const box = document.createElement('div');
    box.id = 'csp-probe';
    document.body.append(box);
    // an image whose error handler is an inline attribute (src=x fails:
    // img-src allows no file: URL, so the error event fires)
    box.innerHTML = '<img id="p1" src="x" onerror="window.__pwned = (window.__pwned || 0) + 1">' +
      '<svg onload="window.__pwned = (window.__pwned || 0) + 10"></svg>' +
      '<p id="p3" style="color: rgb(255, 0, 0)">styled</p>' +
      '<style>#p4 { color: rgb(0, 128, 0) }</style><p id="p4">sheet</p>' +
      '<a id="p5" href="javascript:window.__pwned = (window.__pwned || 0) + 100">link</a>';
    // a script element inserted by script (innerHTML scripts never run)
    const s = document.createElement('script');
    s.textContent = 'window.__pwned = (window.__pwned || 0) + 1000';
    document.body.append(s);
    document.getElementById('p5').click();
    // a Blob worker inherits the page's policy: no eval, no network (the
    // fetch aims at the harness's canary server)
    const worker = await new Promise((resolve) => {
      const src = "let r = [];" +
        "try { new Function('return 1')(); r.push('eval ran'); } catch (e) { r.push('eval ' + e.name); }" +
        "fetch('http://127.0.0.1:" + port + "/x').then(() => r.push('fetch ran'), (e) => r.push('fetch ' + e.name)).finally(() => postMessage(r));";
      const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
      const w = new Worker(url);
      w.onmessage = (e) => { w.terminate(); URL.revokeObjectURL(url); resolve(e.data); };
      w.onerror = (e) => resolve(['worker error ' + e.message]);
    });
    await new Promise((r) => setTimeout(r, 500));
    document.removeEventListener('securitypolicyviolation', onv);
    const color = (id) => getComputedStyle(document.getElementById(id)).color;
    const out = { pwned: window.__pwned, violations, worker, p3: color('p3'), p4: color('p4') };
    box.remove();
    return out;
  }, port);
}

test('CSP: only the page\'s own inline script and style run; injected markup is blocked and reported', { timeout: 300_000 }, async (t) => {
  const h = await launch();
  const dir = mkdtempSync(join(tmpdir(), 'bi-csp-'));
  try {
    await open(h.page);
    // The policy lists exactly the hashes of the page's executable inline
    // scripts and its style sheets, and nothing inline beyond them.
    const got = await h.page.evaluate(() => ({
      csp: document.querySelector('meta[http-equiv=Content-Security-Policy]').getAttribute('content'),
      scripts: [...document.scripts].filter((s) => !s.type || /javascript|module/.test(s.type)).map((s) => s.textContent),
      styles: [...document.querySelectorAll('style')].map((s) => s.textContent),
      handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on|^style$/i.test(a.name)).map((a) => e.tagName + ' ' + a.name)),
    }));
    const dir_ = (name) => (got.csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(name + ' ')) || '').split(/\s+/).slice(1);
    assert.equal(got.scripts.length, 1, 'one inline script');
    assert.deepEqual(dir_('script-src'), [...got.scripts.map(sha), "'wasm-unsafe-eval'"], got.csp);
    assert.deepEqual(dir_('style-src'), got.styles.map(sha), got.csp);
    assert.deepEqual(dir_('worker-src'), ['blob:']);
    assert.doesNotMatch(got.csp, /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'|'strict-dynamic'/);
    assert.deepEqual(got.handlers, [], 'no inline handlers or style attributes in the page');

    // The page works under it: the sample is parsed by the Blob workers
    // (wasm in the parse worker, hash-wasm in the hash workers).
    await h.page.click('[data-testid=sample-button]');
    assert.equal(await waitState(h.page, ['done', 'error']), 'done');
    assert.ok(await count(h.page, 'messages') > 0, 'sample messages shown');
    assert.deepEqual(h.errors, [], 'no CSP violation or error while the page is used');

    // Injected markup: nothing runs, every attempt is a reported violation.
    const r = await inject(h.page, h.net.canary.port);
    assert.equal(r.pwned, undefined, 'injected code ran: ' + JSON.stringify(r));
    const directives = new Set(r.violations.map((v) => v.directive));
    t.diagnostic('violations: ' + r.violations.map((v) => v.directive + (v.sample ? ' ' + JSON.stringify(v.sample) : '')).join('; ') + '; worker: ' + r.worker.join(', '));
    for (const d of ['script-src-attr', 'script-src-elem', 'style-src-attr', 'style-src-elem']) {
      assert.ok(directives.has(d), `no ${d} violation reported: ${JSON.stringify(r.violations)}`);
    }
    assert.ok(r.violations.some((v) => v.directive === 'script-src-attr' && /__pwned/.test(v.sample || '')) ||
      r.violations.filter((v) => v.directive === 'script-src-attr').length >= 2, 'the onerror/onload handlers were blocked');
    assert.notEqual(r.p3, 'rgb(255, 0, 0)', 'style attribute applied');
    assert.notEqual(r.p4, 'rgb(0, 128, 0)', 'injected <style> applied');
    assert.deepEqual(r.worker, ['eval EvalError', 'fetch TypeError'], 'a Blob worker does not inherit the policy');
    assert.ok(h.errors.some((e) => /Content Security Policy/.test(e)), 'violations reach the console');
    assert.deepEqual(h.net.bad, [], 'network attempts');
    assert.equal(h.net.canary.connections, 0);

    // Control: the same page with 'unsafe-inline' (the policy before the
    // hashes) runs the injected handlers, so the assertions above can fail.
    const html = readFileSync(pagePath, 'utf8');
    const loose = html.replace(/script-src [^;]*;/, "script-src 'unsafe-inline' 'wasm-unsafe-eval';").replace(/style-src [^;]*;/, "style-src 'unsafe-inline';");
    assert.notEqual(loose, html);
    const control = join(dir, 'control.html');
    writeFileSync(control, loose);
    const cp = await h.ctx.newPage();
    await cp.goto(pathToFileURL(control).href);
    const c = await inject(cp, h.net.canary.port);
    t.diagnostic('control with unsafe-inline: window.__pwned = ' + c.pwned);
    assert.ok(c.pwned >= 1 + 1000, 'control: injected handlers did not run: ' + JSON.stringify(c));
    assert.equal(c.p3, 'rgb(255, 0, 0)', 'control: style attribute');
    await cp.close();
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
