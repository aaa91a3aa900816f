'use strict';
// VTable: a virtualized, sortable grid. Only the rows in view (plus a small
// margin) exist in the DOM, so 100k+ rows scroll smoothly; rows are fetched
// from the worker in blocks. Cells are filled by render functions that set
// text only.
//
//   new VTable({columns: [{id, label, width, sortable, render(rec, cell, i)}],
//               fetch(offset, limit) -> Promise<{count, rows}>,
//               rowTestId, rowClass(rec), onSelect(rec, i), onActivate(rec, i),
//               sort: {id, desc}, onSort(id, desc), label, empty})
function VTable(opts) {
  const ROW_H = opts.rowHeight || 32;
  const BLOCK = 100;
  const OVERSCAN = 12;
  const MAX_H = 6e6; // stay far below the browser's element height limit
  const t = this;
  t.opts = opts;
  t.count = 0;
  t.gen = 0;
  t.blocks = new Map();
  t.selected = -1;
  t.sort = opts.sort || null;

  const root = document.createElement('div');
  root.className = 'vt';
  root.tabIndex = 0;
  root.setAttribute('role', 'grid');
  root.setAttribute('aria-label', opts.label || 'records');
  root.dataset.testid = opts.testid || 'table';
  const cols = opts.columns;
  root.style.setProperty('--cols', cols.map((c) => c.width || 'minmax(6rem, 1fr)').join(' '));
  root.style.setProperty('--minw', (opts.minWidth || cols.reduce((a, c) => a + (c.min || 7), 0)) + 'rem');

  const head = document.createElement('div');
  head.className = 'vt-head';
  head.setAttribute('role', 'row');
  cols.forEach((c) => {
    const h = document.createElement('div');
    h.className = 'vt-th c-' + c.id;
    h.setAttribute('role', 'columnheader');
    if (c.sortable !== false && opts.onSort) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = c.label;
      b.dataset.testid = 'sort-' + c.id;
      b.addEventListener('click', () => {
        const desc = t.sort && t.sort.id === c.id ? !t.sort.desc : false;
        t.sort = { id: c.id, desc };
        t.updateSortMarks();
        opts.onSort(c.id, desc);
      });
      h.append(b);
    } else {
      h.textContent = c.label;
    }
    head.append(h);
  });
  const body = document.createElement('div');
  body.className = 'vt-body';
  const empty = document.createElement('div');
  empty.className = 'vt-empty';
  empty.hidden = true;
  root.append(head, body, empty);
  t.root = root;
  t.head = head;
  t.body = body;
  t.emptyEl = empty;
  t.rowEls = new Map();
  t.ROW_H = ROW_H;
  t.BLOCK = BLOCK;
  t.OVERSCAN = OVERSCAN;
  t.MAX_H = MAX_H;

  let raf = 0;
  const schedule = () => { if (!raf) raf = requestAnimationFrame(() => { raf = 0; t.render(); }); };
  t.schedule = schedule;
  root.addEventListener('scroll', schedule, { passive: true });
  if (window.ResizeObserver) new ResizeObserver(schedule).observe(root);
  root.addEventListener('keydown', (ev) => t.onKey(ev));
  body.addEventListener('click', (ev) => {
    const row = ev.target.closest('.vt-row');
    if (!row || ev.target.closest('button.inline')) return;
    t.select(Number(row.dataset.index), false);
  });
  body.addEventListener('dblclick', (ev) => {
    const row = ev.target.closest('.vt-row');
    if (row && opts.onActivate) { const i = Number(row.dataset.index); opts.onActivate(t.recordAt(i), i); }
  });
  t.updateSortMarks();
}

VTable.prototype.updateSortMarks = function () {
  const t = this;
  t.opts.columns.forEach((c, k) => {
    const h = t.head.children[k];
    const on = t.sort && t.sort.id === c.id;
    h.setAttribute('aria-sort', on ? (t.sort.desc ? 'descending' : 'ascending') : 'none');
    h.classList.toggle('sorted', !!on);
    h.classList.toggle('desc', !!(on && t.sort.desc));
  });
};

