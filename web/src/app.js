'use strict';
// Backup Inspector page. All parsing happens in a Web Worker running the Go
// wasm module; this script only moves Files to the worker and renders the
// report. Text from backups is always set with textContent, never as HTML.
(function () {
  const $ = (id) => document.getElementById(id);
  const statusEl = $('status');
  const state = { worker: null, ready: null, running: false, report: null, pending: new Map(), nextId: 1 };

  function setStatus(s, text) {
    statusEl.dataset.state = s;
    statusEl.textContent = text;
  }

  function decodeBase64(b64) {
    b64 = b64.trim();
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // The wasm module is inlined gzip-compressed; inflate it in the browser.
  function gunzip(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer();
  }

  // Parse JSON keeping integers beyond 2^53 exact (as BigInt), using the
  // reviver's access to the number's source text.
  function parseReport(text) {
    return JSON.parse(text, function (key, value, ctx) {
      if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value) && ctx && ctx.source && /^-?\d+$/.test(ctx.source)) {
        return BigInt(ctx.source);
      }
      return value;
    });
  }

  function startWorker() {
    const src = $('wasm-exec').textContent + '\n' + $('worker-glue').textContent;
    const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    const w = new Worker(url);
    URL.revokeObjectURL(url);
    const wasmReady = gunzip(decodeBase64($('wasm').textContent));
    state.ready = new Promise((resolve, reject) => {
      w.onmessage = (ev) => {
        const m = ev.data;
        if (m.type === 'ready') {
          document.querySelector('[data-testid=version]').textContent = 'version ' + m.version;
          resolve();
        } else onWorkerMessage(m);
      };
      w.onerror = (e) => { reject(e); setStatus('error', 'The parser could not start: ' + (e.message || e)); };
    });
    wasmReady.then((buf) => w.postMessage({ op: 'init', bytes: buf }, [buf]));
    state.worker = w;
    state.ready.then(() => { if (!state.running) setStatus('idle', 'Ready. Nothing has been read yet.'); });
  }

  function onWorkerMessage(m) {
    switch (m.type) {
      case 'progress': showProgress(m.progress); break;
      case 'need-password': askPassword(m.request); break;
      case 'result': finish(new TextDecoder().decode(m.json)); break;
      case 'db-result': {
        const p = state.pending.get(m.id);
        if (p) { state.pending.delete(m.id); p.resolve(JSON.parse(new TextDecoder().decode(m.json))); }
        break;
      }
      case 'error':
        if (m.id && state.pending.has(m.id)) { state.pending.get(m.id).reject(new Error(m.message)); state.pending.delete(m.id); break; }
        state.running = false;
        endWork();
        setStatus('error', m.message === 'context canceled' ? 'Cancelled.' : 'Failed: ' + m.message);
        if (m.exited) { startWorker(); }
        break;
      case 'exited':
        state.running = false;
        endWork();
        setStatus('error', 'The parser stopped (out of memory?). It has been restarted; try again with fewer files.');
        startWorker();
        break;
    }
  }

  function fmtBytes(n) {
    if (n < 1024) return n + ' B';
    const u = ['KiB', 'MiB', 'GiB', 'TiB'];
    let i = -1;
    do { n /= 1024; i++; } while (n >= 1024 && i < u.length - 1);
    return n.toFixed(n < 10 ? 1 : 0) + ' ' + u[i];
  }

  let progressStart = 0;
  function showProgress(p) {
    const bar = $('progress');
    bar.hidden = false;
    const total = p.total || p.Total || 0, done = p.done || p.Done || 0;
    if (total > 0) { bar.max = total; bar.value = Math.min(done, total); } else bar.removeAttribute('value');
    const secs = (performance.now() - progressStart) / 1000;
    const rate = secs > 0 ? fmtBytes(done / secs) + '/s' : '';
    const cur = p.entry || p.Entry || p.input || p.Input || '';
    $('progress-text').textContent = fmtBytes(done) + (total ? ' of ' + fmtBytes(total) : '') + (rate ? ' · ' + rate : '') + (cur ? ' · ' + cur : '');
  }

  function askPassword(req) {
    setStatus('need-password', 'Password needed for ' + req.path);
    $('password-form').hidden = false;
    $('password-label').textContent = (req.path || 'This backup') + ' is encrypted. Password:';
    $('password-error').hidden = !req.wrong;
    const input = $('password-input');
    input.value = '';
    input.focus();
  }

  $('password-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    $('password-form').hidden = true;
    setStatus('working', 'Decrypting…');
    state.worker.postMessage({ op: 'password', password: $('password-input').value });
  });
  $('password-skip').addEventListener('click', () => {
    $('password-form').hidden = true;
    setStatus('working', 'Skipped; reading the rest…');
    state.worker.postMessage({ op: 'password', password: null });
  });
  $('cancel-button').addEventListener('click', () => state.worker && state.worker.postMessage({ op: 'cancel' }));

  function endWork() {
    $('cancel-button').hidden = true;
    $('progress').hidden = true;
    $('password-form').hidden = true;
  }

  async function run(inputs) {
    if (!inputs.length) return;
    if (state.running) return;
    await state.ready;
    state.running = true;
    progressStart = performance.now();
    setStatus('working', 'Reading ' + inputs.map((i) => i.name).join(', ') + '…');
    $('progress-text').textContent = '';
    $('cancel-button').hidden = false;
    state.worker.postMessage({ op: 'inspect', inputs });
  }

  function finish(text) {
    state.running = false;
    endWork();
    let rep;
    try { rep = parseReport(text); } catch (e) { setStatus('error', 'Bad report: ' + e.message); return; }
    state.report = rep;
    state.reportText = text;
    render(rep);
    const secs = ((performance.now() - progressStart) / 1000).toFixed(1);
    setStatus('done', 'Done in ' + secs + ' s' + (rep.problems.length ? ' — ' + rep.problems.length + ' problem(s), see below.' : '.'));
  }

  // ---- Inputs ----
  function filesToInputs(files) {
    const inputs = [];
    const dirs = new Map();
    for (const f of files) {
      const rel = f.webkitRelativePath || '';
      if (rel && rel.includes('/')) {
        const i = rel.indexOf('/');
        const name = rel.slice(0, i);
        if (!dirs.has(name)) { const d = { name, isDir: true, files: [] }; dirs.set(name, d); inputs.push(d); }
        dirs.get(name).files.push({ path: rel.slice(i + 1), file: f });
      } else {
        inputs.push({ name: f.name, isDir: false, files: [{ path: '', file: f }] });
      }
    }
    return inputs;
  }

  async function entriesToInputs(items) {
    const inputs = [];
    const readAll = (reader) => new Promise((resolve, reject) => {
      const out = [];
      const next = () => reader.readEntries((batch) => { if (!batch.length) resolve(out); else { out.push(...batch); next(); } }, reject);
      next();
    });
    const fileOf = (entry) => new Promise((resolve, reject) => entry.file(resolve, reject));
    async function walk(dirEntry, prefix, acc) {
      const entries = await readAll(dirEntry.createReader());
      for (const e of entries) {
        if (e.isDirectory) await walk(e, prefix + e.name + '/', acc);
        else acc.push({ path: prefix + e.name, file: await fileOf(e) });
      }
    }
    for (const it of items) {
      const entry = it.webkitGetAsEntry && it.webkitGetAsEntry();
      if (entry && entry.isDirectory) {
        const acc = [];
        await walk(entry, '', acc);
        inputs.push({ name: entry.name, isDir: true, files: acc });
      } else {
        const f = it.getAsFile();
        if (f) inputs.push({ name: f.name, isDir: false, files: [{ path: '', file: f }] });
      }
    }
    return inputs;
  }

  $('file-input').addEventListener('change', (ev) => { run(filesToInputs(ev.target.files)); ev.target.value = ''; });
  $('folder-input').addEventListener('change', (ev) => { run(filesToInputs(ev.target.files)); ev.target.value = ''; });
  const drop = $('drop');
  drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (ev) => {
    ev.preventDefault();
    drop.classList.remove('over');
    const items = [...ev.dataTransfer.items].filter((i) => i.kind === 'file');
    run(await entriesToInputs(items));
  });
  // Never let a file dropped outside the zone navigate away from the page.
  window.addEventListener('dragover', (ev) => ev.preventDefault());
  window.addEventListener('drop', (ev) => ev.preventDefault());

  $('sample-button').addEventListener('click', () => {
    const el = $('sample');
    const name = el.dataset.name;
    const file = new File([decodeBase64(el.textContent)], name, { type: 'application/octet-stream' });
    run([{ name, isDir: false, files: [{ path: '', file }] }]);
  });

  // ---- Rendering (text only, never HTML from data) ----
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
    }
    for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(k == null ? '' : String(k)));
    return e;
  }

  function fmtTime(t) { return t ? t.replace('T', ' ').replace('Z', ' UTC') : '—'; }

  function render(rep) {
    $('results').hidden = false;
    $('count-messages').textContent = rep.messages.length;
    $('count-contacts').textContent = rep.contacts.length;
    $('count-calls').textContent = rep.calls.length;
    $('count-identifiers').textContent = rep.identifiers.length;
    $('count-problems').textContent = rep.problems.length;
    const view = $('view');
    view.replaceChildren();
    view.append(el('h2', {}, 'Messages'));
    const table = el('table', { 'data-testid': 'messages-table' });
    table.append(el('thead', {}, el('tr', {}, el('th', {}, 'Time (UTC)'), el('th', {}, 'Kind'), el('th', {}, 'Direction'), el('th', {}, 'Address'), el('th', {}, 'Text'), el('th', {}, 'Source'))));
    const tb = el('tbody');
    for (const m of rep.messages) {
      tb.append(el('tr', { 'data-testid': 'row' }, el('td', { class: 'time' }, fmtTime(m.time)), el('td', {}, m.kind), el('td', {}, m.direction), el('td', {}, m.address), el('td', { class: 'body' }, m.body), el('td', { class: 'source' }, m.source)));
    }
    table.append(tb);
    view.append(table);
    if (rep.problems.length) {
      view.append(el('h2', {}, 'Problems'));
      const ul = el('ul', { 'data-testid': 'problems' });
      for (const p of rep.problems) ul.append(el('li', { class: 'problem' }, (p.path || p.input) + (p.offset != null ? ' at offset ' + p.offset : '') + ': ' + p.message));
      view.append(ul);
    }
  }

  startWorker();
})();
