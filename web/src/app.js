'use strict';
// Backup Inspector page. All parsing happens in a Web Worker running the Go
// wasm module, which also keeps the report and answers queries for one page
// of rows at a time. This script moves Files to the worker and renders what
// comes back. Text from backups is only ever set with textContent (or as an
// attribute value), never parsed as HTML; nothing here can navigate or fetch.
(function () {
  const $ = (id) => document.getElementById(id);
  const statusEl = $('status');
  const state = {
    worker: null, ready: null, running: false, summary: null, json: null, pending: new Map(), nextId: 1,
    tab: 'overview', zone: 'UTC', reveal: false, global: '', brush: null, counts: null, views: {},
    progress: new Map(), tl: { from: null, to: null, bucket: 'auto' }, db: { path: '', table: '', noWal: false },
    current: null, theme: 'auto',
    // Indicator files: [{name, file, size, kind, error, bundle, usable, unsupported}];
    // matched with every report shown, never inputs of it.
    iocs: [], iocChain: Promise.resolve(), iocGen: 0, hashPairs: null,
  };

  // ---- DOM helpers (text only) ----
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v == null || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'testid') e.dataset.testid = v;
        else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
        else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'for') e.setAttribute(k, v);
        else e[k] = v;
      }
    }
    for (const k of kids.flat()) {
      if (k == null || k === false) continue;
      e.append(k instanceof Node ? k : document.createTextNode(BI.visible(k)));
    }
    return e;
  }
  const txt = (cell, s) => { cell.textContent = BI.visible(s); };
  const zone = () => BI.zone(state.zone);
  const fmtTime = (iso) => (iso ? zone().format(iso) : '—');
  const mv = (v) => (state.reveal ? String(v == null ? '' : v) : BI.mask(v));

  // pending: a SHA-256 the hash worker is still computing (a placeholder,
  // hashes.js).
  const pending = (h) => !!(h && state.hashJob && h.startsWith(state.hashJob.prefix));

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

  // ---- Worker ----
  // quiet: a worker that takes over a report (handOff): the status is not
  // set back to 'Ready' when it is up, and its Go starts only when needed
  // (state.ensureGo: a new run, the database browser, indicators) or once
  // the hashes are in — not while the page is still hashing.
  function startWorker(quiet) {
    const src = $('wasm-exec').textContent + '\n' + $('worker-glue').textContent;
    const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
    const w = new Worker(url);
    URL.revokeObjectURL(url);
    let started = false;
    const ensureGo = () => {
      if (started) return;
      started = true;
      gunzip(decodeBase64($('wasm').textContent)).then((buf) => w.postMessage({ op: 'init', bytes: buf }, [buf]));
    };
    state.ensureGo = ensureGo;
    state.ready = new Promise((resolve, reject) => {
      w.onmessage = (ev) => {
        const m = ev.data;
        if (m.type === 'ready') {
          $('version').textContent = 'version ' + m.version;
          performance.mark('bi-ready');
          resolve();
        } else onWorkerMessage(m);
      };
      w.onerror = (e) => { reject(e); setStatus('error', 'The parser could not start: ' + (e.message || e)); };
    });
    if (!quiet) ensureGo();
    state.worker = w;
    if (!quiet) state.ready.then(() => { if (!state.running) setStatus('idle', 'Ready. Nothing has been read yet.'); });
  }

  const GO_CALLS = new Set(['dbTables', 'dbQuery', 'classify', 'match']);
  function rpc(fn, ...args) {
    if (GO_CALLS.has(fn)) state.ensureGo();
    const id = state.nextId++;
    return new Promise((resolve, reject) => {
      const msg = { op: 'call', id, fn, args };
      state.pending.set(id, { resolve, reject, msg });
      state.worker.postMessage(msg);
    });
  }

  // handOff: the worker that read the backup has encoded its report (a
  // Blob); it is ended — with it Go's wasm memory, grown to the parse's
  // high-water mark and never given back — and a fresh worker builds the
  // model from the Blob (worker.js load), so that the two never add up in
  // the tab (1 GiB .ab: Go 180–260 MiB, the model ~120 MiB). The fresh
  // worker's Go reads the inputs again if the database browser is used.
  function handOff(m) {
    const old = state.worker;
    old.onmessage = null;
    old.terminate();
    startWorker(true);
    const last = state.lastRun || {};
    state.worker.postMessage({ op: 'load', json: m.json, layout: m.layout, inputs: last.inputs || [], passwords: last.passwords || [],
      goMs: m.goMs, ms: m.ms, wasmMiB: m.wasmMiB, streams: m.streams || null, dbs: m.dbs || null, spooled: m.spooled || 0 });
    // Calls the old worker had not answered go to the new one.
    for (const p of state.pending.values()) state.worker.postMessage(p.msg);
  }

  function onWorkerMessage(m) {
    switch (m.type) {
      case 'progress': showProgress(m.progress); break;
      case 'need-password': askPassword(m.request); break;
      case 'overview': showOverview(m); break;
      case 'report': handOff(m); break;
      case 'db-progress': {
        const note = document.querySelector('[data-testid=db-reread]');
        if (note) note.textContent = 'Reading the backup again for its databases (once): ' + BI.fmtBytes(m.progress.done || 0) + (m.progress.total ? ' of ' + BI.fmtBytes(m.progress.total) : '') + '…';
        break;
      }
      case 'result': finish(m); break;
      // How the database browser got its databases (read by web/e2e).
      case 'db-source': performance.mark('bi-dbsource', { detail: { how: m.how, databases: m.databases || 0 } }); break;
      case 'reply': {
        const p = state.pending.get(m.id);
        if (p) { state.pending.delete(m.id); if (m.ok) p.resolve(m.value); else p.reject(new Error(m.error)); }
        break;
      }
      case 'error':
        state.running = false;
        state.hashing = false;
        if (state.partial) { state.partial = false; state.summary = null; $('results').hidden = true; }
        BIHashes.cancel(state.hashJob);
        endWork();
        if (m.message === 'context canceled') {
          setStatus('idle', 'Cancelled. Nothing from this run was kept.');
          if (state.summary) $('results').hidden = false;
        } else {
          setStatus('error', 'Failed: ' + m.message);
        }
        if (m.exited) restartWorker();
        break;
      case 'exited': {
        // Go died (out of memory: the wasm heap stops near 4 GiB). Start a
        // fresh worker and read the other inputs again without the one it
        // was reading, which the report names as a problem.
        const wasRunning = state.running;
        state.running = false;
        BIHashes.cancel(state.hashJob);
        endWork();
        restartWorker();
        const last = state.lastRun;
        const failed = wasRunning && last ? last.inputs.find((i) => i.name === state.currentInput) : null;
        if (failed) {
          const rest = last.inputs.filter((i) => i !== failed);
          const problems = last.problems.concat([{ input: failed.name, path: failed.name, code: 'out-of-memory',
            message: 'the parser ran out of memory while reading this input and was restarted; it was left out (the command-line tool reads it with --max-memory)' }]);
          if (rest.length) {
            run(rest, problems);
            setStatus('working', failed.name + ' ran the parser out of memory; reading the other inputs again without it…');
            break;
          }
          setStatus('error', 'The parser ran out of memory reading ' + failed.name + '. It has been restarted; the command-line tool can read this file.');
        } else {
          setStatus('error', 'The parser stopped (out of memory?). It has been restarted; try again with fewer files.');
        }
        break;
      }
    }
  }

  function restartWorker() {
    for (const p of state.pending.values()) p.reject(new Error('the parser restarted'));
    state.pending.clear();
    state.worker.terminate();
    state.summary = null;
    $('results').hidden = true;
    startWorker();
  }

  // ---- Progress, password, cancel ----
  let progressStart = 0;
  function showProgress(p) {
    if (!state.running) return; // a late message after the result
    state.currentInput = p.input;
    const bar = $('progress');
    bar.hidden = false;
    let e = state.progress.get(p.input);
    const now = performance.now();
    if (!e) { e = { start: now }; state.progress.set(p.input, e); }
    if (!e.start) e.start = now;
    Object.assign(e, { done: p.done, total: p.total, path: p.path, t: now });
    let done = 0, total = 0;
    for (const x of state.progress.values()) { done += x.done || 0; total += x.total || 0; }
    if (total > 0) { bar.max = total; bar.value = Math.min(done, total); } else bar.removeAttribute('value');
    const secs = (now - progressStart) / 1000;
    $('progress-text').textContent = BI.fmtBytes(done) + (total ? ' of ' + BI.fmtBytes(total) : '') + (secs > 0.2 ? ' · ' + BI.fmtBytes(done / secs) + '/s' : '');
    scheduleProgressList();
  }

  let plRaf = 0;
  function scheduleProgressList() { if (!plRaf) plRaf = requestAnimationFrame(() => { plRaf = 0; renderProgressList(); }); }
  function renderProgressList() {
    const list = $('progress-list');
    list.replaceChildren();
    for (const [name, e] of state.progress) {
      const secs = e.t && e.start ? (e.t - e.start) / 1000 : 0;
      const rate = secs > 0.2 && e.done ? BI.fmtBytes(e.done / secs) + '/s' : '';
      const pct = e.total ? Math.min(100, Math.floor((100 * (e.done || 0)) / e.total)) : null;
      list.append(el('li', { testid: 'progress-row', class: e.done == null ? 'waiting' : (e.total && e.done >= e.total ? 'read' : 'reading') },
        el('span', { class: 'pname' }, name),
        el('progress', { max: 100, value: pct == null ? 0 : pct, 'aria-label': 'progress of ' + name }),
        el('span', { class: 'pbytes' }, e.done == null ? 'waiting' : BI.fmtBytes(e.done) + (e.total ? ' of ' + BI.fmtBytes(e.total) : '')),
        el('span', { class: 'prate' }, rate),
        el('span', { class: 'pentry', testid: 'progress-entry', title: e.path || '' }, e.path || '')));
    }
    list.hidden = !state.running || state.progress.size === 0;
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
    const pw = $('password-input').value;
    if (state.running && state.lastRun) state.lastRun.passwords.push(pw); // for the database browser's second read
    state.worker.postMessage({ op: 'password', password: pw });
    $('password-input').value = '';
  });
  $('password-skip').addEventListener('click', () => {
    $('password-form').hidden = true;
    setStatus('working', 'Skipped; reading the rest…');
    if (state.running && state.lastRun) state.lastRun.passwords.push(null); // a skip, replayed as one
    state.worker.postMessage({ op: 'password', password: null });
  });
  $('cancel-button').addEventListener('click', () => state.worker && state.worker.postMessage({ op: 'cancel' }));

  function endWork() {
    $('cancel-button').hidden = true;
    $('progress').hidden = true;
    $('password-form').hidden = true;
    renderProgressList();
  }

  // run inspects inputs; problems are added to the report (inputs left out
  // after a worker died).
  // opts.strictCRC: Go checks every stored zip entry's CRC-32 itself (a
  // second read, when the hash worker found one that differs), answering
  // the password requests with opts.replayPasswords, in order.
  async function run(inputs, problems, opts = {}) {
    if (!inputs.length || state.running) return;
    state.running = true;
    state.lastRun = { inputs, problems: problems || [], passwords: (opts.replayPasswords || []).slice(), strictCRC: !!opts.strictCRC };
    state.currentInput = null;
    setStatus('working', 'Starting the parser…');
    state.ensureGo();
    await state.ready;
    if (!opts.strictCRC) progressStart = performance.now(); // a second read's 'Done in' counts from the first
    state.progress = new Map(inputs.map((i) => [i.name, { total: i.files.reduce((a, f) => a + f.file.size, 0) }]));
    renderProgressList();
    setStatus('working', (opts.strictCRC ? 'A stored zip entry does not match its CRC-32: reading ' : 'Reading ') + inputs.map((i) => i.name).join(', ') + (opts.strictCRC ? ' again to report it…' : '…'));
    $('progress-text').textContent = '';
    $('cancel-button').hidden = false;
    $('results').hidden = true;
    // Top-level files are hashed in a worker of their own, in parallel.
    BIHashes.cancel(state.hashJob);
    state.hashing = false;
    state.hashJob = BIHashes.start(inputs, (p) => {
      if (state.hashing && p.total) statusEl.textContent = 'Overview ready — computing the SHA-256 of the inputs: ' + Math.floor((100 * p.done) / p.total) + ' %';
    });
    // Go's memory budget is the CLI's default (--max-memory 512 MiB), so
    // that the report (its limits block included) is the CLI's.
    // The hash worker also hashes the files inside the inputs that are byte
    // ranges of them, as the parse worker announces them on this port.
    const job = state.hashJob;
    state.worker.postMessage({ op: 'inspect', inputs, problems: state.lastRun.problems, testCrashOn: window.biTestCrashOn || '',
      strictCRC: !!opts.strictCRC, replayPasswords: opts.replayPasswords || [],
      hashPrefix: job.prefix, rangePort: job.port, streamPort: job.streamPort, handOff: true }, [job.port, job.streamPort]);
  }

  // resetViews forgets the view states of the last report.
  function resetViews() {
    state.brush = null;
    state.tl = { from: null, to: null, bucket: 'auto' };
    state.views = {};
    state.db = { path: '', table: '', noWal: false };
    state.counts = null;
  }

  // showOverview shows the overview of the finished report (wasm/overview.go)
  // while the report itself is still being encoded, handed over and loaded
  // into the worker's model: the other tabs wait for it (state.partial).
  function showOverview(m) {
    if (!state.running) return;
    performance.mark('bi-overview', { detail: { workerMs: m.ms, wasmMiB: m.wasmMiB } }); // read by web/bench
    for (const e of state.progress.values()) if (e.total != null) { e.done = e.total; e.t = e.t || performance.now(); }
    endWork();
    $('progress-list').hidden = true;
    state.summary = m.summary;
    state.partial = true;
    resetViews();
    for (const b of [$('export-json'), $('export-report')]) b.disabled = true;
    renderResults();
    setStatus('working', 'Overview ready — loading the records…');
  }

  function finish(m) {
    state.running = false;
    performance.mark('bi-result', { detail: { workerMs: m.ms, goMs: m.goMs, loadMs: m.loadMs, layout: m.layout, wholeRead: !!m.wholeRead, wasmMiB: m.wasmMiB, streams: m.streams || null, spooled: m.spooled || 0 } }); // read by web/bench and e2e
    for (const e of state.progress.values()) if (e.total != null) { e.done = e.total; e.t = e.t || performance.now(); }
    endWork();
    $('progress-list').hidden = true;
    state.json = m.json; // the exact bytes (a Blob, or an ArrayBuffer for a saved report): export-json writes them unchanged
    state.baseJSON = null;
    state.summary = m.summary;
    // After the overview: stay on the tab the user is on.
    const tab = state.partial ? state.tab : 'overview';
    if (!state.partial) resetViews();
    state.partial = false;
    const rep = m.summary;
    renderResults(tab);
    const np = rep.counts.problems.total;
    let bytes = 0;
    for (const i of rep.inputs) bytes += Number(i.size) || 0;
    $('progress-text').textContent = rep.live ? BI.fmtBytes(bytes) + ' read' : '';
    const done = async () => {
      // From the files being set to now (the input hashes included).
      const secs = ((performance.now() - progressStart) / 1000).toFixed(1);
      // Indicator files loaded with (or before) the backup are matched once
      // the report is final (the input hashes in).
      if (state.iocs.length) {
        setStatus('working', 'Comparing the report with the indicator files (offline)…');
        await matchIndicators();
        if (state.running || !state.summary) return; // a newer run, or the worker restarted
      }
      setStatus('done', (rep.live ? 'Done in ' + secs + ' s' : 'Opened a saved report') + (np ? ' — ' + np + ' problem(s): see the Problems tab.' : '.') + indicatorsStatus());
      setTimeout(() => state.ensureGo(), 0); // the worker that took the report over (handOff) gets its Go now
    };
    state.hashPairs = null;
    const job = state.hashJob;
    if (!rep.live || !job) { BIHashes.cancel(job); done(); return; }
    // The overview is up; the input hashes follow when the hash worker is
    // done (exports wait for them).
    // The status stays 'working' (the hooks know idle, working, done, error
    // and need-password) until the hashes are in.
    if (!job.done) { state.hashing = true; setStatus('working', 'Overview ready — computing the SHA-256 of the inputs…'); }
    const exportButtons = [$('export-json'), $('export-report')];
    for (const b of exportButtons) b.disabled = true;
    const json = state.json;
    job.promise.then(async () => {
      if (state.hashJob !== job || state.json !== json) return; // a newer run
      const last = state.lastRun;
      if (job.crcBad && last && !last.strictCRC && !state.running) {
        // A stored zip entry's bytes do not match its CRC-32. Go left that
        // check to the hash worker (it did not read the entry to its end):
        // read again with Go checking, for the report to name the entry as
        // the CLI's does.
        state.hashing = false;
        performance.mark('bi-reread', { detail: { reason: 'crc32' } }); // read by web/e2e
        run(last.inputs, last.problems, { strictCRC: true, replayPasswords: last.passwords });
        return;
      }
      const patched = json instanceof Blob ? await BIHashes.patchBlob(json, job) : BIHashes.patchJSON(json, job);
      if (state.hashJob !== job || state.json !== json) return; // a newer run
      state.json = patched;
      state.baseJSON = patched; // what indicators are matched with (worker.js match)
      BIHashes.patchObjects(state.summary.inputs, job);
      try { await rpc('patchHashes', [...job.results], job.prefix); } catch (e) { /* worker restarted */ }
      state.hashPairs = [...job.results];
      performance.mark('bi-hashes', { detail: job.stats || {} }); // read by web/bench
      for (const b of exportButtons) b.disabled = false;
      state.hashing = false;
      if (state.tab === 'overview' || state.tab === 'files') showTab(state.tab, true);
      done();
    });
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
    // Take every entry and file before awaiting: the DataTransfer empties
    // once the event handler returns.
    const got = items.map((it) => ({ entry: it.webkitGetAsEntry && it.webkitGetAsEntry(), file: it.getAsFile() }));
    for (const { entry, file } of got) {
      if (entry && entry.isDirectory) {
        const acc = [];
        await walk(entry, '', acc);
        inputs.push({ name: entry.name, isDir: true, files: acc });
      } else if (file) {
        inputs.push({ name: file.name, isDir: false, files: [{ path: '', file }] });
      }
    }
    return inputs;
  }

  $('file-input').addEventListener('change', (ev) => { openInputs(filesToInputs(ev.target.files)); ev.target.value = ''; });
  $('folder-input').addEventListener('change', (ev) => { run(filesToInputs(ev.target.files)); ev.target.value = ''; });
  $('ioc-input').addEventListener('change', (ev) => { openInputs(filesToInputs(ev.target.files), true); ev.target.value = ''; });
  const drop = $('drop');
  drop.addEventListener('dragover', (ev) => { ev.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  // Never let a file dropped anywhere navigate away from the page; a drop
  // anywhere opens it.
  window.addEventListener('dragover', (ev) => ev.preventDefault());
  window.addEventListener('drop', async (ev) => {
    ev.preventDefault();
    drop.classList.remove('over');
    if (!ev.dataTransfer) return;
    const items = [...ev.dataTransfer.items].filter((i) => i.kind === 'file');
    openInputs(await entriesToInputs(items));
  });
  drop.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); $('file-input').click(); } });

  // ---- Indicator files ----
  // openInputs sorts what was dropped or picked: indicator files (STIX2
  // bundles, lists of phone numbers — told by content in the worker) join
  // the indicator list; everything else is read as before. asIndicators:
  // the indicator picker (every file is taken as indicators, and says why
  // when it cannot be used).
  async function openInputs(inputs, asIndicators) {
    if (!inputs.length || state.running || state.sorting) return;
    state.sorting = true;
    // The status leaves "done" at once, as when a run starts (tests and
    // hooks wait for the next "done").
    const before = { s: statusEl.dataset.state, text: statusEl.textContent };
    setStatus('working', 'Looking at ' + inputs.map((i) => i.name).join(', ') + '…');
    let iocs = [], rest = inputs;
    try {
      await state.ready;
      const singles = inputs.filter((i) => !i.isDir && i.files.length === 1);
      if (singles.length) {
        const cls = await rpc('classify', singles.map((i) => ({ name: i.name, file: i.files[0].file, force: !!asIndicators })));
        const isIoc = new Map(singles.map((i, k) => [i, cls[k]]));
        iocs = singles.filter((i) => isIoc.get(i).kind).map((i) => Object.assign({ name: i.name, file: i.files[0].file, size: i.files[0].file.size }, isIoc.get(i)));
        rest = inputs.filter((i) => !(isIoc.get(i) || {}).kind);
      }
    } catch (e) {
      setStatus('error', 'Could not look at the files: ' + e.message);
      return;
    } finally {
      state.sorting = false;
    }
    if (iocs.length) addIndicatorFiles(iocs);
    if (rest.length) { run(rest); return; }
    if (!iocs.length) { setStatus(before.s, before.text); return; }
    if (state.summary) {
      if (state.hashing) { setStatus(before.s, before.text); return; } // matched when the hashes are in
      setStatus('working', 'Comparing the report with the indicator files (offline)…');
      await matchIndicators();
      setStatus('done', matchedText());
    } else {
      setStatus('idle', 'Indicator files ready: ' + state.iocs.map((f) => f.name).join(', ') + '. Now open a backup (or a saved report) to compare it with them.');
    }
  }

  function addIndicatorFiles(list) {
    for (const f of list) {
      // The same file again (same name and content) replaces itself; two
      // files of one name but different content are both kept (as --iocs
      // would take them).
      const sha = (x) => (x.bundle ? x.bundle.sha256 : 'size:' + x.size);
      const same = state.iocs.findIndex((x) => x.name === f.name && sha(x) === sha(f));
      if (same >= 0) state.iocs.splice(same, 1, f); else state.iocs.push(f);
    }
    renderIocBar();
  }

  function removeIndicatorFile(f) {
    state.iocs = state.iocs.filter((x) => x !== f);
    renderIocBar();
    if (state.summary && !state.running && !state.hashing) {
      setStatus('working', 'Comparing the report with the indicator files (offline)…');
      matchIndicators().then(() => setStatus('done', state.iocs.length ? matchedText() : 'Indicator files removed: the report is as read.'));
    }
  }

  // matchIndicators compares the shown report with the indicator files
  // (in the worker, offline; the backup is not read again) and shows the
  // new report. Calls run one after the other; only the latest shows.
  function matchIndicators() {
    const gen = ++state.iocGen;
    const step = state.iocChain.then(async () => {
      if (gen !== state.iocGen || !state.summary || state.running) return;
      const bar = $('ioc-bar');
      bar.dataset.state = 'matching';
      const buttons = [$('export-json'), $('export-report')];
      for (const b of buttons) b.disabled = true;
      try {
        const files = state.iocs.filter((f) => !f.error).map((f) => ({ name: f.name, file: f.file }));
        const res = await rpc('match', files, state.hashPairs || [], state.baseJSON || state.json);
        for (const e of res.errors) for (const f of state.iocs) if (f.name === e.name && !f.error) f.error = e.error;
        if (gen !== state.iocGen) return;
        state.json = res.json;
        state.summary = res.summary;
        bar.dataset.state = 'matched';
        bar.dataset.gen = String(Number(bar.dataset.gen || 0) + 1);
        state.counts = null;
        updateTabBadges();
        if (state.global) refreshCounts();
        showTab(state.tab, true);
      } catch (e) {
        bar.dataset.state = 'error';
        state.iocError = e.message;
      } finally {
        if (gen === state.iocGen) for (const b of buttons) b.disabled = false;
        renderIocBar();
      }
    });
    state.iocChain = step.catch(() => {});
    return state.iocChain;
  }

  function matchedText() {
    const usable = state.iocs.filter((f) => !f.error).length;
    if (!usable) return 'No usable indicator file: see why in the list of indicator files.';
    return 'Compared the report with ' + usable + ' indicator file(s), offline.' + indicatorsStatus();
  }

  function indicatorsStatus() {
    const x = state.summary && state.summary.indicators;
    if (!x) return '';
    return ' ' + x.matches + ' indicator match(es)' + (x.matches ? ' — a lead for review, not proof: see the Indicators tab.' : '.');
  }

  const IOC_KIND = { stix2: 'STIX2 bundle', 'number-list': 'phone numbers', invalid: 'not usable' };
  function renderIocBar() {
    const bar = $('ioc-bar');
    const list = $('ioc-list');
    list.replaceChildren();
    for (const f of state.iocs) {
      const b = f.bundle;
      const what = f.error ? 'cannot be used' : IOC_KIND[f.kind] + ' · ' + BI.fmtInt(f.usable) + (f.kind === 'number-list' ? ' number(s)' : ' usable value(s)') +
        (f.unsupported ? ' · ' + BI.fmtInt(f.unsupported) + ' not used' : '');
      const rm = el('button', { type: 'button', class: 'inline', testid: 'ioc-remove', 'aria-label': 'Remove ' + f.name, title: 'Remove this indicator file' }, '×');
      rm.addEventListener('click', () => removeIndicatorFile(f));
      list.append(el('li', { class: 'ioc-chip' + (f.error ? ' bad' : ''), testid: 'ioc-file', 'data-kind': f.kind, title: f.error || (b ? 'SHA-256 ' + b.sha256 : '') },
        el('span', { class: 'ioc-name' }, f.name), el('span', { class: 'src' }, ' ' + what), rm,
        f.error ? el('div', { class: 'problem small', testid: 'ioc-error' }, f.error) : null));
    }
    if (state.iocError && bar.dataset.state === 'error') list.append(el('li', { class: 'problem' }, 'Matching failed: ' + state.iocError));
    bar.hidden = !state.iocs.length;
    $('ioc-count').textContent = String(state.iocs.length);
  }

  $('sample-button').addEventListener('click', () => {
    const s = $('sample');
    const name = s.dataset.name;
    const file = new File([decodeBase64(s.textContent)], name, { type: 'application/octet-stream' });
    run([{ name, isDir: false, files: [{ path: '', file }] }]);
  });

  // ---- Downloads (a Blob URL of our own bytes; never data from the backup as a link) ----
  function download(name, blob) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  $('export-json').addEventListener('click', () => {
    if (state.json) download('backup-inspector-report.json', new Blob([state.json], { type: 'application/json' }));
  });
  $('export-report').addEventListener('click', async () => {
    const buf = await rpc('report', { zone: state.zone, reveal: state.reveal, now: Date.now() });
    download('backup-inspector-report.html', new Blob([buf], { type: 'text/html' }));
  });

  async function copyText(s, what) {
    try {
      await navigator.clipboard.writeText(s);
    } catch (e) {
      const ta = el('textarea', { class: 'offscreen', readOnly: true, value: s });
      document.body.append(ta);
      ta.select();
      try { document.execCommand('copy'); } catch (e2) { /* nothing else to try */ }
      ta.remove();
    }
    toast('Copied ' + (what || 'to the clipboard'));
  }
  let toastTimer = 0;
  function toast(s) {
    const t = $('toast');
    t.textContent = s;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 1800);
  }

  // ---- Header controls: zone, theme, global search ----
  const zoneSel = $('zone-select');
  (function fillZones() {
    let localZone = 'UTC';
    try { localZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch (e) { /* keep UTC */ }
    zoneSel.append(el('option', { value: 'UTC' }, 'UTC'));
    if (localZone !== 'UTC') zoneSel.append(el('option', { value: localZone }, 'This computer: ' + localZone));
    let all = [];
    try { all = Intl.supportedValuesOf('timeZone'); } catch (e) { /* older browsers: UTC and local only */ }
    const grp = el('optgroup', { label: 'All zones' });
    for (const z of all) if (z !== 'UTC') grp.append(el('option', { value: z }, z));
    zoneSel.append(grp);
  })();
  zoneSel.addEventListener('change', async () => {
    state.zone = zoneSel.value;
    if (state.summary) {
      await rpc('setZone', state.zone);
      state.brush = null;
      state.tl = { from: null, to: null, bucket: state.tl.bucket };
      updateBrushChip();
      showTab(state.tab, true);
      refreshCounts();
    }
  });

  const THEMES = ['auto', 'light', 'dark'];
  $('theme-toggle').addEventListener('click', () => {
    state.theme = THEMES[(THEMES.indexOf(state.theme) + 1) % THEMES.length];
    if (state.theme === 'auto') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = state.theme;
    $('theme-toggle').textContent = 'Theme: ' + state.theme;
    if (state.tab === 'timeline') showTab('timeline', true);
  });

  let globalTimer = 0;
  $('global-search').addEventListener('input', () => {
    clearTimeout(globalTimer);
    globalTimer = setTimeout(() => {
      state.global = $('global-search').value.trim();
      if (!state.summary) return;
      refreshCounts();
      if (state.current && state.current.refresh) state.current.refresh();
    }, 200);
  });

  document.addEventListener('keydown', (ev) => {
    const inField = ev.target.closest && ev.target.closest('input, textarea, select');
    if (ev.key === '/' && !inField) { ev.preventDefault(); $('global-search').focus(); }
    if (ev.key === 'Escape' && ev.target.matches && ev.target.matches('input[type=search]') && ev.target.value) {
      ev.target.value = '';
      ev.target.dispatchEvent(new Event('input'));
    }
  });

  // ---- Results ----
  const TABS = [
    ['overview', 'Overview'], ['messages', 'Messages'], ['contacts', 'Contacts'], ['calls', 'Calls'], ['identifiers', 'Identifiers'],
    ['timeline', 'Timeline'], ['files', 'Files'], ['databases', 'Databases'], ['indicators', 'Indicators'], ['problems', 'Problems'],
  ];

  function renderResults(tab) {
    const s = state.summary;
    $('results').hidden = false;
    $('intake').classList.add('compact');
    const c = s.counts;
    $('count-messages').textContent = c.messages.live;
    $('count-contacts').textContent = c.contacts.live;
    $('count-calls').textContent = c.calls.live;
    $('count-identifiers').textContent = c.identifiers.total;
    $('count-problems').textContent = c.problems.total;
    const bar = $('tabs');
    bar.replaceChildren();
    for (const [id, label] of TABS) {
      const b = el('button', { type: 'button', role: 'tab', id: 'tab-' + id, testid: 'tab-' + id, 'aria-controls': 'view', class: 'tab' },
        el('span', { class: 'tl' }, label), el('span', { class: 'badge tab-count', testid: 'tab-count' }, ''));
      b.addEventListener('click', () => showTab(id));
      bar.append(b);
    }
    updateTabBadges();
    updateBrushChip();
    showTab(tab || 'overview');
    if (state.global && !state.partial) refreshCounts();
  }

  $('tabs').addEventListener('keydown', (ev) => {
    const tabs = [...$('tabs').querySelectorAll('[role=tab]')];
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (ev.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (ev.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (ev.key === 'Home') j = 0;
    else if (ev.key === 'End') j = tabs.length - 1;
    if (j == null) return;
    ev.preventDefault();
    tabs[j].focus();
    tabs[j].click();
  });

  function tabTotal(id) {
    const c = state.summary.counts;
    switch (id) {
      case 'messages': case 'contacts': case 'calls': return c[id].live;
      case 'identifiers': case 'files': case 'databases': case 'problems': case 'timeline': return c[id].total;
      case 'indicators': return state.summary.indicators ? c.indicators.total : null;
    }
    return null;
  }

  function updateTabBadges() {
    for (const [id] of TABS) {
      const b = $('tab-' + id);
      if (!b) continue;
      const badge = b.querySelector('.tab-count');
      const total = tabTotal(id);
      const timed = id === 'messages' || id === 'calls' || id === 'timeline';
      const filtered = state.counts && state.counts[id] != null && (state.global || (state.brush && timed)) ? state.counts[id] : null;
      badge.textContent = total == null ? '' : filtered != null ? BI.fmtInt(filtered) + '/' + BI.fmtInt(total) : BI.fmtInt(total);
      badge.hidden = total == null;
      b.classList.toggle('hit', filtered != null && filtered > 0);
    }
  }

  async function refreshCounts() {
    if (!state.summary) return;
    if (!state.global && !state.brush) { state.counts = null; updateTabBadges(); $('search-note').textContent = ''; return; }
    state.counts = await rpc('counts', { global: state.global, brush: state.brush });
    updateTabBadges();
    const total = ['messages', 'contacts', 'calls', 'identifiers', 'files', 'problems'].reduce((a, k) => a + (state.counts[k] || 0), 0);
    $('search-note').textContent = state.global ? total + ' record(s) match “' + state.global + '” across all views' : '';
  }

  function updateBrushChip() {
    const chip = $('brush-chip');
    if (!state.brush) { chip.hidden = true; return; }
    chip.hidden = false;
    chip.dataset.from = String(state.brush[0]);
    chip.dataset.to = String(state.brush[1]);
    $('brush-text').textContent = 'Time filter: ' + wall(state.brush[0]) + ' – ' + wall(state.brush[1]) + ' (' + zone().label + ')';
  }
  // wall formats a local-wall-clock millisecond value (zone offset already
  // added) without a zone suffix; callers name the zone next to it.
  const wall = (t, secs) => { const s = new Date(t).toISOString(); return s.slice(0, 10) + ' ' + s.slice(11, secs ? 19 : 16); };
  $('brush-clear').addEventListener('click', () => setBrush(null));
  function setBrush(b) {
    state.brush = b;
    updateBrushChip();
    refreshCounts();
    if (state.current && state.current.refresh) state.current.refresh();
  }

  function showTab(id, keep) {
    state.tab = id;
    for (const b of $('tabs').querySelectorAll('[role=tab]')) {
      const on = b.id === 'tab-' + id;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
    }
    const view = $('view');
    view.setAttribute('aria-labelledby', 'tab-' + id);
    if (state.current && state.current.destroy) state.current.destroy();
    view.replaceChildren();
    view.dataset.view = id;
    if (state.partial && id !== 'overview') {
      // The records are still on their way to the worker's model.
      view.append(el('p', { class: 'none', testid: 'loading-records' }, 'Loading the records… The overview is ready; this list follows in a moment.'));
      state.current = null;
      return;
    }
    const make = VIEW_BUILDERS[id];
    state.current = make ? make(view, keep) : null;
  }

  function vstate(name, defaults) {
    if (!state.views[name]) state.views[name] = Object.assign({ filter: '', sort: '', desc: false, part: 'live' }, defaults || {});
    return state.views[name];
  }

  // ---- Overview ----
  function valuesList(vals) {
    const ul = el('ul', { class: 'vals' });
    for (const v of (vals && vals.values) || []) {
      const files = [...new Set(v.sources.map(BI.sourceFile))];
      ul.append(el('li', { testid: 'exposed-value', title: v.sources.join('\n') },
        el('span', { class: 'mono val' }, mv(v.value)),
        v.valid ? null : el('span', { class: 'badge warn' }, 'fails check'),
        el('span', { class: 'src' }, ' · ' + files.map((f) => f.split(/[!/]/).pop()).join(', '))));
    }
    if (!ul.children.length) ul.append(el('li', { class: 'none' }, 'none found'));
    return ul;
  }

  function card(title, n, ...body) {
    return el('div', { class: 'card' + (n ? ' hot' : '') + (title === 'contacts' ? ' wide' : '') }, el('div', { class: 'card-h' }, el('span', { class: 'card-n' }, BI.fmtInt(n || 0)), el('span', {}, title)), ...body);
  }

  function dl(pairs) {
    const d = el('dl', { class: 'kv' });
    for (const [k, v] of pairs) {
      if (v == null || v === '' || v === false) continue;
      d.append(el('dt', {}, k), el('dd', {}, v instanceof Node ? v : String(v)));
    }
    return d;
  }

  function buildOverview(view) {
    const s = state.summary;
    const x = s.exposure || {};
    const c = s.counts;
    const wrap = el('div', { class: 'overview' });
    // 1. The 2014 block.
    const rs = x.receivedSms || {};
    const ct = x.contacts || {};
    const accTable = el('table', { class: 'mini' }, el('thead', {}, el('tr', {}, el('th', {}, 'Account'), el('th', {}, 'Contacts'))));
    const tb = el('tbody');
    for (const a of ct.byAccount || []) tb.append(el('tr', {}, el('td', {}, accountBadge(a), ' ', a.name ? mv(a.name) : ''), el('td', { class: 'num' }, BI.fmtInt(a.count))));
    if (!(ct.byAccount || []).length) tb.append(el('tr', {}, el('td', { colSpan: 2, class: 'none' }, 'no contacts')));
    accTable.append(tb);
    const revealBtn = el('button', { type: 'button', testid: 'reveal-toggle', 'aria-pressed': state.reveal ? 'true' : 'false', class: 'reveal' },
      state.reveal ? 'Mask values' : 'Reveal values');
    revealBtn.addEventListener('click', () => {
      state.reveal = !state.reveal;
      showTab('overview', true);
    });
    const flag = x.numberWithImsi
      ? el('p', { class: 'flag', testid: 'exposure-flag' }, '⚠ An own phone number and an IMSI' + (x.numberWithImsiAndImei ? ' and an IMEI' : '') +
        ' are in this backup together — the combination MIUI Cloud Messaging was found sending to Xiaomi in 2014.')
      : null;
    wrap.append(el('section', { class: 'exposure', testid: 'exposure-summary', 'aria-labelledby': 'exp-h' },
      el('div', { class: 'sec-h' }, el('h2', { id: 'exp-h' }, 'What this backup exposes'), revealBtn),
      el('p', { class: 'lead' }, 'In 2014 MIUI Cloud Messaging was found sending these to Xiaomi: the phone\'s own numbers, IMSI, ICCID, IMEI, the contacts and received SMS. ' +
        'This is what this backup holds of each. Values are masked' + (state.reveal ? ' — now shown in full.' : '; reveal them only where nobody can read over your shoulder.')),
      flag,
      el('div', { class: 'cards' },
        card('own phone numbers', (x.ownNumbers || {}).count, valuesList(x.ownNumbers)),
        card('IMSI (subscriber ids)', (x.imsis || {}).count, valuesList(x.imsis)),
        card('ICCID (SIM card ids)', (x.iccids || {}).count, valuesList(x.iccids)),
        card('IMEI (device ids)', (x.imeis || {}).count, valuesList(x.imeis)),
        card('received SMS', rs.count, rs.count ? el('p', { class: 'small' }, 'from ' + fmtTime(rs.first) + ' to ' + fmtTime(rs.last) + ' · ' + BI.fmtInt(rs.correspondents) + ' correspondents') : el('p', { class: 'none' }, 'none found')),
        card('contacts', ct.entries, el('p', { class: 'small' }, BI.fmtInt(ct.people || 0) + ' people · ' + BI.fmtInt(ct.phones || 0) + ' numbers · ' + BI.fmtInt(ct.emails || 0) + ' e-mails' +
          (ct.toXiaomi ? ' · ' + ct.toXiaomi + ' in a Xiaomi account' : '') + (ct.toGoogle ? ' · ' + ct.toGoogle + ' in a Google account' : '')), accTable))));

    wrap.append(indicatorsOverview(s));

    // 2. Device, accounts.
    const d = s.device || {};
    const xd = x.device || {};
    const dev = dl([['Model', [d.brand, d.model].filter(Boolean).join(' ')], ['Codename', d.codename], ['ROM', d.rom], ['Android SDK', d.androidSdk], ['Fingerprint', d.fingerprint],
      ['Backup time', d.backupTime ? fmtTime(d.backupTime) : ''], ['Android IDs', xd.androidIds ? String(xd.androidIds) : ''], ['Serial numbers', (xd.serials || []).map(mv).join(', ')],
      ['Owner profile card', xd.ownerProfile ? 'present' : '']]);
    if (!dev.children.length) dev.append(el('dt', {}, 'Device'), el('dd', { class: 'none' }, 'nothing about the device was found'));
    const accs = el('ul', { class: 'accounts' });
    for (const a of x.accounts || []) accs.append(el('li', {}, accountBadge(a), ' ', el('span', { class: 'mono' }, mv(a.name)), el('span', { class: 'src' }, ' · ' + (a.sources || []).join(', '))));
    if (!accs.children.length) accs.append(el('li', { class: 'none' }, 'no accounts found'));
    const m = x.messages || {}, cl = x.calls || {}, del = x.deleted || {};
    wrap.append(el('div', { class: 'cols' },
      el('section', { testid: 'device' }, el('h2', {}, 'Device'), dev),
      el('section', { testid: 'accounts' }, el('h2', {}, 'Accounts'), accs),
      el('section', { testid: 'activity' }, el('h2', {}, 'Messages, calls and more'), dl([
        ['Messages', c.messages.live ? BI.fmtInt(c.messages.live) + ' (' + [m.sms ? BI.fmtInt(m.sms) + ' SMS' : '', m.mms ? BI.fmtInt(m.mms) + ' MMS' : '',
          c.messages.live - (m.sms || 0) - (m.mms || 0) > 0 ? BI.fmtInt(c.messages.live - (m.sms || 0) - (m.mms || 0)) + ' from other apps' : ''].filter(Boolean).join(', ') + ')' +
          (m.received || m.sent ? ': ' + BI.fmtInt(m.received) + ' received, ' + BI.fmtInt(m.sent) + ' sent, ' + BI.fmtInt(m.drafts) + ' drafts, ' + BI.fmtInt(m.failed) + ' failed' : '') : 'none'],
        ['Conversations', m.conversations ? BI.fmtInt(m.conversations) + ' with ' + BI.fmtInt(m.correspondents) + ' correspondents' : ''],
        ['Message dates', m.first ? fmtTime(m.first) + ' to ' + fmtTime(m.last) : ''],
        ['With links / attachments', m.withLinks || m.attachments ? BI.fmtInt(m.withLinks) + ' / ' + BI.fmtInt(m.attachments) : ''],
        ['Calls', cl.total ? BI.fmtInt(cl.total) + ' (' + Object.entries(cl.byDirection || {}).map(([k, v]) => v + ' ' + k).join(', ') + '), ' + BI.fmtDuration(cl.talkSeconds) + ' talk time, ' + BI.fmtInt(cl.distinctNumbers) + ' numbers' : 'none'],
        ['Call dates', cl.first ? fmtTime(cl.first) + ' to ' + fmtTime(cl.last) : ''],
        ['Wi-Fi networks', (x.wifi || {}).networks ? x.wifi.networks + ' saved, ' + x.wifi.withPassword + ' with a stored password (never shown)' : ''],
        ['Bluetooth devices', (x.bluetooth || {}).devices ? String(x.bluetooth.devices) : ''],
        ['Apps with data', c.apps && c.apps.total ? BI.fmtInt(c.apps.total) + ' (see Files ▸ Apps)' : ''],
        ['Deleted but present', del.messages || del.contacts || del.calls || del.records ? del.messages + ' messages, ' + del.contacts + ' contacts, ' + del.calls + ' calls, ' + del.records + ' recovered database records' : ''],
      ]))));

    // 3. Coverage, problems, inputs.
    const cov = el('ul', { class: 'coverage', testid: 'coverage' });
    for (const cv of x.coverage || []) cov.append(el('li', {}, el('span', { class: 'badge st-' + cv.status }, cv.status), ' ', el('span', { class: 'path' }, cv.path), cv.note ? el('span', { class: 'src' }, ' — ' + cv.note) : null));
    if (!cov.children.length) cov.append(el('li', { class: 'none' }, 'no inputs'));
    const limits = el('ul', { class: 'limits' }, (x.limits || []).map((l) => el('li', {}, l)));
    const probs = el('ul', { class: 'problems-short' });
    for (const p of s.problems.slice(0, 5)) probs.append(el('li', { class: 'problem' }, problemText(p)));
    const goProblems = el('button', { type: 'button', class: 'linklike' }, 'See all ' + c.problems.total + ' problem(s)');
    goProblems.addEventListener('click', () => $('tab-problems').click());
    const inputs = el('table', { class: 'mini', testid: 'inputs' }, el('thead', {}, el('tr', {}, el('th', {}, 'Input'), el('th', {}, 'Format'), el('th', {}, 'Size'), el('th', {}, 'SHA-256'))),
      el('tbody', {}, s.inputs.map((i) => el('tr', {}, el('td', { class: 'path' }, i.name), el('td', {}, i.format), el('td', { class: 'num', title: i.size + ' bytes' }, BI.fmtBytes(i.size)),
        el('td', { class: 'mono hash' }, pending(i.sha256) ? 'computing…' : i.sha256 || 'folder: see Files', i.sha256 && !pending(i.sha256) ? copyButton(i.sha256, 'the SHA-256') : null)))));
    wrap.append(el('div', { class: 'cols' },
      el('section', {}, el('h2', {}, 'Coverage'), cov, limits.children.length ? el('h3', {}, 'Limits') : null, limits.children.length ? limits : null),
      el('section', {}, el('h2', {}, 'Problems'), c.problems.total ? [probs, goProblems] : el('p', { class: 'none' }, 'Every input was read without problems.')),
      el('section', { class: 'wide' }, el('h2', {}, 'Inputs'), inputs, el('p', { class: 'small' }, 'Report written by ' + s.generator.name + ' version ' + s.generator.version + '.'))));
    view.append(wrap);
    return null;
  }

  // indicatorsOverview: the indicator counts on the overview, or how to
  // load indicator files.
  function indicatorsOverview(s) {
    const x = s.indicators;
    const go = el('button', { type: 'button', class: 'linklike', testid: 'ioc-see', on: { click: () => $('tab-indicators').click() } }, x ? 'See the indicator matches' : 'About indicators');
    if (!x) {
      return el('section', { class: 'ioc-sum none-loaded', testid: 'indicators-summary' }, el('p', { class: 'small' },
        'No indicator files loaded. Drop STIX2 bundles or lists of phone numbers on the page to compare this report with them, offline. ', go));
    }
    const ck = x.checked || {};
    const card2 = (n, what, testid) => el('div', { class: 'stat', testid }, el('span', { class: 'card-n' }, BI.fmtInt(n || 0)), ' ', what);
    return el('section', { class: 'ioc-sum' + (x.matches ? ' hot' : ''), testid: 'indicators-summary', 'aria-labelledby': 'ioc-h' },
      el('div', { class: 'sec-h' }, el('h2', { id: 'ioc-h' }, 'Indicators'), go),
      el('div', { class: 'stats' },
        card2(x.matches, 'indicator match(es)' + (x.matches ? ' in ' + BI.fmtInt(x.records) + ' record(s)' : ''), 'ioc-sum-matches'),
        card2(ck.links, 'links checked', 'ioc-sum-links'), card2(ck.apps, 'apps checked', 'ioc-sum-apps'), card2(ck.files, 'files checked', 'ioc-sum-files'),
        card2(ck.emails, 'e-mail addresses'), card2(ck.phoneNumbers, 'phone numbers'),
        x.notResolved ? card2(x.notResolved, 'shortened links not resolved') : null, x.unsupported ? card2(x.unsupported, 'indicators not used') : null),
      el('p', { class: 'small' }, 'From ' + x.bundles.map((b) => b.name).join(', ') + '. ' + x.note));
  }

  function problemText(p) {
    return (p.path || p.input || '') + (p.offset != null ? ' at offset ' + p.offset : '') + ': ' + p.message + (p.code ? ' [' + p.code + ']' : '');
  }

  const KIND_LABEL = { google: 'Google', xiaomi: 'Xiaomi', sim: 'SIM', local: 'Phone', app: 'App', other: 'Other' };
  function accountBadge(a) {
    const kind = a.kind || 'other';
    return el('span', { class: 'badge acc acc-' + kind.replace(/[^a-z]/g, ''), title: a.type + (a.name ? ' · ' + mv(a.name) : '') }, (KIND_LABEL[kind] || kind) + (kind === 'app' || kind === 'other' ? ' ' + a.type : ''));
  }

  function copyButton(text, what) {
    return el('button', { type: 'button', class: 'inline copy', title: 'Copy ' + (what || ''), 'aria-label': 'Copy ' + (what || ''), on: { click: (ev) => { ev.stopPropagation(); copyText(text, what); } } }, 'Copy');
  }

  // ---- Generic record view: toolbar, virtual table, detail panel ----
  function recordView(view, o) {
    const vs = vstate(o.name, o.defaults);
    const c = state.summary.counts[o.name] || {};
    const toolbar = el('div', { class: 'toolbar' });
    const filter = el('input', { type: 'search', testid: 'filter', placeholder: o.placeholder || 'Filter…', value: vs.filter, 'aria-label': 'Filter ' + o.name });
    const countEl = el('span', { class: 'view-count', testid: 'view-count', 'aria-live': 'polite' }, '…');
    const countOf = el('span', { class: 'count-of' });
    const csvBtn = el('button', { type: 'button', testid: 'export-csv' }, 'Export CSV');
    const extra = o.toolbar ? o.toolbar(vs) : null;
    let parts = null;
    if (o.parts && (c.deleted || vs.part === 'deleted')) {
      parts = el('div', { class: 'seg', role: 'group', 'aria-label': 'live or deleted records' },
        segButton('Live ' + BI.fmtInt(c.live), vs.part === 'live', 'part-live', () => { vs.part = 'live'; showTab(state.tab, true); }),
        segButton('Deleted ' + BI.fmtInt(c.deleted), vs.part === 'deleted', 'part-deleted', () => { vs.part = 'deleted'; showTab(state.tab, true); }, 'del'));
    }
    // A record opened from elsewhere (an indicator match): only that one,
    // until the chip is cleared.
    let only = null;
    if (vs.source) {
      only = el('span', { class: 'chip', testid: 'source-chip', title: BI.visible(vs.source) }, 'Only the record at ' + shortSource(vs.source),
        el('button', { type: 'button', 'aria-label': 'Show every record', on: { click: () => { vs.source = ''; showTab(state.tab, true); } } }, '×'));
    }
    toolbar.append(...[filter, parts, extra, only, el('span', { class: 'counter' }, countEl, countOf), csvBtn].filter(Boolean));
    const detail = el('aside', { class: 'detail', testid: 'detail', 'aria-live': 'polite' }, el('p', { class: 'none' }, o.detailHint || 'Select a row (click, or arrow keys) to see everything about it.'));
    const q = (extraQ) => Object.assign({ view: o.query || o.name, part: vs.part, filter: vs.filter, global: state.global, brush: state.brush, sort: vs.sort, desc: vs.desc, source: vs.source || '' }, o.extraQuery ? o.extraQuery(vs) : null, extraQ);
    const table = new VTable({
      columns: o.columns, label: o.label || o.name, testid: o.testid || 'table', rowHeight: o.rowHeight,
      sort: vs.sort ? { id: vs.sort, desc: vs.desc } : null,
      onSort: (id, desc) => { vs.sort = id; vs.desc = desc; table.reload(); },
      rowClass: (r) => (o.rowClass ? o.rowClass(r) : '') + (r.r && r.r.deleted ? ' deleted' : ''),
      rowTestId: o.rowTestId,
      fetch: async (offset, limit) => {
        const res = await rpc('query', q({ offset, limit }));
        countEl.textContent = res.records != null ? res.records : res.count;
        const n = res.records != null ? res.records : res.count;
        countOf.textContent = (n !== res.total ? ' of ' + BI.fmtInt(res.total) : '') + ' ' + (o.unit || 'records') +
          (vs.part === 'deleted' ? ' (deleted)' : '');
        return res;
      },
      onSelect: (r) => { detail.replaceChildren(...(o.detail ? o.detail(r) : genericDetail(r.r)).flat().filter(Boolean)); },
      onActivate: o.onActivate,
      empty: o.empty,
    });
    let ft = 0;
    filter.addEventListener('input', () => { clearTimeout(ft); ft = setTimeout(() => { vs.filter = filter.value.trim(); table.reload(); }, 150); });
    filter.addEventListener('keydown', (ev) => { if (ev.key === 'ArrowDown') { ev.preventDefault(); table.root.focus(); table.select(Math.max(0, table.selected)); } });
    csvBtn.addEventListener('click', async () => {
      const buf = await rpc('csv', q());
      download((o.csvName || o.name) + '.csv', new Blob([buf], { type: 'text/csv;charset=utf-8' }));
    });
    const split = el('div', { class: 'split' + (o.noDetail ? ' nodetail' : '') }, table.root, o.noDetail ? null : detail);
    view.append(el('div', { class: 'viewhead' }, el('h2', { class: 'vh' }, o.title), o.intro ? el('p', { class: 'small intro' }, o.intro) : null), toolbar, split);
    if (o.after) view.append(o.after());
    table.reload().then(() => { if (vs.source && table.count && table.selected < 0) table.select(0); });
    return { table, refresh: () => table.reload(), destroy: () => clearTimeout(ft) };
  }

  function segButton(label, on, testid, fn, cls) {
    return el('button', { type: 'button', class: 'segb' + (on ? ' on' : '') + (cls ? ' ' + cls : ''), testid, 'aria-pressed': on ? 'true' : 'false', on: { click: fn } }, label);
  }

  function genericDetail(r) {
    const out = [];
    const d = el('dl', { class: 'kv' });
    for (const [k, v] of Object.entries(r || {})) {
      if (v == null || v === '' || (Array.isArray(v) && !v.length)) continue;
      d.append(el('dt', {}, k), el('dd', {}, valueText(k, v)));
    }
    out.push(d);
    return out;
  }

  function valueText(k, v) {
    if (typeof v === 'string') return /time$/i.test(k) && /^\d{4}-\d\d-\d\dT/.test(v) ? fmtTime(v) : v;
    if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    return JSON.stringify(v, (kk, vv) => (typeof vv === 'bigint' ? vv.toString() : vv), 1);
  }

  // ---- Messages ----
  const DIR_MARK = { incoming: '↙ in', outgoing: '↗ out', draft: '✎ draft', failed: '✗ failed', other: '· other', missed: '✗ missed', rejected: '⊘ rejected', blocked: '⊘ blocked', voicemail: '✉ voicemail' };
  const timeCol = (get) => ({ id: 'time', label: 'Time (' + zone().label + ')', width: state.zone === 'UTC' ? 'minmax(12.5rem, 13.5rem)' : 'minmax(14.5rem, 15.5rem)', min: 13, render: (x, cell) => { const t = get(x); txt(cell, fmtTime(t)); if (t) cell.title = zone().format(t, true); } });
  // shortSource keeps the file name and the record locator of a provenance
  // path (the whole path is in the cell's title and in the detail panel).
  const shortSource = (src) => {
    src = src || '';
    const h = src.indexOf('#');
    const path = h < 0 ? src : src.slice(0, h);
    const cut = Math.max(path.lastIndexOf('!'), path.lastIndexOf('/'));
    return path.slice(cut + 1) + (h < 0 ? '' : src.slice(h));
  };
  const srcCol = (get) => ({ id: 'source', label: 'Source', width: 'minmax(8rem, 16rem)', min: 8, render: (x, cell) => { txt(cell, shortSource(get(x))); cell.title = BI.visible(get(x)); cell.classList.add('src'); } });

  function messageColumns() {
    return [
      timeCol((x) => x.r.time),
      { id: 'direction', label: 'Dir.', width: '6.5rem', min: 6.5, render: (x, cell) => { txt(cell, DIR_MARK[x.r.direction] || x.r.direction); cell.classList.add('dir-' + x.r.direction); } },
      { id: 'kind', label: 'Kind', width: '3.5rem', min: 3.5, render: (x, cell) => txt(cell, x.r.kind) },
      { id: 'address', label: 'Correspondent', width: 'minmax(9rem, 14rem)', min: 9, render: (x, cell) => txt(cell, [x.r.name, x.r.address || (x.r.addresses || []).join(', ')].filter(Boolean).join(' · ')) },
      { id: 'body', label: 'Text', width: 'minmax(12rem, 3fr)', min: 12, render: (x, cell) => { txt(cell, (x.r.subject ? x.r.subject + ' — ' : '') + (x.r.body || '')); cell.classList.add('body'); } },
      { id: 'attachments', label: 'Att.', width: '3.2rem', min: 3.2, render: (x, cell) => txt(cell, (x.r.attachments || []).length || '') },
      srcCol((x) => x.r.source),
    ];
  }

  function linkList(links) {
    if (!links || !links.length) return null;
    return el('ul', { class: 'links', testid: 'links' }, links.map((l) => el('li', {},
      el('span', { class: 'mono link-text', title: 'Links are shown as text and never opened' }, l.url),
      l.display && l.display !== l.host ? el('span', { class: 'badge warn' }, 'IDN: ' + l.display) : null,
      l.shortener ? el('span', { class: 'badge warn' }, 'shortened link — not resolved') : null,
      copyButton(l.url, 'the link'))));
  }
  function attachmentList(atts) {
    if (!atts || !atts.length) return null;
    return el('ul', { class: 'atts', testid: 'attachments' }, atts.map((a) => el('li', {}, 'Attachment: ',
      el('span', {}, a.name || '(no name)'), el('span', { class: 'src' }, ' · ' + a.contentType + ' · ' + BI.fmtBytes(a.size) + ' · ' + (a.present ? 'in the backup' : 'not in the backup')),
      a.path ? el('div', { class: 'src path' }, a.path) : null)));
  }

  function messageDetail(x) {
    const r = x.r;
    return [
      r.deleted ? el('p', { class: 'badge del' }, 'Deleted record, still present in the file') : null,
      dl([['Time', fmtTime(r.time)], ['Sent', r.sentTime ? fmtTime(r.sentTime) : ''], ['Direction', r.direction], ['Kind', r.kind],
        ['Address', r.address], ['All addresses', (r.addresses || []).join(', ')], ['Name', r.name], ['Read', r.read == null ? '' : r.read ? 'yes' : 'no'],
        ['Conversation', r.thread], ['SIM (sub id)', r.subId == null ? '' : String(r.subId)], ['Subject', r.subject]]),
      el('div', { class: 'fulltext', testid: 'detail-body' }, r.body || ''),
      attachmentList(r.attachments), linkList(r.links),
      r.extra ? dl(Object.entries(r.extra).sort()) : null,
      el('p', { class: 'src' }, 'Source: ', el('span', { class: 'mono' }, r.source)),
    ];
  }

  function buildMessages(view) {
    const vs = vstate('messages', { mode: 'threads' });
    const modes = el('div', { class: 'seg', role: 'group', 'aria-label': 'how to show messages' },
      segButton('Conversations', vs.mode === 'threads', 'messages-mode-threads', () => { vs.mode = 'threads'; showTab('messages', true); }),
      segButton('All messages', vs.mode === 'table', 'messages-mode-table', () => { vs.mode = 'table'; showTab('messages', true); }));
    if (vs.mode === 'table') {
      return recordView(view, {
        name: 'messages', title: 'Messages', columns: messageColumns(), parts: true, testid: 'messages-table', unit: 'messages',
        toolbar: () => modes, detail: messageDetail, placeholder: 'Filter messages (words, numbers, names)…',
      });
    }
    return buildConversations(view, vs, modes);
  }

  function buildConversations(view, vs, modes) {
    const c = state.summary.counts.messages;
    const filter = el('input', { type: 'search', testid: 'filter', placeholder: 'Filter conversations by any message text, number or name…', value: vs.filter, 'aria-label': 'Filter messages' });
    const countEl = el('span', { class: 'view-count', testid: 'view-count' }, '…');
    const countOf = el('span', { class: 'count-of' });
    const csvBtn = el('button', { type: 'button', testid: 'export-csv' }, 'Export CSV');
    let parts = null;
    if (c.deleted || vs.part === 'deleted') {
      parts = el('div', { class: 'seg', role: 'group' },
        segButton('Live ' + BI.fmtInt(c.live), vs.part === 'live', 'part-live', () => { vs.part = 'live'; vs.thread = ''; showTab('messages', true); }),
        segButton('Deleted ' + BI.fmtInt(c.deleted), vs.part === 'deleted', 'part-deleted', () => { vs.part = 'deleted'; vs.thread = ''; showTab('messages', true); }, 'del'));
    }
    const base = () => ({ part: vs.part, filter: vs.filter, global: state.global, brush: state.brush });
    const bubbles = el('section', { class: 'bubbles', testid: 'bubbles', 'aria-label': 'messages of the conversation', tabIndex: 0 }, el('p', { class: 'none' }, 'Choose a conversation.'));
    const threads = new VTable({
      label: 'conversations', testid: 'thread-table', rowHeight: 52, minWidth: 14,
      columns: [{ id: 'thread', label: 'Conversations', width: 'minmax(12rem, 1fr)', render: (x, cell) => {
        const t = x.r;
        cell.classList.add('thread-cell');
        cell.append(el('div', { class: 'tline' }, el('span', { class: 'tname' }, t.names.length ? t.names.join(', ') : t.addresses.join(', ') || '(no address)'),
          el('span', { class: 'tcount badge' }, String(vs.part === 'deleted' ? t.deleted : t.count)), t.unread ? el('span', { class: 'badge warn' }, t.unread + ' unread') : null),
        el('div', { class: 'tlast' }, el('span', { class: 'ttime' }, t.last ? fmtTime(t.last) : ''), ' ', t.lastBody));
      } }],
      rowTestId: () => 'thread',
      fetch: async (offset, limit) => {
        const res = await rpc('query', Object.assign(base(), { view: 'threads', offset, limit }));
        const n = await rpc('query', Object.assign(base(), { view: 'messages', offset: 0, limit: 1 }));
        countEl.textContent = n.count;
        countOf.textContent = (n.count !== n.total ? ' of ' + BI.fmtInt(n.total) : '') + ' messages in ' + BI.fmtInt(res.count) + ' conversations';
        if (offset === 0 && res.rows.length) {
          const k = Math.max(0, res.rows.findIndex((x) => x.r.key === vs.thread));
          setTimeout(() => threads.select(k), 0);
        }
        return res;
      },
      onSelect: (x) => { vs.thread = x.r.key; showThread(x.r); },
      empty: 'No conversation matches.',
    });
    let ft = 0;
    filter.addEventListener('input', () => { clearTimeout(ft); ft = setTimeout(() => { vs.filter = filter.value.trim(); vs.thread = ''; threads.reload(); }, 150); });
    csvBtn.addEventListener('click', async () => {
      const buf = await rpc('csv', Object.assign(base(), { view: 'messages' }));
      download('messages.csv', new Blob([buf], { type: 'text/csv;charset=utf-8' }));
    });

    const PAGE = 150;
    async function showThread(t, offset) {
      const q = Object.assign(base(), { view: 'messages', thread: t.key, sort: 'time', desc: false });
      const head = await rpc('query', Object.assign({}, q, { offset: 0, limit: 1 }));
      if (offset == null) offset = Math.max(0, head.count - PAGE);
      const res = await rpc('query', Object.assign({}, q, { offset, limit: PAGE }));
      bubbles.replaceChildren();
      bubbles.append(el('header', { class: 'bh' }, el('strong', {}, t.names.join(', ') || t.addresses.join(', ')), el('span', { class: 'src' }, ' ' + t.addresses.join(', ') + ' · ' + res.count + ' message(s) shown' + (t.deleted ? ', ' + t.deleted + ' deleted' : ''))));
      if (offset > 0) bubbles.append(el('button', { type: 'button', class: 'more', testid: 'earlier', on: { click: () => showThread(t, Math.max(0, offset - PAGE)) } }, 'Earlier messages (' + offset + ')'));
      let day = '';
      for (const x of res.rows) {
        const r = x.r;
        const d = r.time ? fmtTime(r.time).slice(0, 10) : '';
        if (d !== day) { day = d; bubbles.append(el('div', { class: 'day' }, d ? d + ' (' + zone().label + ')' : 'no date')); }
        const dir = r.direction === 'incoming' ? 'in' : 'out';
        bubbles.append(el('article', { class: 'bubble ' + dir + ' b-' + r.direction + (r.deleted ? ' deleted' : ''), testid: 'bubble' },
          el('div', { class: 'bmeta' }, (r.direction === 'incoming' ? (r.name || r.address) : 'me') + ' · ' + fmtTime(r.time) + (r.direction !== 'incoming' && r.direction !== 'outgoing' ? ' · ' + r.direction : '') +
            (r.subId != null ? ' · SIM ' + r.subId : '') + (r.deleted ? ' · DELETED' : '') + (r.kind && r.kind !== 'sms' ? ' · ' + r.kind.toUpperCase() : '')),
          r.subject ? el('div', { class: 'bsubj' }, r.subject) : null,
          el('div', { class: 'btext' }, r.body || ''),
          attachmentList(r.attachments), linkList(r.links)));
      }
      if (offset + res.rows.length < res.count) bubbles.append(el('button', { type: 'button', class: 'more', testid: 'later', on: { click: () => showThread(t, offset + PAGE) } }, 'Later messages (' + (res.count - offset - res.rows.length) + ')'));
      if (offset + PAGE >= res.count) bubbles.scrollTop = bubbles.scrollHeight;
    }

    view.append(el('div', { class: 'viewhead' }, el('h2', { class: 'vh' }, 'Messages')),
      el('div', { class: 'toolbar' }, filter, parts, modes, el('span', { class: 'counter' }, countEl, countOf), csvBtn),
      el('div', { class: 'convo' }, threads.root, bubbles));
    threads.reload();
    return { refresh: () => { vs.thread = ''; threads.reload(); }, destroy: () => clearTimeout(ft) };
  }

  // ---- Contacts ----
  function buildContacts(view) {
    return recordView(view, {
      name: 'contacts', title: 'Contacts', parts: true, unit: 'contacts', testid: 'contacts-table', placeholder: 'Filter contacts…',
      intro: 'People in the address book. The badges say which account each entry syncs to (Google, Xiaomi Mi Cloud, SIM, phone only, apps).',
      columns: [
        { id: 'name', label: 'Name', width: 'minmax(9rem, 14rem)', min: 9, render: (x, cell) => { txt(cell, (x.r.starred ? '★ ' : '') + (x.r.name || '(no name)') + (x.r.nickname ? ' (' + x.r.nickname + ')' : '')); if (x.r.owner) cell.append(el('span', { class: 'badge ok' }, 'owner')); } },
        { id: 'phones', label: 'Phones', width: 'minmax(9rem, 13rem)', min: 9, render: (x, cell) => txt(cell, (x.r.phones || []).map((p) => p.number).join(', ')) },
        { id: 'emails', label: 'E-mails', width: 'minmax(8rem, 1fr)', min: 8, render: (x, cell) => txt(cell, (x.r.emails || []).join(', ')) },
        { id: 'accounts', label: 'Accounts', width: 'minmax(8rem, 12rem)', min: 8, render: (x, cell) => { for (const a of x.r.accounts || []) cell.append(accountBadge(a), ' '); } },
        { id: 'organizations', label: 'Organization', width: 'minmax(6rem, 10rem)', min: 6, render: (x, cell) => txt(cell, (x.r.organizations || []).join(', ')) },
        srcCol((x) => x.r.source),
      ],
      detail: (x) => {
        const r = x.r;
        return [r.deleted ? el('p', { class: 'badge del' }, 'Deleted contact, still present in the file') : null,
          el('h3', {}, r.name || '(no name)'),
          dl([['Nickname', r.nickname], ['Phones', (r.phones || []).map((p) => p.number + (p.type ? ' (' + p.type + ')' : '') + (p.normalized && p.normalized !== p.number ? ' = ' + p.normalized : '')).join('\n')],
            ['E-mails', (r.emails || []).join('\n')], ['Organizations', (r.organizations || []).join('\n')], ['Addresses', (r.addresses || []).join('\n')],
            ['Notes', (r.notes || []).join('\n')], ['Groups', (r.groups || []).join(', ')], ['Websites', (r.websites || []).join('\n')], ['Messengers', (r.ims || []).join('\n')],
            ['Birthday', r.birthday], ['Photos', r.photos ? String(r.photos) : ''], ['Starred', r.starred ? 'yes' : ''], ['Device owner\'s card', r.owner ? 'yes' : '']]),
          el('div', { class: 'accs' }, (r.accounts || []).map((a) => el('div', {}, accountBadge(a), ' ', a.type, a.name ? ' · ' + mv(a.name) : ''))),
          linkList(r.links),
          r.extra ? dl(Object.entries(r.extra).sort()) : null,
          el('p', { class: 'src' }, 'Source: ', el('span', { class: 'mono' }, r.source))];
      },
    });
  }

  // ---- Calls ----
  function buildCalls(view) {
    return recordView(view, {
      name: 'calls', title: 'Call log', parts: true, unit: 'calls', testid: 'calls-table', placeholder: 'Filter calls…',
      columns: [
        timeCol((x) => x.r.time),
        { id: 'direction', label: 'Type', width: '7.5rem', min: 7.5, render: (x, cell) => { txt(cell, DIR_MARK[x.r.direction] || x.r.direction); cell.classList.add('dir-' + x.r.direction); } },
        { id: 'number', label: 'Number', width: 'minmax(9.5rem, 11rem)', min: 9.5, render: (x, cell) => txt(cell, x.r.number || '(hidden)') },
        { id: 'name', label: 'Name', width: 'minmax(6rem, 1fr)', min: 6, render: (x, cell) => txt(cell, x.r.name) },
        { id: 'duration', label: 'Duration', width: '5.5rem', min: 5.5, render: (x, cell) => { txt(cell, BI.fmtDuration(x.r.durationSeconds || 0)); cell.classList.add('num'); } },
        { id: 'location', label: 'Location', width: 'minmax(5rem, 10rem)', min: 5, render: (x, cell) => txt(cell, [x.r.location, x.r.countryIso].filter(Boolean).join(' · ')) },
        { id: 'phoneAccount', label: 'SIM', width: 'minmax(3.5rem, 8rem)', min: 3.5, render: (x, cell) => txt(cell, x.r.phoneAccount) },
        srcCol((x) => x.r.source),
      ],
      detail: (x) => {
        const r = x.r;
        return [r.deleted ? el('p', { class: 'badge del' }, 'Deleted call, still present in the file') : null,
          dl([['Time', fmtTime(r.time)], ['Type', r.direction], ['Number', r.number || '(hidden)'], ['Name', r.name], ['Duration', BI.fmtDuration(r.durationSeconds || 0) + ' (' + (r.durationSeconds || 0) + ' s)'],
            ['Location', r.location], ['Country', r.countryIso], ['SIM / phone account', r.phoneAccount], ['Features', (r.features || []).join(', ')]]),
          r.extra ? dl(Object.entries(r.extra).sort()) : null,
          el('p', { class: 'src' }, 'Source: ', el('span', { class: 'mono' }, r.source))];
      },
    });
  }

  // ---- Identifiers ----
  const ID_LABEL = { imei: 'IMEI', meid: 'MEID', imsi: 'IMSI', iccid: 'ICCID', eid: 'EID', 'phone-number': 'Phone number', 'android-id': 'Android ID', 'advertising-id': 'Advertising ID',
    serial: 'Serial number', account: 'Account', 'wifi-network': 'Wi-Fi network', 'bluetooth-device': 'Bluetooth device', 'mac-address': 'MAC address', device: 'Device' };
  function buildIdentifiers(view) {
    const reveal = el('button', { type: 'button', testid: 'reveal-toggle', 'aria-pressed': state.reveal ? 'true' : 'false' }, state.reveal ? 'Mask values' : 'Reveal values');
    reveal.addEventListener('click', () => { state.reveal = !state.reveal; showTab('identifiers', true); });
    return recordView(view, {
      name: 'identifiers', title: 'Identifiers', unit: 'identifiers', testid: 'identifiers-table', placeholder: 'Filter identifiers…',
      intro: 'Values that identify the phone, the SIM cards, the subscriber and the accounts. "Valid" means the value passes its check (Luhn digit, length, prefix). Stored passwords and keys are never shown.',
      toolbar: () => reveal,
      columns: [
        { id: 'kind', label: 'Kind', width: 'minmax(7rem, 9rem)', min: 7, render: (x, cell) => txt(cell, ID_LABEL[x.r.kind] || x.r.kind) },
        { id: 'value', label: 'Value', width: 'minmax(10rem, 1fr)', min: 10, render: (x, cell) => { txt(cell, mv(x.r.value)); cell.classList.add('mono'); if (x.r.secret) cell.append(el('span', { class: 'badge warn' }, 'secret stored, not shown')); } },
        { id: 'valid', label: 'Valid', width: '6rem', min: 6, render: (x, cell) => { txt(cell, x.r.valid ? '✓ valid' : '✗ fails check'); cell.classList.add(x.r.valid ? 'ok' : 'bad'); } },
        { id: 'label', label: 'Label', width: 'minmax(6rem, 10rem)', min: 6, render: (x, cell) => txt(cell, x.r.label) },
        srcCol((x) => x.r.source),
      ],
      detail: (x) => {
        const r = x.r;
        return [dl([['Kind', ID_LABEL[r.kind] || r.kind], ['Value', el('span', { class: 'mono' }, mv(r.value))], ['Valid', r.valid ? 'yes' : 'no — fails its check'], ['Label', r.label],
          ['Secret', r.secret ? 'a password or key is stored for it (never shown)' : '']]),
          r.details ? dl(Object.entries(r.details).sort()) : null,
          state.reveal ? copyButton(r.value, 'the value') : null,
          el('p', { class: 'src' }, 'Source: ', el('span', { class: 'mono' }, r.source))];
      },
    });
  }

  // ---- Timeline ----
  function buildTimeline(view) {
    const tl = state.tl;
    const chartBox = el('div', { class: 'chart', testid: 'timeline-chart', tabIndex: 0, role: 'img', 'aria-label': 'events per time bucket; drag to filter by time' });
    const svgNS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(svgNS, 'svg');
    chartBox.append(svg);
    const bucketSel = el('select', { testid: 'bucket-select', 'aria-label': 'bucket size' }, ['auto', 'hour', 'day', 'week'].map((b) => el('option', { value: b, selected: tl.bucket === b }, b === 'auto' ? 'Bucket: auto' : 'per ' + b)));
    const info = el('span', { class: 'small', testid: 'timeline-info' });
    const btn = (label, testid, fn) => el('button', { type: 'button', testid, on: { click: fn } }, label);
    const legend = el('span', { class: 'legend' }, el('i', { class: 'sw in' }), 'received ', el('i', { class: 'sw out' }), 'sent ', el('i', { class: 'sw call' }), 'calls');
    let hist = null;
    const range = () => (hist && hist.buckets.length ? [hist.from, hist.to] : null);
    function zoom(f, center) {
      const r = range();
      if (!r) return;
      const c = center != null ? center : (r[0] + r[1]) / 2;
      const half = Math.max(3600000, ((r[1] - r[0]) * f) / 2);
      tl.from = c - half; tl.to = c + half;
      draw();
    }
    function pan(f) { const r = range(); if (!r) return; const d = (r[1] - r[0]) * f; tl.from = r[0] + d; tl.to = r[1] + d; draw(); }
    const tools = el('div', { class: 'toolbar' },
      btn('Zoom in', 'zoom-in', () => zoom(0.5)), btn('Zoom out', 'zoom-out', () => zoom(2)),
      btn('Zoom to time filter', 'zoom-brush', () => { if (state.brush) { tl.from = state.brush[0]; tl.to = state.brush[1]; draw(); } }),
      btn('Show all', 'zoom-reset', () => { tl.from = tl.to = null; draw(); }), bucketSel, legend, info);
    bucketSel.addEventListener('change', () => { tl.bucket = bucketSel.value; draw(); });
    chartBox.addEventListener('keydown', (ev) => {
      const k = ev.key;
      if (k === '+' || k === '=') zoom(0.5); else if (k === '-') zoom(2); else if (k === 'ArrowLeft') pan(-0.25); else if (k === 'ArrowRight') pan(0.25); else return;
      ev.preventDefault();
    });

    const W = () => Math.max(320, chartBox.clientWidth || 800);
    const H = 190, PL = 44, PR = 8, PT = 10, PB = 34;
    const xOf = (t, w) => PL + ((t - hist.from) / (hist.to - hist.from)) * (w - PL - PR);
    const tOf = (x, w) => hist.from + ((x - PL) / (w - PL - PR)) * (hist.to - hist.from);
    const mk = (tag, attrs, text) => { const e = document.createElementNS(svgNS, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text != null) e.textContent = text; return e; };

    async function draw() {
      hist = await rpc('histogram', { from: tl.from, to: tl.to, bucket: tl.bucket });
      const w = W();
      svg.setAttribute('viewBox', '0 0 ' + w + ' ' + H);
      svg.setAttribute('width', w);
      svg.setAttribute('height', H);
      svg.replaceChildren();
      if (!hist.buckets.length) { svg.append(mk('text', { x: PL, y: H / 2, class: 'axis' }, 'No dated messages or calls.')); info.textContent = ''; return; }
      const plotH = H - PT - PB;
      const sy = (n) => (hist.max ? (n / hist.max) * plotH : 0);
      svg.append(mk('line', { x1: PL, x2: w - PR, y1: H - PB, y2: H - PB, class: 'axisline' }));
      svg.append(mk('text', { x: PL - 6, y: PT + 10, class: 'axis', 'text-anchor': 'end' }, String(hist.max)));
      svg.append(mk('text', { x: PL - 6, y: H - PB, class: 'axis', 'text-anchor': 'end' }, '0'));
      const bw = Math.max(1, (w - PL - PR) / hist.buckets.length - (hist.buckets.length > 200 ? 0 : 1));
      const g = mk('g', { class: 'bars' });
      for (const b of hist.buckets) {
        const x = xOf(b.from, w);
        let y = H - PB;
        for (const [n, cls] of [[b.msgIn, 'in'], [b.msgOut, 'out'], [b.calls, 'call']]) {
          if (!n) continue;
          const h = Math.max(1, sy(n));
          y -= h;
          const r = mk('rect', { x: x.toFixed(1), y: y.toFixed(1), width: bw.toFixed(1), height: h.toFixed(1), class: 'bar ' + cls });
          g.append(r);
        }
        const hit = mk('rect', { x: x.toFixed(1), y: PT, width: Math.max(bw, 1).toFixed(1), height: plotH, class: 'hit', 'data-from': b.from, 'data-to': b.to });
        hit.append(mk('title', {}, wall(b.from) + ' (' + zone().label + '): ' + b.msgIn + ' received, ' + b.msgOut + ' sent, ' + b.calls + ' calls'));
        g.append(hit);
      }
      svg.append(g);
      const maxTicks = Math.max(2, Math.min(10, Math.floor(w / 110)));
      const step = Math.max(1, Math.ceil(hist.buckets.length / maxTicks));
      for (let k = 0; k < hist.buckets.length; k += step) {
        const t = hist.buckets[k].from;
        const x = xOf(t, w);
        svg.append(mk('line', { x1: x, x2: x, y1: H - PB, y2: H - PB + 4, class: 'axisline' }));
        const label = hist.bucket === 'hour' ? wall(t).slice(5) : wall(t).slice(0, 10);
        svg.append(mk('text', { x, y: H - PB + 16, class: 'axis', 'text-anchor': k === 0 ? 'start' : 'middle' }, label));
      }
      svg.append(mk('text', { x: w - PR, y: H - 3, class: 'axis', 'text-anchor': 'end' }, 'times in ' + zone().label + ' · per ' + hist.bucket));
      if (state.brush) {
        const a = Math.max(PL, xOf(state.brush[0], w)), z = Math.min(w - PR, xOf(state.brush[1], w));
        if (z > a) svg.append(mk('rect', { x: a, y: PT, width: Math.max(2, z - a), height: plotH, class: 'brush', 'data-testid': 'brush' }));
      }
      sel = mk('rect', { x: 0, y: PT, width: 0, height: plotH, class: 'brush pending', visibility: 'hidden' });
      svg.append(sel);
      info.textContent = BI.fmtInt(hist.total) + ' events' + (hist.capped ? ' (too many buckets: zoom in)' : '') + '. Drag across the chart to filter every view by time; double-click a bar to zoom into it.';
    }
    let sel = null, dragFrom = null, downHit = null;
    const px = (ev) => { const r = svg.getBoundingClientRect(); return ((ev.clientX - r.left) / r.width) * W(); };
    svg.addEventListener('pointerdown', (ev) => {
      if (!hist || !hist.buckets.length) return;
      dragFrom = px(ev);
      downHit = ev.target.closest ? ev.target.closest('rect.hit') : null;
      svg.setPointerCapture(ev.pointerId);
    });
    svg.addEventListener('pointermove', (ev) => {
      if (dragFrom == null || !sel) return;
      const x = px(ev);
      sel.setAttribute('x', Math.min(x, dragFrom)); sel.setAttribute('width', Math.abs(x - dragFrom)); sel.setAttribute('visibility', 'visible');
    });
    svg.addEventListener('pointerup', (ev) => {
      if (dragFrom == null) return;
      const w = W();
      const x = px(ev);
      const a = Math.min(x, dragFrom), z = Math.max(x, dragFrom);
      dragFrom = null;
      if (z - a < 4) {
        if (downHit) setBrush([Number(downHit.dataset.from), Number(downHit.dataset.to)]);
        draw();
        return;
      }
      const size = hist.buckets.length ? hist.buckets[0].to - hist.buckets[0].from : 1;
      const snap = (t) => hist.from + Math.round((t - hist.from) / size) * size;
      let t0 = snap(tOf(a, w)), t1 = snap(tOf(z, w));
      if (t1 <= t0) t1 = t0 + size;
      setBrush([t0, t1]);
      draw();
    });
    svg.addEventListener('dblclick', (ev) => {
      const hit = ev.target.closest && ev.target.closest('rect.hit');
      if (!hit) return;
      tl.from = Number(hit.dataset.from); tl.to = Number(hit.dataset.to);
      if (tl.to - tl.from <= 3600000) { tl.from -= 6 * 3600000; tl.to += 6 * 3600000; }
      draw();
    });
    let ro = null;
    if (window.ResizeObserver) { let lastW = 0; ro = new ResizeObserver(() => { const w = W(); if (Math.abs(w - lastW) > 8) { lastW = w; draw(); } }); }

    view.append(el('div', { class: 'viewhead' }, el('h2', { class: 'vh' }, 'Timeline'),
      el('p', { class: 'small intro' }, 'Every dated message and call. Drag across the chart (or click a bar) to set a time filter that applies to the Messages, Calls and Timeline views.')), tools, chartBox);
    const list = recordView(view, {
      name: 'timeline', title: 'Events', unit: 'events', testid: 'timeline-table', placeholder: 'Filter events…',
      columns: [
        timeCol((x) => x.r.time),
        { id: 'type', label: 'What', width: '5.5rem', min: 5.5, render: (x, cell) => txt(cell, x.type === 'call' ? '☎ call' : '✉ ' + x.r.kind) },
        { id: 'direction', label: 'Dir.', width: '6.5rem', min: 6.5, render: (x, cell) => { txt(cell, DIR_MARK[x.r.direction] || x.r.direction); cell.classList.add('dir-' + x.r.direction); } },
        { id: 'counterpart', label: 'With', width: 'minmax(8rem, 13rem)', min: 8, render: (x, cell) => txt(cell, x.type === 'call' ? [x.r.name, x.r.number].filter(Boolean).join(' · ') : [x.r.name, x.r.address].filter(Boolean).join(' · ')) },
        { id: 'summary', label: 'Summary', width: 'minmax(10rem, 1fr)', min: 10, render: (x, cell) => txt(cell, x.type === 'call' ? BI.fmtDuration(x.r.durationSeconds || 0) + (x.r.location ? ' · ' + x.r.location : '') : (x.r.body || '')) },
        srcCol((x) => x.r.source),
      ],
      detail: (x) => (x.type === 'call' ? genericDetail(x.r) : messageDetail(x)),
    });
    draw().then(() => ro && ro.observe(chartBox));
    return { refresh: () => { list.refresh(); draw(); }, destroy: () => { if (ro) ro.disconnect(); list.destroy(); } };
  }

  // ---- Files ----
  function buildFiles(view) {
    const vs = vstate('files', { part: 'files', collapsed: [] });
    const c = state.summary.counts;
    const parts = el('div', { class: 'seg', role: 'group' },
      segButton('Files ' + BI.fmtInt(c.files.total), vs.part !== 'payloads', 'part-files', () => { vs.part = 'files'; showTab('files', true); }),
      vs.part !== 'payloads' ? segButton('As a tree', !vs.sort, 'files-tree', () => { vs.sort = ''; vs.desc = false; showTab('files', true); }) : null,
      c.apps && c.apps.total ? segButton('Apps ' + BI.fmtInt(c.apps.total), vs.part === 'apps', 'part-apps', () => { vs.part = 'apps'; showTab('files', true); }) : null,
      c.payloads.total ? segButton('Unmapped payloads ' + BI.fmtInt(c.payloads.total), vs.part === 'payloads', 'part-payloads', () => { vs.part = 'payloads'; showTab('files', true); }) : null);
    if (vs.part === 'apps') {
      return recordView(view, {
        name: 'apps', title: 'Files', unit: 'apps', toolbar: () => parts, testid: 'apps-table', placeholder: 'Filter apps…',
        intro: 'Apps whose data is in the backup, with what the backup says about them.',
        columns: [
          { id: 'package', label: 'Package', width: 'minmax(12rem, 2fr)', min: 12, render: (x, cell) => { txt(cell, x.r.package); cell.classList.add('mono'); } },
          { id: 'labels', label: 'Name', width: 'minmax(8rem, 1fr)', min: 8, render: (x, cell) => txt(cell, (x.r.labels || []).join(', ')) },
          { id: 'versionCode', label: 'Version', width: '6rem', min: 6, render: (x, cell) => { txt(cell, x.r.versionCode == null ? '' : String(x.r.versionCode)); cell.classList.add('num'); } },
          { id: 'flags', label: 'Flags', width: 'minmax(6rem, 10rem)', min: 6, render: (x, cell) => {
            if (x.r.apk) cell.append(el('span', { class: 'badge' }, 'APK'));
            if (x.r.encrypted) cell.append(el('span', { class: 'badge warn' }, 'encrypted'));
            if (x.r.xspace) cell.append(el('span', { class: 'badge' }, 'second space'));
          } },
          { id: 'sources', label: 'Found in', width: 'minmax(8rem, 1.5fr)', min: 8, render: (x, cell) => { txt(cell, (x.r.sources || []).join(', ')); cell.classList.add('src'); } },
        ],
        detail: (x) => [dl([['Package', x.r.package], ['Names', (x.r.labels || []).join('\n')], ['Version code', x.r.versionCode == null ? '' : String(x.r.versionCode)],
          ['Installer', x.r.installer], ['Platform SDK', x.r.sdk ? String(x.r.sdk) : ''], ['APK in the backup', x.r.apk ? 'yes' : ''], ['Encrypted', x.r.encrypted ? 'yes' : ''],
          ['Second space (XSpace)', x.r.xspace ? 'yes' : ''], ['MIUI features', (x.r.features || []).join(', ')], ['Signing certificates (SHA-256)', (x.r.certSha256 || []).join('\n')],
          ['Sources', (x.r.sources || []).join('\n')]])],
      });
    }
    if (vs.part === 'payloads') {
      return recordView(view, {
        name: 'payloads', title: 'Files', unit: 'payloads', toolbar: () => parts, testid: 'payloads-table',
        intro: 'Data in a format the tool cannot map to messages, contacts or calls, kept visible instead of dropped.',
        columns: [
          { id: 'path', label: 'Path', width: 'minmax(12rem, 2fr)', min: 12, render: (x, cell) => { txt(cell, x.r.path); cell.classList.add('path'); } },
          { id: 'package', label: 'Package', width: 'minmax(7rem, 1fr)', min: 7, render: (x, cell) => txt(cell, x.r.package) },
          { id: 'format', label: 'Format', width: '6rem', min: 6, render: (x, cell) => txt(cell, x.r.format) },
          { id: 'size', label: 'Size', width: '6rem', min: 6, render: (x, cell) => { txt(cell, BI.fmtBytes(x.r.size)); cell.classList.add('num'); } },
          { id: 'note', label: 'Note', width: 'minmax(8rem, 1fr)', min: 8, render: (x, cell) => txt(cell, x.r.note) },
        ],
        detail: (x) => [dl([['Path', x.r.path], ['Package', x.r.package], ['Feature', x.r.feature], ['Format', x.r.format], ['Size', x.r.size + ' bytes'], ['Note', x.r.note]]),
          x.r.tree ? el('pre', { class: 'tree' }, JSON.stringify(x.r.tree, (k, v) => (typeof v === 'bigint' ? v.toString() : v), 1).slice(0, 200000)) : null],
      });
    }
    const fileDetail = (x) => {
      const r = x.r;
      if (!r) return [dl([['Folder', x.key.replace(/!/g, ' ▸ ')], ['Files below', String(x.files)], ['Total size', BI.fmtBytes(x.size)]])];
      const isDb = state.summary.databases.some((d) => d.path === r.path);
      return [dl([['Provenance', r.path.split('!').join('\n ▸ ')], ['Size', BI.fmtInt(r.size) + ' bytes (' + BI.fmtBytes(r.size) + ')'],
        ['SHA-256', pending(r.sha256) ? 'computing…' : r.sha256 ? el('span', { class: 'mono hash' }, r.sha256) : 'not computed'], ['Format', r.format], ['Opened as', r.container]]),
      r.sha256 && !pending(r.sha256) ? copyButton(r.sha256, 'the SHA-256') : null, copyButton(r.path, 'the path'),
      isDb ? el('button', { type: 'button', testid: 'open-db', on: { click: () => { state.db = { path: r.path, table: '', noWal: false }; $('tab-databases').click(); } } }, 'Browse this database') : null];
    };
    const flat = () => !!(vs.filter || state.global || vs.sort || vs.source);
    let rv;
    const toggle = (x) => {
      if (!x.hasKids) return;
      const set = new Set(vs.collapsed);
      const exp = new Set(vs.expanded || []);
      if (x.open) { set.add(x.key); exp.delete(x.key); } else { set.delete(x.key); exp.add(x.key); }
      vs.collapsed = [...set];
      vs.expanded = [...exp];
      rv.table.reload(true);
    };
    rv = recordView(view, {
      name: 'files', title: 'Files', unit: 'files', toolbar: () => parts, testid: 'files-table', placeholder: 'Filter by path, format or SHA-256…',
      intro: 'Every file found at any depth, inside containers too (▸ marks a step into a container). Sizes are exact; SHA-256 is of the decoded content.',
      extraQuery: () => (flat() ? { view: 'files' } : { view: 'tree', collapsed: vs.collapsed, expanded: vs.expanded || [] }),
      rowTestId: (x) => (x.r || !x.key ? 'row' : 'tree-dir'),
      columns: [
        { id: 'path', label: 'Name', width: 'minmax(14rem, 3fr)', min: 14, render: (x, cell) => {
          if (x.key == null) { txt(cell, x.r.path); cell.classList.add('path'); return; }
          cell.style.paddingLeft = (0.4 + x.depth * 1.1) + 'rem';
          const tog = el('button', { type: 'button', class: 'inline tog', 'aria-expanded': x.hasKids ? String(x.open) : null, tabIndex: -1, disabled: !x.hasKids, 'aria-label': x.open ? 'collapse' : 'expand' }, x.hasKids ? (x.open ? '▾' : '▸') : '·');
          tog.addEventListener('click', (ev) => { ev.stopPropagation(); toggle(x); });
          cell.append(tog, el('span', { class: 'fname ' + x.kind }, x.name + (x.kind === 'folder' ? '/' : '')));
        } },
        { id: 'size', label: 'Size', width: '6.5rem', min: 6.5, render: (x, cell) => { txt(cell, BI.fmtBytes(x.r ? x.r.size : x.size)); cell.classList.add('num'); } },
        { id: 'format', label: 'Format', width: 'minmax(5rem, 8rem)', min: 5, render: (x, cell) => txt(cell, x.r ? [x.r.format, x.r.container].filter(Boolean).join(' / ') : x.files + ' files') },
        { id: 'sha256', label: 'SHA-256', width: 'minmax(8rem, 1.2fr)', min: 8, render: (x, cell) => { txt(cell, x.r ? (pending(x.r.sha256) ? 'computing…' : x.r.sha256 || '') : ''); cell.classList.add('mono', 'hash'); } },
      ],
      detail: (x) => fileDetail(x),
      onActivate: (x) => toggle(x),
    });
    return rv;
  }

  // ---- Databases ----
  function buildDatabases(view) {
    const s = state.summary;
    const dbs = s.databases;
    const st = state.db;
    if (!st.path && dbs.length) st.path = dbs[0].path;
    const list = el('ul', { class: 'dblist', 'aria-label': 'databases' });
    for (const d of dbs) {
      const on = d.path === st.path;
      list.append(el('li', {}, el('button', { type: 'button', testid: 'db-item', class: on ? 'on' : '', 'aria-pressed': on ? 'true' : 'false', title: d.path,
        on: { click: () => { state.db = { path: d.path, table: '', noWal: false }; showTab('databases', true); } } },
      el('span', { class: 'dbname' }, d.path.split(/[!/]/).pop()), el('span', { class: 'src' }, ' ' + d.tables.length + ' tables'),
      d.wal ? el('span', { class: 'badge' }, 'WAL') : null, d.extractor ? el('span', { class: 'badge ok' }, d.extractor) : null)));
    }
    const main = el('div', { class: 'dbmain' });
    view.append(el('div', { class: 'viewhead' }, el('h2', { class: 'vh' }, 'Databases'),
      el('p', { class: 'small intro' }, 'Every SQLite database found, read by the tool\'s own reader. Switch between the database as SQLite would see it (WAL applied) and the main file alone.'),
      el('span', { class: 'counter' }, el('span', { class: 'view-count', testid: 'view-count' }, String(dbs.length)), el('span', { class: 'count-of' }, ' databases'))),
    el('div', { class: 'dbgrid' }, el('nav', { class: 'dbnav' }, list.children.length ? list : el('p', { class: 'none' }, 'No SQLite databases were found.')), main));
    const d = dbs.find((x) => x.path === st.path);
    if (!d) return null;
    let table = null;
    const recovered = s.counts.recovered.total;
    (async () => {
      main.append(el('h3', { class: 'path' }, d.path));
      const hasWal = !!d.wal;
      const walSeg = el('div', { class: 'seg', role: 'group', testid: 'db-wal-toggle', 'aria-label': 'WAL' },
        segButton('WAL applied', !st.noWal, 'db-wal-on', () => { st.noWal = false; showTab('databases', true); }),
        segButton('Main file only', st.noWal, 'db-wal-off', () => { st.noWal = true; showTab('databases', true); }));
      if (!hasWal || !s.live) for (const b of walSeg.querySelectorAll('button')) b.disabled = true;
      main.append(dl([['Page size', d.pageSize + ' bytes'], ['Text encoding', d.encoding], ['Read by', d.extractor || 'no module (browse only)'],
        ['WAL', hasWal ? d.wal.path.split('!').pop() + ': ' + d.wal.frames + ' frames, ' + d.wal.validFrames + ' valid, ' + d.wal.commits + ' commits' : 'none beside it'],
        ['Hot journal', d.hotJournal ? 'yes (not rolled back)' : '']]), walSeg);
      if (!s.live) { main.append(el('p', { class: 'none' }, 'This report was opened from a saved file: the databases themselves are not here, only their summary.')); summaryTables(); return; }
      let info;
      const reread = el('p', { class: 'none', testid: 'db-reread' }, '');
      main.append(reread);
      try { info = await rpc('dbTables', d.path, st.noWal); } catch (e) { reread.remove(); main.append(el('p', { class: 'problem' }, 'Could not open: ' + e.message)); summaryTables(); return; }
      reread.remove();
      if (info.problems.length) main.append(el('ul', { class: 'problems-short' }, info.problems.slice(0, 10).map((p) => el('li', { class: 'problem' }, p))));
      const tl = el('div', { class: 'tablelist', role: 'group', 'aria-label': 'tables' });
      const sumByName = new Map((d.tables || []).map((t) => [t.name, t]));
      if (!st.table && info.tables.length) {
        const pref = info.tables.find((t) => (sumByName.get(t.name) || {}).rows > 0 && !/^(android_metadata|sqlite_)/.test(t.name));
        st.table = (pref || info.tables[0]).name;
      }
      for (const t of info.tables) {
        const sm = sumByName.get(t.name);
        const rows = sm ? (st.noWal && sm.rowsMainOnly != null ? sm.rowsMainOnly : sm.rows) : null;
        tl.append(el('button', { type: 'button', testid: 'db-table', class: 'tbtn' + (t.name === st.table ? ' on' : ''), 'aria-pressed': t.name === st.table ? 'true' : 'false',
          on: { click: () => { st.table = t.name; st.filter = ''; st.sort = -1; showTab('databases', true); } } },
        t.name, rows != null ? el('span', { class: 'src' }, ' ' + BI.fmtInt(rows)) : null,
        sm && sm.rowsMainOnly != null && sm.rowsMainOnly !== sm.rows ? el('span', { class: 'badge' }, 'main ' + sm.rowsMainOnly + ' / WAL ' + sm.rows) : null));
      }
      main.append(el('h4', {}, 'Tables'), tl);
      const t = info.tables.find((x) => x.name === st.table);
      if (!t) return;
      main.append(el('details', { class: 'schema' }, el('summary', {}, 'Schema of ', el('span', { class: 'mono' }, t.name)), el('pre', { testid: 'db-schema', class: 'mono' }, t.sql || '(no SQL)')));
      const filter = el('input', { type: 'search', testid: 'db-filter', placeholder: 'Filter rows…', value: st.filter || '', 'aria-label': 'Filter rows' });
      const cnt = el('span', { class: 'view-count-db', testid: 'db-row-count' }, '…');
      const cntOf = el('span', { class: 'count-of' });
      const cols = [{ id: '-2', label: 'rowid', width: 'minmax(4rem, 8rem)', min: 5, render: (x, cell) => { txt(cell, x.rowid == null ? '' : String(x.rowid)); cell.classList.add('num'); } }];
      t.columns.forEach((name, k) => cols.push({ id: String(k), label: name, width: 'minmax(8rem, 1fr)', min: 8, render: (x, cell) => {
        const v = BI.sqlValue(x.values[k]);
        txt(cell, v.text);
        cell.classList.add('sv-' + v.kind);
      } }));
      table = new VTable({
        columns: cols, label: 'rows of ' + t.name, testid: 'db-rows', minWidth: 5 + 8.5 * t.columns.length,
        sort: st.sort != null && st.sort !== -1 ? { id: String(st.sort), desc: !!st.desc } : null,
        onSort: (id, desc) => { st.sort = Number(id); st.desc = desc; table.reload(); },
        fetch: async (offset, limit) => {
          const res = await rpc('dbQuery', { path: d.path, table: t.name, noWal: st.noWal, offset, limit, sort: st.sort == null ? -1 : st.sort, desc: !!st.desc, filter: st.filter || '' });
          cnt.textContent = res.count;
          cntOf.textContent = (res.count !== res.total ? ' of ' + BI.fmtInt(res.total) : '') + ' rows' + (st.noWal ? ' in the main file' : '') + (res.complete ? '' : ' (table too big to sort or filter)');
          return { count: res.count, rows: res.rows };
        },
        onSelect: (x) => { rowDetail.replaceChildren(dl(t.columns.map((n, k) => [n, BI.sqlValue(x.values[k]).text + epochHint(x.values[k])]).concat([['rowid', x.rowid == null ? '' : String(x.rowid)]]))); },
        empty: 'No rows.',
      });
      let ft = 0;
      filter.addEventListener('input', () => { clearTimeout(ft); ft = setTimeout(() => { st.filter = filter.value.trim(); table.reload(); }, 200); });
      const rowDetail = el('aside', { class: 'detail', testid: 'detail' }, el('p', { class: 'none' }, 'Select a row to see every value in full.'));
      main.append(el('div', { class: 'toolbar' }, filter, el('span', { class: 'counter' }, cnt, cntOf)), el('div', { class: 'split stack' }, table.root, rowDetail));
      table.reload();
      if (recovered) main.append(recoveredSection(d.path));
    })();
    function summaryTables() {
      main.append(el('table', { class: 'mini' }, el('thead', {}, el('tr', {}, el('th', {}, 'Table'), el('th', {}, 'Rows'), el('th', {}, 'Main file only'), el('th', {}, 'Columns'))),
        el('tbody', {}, (d.tables || []).map((t) => el('tr', {}, el('td', {}, t.name), el('td', { class: 'num' }, String(t.rows)), el('td', { class: 'num' }, t.rowsMainOnly == null ? '' : String(t.rowsMainOnly)), el('td', { class: 'small' }, (t.columns || []).join(', ')))))));
      if (recovered) main.append(recoveredSection(d.path));
    }
    return { refresh: () => table && table.reload() };
  }

  // epochHint reads an integer that looks like a Unix time (seconds or
  // milliseconds between 2001 and 2096) as a time, for the row detail.
  function epochHint(v) {
    if (typeof v !== 'number' || !Number.isInteger(v)) return '';
    let ms = null;
    if (v >= 1e12 && v < 4e12) ms = v;
    else if (v >= 1e9 && v < 4e9) ms = v * 1000;
    if (ms == null) return '';
    return '  (as Unix time: ' + zone().format(new Date(ms).toISOString()) + ')';
  }

  function recoveredSection(dbPath) {
    const box = el('section', { class: 'recovered', testid: 'recovered' });
    box.append(el('h4', {}, 'Recovered deleted records'), el('p', { class: 'small' }, 'Records found in free space, free pages, WAL frames or a journal: no longer part of the live database. Shown apart, with where they were found and how sure the match is.'));
    const vs = vstate('recovered:' + dbPath, { part: '' });
    const t = new VTable({
      label: 'recovered records', testid: 'recovered-table', rowClass: () => 'deleted',
      columns: [
        { id: 'table', label: 'Table', width: 'minmax(6rem, 9rem)', min: 6, render: (x, cell) => txt(cell, x.r.table) },
        { id: 'rowid', label: 'rowid', width: 'minmax(5rem, 11rem)', min: 5, render: (x, cell) => txt(cell, x.r.rowid == null ? '' : String(x.r.rowid)) },
        { id: 'values', label: 'Values', width: 'minmax(12rem, 3fr)', min: 12, render: (x, cell) => txt(cell, (x.r.values || []).map((v) => BI.sqlValue(v).text).join(' | ')) },
        { id: 'source', label: 'Found in', width: 'minmax(8rem, 10rem)', min: 8, render: (x, cell) => txt(cell, x.r.source + ' p' + x.r.page + '+' + x.r.offset) },
        { id: 'confidence', label: 'Confidence', width: '6rem', min: 6, render: (x, cell) => txt(cell, Math.round((x.r.confidence || 0) * 100) + '%' + (x.r.superseded ? ' (old version)' : '')) },
      ],
      sort: vs.sort ? { id: vs.sort, desc: vs.desc } : null,
      onSort: (id, desc) => { vs.sort = id; vs.desc = desc; t.reload(); },
      fetch: (offset, limit) => rpc('query', { view: 'recovered', database: dbPath, global: state.global, sort: vs.sort, desc: vs.desc, offset, limit }),
      empty: 'No deleted records were recovered from this database.',
    });
    box.append(t.root);
    t.reload();
    return box;
  }

  // ---- Indicators ----
  const HOW_TEXT = {
    exact: 'equal', subdomain: 'a subdomain of the listed domain', 'without-fragment': 'equal once the #fragment is set aside (it never leaves the phone)',
    'national-number': 'the stored number has no country code; its digits end the listed number',
  };
  const IOC_KIND_LABEL = { 'domain-name': 'domain', url: 'URL', 'email-addr': 'e-mail', app: 'app', 'file-name': 'file name', 'file-sha256': 'SHA-256', 'android-property': 'property', 'phone-number': 'phone number' };
  const collLabel = (c) => (c.name || c.id) + (c.type ? ' (' + c.type + ')' : '');

  // excerptEl renders a match's context: before, the matched text
  // highlighted, after — all as text.
  function excerptEl(x, cls) {
    if (!x) return el('span', { class: 'none' }, 'no surrounding text');
    return el('span', { class: 'excerpt ' + (cls || ''), testid: 'ioc-context' }, el('span', {}, x.before || ''), el('mark', { testid: 'ioc-hit' }, x.text || ''), el('span', {}, x.after || ''));
  }

  // RECORD_VIEW says where each kind of matched record is shown.
  function openRecord(m) {
    const src = m.source;
    const vs = (name, d) => { const v = vstate(name, d); v.filter = ''; v.sort = ''; v.desc = false; return v; };
    switch (m.record) {
      case 'message': Object.assign(vs('messages', { mode: 'threads' }), { mode: 'table', part: m.deleted ? 'deleted' : 'live', source: src }); break;
      case 'contact': Object.assign(vs('contacts'), { part: m.deleted ? 'deleted' : 'live', source: src }); break;
      case 'call': Object.assign(vs('calls'), { part: m.deleted ? 'deleted' : 'live', source: src }); break;
      case 'identifier': Object.assign(vs('identifiers'), { source: src }); break;
      case 'file': vs('files', { part: 'files', collapsed: [] }).part = 'files'; vstate('files').source = src; break;
      case 'app': vs('files', { part: 'files', collapsed: [] }).part = 'apps'; Object.assign(vs('apps'), { source: m.value }); break;
      case 'payload': vs('files', { part: 'files', collapsed: [] }).part = 'payloads'; Object.assign(vs('payloads'), { source: src }); break;
      case 'recovered': state.db = { path: src.split('#')[0], table: '', noWal: false }; showTab('databases'); return;
      default: return;
    }
    const tab = { message: 'messages', contact: 'contacts', call: 'calls', identifier: 'identifiers' }[m.record] || 'files';
    showTab(tab);
    $('tab-' + tab).focus();
  }
  const RECORD_TAB = { message: 'Messages', contact: 'Contacts', call: 'Calls', identifier: 'Identifiers', file: 'Files', app: 'Files ▸ Apps', payload: 'Files ▸ payloads', recovered: 'Databases' };
  function openButton(m) {
    if (!RECORD_TAB[m.record]) return null;
    return el('button', { type: 'button', class: 'inline', testid: 'ioc-open', title: 'Show this record in ' + RECORD_TAB[m.record],
      on: { click: (ev) => { ev.stopPropagation(); openRecord(m); } } }, 'Show');
  }

  function buildIndicators(view) {
    const s = state.summary;
    const x = s.indicators;
    const pick = el('button', { type: 'button', testid: 'ioc-pick', on: { click: () => $('ioc-input').click() } }, x ? 'Add indicator files…' : 'Choose indicator files…');
    view.append(el('div', { class: 'viewhead' }, el('h2', { class: 'vh' }, 'Indicators'),
      el('p', { class: 'small intro' }, 'Compares the report, inside this page, with indicator files: STIX2 bundles as published by investigations (and used by MVT) and lists of phone numbers. Nothing is looked up on the network.'), pick));
    if (!x) {
      view.append(el('section', { class: 'ioc-empty', testid: 'ioc-none' },
        el('p', {}, 'No indicator files are loaded. Drop them on this page (with a backup or now), or choose them: STIX2 bundles (.stix2, .json) and text files with one phone number (E.164) a line.'),
        el('p', { class: 'small' }, 'Links in messages, contacts and notes, e-mail addresses, phone numbers, apps present in the backup, file names and SHA-256 and Android system properties are compared with the indicators. Each match is explained, with the record it was found in.')));
      return null;
    }
    const ck = x.checked || {};
    view.append(el('p', { class: 'ioc-note', testid: 'ioc-note', role: 'note' }, x.note));
    view.append(el('p', { class: 'ioc-checked', testid: 'ioc-checked' },
      el('strong', { testid: 'ioc-match-count' }, BI.fmtInt(x.matches)), ' indicator match(es)' + (x.matches ? ' in ' + BI.fmtInt(x.records) + ' record(s)' + (x.deletedMatches ? ' (' + x.deletedMatches + ' in deleted records)' : '') : '') +
      ' · checked ' + [[ck.links, 'links'], [ck.emails, 'e-mail addresses'], [ck.phoneNumbers, 'phone numbers'], [ck.apps, 'apps'], [ck.files, 'files'], [ck.properties, 'system properties']]
        .map(([n, w]) => BI.fmtInt(n || 0) + ' ' + w).join(', ') + ' against ' + BI.fmtInt(ck.indicators || 0) + ' usable indicator value(s) from ' + x.bundles.length + ' file(s).'));
    // The indicator files and what their indicators point to.
    const bundles = el('table', { class: 'mini ioc-bundles', testid: 'ioc-bundles' }, el('thead', {}, el('tr', {}, ['Indicator file', 'Indicators', 'Points to', 'SHA-256'].map((h) => el('th', {}, h)))));
    const tb = el('tbody');
    for (const b of x.bundles) {
      tb.append(el('tr', { testid: 'ioc-bundle' },
        el('td', {}, el('span', { class: 'ioc-name' }, b.name), ' ', el('span', { class: 'badge' }, IOC_KIND[b.format] || b.format), el('div', { class: 'src' }, BI.fmtBytes(b.size))),
        el('td', {}, BI.fmtInt(b.indicators) + (b.format === 'number-list' ? ' line(s), ' : ' indicator(s), ') + BI.fmtInt(b.used) + ' used' + (b.unsupported ? ', ' + BI.fmtInt(b.unsupported) + ' not used' : '')),
        el('td', {}, (b.collections || []).length ? el('ul', { class: 'colls' }, b.collections.map((c) => el('li', { testid: 'ioc-collection' }, el('span', { class: 'badge' }, c.type), ' ', c.name || c.id,
          c.indicators ? el('span', { class: 'src' }, ' · ' + c.indicators + ' indicator(s)') : null))) : el('span', { class: 'none' }, 'no malware, campaign or report named')),
        el('td', { class: 'mono hash', title: 'SHA-256 of the indicator file' }, b.sha256)));
    }
    bundles.append(tb);
    view.append(bundles);
    const vs = vstate('indicators', { part: 'matches' });
    const parts = el('div', { class: 'seg', role: 'group', 'aria-label': 'matches, indicators not used, shortened links' },
      segButton('Matches ' + BI.fmtInt(x.matches), vs.part === 'matches', 'part-matches', () => { vs.part = 'matches'; showTab('indicators', true); }),
      segButton('Not used ' + BI.fmtInt(x.unsupported), vs.part === 'unsupported', 'part-unsupported', () => { vs.part = 'unsupported'; showTab('indicators', true); }),
      segButton('Shortened links ' + BI.fmtInt(x.notResolved), vs.part === 'notresolved', 'part-notresolved', () => { vs.part = 'notresolved'; showTab('indicators', true); }));
    if (vs.part === 'unsupported') {
      return recordView(view, {
        name: 'iocUnsupported', title: 'Indicators not used', unit: 'indicators', toolbar: () => parts, testid: 'ioc-unsupported-table', placeholder: 'Filter by file, indicator or reason…',
        intro: 'Every indicator (or comparison inside an OR, or line of a number list) that was not used, and why: invalid = malformed; unsupported = valid STIX but asks for something this tool does not compare; partial = only this part of an OR was left out.',
        columns: [
          { id: 'bundle', label: 'File', width: 'minmax(7rem, 10rem)', min: 7, render: (r, cell) => txt(cell, r.r.bundle) },
          { id: 'what', label: 'Indicator', width: 'minmax(8rem, 1fr)', min: 8, render: (r, cell) => { txt(cell, r.r.line ? 'line ' + r.r.line : r.r.name || r.r.id || ''); if (r.r.name && r.r.id) cell.title = r.r.id; } },
          { id: 'status', label: 'Status', width: '7.5rem', min: 7.5, render: (r, cell) => { const st = r.r.invalid ? 'invalid' : r.r.partial ? 'partial' : 'unsupported'; cell.append(el('span', { class: 'badge ' + (st === 'invalid' ? 'warn' : st === 'partial' ? 'ok' : ''), testid: 'ioc-status' }, st)); } },
          { id: 'pattern', label: 'Pattern or line', width: 'minmax(10rem, 1.5fr)', min: 10, render: (r, cell) => { txt(cell, r.r.pattern || ''); cell.classList.add('mono'); } },
          { id: 'reason', label: 'Reason', width: 'minmax(12rem, 2fr)', min: 12, render: (r, cell) => txt(cell, r.r.reason) },
        ],
        detail: (r) => [dl([['File', r.r.bundle], ['Indicator', r.r.name], ['ID', r.r.id], ['Line', r.r.line ? String(r.r.line) : ''],
          ['Status', r.r.invalid ? 'invalid: the pattern (or line) is malformed' : r.r.partial ? 'partial: this comparison of an OR was left out; the others are used' : 'unsupported: valid, but not something this tool compares'],
          ['Pattern', r.r.pattern ? el('span', { class: 'mono' }, r.r.pattern) : ''], ['At byte', r.r.offset == null ? '' : String(r.r.offset)], ['Reason', r.r.reason]])],
        empty: 'Every indicator was used.',
      });
    }
    if (vs.part === 'notresolved') {
      return recordView(view, {
        name: 'notResolved', title: 'Shortened links', unit: 'links', toolbar: () => parts, testid: 'ioc-notresolved-table', placeholder: 'Filter links…',
        intro: 'Links on known URL shorteners: where they lead is not known, because nothing is ever looked up — they are not resolved (never looked up). They are compared with the indicators as written.',
        columns: [
          { id: 'url', label: 'Link', width: 'minmax(17rem, 1.6fr)', min: 17, render: (r, cell) => { cell.classList.add('flexcell'); cell.title = BI.visible(r.r.url); cell.append(el('span', { class: 'mono cut' }, r.r.url), el('span', { class: 'badge warn', testid: 'not-resolved' }, 'not resolved (never looked up)')); } },
          { id: 'record', label: 'Record', width: 'minmax(7rem, 9rem)', min: 7, render: (r, cell) => txt(cell, r.r.record + ' · ' + r.r.field) },
          { id: 'context', label: 'Context', width: 'minmax(10rem, 2fr)', min: 10, sortable: false, render: (r, cell) => cell.append(excerptEl(r.r.context)) },
          srcCol((r) => r.r.source),
        ],
        detail: (r) => [dl([['Link', el('span', { class: 'mono' }, r.r.url)], ['Host', r.r.host], ['Record', r.r.record], ['Field', r.r.field], ['Context', excerptEl(r.r.context)], ['Note', r.r.note]]),
          el('p', { class: 'src' }, 'Source: ', el('span', { class: 'mono' }, r.r.source), ' ', openButton(r.r))],
        empty: 'No link on a URL shortener was found.',
      });
    }
    const grouped = () => !vs.sort;
    return recordView(view, {
      name: 'indicators', title: 'Indicator matches', unit: 'matches', toolbar: () => parts, testid: 'ioc-matches-table', placeholder: 'Filter matches (value, indicator, record, collection)…',
      intro: 'Grouped by indicator file, then by what the indicator points to (malware, campaign, report). Sort a column for a flat list.',
      rowHeight: 76, defaults: { part: 'matches' },
      extraQuery: () => ({ grouped: grouped() }),
      rowTestId: (r) => (r.group ? 'ioc-group' : 'row'),
      rowClass: (r) => (r.group ? 'ioc-group' : 'ioc-row'),
      columns: [
        { id: 'indicator', label: 'Indicator', width: 'minmax(11rem, 1fr)', min: 11, render: (r, cell) => {
          if (r.group) {
            const g = r.group;
            cell.classList.add('group-cell');
            cell.append(el('span', { class: 'ioc-name' }, g.bundle), ' ▸ ', g.collection ? collLabel(g.collection) : el('span', { class: 'none' }, 'no collection named'),
              el('span', { class: 'badge' }, BI.fmtInt(g.count) + ' match(es)'));
            return;
          }
          const m = r.r;
          cell.classList.add('multi');
          cell.append(el('div', { class: 'l1' }, m.indicatorName || m.indicatorId),
            el('div', { class: 'l2' }, el('span', { class: 'badge' }, IOC_KIND_LABEL[m.kind] || m.kind), ' ', el('span', { class: 'mono' }, m.pattern)),
            el('div', { class: 'l3 src' }, (m.collections || []).map(collLabel).join(', ') || m.bundle));
        } },
        { id: 'value', label: 'Found', width: 'minmax(16rem, 2.4fr)', min: 16, render: (r, cell) => {
          if (r.group) { cell.hidden = true; return; }
          const m = r.r;
          cell.classList.add('multi');
          cell.append(el('div', { class: 'l1 flexline' }, el('span', { class: 'mono cut', testid: 'ioc-value' }, m.value),
            m.display ? el('span', { class: 'badge warn', testid: 'ioc-idn', title: 'The host as the phone shows it (IDN)' }, 'shown as ' + m.display) : null,
            m.deleted ? el('span', { class: 'badge del-b', testid: 'ioc-deleted' }, 'deleted record') : null,
            m.shortener ? el('span', { class: 'badge warn' }, 'shortened link — not resolved') : null),
          el('div', { class: 'l2' }, excerptEl(m.context)),
          el('div', { class: 'l3 src', testid: 'ioc-explanation' }, m.explanation));
          cell.title = BI.visible(m.explanation);
        } },
        { id: 'source', label: 'Record', width: 'minmax(9rem, 13rem)', min: 9, render: (r, cell) => {
          if (r.group) { cell.hidden = true; return; }
          const m = r.r;
          cell.classList.add('multi');
          cell.append(el('div', { class: 'l1 flexline' }, el('span', { class: 'cut' }, m.record + ' · ' + m.field), openButton(m)), el('div', { class: 'l2 src', title: BI.visible(m.source) }, shortSource(m.source)));
        } },
      ],
      detail: (r) => {
        if (r.group) return [el('p', {}, r.group.bundle + ' ▸ ' + (r.group.collection ? collLabel(r.group.collection) : 'no collection named') + ': ' + r.group.count + ' indicator match(es).')];
        const m = r.r;
        return [el('p', { class: 'ioc-expl', testid: 'detail-explanation' }, m.explanation),
          m.deleted ? el('p', { class: 'badge del' }, 'Found in a deleted record, still present in the file') : null,
          dl([['Indicator', m.indicatorName], ['Indicator ID', m.indicatorId], ['Pattern', el('span', { class: 'mono' }, m.pattern)], ['Compares', IOC_KIND_LABEL[m.kind] || m.kind],
            ['Listed value', el('span', { class: 'mono' }, m.indicated)], ['Indicator file', m.bundle], ['Points to', (m.collections || []).map(collLabel).join('\n')],
            ['Found', el('span', { class: 'mono' }, m.value)], ['Shown on the phone as', m.display], ['How', HOW_TEXT[m.how] || m.how],
            ['Shortened link', m.shortener ? 'yes — not resolved (never looked up)' : ''], ['Record', m.record], ['Field', m.field], ['Context', excerptEl(m.context)]]),
          el('p', { class: 'src' }, 'Source: ', el('span', { class: 'mono' }, m.source), ' ', openButton(m))];
      },
      empty: 'No indicator match: nothing in these inputs equals a value the indicator files list.',
    });
  }

  // ---- Problems ----
  function buildProblems(view) {
    const x = state.summary.exposure || {};
    return recordView(view, {
      name: 'problems', title: 'Problems', unit: 'problems', testid: 'problems-table', placeholder: 'Filter problems…', noDetail: false,
      intro: 'What could not be read, or was read only in part. Everything else was still read.',
      columns: [
        { id: 'input', label: 'Input', width: 'minmax(6rem, 9rem)', min: 6, render: (r, cell) => txt(cell, r.r.input) },
        { id: 'path', label: 'Where', width: 'minmax(10rem, 2fr)', min: 10, render: (r, cell) => { txt(cell, r.r.path); cell.classList.add('path'); } },
        { id: 'offset', label: 'Offset', width: '6rem', min: 6, render: (r, cell) => { txt(cell, r.r.offset == null ? '' : String(r.r.offset)); cell.classList.add('num'); } },
        { id: 'code', label: 'Code', width: '8rem', min: 8, render: (r, cell) => txt(cell, r.r.code) },
        { id: 'message', label: 'Message', width: 'minmax(12rem, 3fr)', min: 12, render: (r, cell) => { txt(cell, r.r.message); cell.classList.add('problem'); } },
      ],
      empty: 'No problems: every input was read.',
      after: () => {
        const cov = el('table', { class: 'mini', testid: 'coverage-table' }, el('thead', {}, el('tr', {}, el('th', {}, 'Input or container'), el('th', {}, 'Status'), el('th', {}, 'Note'))),
          el('tbody', {}, (x.coverage || []).map((cv) => el('tr', {}, el('td', { class: 'path' }, cv.path), el('td', {}, el('span', { class: 'badge st-' + cv.status }, cv.status)), el('td', {}, cv.note || '')))));
        const g = state.summary.limits;
        const guards = g ? dl([['Compressed streams', 'up to ' + g.maxRatio + '× expansion (checked after ' + BI.fmtBytes(g.ratioMinBytes) + ')'], ['Container nesting', 'up to ' + g.maxDepth + ' deep'],
          ['Entries per archive', 'up to ' + BI.fmtInt(g.maxEntries)], ['Held in memory per file', BI.fmtBytes(g.spoolLimit)], ['Memory budget', BI.fmtBytes(g.memoryBudget)]]) : null;
        return el('section', {}, el('h3', {}, 'Coverage'), cov, (x.limits || []).length ? el('ul', { class: 'limits' }, x.limits.map((l) => el('li', {}, l))) : null,
          guards ? el('h3', {}, 'Guards in force') : null, guards);
      },
    });
  }

  const VIEW_BUILDERS = {
    overview: buildOverview, messages: buildMessages, contacts: buildContacts, calls: buildCalls, identifiers: buildIdentifiers,
    timeline: buildTimeline, files: buildFiles, databases: buildDatabases, indicators: buildIndicators, problems: buildProblems,
  };

  $('skip').addEventListener('click', () => {
    const r = $('results');
    if (!r.hidden) { r.focus(); r.scrollIntoView(); } else $('drop').focus();
  });

  startWorker();
  performance.mark('bi-interactive');
})();