// reload drops cached rows and asks again from the start (a filter or the
// sort changed). keepScroll keeps the position (e.g. after a tree toggle).
VTable.prototype.reload = function (keepScroll) {
  const t = this;
  t.gen++;
  delete t.root.dataset.loaded;
  t.blocks.clear();
  for (const el of t.rowEls.values()) el.remove();
  t.rowEls.clear();
  if (!keepScroll) { t.root.scrollTop = 0; t.selected = -1; }
  const gen = t.gen;
  t.loaded = t.fetchBlock(0).then(() => {
    if (gen !== t.gen) return t.count;
    t.layout();
    t.render();
    t.root.dataset.loaded = 'true'; // tests wait for this
    return t.count;
  });
  return t.loaded;
};

VTable.prototype.fetchBlock = function (b) {
  const t = this;
  let e = t.blocks.get(b);
  if (e) { t.blocks.delete(b); t.blocks.set(b, e); return e.p; }
  const gen = t.gen;
  e = { rows: null, p: null };
  e.p = t.opts.fetch(b * t.BLOCK, t.BLOCK).then((res) => {
    if (gen !== t.gen) return;
    e.rows = res.rows;
    if (res.count !== t.count) { t.count = res.count; t.layout(); }
    t.schedule();
  }, (err) => { if (gen === t.gen) { t.blocks.delete(b); t.showError(err); } });
  t.blocks.set(b, e);
  while (t.blocks.size > 40) t.blocks.delete(t.blocks.keys().next().value);
  return e.p;
};

VTable.prototype.showError = function (err) {
  this.emptyEl.hidden = false;
  this.emptyEl.textContent = 'Could not load rows: ' + (err && err.message ? err.message : err);
};

VTable.prototype.layout = function () {
  const t = this;
  const full = t.count * t.ROW_H;
  t.spacer = Math.min(full, t.MAX_H);
  t.body.style.height = t.spacer + 'px';
  // Shrink to the rows when they are few (the CSS height is the maximum).
  t.root.style.maxHeight = Math.max(120, t.head.offsetHeight + t.spacer + 18) + 'px';
  t.root.setAttribute('aria-rowcount', String(t.count + 1));
  t.emptyEl.hidden = t.count > 0;
  if (!t.count) t.emptyEl.textContent = t.opts.empty || 'Nothing to show.';
};

// geometry maps the scroll position to the first row in view; beyond
// MAX_H pixels the scroll range is scaled.
VTable.prototype.geometry = function () {
  const t = this;
  const viewH = Math.max(1, t.root.clientHeight - t.head.offsetHeight);
  const full = t.count * t.ROW_H;
  const maxScroll = Math.max(0, t.spacer - viewH);
  const fullScroll = Math.max(0, full - viewH);
  const st = Math.min(t.root.scrollTop, maxScroll);
  const vpos = maxScroll > 0 ? (st / maxScroll) * fullScroll : 0;
  return { viewH, vpos, st, maxScroll, fullScroll };
};

VTable.prototype.recordAt = function (i) {
  const e = this.blocks.get(Math.floor(i / this.BLOCK));
  return e && e.rows ? e.rows[i % this.BLOCK] : null;
};

