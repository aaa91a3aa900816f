'use strict';
// Helpers shared by the page and the worker: number and time formatting,
// masking, CSV cells, HTML escaping, display of SQLite values. Pure
// functions, no DOM, no network.
var BI = (function () {
  const MASK = '\u2022';

  // mask hides all letters and digits of v except the last four (e-mail
  // addresses keep their domain), so a value can be recognised but not read.
  function mask(v) {
    if (v == null) return '';
    const s = String(v);
    const at = s.lastIndexOf('@');
    if (at > 0) return s.slice(0, at).replace(/[\p{L}\p{N}]/gu, MASK) + s.slice(at);
    const chars = [...s];
    let keep = 4;
    for (let i = chars.length - 1; i >= 0; i--) {
      if (/[\p{L}\p{N}]/u.test(chars[i])) {
        if (keep > 0) keep--; else chars[i] = MASK;
      }
    }
    if (chars.length <= 4) return chars.map((c) => (/[\p{L}\p{N}]/u.test(c) ? MASK : c)).join('');
    return chars.join('');
  }

  function fmtInt(n) {
    if (n == null || n === '') return '';
    if (typeof n === 'bigint') return n.toString();
    return Number.isFinite(n) ? String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009') : String(n);
  }

  function fmtBytes(n) {
    if (n == null || n < 0) return '?';
    if (typeof n === 'bigint') n = Number(n);
    if (n < 1024) return n + ' B';
    const u = ['KiB', 'MiB', 'GiB', 'TiB'];
    let i = -1;
    do { n /= 1024; i++; } while (n >= 1024 && i < u.length - 1);
    return n.toFixed(n < 10 ? 1 : 0) + ' ' + u[i];
  }

  function fmtDuration(secs) {
    if (secs == null) return '';
    secs = Number(secs);
    const h = Math.floor(secs / 3600), m = Math.floor((secs % 3600) / 60), s = Math.floor(secs % 60);
    const p = (x) => String(x).padStart(2, '0');
    return (h ? h + ':' + p(m) : m) + ':' + p(s);
  }

  // ---- Times ----
  // Report times are RFC 3339 UTC strings with milliseconds. A Zone formats
  // them for one IANA zone (or UTC); every formatted time names its zone.
  const zones = new Map();
  function zone(name) {
    name = name || 'UTC';
    let z = zones.get(name);
    if (z) return z;
    if (name === 'UTC') {
      z = {
        name, label: 'UTC',
        offsetMs: () => 0,
        format(iso, withMs) {
          if (!iso) return '';
          return iso.slice(0, 10) + ' ' + iso.slice(11, withMs ? 23 : 19) + ' UTC';
        },
        formatMs(ms, withSeconds) { return ms == null ? '' : this.format(new Date(ms).toISOString(), false).slice(0, withSeconds === false ? 16 : 19) + ' UTC'; },
      };
    } else {
      const dtf = new Intl.DateTimeFormat('en-US', {
        timeZone: name, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'longOffset',
      });
      const offCache = new Map();
      const partsOf = (ms) => {
        const p = {};
        for (const x of dtf.formatToParts(new Date(ms))) p[x.type] = x.value;
        return p;
      };
      const offsetOf = (p) => {
        const m = /GMT([+-])(\d\d):?(\d\d)?/.exec(p.timeZoneName || '');
        if (!m) return 0;
        return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600000 + Number(m[3] || 0) * 60000);
      };
      const offName = (off) => {
        if (off === 0) return 'UTC';
        const a = Math.abs(off) / 60000;
        return 'UTC' + (off < 0 ? '-' : '+') + String(Math.floor(a / 60)).padStart(2, '0') + ':' + String(a % 60).padStart(2, '0');
      };
      z = {
        name, label: name,
        // offsetMs is the zone's offset from UTC at the UTC instant ms
        // (cached per UTC hour: offsets change on hour boundaries).
        offsetMs(ms) {
          const h = Math.floor(ms / 3600000);
          let o = offCache.get(h);
          if (o === undefined) {
            o = offsetOf(partsOf(h * 3600000));
            if (offCache.size > 200000) offCache.clear();
            offCache.set(h, o);
          }
          return o;
        },
        format(iso, withMs) {
          if (!iso) return '';
          const ms = Date.parse(iso);
          if (!Number.isFinite(ms)) return iso;
          const p = partsOf(ms);
          return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ':' + p.second +
            (withMs ? iso.slice(19, 23) : '') + ' ' + offName(offsetOf(p));
        },
        formatMs(ms, withSeconds) {
          if (ms == null) return '';
          const s = this.format(new Date(ms).toISOString(), false);
          return withSeconds === false ? s.slice(0, 16) + s.slice(19) : s;
        },
      };
    }
    zones.set(name, z);
    return z;
  }

  // ---- CSV ----
  // csvCell neutralises spreadsheet formulas (a cell starting with = + - @,
  // tab or CR gets a leading apostrophe) and quotes as RFC 4180 needs.
  function csvCell(v) {
    let s = v == null ? '' : (typeof v === 'string' ? v : String(v));
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    if (/[",\r\n]/.test(s)) s = '"' + s.replace(/"/g, '""') + '"';
    return s;
  }
  function csvLine(cells) { return cells.map(csvCell).join(',') + '\r\n'; }

  // parseCSV reads RFC 4180 text back (used by tests and by nothing else).
  function parseCSV(text) {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const rows = [];
    let row = [], cell = '', i = 0, q = false;
    while (i < text.length) {
      const c = text[i];
      if (q) {
        if (c === '"') {
          if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
          q = false; i++; continue;
        }
        cell += c; i++; continue;
      }
      if (c === '"') { q = true; i++; continue; }
      if (c === ',') { row.push(cell); cell = ''; i++; continue; }
      if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
      if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; continue; }
      cell += c; i++;
    }
    if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
    return rows;
  }

  // visible shows bidirectional control characters (which can make
  // "gnp.exe" read as "exe.png") as [U+202E]-style markers, so that what
  // the page shows is what the backup holds. Exports keep the exact text.
  const BIDI = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;
  const HAS_BIDI = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/;
  function visible(s) {
    s = s == null ? '' : String(s);
    return HAS_BIDI.test(s) ? s.replace(BIDI, (c) => '[U+' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0') + ']') : s;
  }

  function escapeHTML(s) {
    return visible(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }

  // sqlValue renders a database value as the page shows it: NULL, numbers
  // exactly (BigInt beyond 2^53), text as text, blobs as a size and hex head.
  function sqlValue(v) {
    if (v === null || v === undefined) return { text: 'NULL', kind: 'null' };
    if (typeof v === 'bigint') return { text: v.toString(), kind: 'int' };
    if (typeof v === 'number') return { text: Number.isInteger(v) ? String(v) : String(v), kind: Number.isInteger(v) ? 'int' : 'real' };
    if (typeof v === 'string') return { text: v, kind: 'text' };
    if (v && typeof v.base64 === 'string') {
      const bin = atob(v.base64);
      let hex = '';
      for (let i = 0; i < Math.min(bin.length, 24); i++) hex += bin.charCodeAt(i).toString(16).padStart(2, '0');
      return { text: 'BLOB ' + bin.length + ' B ' + hex + (bin.length > 24 ? '…' : ''), kind: 'blob', size: bin.length };
    }
    if (v && typeof v.real === 'string') return { text: v.real, kind: 'real' };
    return { text: JSON.stringify(v), kind: 'other' };
  }

  // parseJSON keeps integers beyond 2^53 exact (as BigInt) by reading the
  // number's source text in the reviver. The reviver (several times slower,
  // and it makes a source string per value) is only used when a number of
  // 16 digits or more may be in the text: a digit run right after ':', '['
  // or ',' (where a number token starts). Long digit runs inside strings
  // (ICCIDs, IMEIs, SHA-256s in hex) are not numbers and do not count;
  // a string that happens to match only costs the slower path.
  const LONG_NUMBER = /[:[,]\s*-?\d{16}/;
  function parseJSON(text) {
    if (!LONG_NUMBER.test(text)) return JSON.parse(text);
    return JSON.parse(text, function (key, value, ctx) {
      if (typeof value === 'number' && !Number.isSafeInteger(value) && ctx && ctx.source && /^-?\d+$/.test(ctx.source)) {
        return BigInt(ctx.source);
      }
      return value;
    });
  }

  // parseJSONBytes parses UTF-8 JSON bytes as parseJSON(TextDecoder's
  // text) does, without ever making one string of the whole text (up to
  // twice the bytes in V8 when any character is beyond Latin-1): the arrays
  // that are members of the top-level object, or of an object member of it
  // (a report's messages, files, deleted.messages…), when bigger than
  // opts.min bytes, are decoded and parsed opts.chunk bytes of elements at
  // a time, and the rest of the document is parsed with those arrays left
  // empty. Anything the byte scanner does not follow (not an object,
  // unbalanced, a stray byte) is parsed whole, so errors are JSON.parse's.
  // opts.layout, where the writer put those arrays, spares the scan.
  function parseJSONBytes(u8, opts) {
    const chunk = (opts && opts.chunk) || 32 << 10; // see wasm/encode.go layoutCut
    const min = (opts && opts.min) || 1 << 20;
    const dec = new TextDecoder();
    const whole = () => parseJSON(dec.decode(u8));
    const read = (a, b) => u8.subarray(a, b);
    // Where the big arrays are, from the writer (wasm/encode.go
    // arrayLayout): no scan. A layout that does not fit the text is
    // ignored.
    if (opts && Array.isArray(opts.layout) && opts.layout.length) {
      try {
        const doc = assembleJSON(opts.layout, read, u8.length);
        if (doc) return doc;
      } catch (e) { /* not where it said: scan */ }
    }
    const n = u8.length;
    let i = 0;
    if (n >= 3 && u8[0] === 0xef && u8[1] === 0xbb && u8[2] === 0xbf) i = 3;
    while (i < n && (u8[i] === 0x20 || u8[i] === 0x0a || u8[i] === 0x0d || u8[i] === 0x09)) i++;
    if (n - i < min || u8[i] !== 0x7b) return whole();
    // One pass over the bytes: a stack of open containers ({key, arr, big});
    // the arrays that may be split record the commas between their elements
    // every chunk bytes.
    const stack = [];
    const big = []; // {path, start ('[' offset), end (']' offset), cuts}
    let key = null; // the last object key read, at each object level (in stack entries)
    for (; i < n; i++) {
      const c = u8[i];
      if (c <= 0x20) continue; // whitespace (most of an indented report)
      if (c === 0x22) { // a string: find its closing quote
        let j = i + 1;
        for (;;) {
          // Short strings (keys) byte by byte, then indexOf.
          const stop = j + 24;
          while (j < stop && j < n && u8[j] !== 0x22) j++;
          if (j >= n) return whole();
          if (u8[j] !== 0x22) { j = u8.indexOf(0x22, j); if (j < 0) return whole(); }
          let b = j - 1;
          while (u8[b] === 0x5c) b--;
          if ((j - 1 - b) % 2 === 0) break; // not escaped
          j++;
        }
        const top = stack[stack.length - 1];
        if (top && !top.arr && top.want && stack.length <= 2) {
          // A key of the top-level object or of an object in it.
          key = dec.decode(u8.subarray(i + 1, j));
          if (key.indexOf('\\') >= 0) key = JSON.parse('"' + key + '"');
          top.key = key;
        }
        if (top && !top.arr) top.want = false;
        i = j;
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        const parent = stack[stack.length - 1];
        const e = { arr: c === 0x5b, want: c === 0x7b, key: null };
        if (e.arr && parent && !parent.arr && stack.length <= 2) {
          e.track = { path: stack.map((x) => x.key), start: i, end: -1, cuts: [], last: i };
        }
        stack.push(e);
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        const e = stack.pop();
        if (!e || e.arr !== (c === 0x5d)) return whole();
        if (e.track && i - e.track.start > min) { e.track.end = i; big.push(e.track); }
        if (!stack.length) { i++; break; }
        continue;
      }
      if (c === 0x2c) {
        const top = stack[stack.length - 1];
        if (!top) return whole();
        if (top.arr) {
          if (top.track && i - top.track.last >= chunk) { top.track.cuts.push(i); top.track.last = i; }
        } else top.want = true;
      }
    }
    if (stack.length) return whole();
    while (i < n && (u8[i] === 0x20 || u8[i] === 0x0a || u8[i] === 0x0d || u8[i] === 0x09)) i++;
    if (i !== n || !big.length) return whole();
    return assembleJSON(big, read, n) || whole();
  }

  // assembleJSON parses a document of n bytes, read(a, b) giving bytes
  // [a, b), with the big arrays ([{path, start ('[' offset), end (']'
  // offset), cuts (',' offsets)}], in order) left empty, then each of them
  // piece by piece; null when they are not where the document has them
  // (every offset is checked against its byte as the pieces are read).
  // owned: read returns a fresh array each time (the Blob's pieces), which
  // may be changed. A generator: it yields after each read of the big
  // arrays' pieces (runSync, runAsync).
  function assembleJSON(big, read, n, owned) { return runSync(assembleSteps(big, read, n, owned)); }
  function runSync(gen) {
    let r;
    do r = gen.next(); while (!r.done);
    return r.value;
  }
  // runAsync lets the event loop run every few steps: V8 finishes its
  // incremental collections in tasks of the loop, which a long synchronous
  // parse does not give it.
  async function runAsync(gen, every) {
    let r, k = 0;
    for (;;) {
      r = gen.next();
      if (r.done) return r.value;
      if (++k % every === 0) await new Promise((res) => setTimeout(res, 0));
    }
  }
  function* assembleSteps(big, read, n, owned) {
    const dec = new TextDecoder();
    let prev = -1;
    // An array without cuts (shorter than one piece) may say so with
    // null or no cuts as well as [] (wasm/encode.go wrote null for it
    // before 2026-11-26: the whole report was read at once).
    const cutsOf = (a) => (a.cuts == null ? [] : a.cuts);
    for (const a of big) {
      if (!a || !Array.isArray(a.path) || !a.path.length || !(a.start > prev) || !(a.end > a.start) || !(a.end < n) || !Array.isArray(cutsOf(a))) return null;
      let c0 = a.start;
      for (const c of cutsOf(a)) { if (!(c > c0 && c < a.end)) return null; c0 = c; }
      prev = a.end;
    }
    const parts = [];
    let p = 0;
    for (const a of big) {
      const b = read(p, a.start + 1);
      if (b[b.length - 1] !== 0x5b || (p > 0 && b[0] !== 0x5d)) return null;
      parts.push(dec.decode(b));
      p = a.end;
    }
    const tail = read(p, n);
    if (tail[0] !== 0x5d) return null;
    parts.push(dec.decode(tail));
    const doc = parseJSON(parts.join(''));
    parts.length = 0;
    const seen = new Set();
    for (const a of big) {
      const at = JSON.stringify(a.path);
      if (seen.has(at)) return null; // a duplicate key
      seen.add(at);
      let o = doc;
      for (let k = 0; k < a.path.length - 1; k++) o = o && o[a.path[k]];
      const list = o && o[a.path[a.path.length - 1]];
      if (!Array.isArray(list) || list.length) return null; // a duplicate key
      let from = a.start;
      const ends = cutsOf(a).concat([a.end]);
      let blk = null, blkAt = 0;
      for (let k = 0; k < ends.length; k++) {
        const cut = ends[k];
        // The piece with the delimiters around it: '[' or ',' before,
        // ',' or ']' after. Owned bytes are read about 1 MiB of pieces at
        // a time (each read of a Blob is a round trip to the browser).
        let b;
        if (owned) {
          if (!blk || cut + 1 > blkAt + blk.length) {
            let last = k;
            while (last + 1 < ends.length && ends[last + 1] + 1 - from <= 1 << 20) last++;
            blk = read(from, ends[last] + 1);
            blkAt = from;
          }
          b = blk.subarray(from - blkAt, cut + 1 - blkAt);
          yield;
        } else b = read(from, cut + 1);
        const open = from === a.start ? 0x5b : 0x2c, close = cut === a.end ? 0x5d : 0x2c;
        if (b.length !== cut + 1 - from || b[0] !== open || b[b.length - 1] !== close) return null;
        // One string of the piece (no concatenation for JSON.parse to
        // flatten into a second copy) when the bytes are ours to change;
        // the closing comma is put back: it opens the next piece.
        let text;
        if (owned) {
          b[0] = 0x5b; b[b.length - 1] = 0x5d;
          text = dec.decode(b);
          b[b.length - 1] = close;
        } else text = '[' + dec.decode(b.subarray(1, b.length - 1)) + ']';
        const part = parseJSON(text);
        for (let j = 0; j < part.length; j++) list.push(part[j]);
        from = cut;
      }
    }
    return doc;
  }

  // parseJSONBlob parses the JSON text in a Blob as parseJSONBytes does its
  // bytes. With opts.layout (wasm/encode.go) only the piece being parsed is
  // read at a time (FileReaderSync: workers only), so the text itself never
  // has to be in memory: Chromium keeps a Blob's bytes outside the
  // renderer. Without a layout that fits, the whole Blob is read.
  function parseJSONBlob(blob, opts) {
    const frs = new FileReaderSync();
    const read = (a, b) => new Uint8Array(frs.readAsArrayBuffer(blob.slice(a, b)));
    if (opts && Array.isArray(opts.layout) && opts.layout.length) {
      try {
        const doc = assembleJSON(opts.layout, read, blob.size, true);
        if (doc) return doc;
      } catch (e) { /* not where it said: read it all */ }
    }
    if (opts && opts.info) opts.info.whole = true;
    return parseJSONBytes(read(0, blob.size), Object.assign({}, opts, { layout: null }));
  }

  // parseJSONBlobAsync is parseJSONBlob letting the event loop run every
  // opts.every pieces (32 KiB each; 16 by default). Measured on the model of
  // a 1 GiB dump (110k messages): the renderer's peak while it loads 441–492
  // → 402–412 MiB (V8 finishes its collections in tasks of the loop), the
  // load 0.8 → 1.3 s.
  async function parseJSONBlobAsync(blob, opts) {
    const frs = new FileReaderSync();
    const read = (a, b) => new Uint8Array(frs.readAsArrayBuffer(blob.slice(a, b)));
    if (opts && Array.isArray(opts.layout) && opts.layout.length) {
      try {
        const doc = await runAsync(assembleSteps(opts.layout, read, blob.size, true), opts.every || 16);
        if (doc) return doc;
      } catch (e) { /* not where it said: read it all */ }
    }
    // Read at once: the report's bytes and its text in memory (a 4 GiB
    // dump's 72 MB report: the renderer +100 MiB). The worker tells the
    // page (bi-result's detail: wholeRead).
    if (opts && opts.info) opts.info.whole = true;
    return parseJSONBytes(read(0, blob.size), Object.assign({}, opts, { layout: null }));
  }

  // sourceFile is the provenance path of a record's source without the
  // "#table:rowid" locator.
  function sourceFile(src) {
    if (!src) return '';
    const i = src.indexOf('#');
    return i < 0 ? src : src.slice(0, i);
  }

  return { visible, mask, fmtInt, fmtBytes, fmtDuration, zone, csvCell, csvLine, parseCSV, escapeHTML, sqlValue, parseJSON, parseJSONBytes, parseJSONBlob, parseJSONBlobAsync, sourceFile, MASK };
})();