VTable.prototype.render = function () {
  const t = this;
  if (!t.root.isConnected || t.spacer == null) return;
  const g = t.geometry();
  const first = Math.max(0, Math.floor(g.vpos / t.ROW_H) - t.OVERSCAN);
  const last = Math.min(t.count - 1, Math.ceil((g.vpos + g.viewH) / t.ROW_H) + t.OVERSCAN);
  for (const [i, el] of t.rowEls) {
    if (i < first || i > last) { el.remove(); t.rowEls.delete(i); }
  }
  for (let b = Math.floor(first / t.BLOCK); b <= Math.floor(last / t.BLOCK) && last >= 0; b++) {
    const e = t.blocks.get(b);
    if (!e) t.fetchBlock(b);
  }
  for (let i = first; i <= last; i++) {
    const rec = t.recordAt(i);
    let el = t.rowEls.get(i);
    if (el && el._filled !== !!rec) { el.remove(); el = null; }
    if (!el) {
      el = t.makeRow(i, rec);
      t.rowEls.set(i, el);
      t.body.append(el);
    }
    el.style.transform = 'translateY(' + (g.st + (i * t.ROW_H - g.vpos)) + 'px)';
    el.classList.toggle('selected', i === t.selected);
    el.setAttribute('aria-selected', i === t.selected ? 'true' : 'false');
  }
};

VTable.prototype.makeRow = function (i, rec) {
  const t = this;
  const el = document.createElement('div');
  el.className = 'vt-row';
  el.setAttribute('role', 'row');
  el.setAttribute('aria-rowindex', String(i + 2));
  el.dataset.index = String(i);
  el._filled = !!rec;
  if (!rec) {
    el.classList.add('loading');
    const c = document.createElement('div');
    c.className = 'vt-td';
    c.textContent = '…';
    el.append(c);
    return el;
  }
  el.dataset.testid = t.opts.rowTestId ? t.opts.rowTestId(rec) : 'row';
  const cls = t.opts.rowClass && t.opts.rowClass(rec);
  if (cls) el.className += ' ' + cls;
  for (const c of t.opts.columns) {
    const cell = document.createElement('div');
    cell.className = 'vt-td c-' + c.id;
    cell.setAttribute('role', 'gridcell');
    c.render(rec, cell, i);
    if (!cell.title && cell.textContent.length > 24) cell.title = cell.textContent.slice(0, 2000);
    el.append(cell);
  }
  return el;
};

// scrollToIndex brings row i into view.
VTable.prototype.scrollToIndex = function (i) {
  const t = this;
  const g = t.geometry();
  const top = i * t.ROW_H, bottom = top + t.ROW_H;
  let vpos = g.vpos;
  if (top < vpos) vpos = top;
  else if (bottom > vpos + g.viewH) vpos = bottom - g.viewH;
  else return;
  t.root.scrollTop = g.fullScroll > 0 ? (vpos / g.fullScroll) * g.maxScroll : 0;
};

VTable.prototype.select = function (i, scroll) {
  const t = this;
  if (!t.count) return;
  i = Math.max(0, Math.min(t.count - 1, i));
  t.selected = i;
  if (scroll !== false) t.scrollToIndex(i);
  t.render();
  const rec = t.recordAt(i);
  const done = (r) => { if (t.selected === i && r && t.opts.onSelect) t.opts.onSelect(r, i); };
  if (rec) done(rec);
  else t.fetchBlock(Math.floor(i / t.BLOCK)).then(() => done(t.recordAt(i)));
};

VTable.prototype.onKey = function (ev) {
  const t = this;
  if (ev.target !== t.root) return;
  const page = Math.max(1, Math.floor(t.geometry().viewH / t.ROW_H) - 1);
  const cur = t.selected < 0 ? -1 : t.selected;
  let next = null;
  switch (ev.key) {
    case 'ArrowDown': next = cur + 1; break;
    case 'ArrowUp': next = Math.max(0, cur - 1); break;
    case 'PageDown': next = cur + page; break;
    case 'PageUp': next = Math.max(0, cur - page); break;
    case 'Home': next = 0; break;
    case 'End': next = t.count - 1; break;
    case 'Enter':
      if (cur >= 0 && t.opts.onActivate) { ev.preventDefault(); t.opts.onActivate(t.recordAt(cur), cur); }
      return;
    default: return;
  }
  ev.preventDefault();
  t.select(next);
};
