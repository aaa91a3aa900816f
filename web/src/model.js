'use strict';
// The report model, kept in the worker: the page asks for one page of one
// view at a time (filtered, sorted, limited to the brushed time range), so
// 100k-record reports never cross to the page as objects. Also builds the
// CSV and the printable HTML report. Pure JS; uses BI from common.js.
var BIModel = (function () {
  let rep = null;
  let zone = BI.zone('UTC');
  const orderCache = new Map(); // query key -> Int32Array of record indexes
  let searchText = {}; // view -> array of lower-cased search strings
  let local = null; // {messages: Float64Array, calls: Float64Array} local ms per record (NaN without time)
  let threads = null; // derived conversations
  let tree = null; // files tree
  let timelineEvents = null; // {kind: Uint8Array, idx: Int32Array, t: Float64Array} sorted by time

  const lc = (s) => (s == null ? '' : String(s)).toLowerCase();
  const ms = (t) => (t ? Date.parse(t) : NaN);
  const joinList = (a, f) => (a || []).map(f || ((x) => x)).filter((x) => x !== '' && x != null).join('; ');

  function reset() {
    orderCache.clear();
    groupCache = { key: null, list: null, records: 0 };
    searchText = {};
    local = null;
    threads = null;
    tree = null;
    timelineEvents = null;
  }

  // ---- Views ----
  // Each view: rows() the records; part(r) 'live' | 'deleted'; time(r) ms;
  // cols: id -> {key(r) for sorting, csv(r) for export}; text(r) search text.
  const accountText = (a) => [a.kind, a.type, a.name].filter(Boolean).join(':');
  const attachText = (a) => [a.name, a.contentType, a.size != null ? a.size + ' B' : '', a.present ? 'present' : 'missing'].filter(Boolean).join(' ');
  const details = (d) => (d ? Object.keys(d).sort().map((k) => k + '=' + d[k]).join('; ') : '');

  const VIEWS = {
    messages: {
      rows: () => rep.messages,
      deletable: true,
      time: (r, i) => local.messages[i],
      cols: {
        time: { key: (r) => r.time || '', csv: (r) => r.time || '' },
        sentTime: { csv: (r) => r.sentTime || '' },
        kind: { key: (r) => r.kind, csv: (r) => r.kind },
        direction: { key: (r) => r.direction, csv: (r) => r.direction },
        address: { key: (r) => lc(r.address || (r.addresses || []).join(', ')), csv: (r) => r.address },
        addresses: { csv: (r) => joinList(r.addresses) },
        name: { key: (r) => lc(r.name), csv: (r) => r.name || '' },
        subject: { key: (r) => lc(r.subject), csv: (r) => r.subject || '' },
        body: { key: (r) => lc(r.body), csv: (r) => r.body },
        read: { key: (r) => (r.read == null ? -1 : r.read ? 1 : 0), csv: (r) => (r.read == null ? '' : String(r.read)) },
        thread: { key: (r) => r.thread || '', csv: (r) => r.thread || '' },
        subId: { key: (r) => (r.subId == null ? -1 : Number(r.subId)), csv: (r) => (r.subId == null ? '' : String(r.subId)) },
        attachments: { key: (r) => (r.attachments || []).length, csv: (r) => joinList(r.attachments, attachText) },
        links: { key: (r) => (r.links || []).length, csv: (r) => joinList(r.links, (l) => l.url) },
        deleted: { csv: (r) => (r.deleted ? 'true' : 'false') },
        source: { key: (r) => r.source, csv: (r) => r.source },
      },
      text: (r) => [r.time, r.kind, r.direction, r.address, joinList(r.addresses), r.name, r.subject, r.body,
        joinList(r.links, (l) => l.url + ' ' + (l.display || '')), joinList(r.attachments, attachText), r.source].join('\u0001'),
    },
    contacts: {
      rows: () => rep.contacts,
      deletable: true,
      cols: {
        name: { key: (r) => lc(r.name), csv: (r) => r.name },
        nickname: { csv: (r) => r.nickname || '' },
        phones: { key: (r) => lc((r.phones || []).map((p) => p.number).join(', ')), csv: (r) => joinList(r.phones, (p) => p.number + (p.type ? ' (' + p.type + ')' : '')) },
        emails: { key: (r) => lc((r.emails || []).join(', ')), csv: (r) => joinList(r.emails) },
        accounts: { key: (r) => lc((r.accounts || []).map(accountText).join(', ')), csv: (r) => joinList(r.accounts, accountText) },
        organizations: { key: (r) => lc(joinList(r.organizations)), csv: (r) => joinList(r.organizations) },
        addresses: { csv: (r) => joinList(r.addresses) },
        notes: { csv: (r) => joinList(r.notes) },
        groups: { csv: (r) => joinList(r.groups) },
        birthday: { key: (r) => r.birthday || '', csv: (r) => r.birthday || '' },
        starred: { key: (r) => (r.starred ? 1 : 0), csv: (r) => (r.starred ? 'true' : 'false') },
        owner: { csv: (r) => (r.owner ? 'true' : 'false') },
        deleted: { csv: (r) => (r.deleted ? 'true' : 'false') },
        source: { key: (r) => r.source, csv: (r) => r.source },
      },
      text: (r) => [r.name, r.nickname, joinList(r.phones, (p) => p.number + ' ' + (p.normalized || '')), joinList(r.emails),
        joinList(r.accounts, accountText), joinList(r.organizations), joinList(r.addresses), joinList(r.notes), joinList(r.groups),
        joinList(r.websites), joinList(r.ims), r.birthday, r.source].join('\u0001'),
    },
    calls: {
      rows: () => rep.calls,
      deletable: true,
      time: (r, i) => local.calls[i],
      cols: {
        time: { key: (r) => r.time || '', csv: (r) => r.time || '' },
        direction: { key: (r) => r.direction, csv: (r) => r.direction },
        number: { key: (r) => r.number, csv: (r) => r.number },
        name: { key: (r) => lc(r.name), csv: (r) => r.name || '' },
        duration: { key: (r) => Number(r.durationSeconds || 0), csv: (r) => String(r.durationSeconds == null ? '' : r.durationSeconds) },
        location: { key: (r) => lc([r.location, r.countryIso].filter(Boolean).join(' ')), csv: (r) => r.location || '' },
        countryIso: { csv: (r) => r.countryIso || '' },
        phoneAccount: { key: (r) => r.phoneAccount || '', csv: (r) => r.phoneAccount || '' },
        features: { csv: (r) => joinList(r.features) },
        deleted: { csv: (r) => (r.deleted ? 'true' : 'false') },
        source: { key: (r) => r.source, csv: (r) => r.source },
      },
      text: (r) => [r.time, r.direction, r.number, r.name, r.location, r.countryIso, r.phoneAccount, joinList(r.features), r.source].join('\u0001'),
    },
    identifiers: {
      rows: () => rep.identifiers,
      cols: {
        kind: { key: (r) => r.kind, csv: (r) => r.kind },
        value: { key: (r) => r.value, csv: (r) => r.value },
        valid: { key: (r) => (r.valid ? 1 : 0), csv: (r) => (r.valid ? 'true' : 'false') },
        label: { key: (r) => lc(r.label), csv: (r) => r.label || '' },
        details: { csv: (r) => details(r.details) },
        secret: { key: (r) => (r.secret ? 1 : 0), csv: (r) => (r.secret ? 'true' : 'false') },
        source: { key: (r) => r.source, csv: (r) => r.source },
      },
      text: (r) => [r.kind, r.value, r.label, details(r.details), r.source].join('\u0001'),
    },
    timeline: {
      // Rows are events: messages and calls with a time, in time order.
      rows: () => timelineRows(),
      time: (r, i) => timelineEvents.t[i],
      cols: {
        time: { key: (r) => r.r.time || '', csv: (r) => r.r.time || '' },
        type: { key: (r) => r.type, csv: (r) => r.type },
        direction: { key: (r) => r.r.direction, csv: (r) => r.r.direction },
        counterpart: { key: (r) => lc(counterpart(r)), csv: (r) => counterpart(r) },
        summary: { key: (r) => lc(eventSummary(r)), csv: (r) => eventSummary(r) },
        source: { key: (r) => r.r.source, csv: (r) => r.r.source },
      },
      text: (r) => [r.type, r.r.time, r.r.direction, counterpart(r), eventSummary(r), r.r.name, r.r.source].join('\u0001'),
    },
    files: {
      rows: () => rep.files,
      sourceKey: (r) => r.path,
      cols: {
        path: { key: (r) => r.path, csv: (r) => r.path },
        size: { key: (r) => Number(r.size), csv: (r) => String(r.size) },
        sha256: { key: (r) => r.sha256 || '', csv: (r) => r.sha256 || '' },
        format: { key: (r) => r.format || '', csv: (r) => r.format || '' },
        container: { key: (r) => r.container || '', csv: (r) => r.container || '' },
      },
      text: (r) => [r.path, r.sha256, r.format, r.container].join('\u0001'),
    },
    apps: {
      rows: () => rep.apps,
      sourceKey: (r) => r.package,
      cols: {
        package: { key: (r) => r.package, csv: (r) => r.package },
        labels: { key: (r) => lc(joinList(r.labels)), csv: (r) => joinList(r.labels) },
        versionCode: { key: (r) => Number(r.versionCode || 0), csv: (r) => (r.versionCode == null ? '' : String(r.versionCode)) },
        installer: { key: (r) => r.installer || '', csv: (r) => r.installer || '' },
        flags: { key: (r) => appFlags(r), csv: (r) => appFlags(r) },
        certSha256: { csv: (r) => joinList(r.certSha256) },
        sources: { key: (r) => (r.sources || []).length, csv: (r) => joinList(r.sources) },
      },
      text: (r) => [r.package, joinList(r.labels), r.installer, appFlags(r), joinList(r.certSha256), joinList(r.sources)].join('\u0001'),
    },
    payloads: {
      rows: () => rep.payloads,
      sourceKey: (r) => r.path,
      cols: {
        path: { key: (r) => r.path, csv: (r) => r.path },
        package: { key: (r) => r.package || '', csv: (r) => r.package || '' },
        feature: { key: (r) => r.feature || '', csv: (r) => r.feature || '' },
        format: { key: (r) => r.format, csv: (r) => r.format },
        size: { key: (r) => Number(r.size), csv: (r) => String(r.size) },
        note: { key: (r) => lc(r.note), csv: (r) => r.note || '' },
      },
      text: (r) => [r.path, r.package, r.feature, r.format, r.note].join('\u0001'),
    },
    recovered: {
      rows: () => rep.recovered,
      cols: {
        database: { key: (r) => r.database, csv: (r) => r.database },
        table: { key: (r) => r.table, csv: (r) => r.table },
        rowid: { key: (r) => (r.rowid == null ? -Infinity : Number(r.rowid)), csv: (r) => (r.rowid == null ? '' : String(r.rowid)) },
        values: { key: (r) => lc(valuesText(r.values)), csv: (r) => valuesJSON(r.values) },
        source: { key: (r) => r.source, csv: (r) => r.source },
        page: { key: (r) => Number(r.page), csv: (r) => String(r.page) },
        offset: { key: (r) => Number(r.offset), csv: (r) => String(r.offset) },
        confidence: { key: (r) => r.confidence, csv: (r) => String(r.confidence) },
        superseded: { key: (r) => (r.superseded ? 1 : 0), csv: (r) => (r.superseded ? 'true' : 'false') },
      },
      text: (r) => [r.database, r.table, r.rowid, valuesText(r.values), r.source].join('\u0001'),
    },
    // Indicator matches, unusable indicators and shortened links (report
    // key "indicators", present when indicator files were matched).
    indicators: {
      rows: () => ind().matches,
      cols: {
        bundle: { key: (r) => lc(r.bundle + '\u0000' + collText(r)), csv: (r) => r.bundle },
        collections: { key: (r) => lc(collText(r)), csv: (r) => collText(r) },
        indicator: { key: (r) => lc(r.indicatorName || r.indicatorId), csv: (r) => r.indicatorName || '' },
        indicatorId: { csv: (r) => r.indicatorId },
        pattern: { csv: (r) => r.pattern },
        kind: { key: (r) => r.kind, csv: (r) => r.kind },
        indicated: { key: (r) => r.indicated, csv: (r) => r.indicated },
        value: { key: (r) => lc(r.display || r.value), csv: (r) => r.value },
        display: { csv: (r) => r.display || '' },
        how: { key: (r) => r.how, csv: (r) => r.how },
        record: { key: (r) => r.record, csv: (r) => r.record },
        field: { csv: (r) => r.field },
        source: { key: (r) => r.source, csv: (r) => r.source },
        deleted: { key: (r) => (r.deleted ? 1 : 0), csv: (r) => (r.deleted ? 'true' : 'false') },
        shortener: { csv: (r) => (r.shortener ? 'true' : 'false') },
        context: { csv: (r) => excerptText(r.context) },
        explanation: { key: (r) => lc(r.explanation), csv: (r) => r.explanation },
      },
      text: (r) => [r.bundle, collText(r), r.indicatorName, r.indicatorId, r.pattern, r.kind, r.indicated, r.value, r.display, r.record, r.field,
        r.source, r.how, r.explanation, excerptText(r.context), r.deleted ? 'deleted' : ''].join('\u0001'),
    },
    iocUnsupported: {
      rows: () => ind().unsupported,
      cols: {
        bundle: { key: (r) => r.bundle, csv: (r) => r.bundle },
        what: { key: (r) => unsupportedWhat(r), csv: (r) => unsupportedWhat(r) },
        id: { csv: (r) => r.id || '' },
        line: { csv: (r) => (r.line ? String(r.line) : '') },
        pattern: { key: (r) => r.pattern || '', csv: (r) => r.pattern || '' },
        offset: { csv: (r) => (r.offset == null ? '' : String(r.offset)) },
        status: { key: (r) => unsupportedStatus(r), csv: (r) => unsupportedStatus(r) },
        reason: { key: (r) => lc(r.reason), csv: (r) => r.reason },
      },
      text: (r) => [r.bundle, unsupportedWhat(r), r.id, r.pattern, unsupportedStatus(r), r.reason].join('\u0001'),
    },
    notResolved: {
      rows: () => ind().notResolved,
      cols: {
        url: { key: (r) => r.url, csv: (r) => r.url },
        host: { key: (r) => r.host, csv: (r) => r.host },
        record: { key: (r) => r.record, csv: (r) => r.record },
        field: { csv: (r) => r.field },
        source: { key: (r) => r.source, csv: (r) => r.source },
        context: { csv: (r) => excerptText(r.context) },
        note: { csv: (r) => r.note },
      },
      text: (r) => [r.url, r.host, r.record, r.field, r.source, excerptText(r.context)].join('\u0001'),
    },
    problems: {
      rows: () => rep.problems,
      cols: {
        input: { key: (r) => r.input, csv: (r) => r.input },
        path: { key: (r) => r.path || '', csv: (r) => r.path || '' },
        offset: { key: (r) => (r.offset == null ? -1 : Number(r.offset)), csv: (r) => (r.offset == null ? '' : String(r.offset)) },
        code: { key: (r) => r.code, csv: (r) => r.code },
        message: { key: (r) => lc(r.message), csv: (r) => r.message },
      },
      text: (r) => [r.input, r.path, r.code, r.message].join('\u0001'),
    },
  };

  const NO_INDICATORS = { matches: [], unsupported: [], notResolved: [], bundles: [] };
  function ind() { return rep.indicators || NO_INDICATORS; }
  function collText(r) { return (r.collections || []).map((c) => c.name || c.id).join(', '); }
  function excerptText(x) { return x ? (x.before || '') + (x.text || '') + (x.after || '') : ''; }
  function unsupportedWhat(r) { return r.line ? 'line ' + r.line : r.name || r.id || ''; }
  function unsupportedStatus(r) { return r.invalid ? 'invalid' : r.partial ? 'partial' : 'unsupported'; }

  function appFlags(r) {
    return [r.apk ? 'apk' : '', r.encrypted ? 'encrypted' : '', r.xspace ? 'second space' : ''].filter(Boolean).join(', ');
  }
  function valuesText(values) {
    return (values || []).map((v) => BI.sqlValue(v).text).join(' | ');
  }
  function valuesJSON(values) {
    return JSON.stringify(values || [], (k, v) => (typeof v === 'bigint' ? v.toString() : v));
  }
  function counterpart(e) {
    const r = e.r;
    if (e.type === 'call') return [r.name, r.number].filter(Boolean).join(' ');
    return [r.name, r.address || (r.addresses || []).join(', ')].filter(Boolean).join(' ');
  }
  function eventSummary(e) {
    const r = e.r;
    if (e.type === 'call') return BI.fmtDuration(r.durationSeconds || 0) + (r.location ? ' · ' + r.location : '');
    return (r.subject ? r.subject + ' — ' : '') + (r.body || '') + ((r.attachments || []).length ? ' [' + r.attachments.length + ' attachment(s)]' : '');
  }

  // ---- Loading ----
  // load reads a report from its JSON text or, without a string of the
  // whole report, from its UTF-8 bytes (BI.parseJSONBytes).
  function load(src, layout) {
    if (typeof src === 'string') return loaded_(BI.parseJSON(src));
    if (typeof Blob !== 'undefined' && src instanceof Blob) return loaded_(BI.parseJSONBlob(src, { layout }));
    return loaded_(BI.parseJSONBytes(src, { layout }));
  }
  // loadAsync is load of a Blob, letting the worker's event loop run
  // while it is parsed (BI.parseJSONBlobAsync); info.whole is set when the
  // layout did not fit and the Blob was read at once.
  async function loadAsync(blob, layout, info) {
    return loaded_(await BI.parseJSONBlobAsync(blob, { layout, info }));
  }
  function loaded_(doc) {
    rep = doc;
    for (const k of ['inputs', 'messages', 'contacts', 'calls', 'identifiers', 'apps', 'files', 'databases', 'recovered', 'payloads', 'problems']) {
      if (!Array.isArray(rep[k])) rep[k] = [];
    }
    if (rep.indicators) for (const k of ['matches', 'unsupported', 'notResolved', 'bundles']) if (!Array.isArray(rep.indicators[k])) rep.indicators[k] = [];
    // Deleted-but-present records (report.deleted) join their view marked
    // deleted, after the live ones; the views show them apart.
    const del = rep.deleted || {};
    for (const k of ['messages', 'contacts', 'calls']) {
      if (!Array.isArray(del[k]) || !del[k].length) continue;
      for (const r of del[k]) r.deleted = true;
      rep[k] = rep[k].concat(del[k]);
    }
    reset();
    computeLocal();
    return summary();
  }

  // early is the summary of a report made from its overview
  // (wasm/overview.go), which comes before the report itself: the fields
  // of summary() (threads and the time range unknown yet), partial.
  function early(x) {
    const n = x.counts || {};
    const part = (live, del) => ({ total: (live || 0) + (del || 0), live: live || 0, deleted: del || 0 });
    const total = (v) => ({ total: v || 0 });
    return {
      schema: x.schema, generator: x.generator, inputs: x.inputs || [], device: x.device || {}, exposure: x.exposure || {},
      databases: x.databases || [], indicators: null, limits: x.limits || null, apps: x.apps || [], problems: x.problems || [],
      counts: {
        messages: part(n.messages, n.deletedMessages), contacts: part(n.contacts, n.deletedContacts), calls: part(n.calls, n.deletedCalls),
        identifiers: { total: n.identifiers || 0, live: n.identifiers || 0, deleted: 0 },
        files: total(n.files), databases: total(n.databases), recovered: total(n.recovered), payloads: total(n.payloads),
        problems: total(n.problems), apps: total(n.apps), timeline: total(n.timeline),
        indicators: total(0), iocUnsupported: total(0), notResolved: total(0), threads: { total: null },
      },
      timeRange: null, zone: zone.name, partial: true,
    };
  }

  function count(arr, f) { let n = 0; for (const x of arr) if (f(x)) n++; return n; }

  function summary() {
    const partCounts = (a) => { const d = count(a, (r) => r.deleted); return { total: a.length, live: a.length - d, deleted: d }; };
    let tmin = Infinity, tmax = -Infinity;
    for (const a of [local.messages, local.calls]) for (const t of a) if (t === t) { if (t < tmin) tmin = t; if (t > tmax) tmax = t; }
    return {
      schema: rep.schema, generator: rep.generator, inputs: rep.inputs, device: rep.device, exposure: rep.exposure,
      databases: rep.databases, indicators: indicatorsSummary(), limits: rep.limits || null,
      apps: rep.apps.slice(0, 50),
      problems: rep.problems.slice(0, 200),
      counts: {
        messages: partCounts(rep.messages), contacts: partCounts(rep.contacts), calls: partCounts(rep.calls),
        identifiers: { total: rep.identifiers.length, live: rep.identifiers.length, deleted: 0 },
        files: { total: rep.files.length }, databases: { total: rep.databases.length }, recovered: { total: rep.recovered.length },
        payloads: { total: rep.payloads.length }, problems: { total: rep.problems.length }, apps: { total: rep.apps.length },
        timeline: { total: timelineRows().length },
        indicators: { total: ind().matches.length }, iocUnsupported: { total: ind().unsupported.length }, notResolved: { total: ind().notResolved.length },
        threads: { total: getThreads().length },
      },
      timeRange: tmin <= tmax ? [tmin, tmax] : null,
      zone: zone.name,
    };
  }

  // indicatorsSummary is what the overview shows of the indicators result
  // (its lists are queried like the other views).
  function indicatorsSummary() {
    const x = rep.indicators;
    if (!x) return null;
    const by = (a, f) => a.reduce((n, r) => n + (f(r) ? 1 : 0), 0);
    return {
      checked: x.checked || {}, bundles: x.bundles, note: x.note || '',
      matches: x.matches.length, deletedMatches: by(x.matches, (m) => m.deleted),
      records: new Set(x.matches.map((m) => m.record + '\u0000' + m.source)).size,
      unsupported: x.unsupported.length, invalid: by(x.unsupported, (u) => u.invalid), partial: by(x.unsupported, (u) => u.partial),
      notResolved: x.notResolved.length,
    };
  }

  // computeLocal stores every message's and call's time in the current
  // zone's wall-clock milliseconds (what the timeline buckets and the brush
  // use).
  function computeLocal() {
    const conv = (arr) => {
      const out = new Float64Array(arr.length);
      for (let i = 0; i < arr.length; i++) {
        const t = ms(arr[i].time);
        out[i] = t === t ? t + zone.offsetMs(t) : NaN;
      }
      return out;
    };
    local = { messages: conv(rep.messages), calls: conv(rep.calls) };
    timelineEvents = null;
  }

  function setZone(name) {
    zone = BI.zone(name);
    if (rep) {
      computeLocal();
      orderCache.clear();
      delete searchText.timeline;
    }
    return { zone: zone.name };
  }

  // ---- Timeline ----
  let timelineList = null;
  function timelineRows() {
    if (timelineEvents) return timelineList;
    const ev = [];
    rep.messages.forEach((r, i) => { if (!r.deleted && local.messages[i] === local.messages[i]) ev.push({ type: 'message', i, r, t: local.messages[i] }); });
    rep.calls.forEach((r, i) => { if (!r.deleted && local.calls[i] === local.calls[i]) ev.push({ type: 'call', i, r, t: local.calls[i] }); });
    ev.sort((a, b) => a.t - b.t || (a.type < b.type ? -1 : a.type > b.type ? 1 : a.i - b.i));
    const t = new Float64Array(ev.length);
    ev.forEach((e, j) => { t[j] = e.t; });
    timelineEvents = { t };
    timelineList = ev;
    return ev;
  }

  const BUCKETS = { hour: 3600000, day: 86400000, week: 7 * 86400000 };
  function lowerBound(a, x) { let lo = 0, hi = a.length; while (lo < hi) { const m = (lo + hi) >> 1; if (a[m] < x) lo = m + 1; else hi = m; } return lo; }

  // histogram counts events per bucket between from and to (local ms).
  function histogram(q) {
    const ev = timelineRows();
    const t = timelineEvents.t;
    let from = q.from, to = q.to;
    if (from == null || to == null) {
      if (!t.length) return { buckets: [], bucket: 'day', from: 0, to: 0, max: 0, total: 0 };
      from = t[0]; to = t[t.length - 1] + 1;
    }
    let bucket = q.bucket || 'auto';
    if (bucket === 'auto') bucket = to - from <= 4 * 86400000 ? 'hour' : to - from <= 730 * 86400000 ? 'day' : 'week';
    let size = BUCKETS[bucket];
    let start = Math.floor(from / BUCKETS.day) * BUCKETS.day;
    if (bucket === 'hour') start = Math.floor(from / size) * size;
    if (bucket === 'week') start = Math.floor((from - 4 * 86400000) / size) * size + 4 * 86400000; // Monday
    let n = Math.ceil((to - start) / size);
    let capped = false;
    if (n > 3000) { capped = true; n = 3000; }
    const buckets = [];
    let max = 0, total = 0;
    for (let b = 0; b < n; b++) {
      const lo = start + b * size, hi = lo + size;
      const a = lowerBound(t, lo), z = lowerBound(t, hi);
      let msgIn = 0, msgOut = 0, calls = 0;
      for (let j = a; j < z; j++) {
        const e = ev[j];
        if (e.type === 'call') calls++;
        else if (e.r.direction === 'incoming') msgIn++;
        else msgOut++;
      }
      const sum = msgIn + msgOut + calls;
      if (sum > max) max = sum;
      total += sum;
      buckets.push({ from: lo, to: hi, msgIn, msgOut, calls });
    }
    return { buckets, bucket, from: start, to: start + n * size, max, total, capped };
  }

  // ---- Conversations ----
  function threadKey(m) {
    if (m.thread) return BI.sourceFile(m.source) + '#' + m.thread;
    return 'addr:' + (m.address || (m.addresses || []).join(','));
  }
  function getThreads() {
    if (threads) return threads;
    const map = new Map();
    rep.messages.forEach((m, i) => {
      const k = threadKey(m);
      let t = map.get(k);
      if (!t) { t = { key: k, addresses: [], names: [], count: 0, deleted: 0, unread: 0, first: null, last: null, lastBody: '', lastIdx: -1, kinds: {}, dLast: null, dBody: '' }; map.set(k, t); }
      const addrs = m.addresses && m.addresses.length ? m.addresses : [m.address];
      for (const a of addrs) if (a && !t.addresses.includes(a) && t.addresses.length < 20) t.addresses.push(a);
      if (m.name && !t.names.includes(m.name) && t.names.length < 5) t.names.push(m.name);
      t.kinds[m.kind] = true;
      if (m.deleted) {
        t.deleted++;
        if (m.time && (!t.dLast || m.time >= t.dLast)) { t.dLast = m.time; t.dBody = m.body || m.subject || ''; }
        return;
      }
      t.count++;
      if (m.direction === 'incoming' && m.read === false) t.unread++;
      if (m.time && (!t.last || m.time >= t.last)) { t.last = m.time; t.lastBody = m.body || m.subject || ''; t.lastIdx = i; }
      if (m.time && (!t.first || m.time < t.first)) t.first = m.time;
    });
    for (const t of map.values()) if (!t.count) { t.last = t.dLast; t.lastBody = t.dBody; }
    threads = [...map.values()];
    threads.sort((a, b) => (b.last || '').localeCompare(a.last || '') || (a.key < b.key ? -1 : 1));
    for (const t of threads) t.lastBody = t.lastBody.length > 200 ? t.lastBody.slice(0, 200) + '…' : t.lastBody;
    return threads;
  }

  // ---- Files tree ----
  // Provenance paths: containers joined by "!", folders by "/"; "!" and "%"
  // inside names are percent-encoded.
  const decodeSeg = (s) => s.replace(/%21/gi, '!').replace(/%25/g, '%');
  function getTree() {
    if (tree) return tree;
    const root = { key: '', name: '', children: new Map(), file: -1, depth: -1, files: 0, size: 0 };
    const nodes = new Map([['', root]]);
    function node(key, name, parent, kind) {
      let n = nodes.get(key);
      if (!n) {
        n = { key, name, children: new Map(), file: -1, depth: parent.depth + 1, kind, files: 0, size: 0, parent };
        nodes.set(key, n);
        parent.children.set(key, n);
      }
      return n;
    }
    rep.files.forEach((f, i) => {
      const segs = f.path.split('!');
      let parent = root, key = '';
      segs.forEach((seg, si) => {
        const parts = seg.split('/').filter((p) => p !== '');
        parts.forEach((p, pi) => {
          key += (pi === 0 ? (si === 0 ? '' : '!') : '/') + p;
          const last = si === segs.length - 1 && pi === parts.length - 1;
          parent = node(key, decodeSeg(p), parent, last ? 'file' : pi === parts.length - 1 ? 'container' : 'folder');
        });
      });
      parent.file = i;
      if (parent.kind !== 'container') parent.kind = 'file';
    });
    // Containers are files with children; count files below each node.
    const walk = (n) => {
      let files = n.file >= 0 ? 1 : 0, size = n.file >= 0 ? Number(rep.files[n.file].size) || 0 : 0;
      const kids = [...n.children.values()];
      kids.sort((a, b) => (a.children.size ? 0 : 1) - (b.children.size ? 0 : 1) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      n.kids = kids;
      for (const k of kids) { walk(k); files += k.files; if (n.file < 0) size += k.size; }
      if (n.file >= 0 && kids.length) n.kind = 'container';
      n.files = files;
      n.size = size;
    };
    walk(root);
    tree = { root, nodes };
    return tree;
  }

  function treeRows(q) {
    const t = getTree();
    const expanded = new Set(q.expanded || []);
    const collapsed = new Set(q.collapsed || []);
    const autoDepth = rep.files.length <= 2000 ? 99 : 1;
    const out = [];
    const visit = (n) => {
      for (const k of n.kids) {
        const open = k.kids.length > 0 && !collapsed.has(k.key) && (expanded.has(k.key) || k.depth < autoDepth);
        out.push({ node: k, open });
        if (open) visit(k);
      }
    };
    visit(t.root);
    return out;
  }

  function treeRowJSON(x) {
    const n = x.node;
    return { key: n.key, name: n.name, depth: n.depth, kind: n.kind, open: x.open, hasKids: n.kids.length > 0, files: n.files, size: n.size, i: n.file, r: n.file >= 0 ? rep.files[n.file] : null };
  }

  // ---- Queries ----
  function tokens(s) { return lc(s).split(/\s+/).filter(Boolean); }

  function matcher(view, toks) {
    if (!toks.length) return null;
    let texts = searchText[view];
    if (!texts) {
      const def = VIEWS[view], rows = def.rows();
      texts = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) texts[i] = lc(def.text(rows[i]));
      searchText[view] = texts;
    }
    return (i) => { const s = texts[i]; for (const t of toks) if (!s.includes(t)) return false; return true; };
  }

  // order returns the indexes of view's records that the query selects, in
  // the query's order.
  function order(q) {
    const view = q.view;
    const def = VIEWS[view];
    if (!def) throw new Error('unknown view ' + view);
    const key = JSON.stringify([view, q.part || '', q.filter || '', q.global || '', q.brush || null, q.sort || '', !!q.desc, q.thread || '', q.database || '', q.source || '']);
    let o = orderCache.get(key);
    if (o) { orderCache.delete(key); orderCache.set(key, o); return o; }
    const rows = def.rows();
    const f = matcher(view, tokens(q.filter));
    const g = matcher(view, tokens(q.global));
    const part = def.deletable ? (q.part || 'live') : 'all';
    const brush = def.time && q.brush ? q.brush : null;
    const tkey = q.thread || null;
    const idx = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (part === 'live' && r.deleted) continue;
      if (part === 'deleted' && !r.deleted) continue;
      if (tkey && threadKey(r) !== tkey) continue;
      if (q.database && r.database !== q.database) continue;
      if (q.source && (def.sourceKey ? def.sourceKey(r) : r.source) !== q.source) continue;
      if (brush) { const t = def.time(r, i); if (!(t >= brush[0] && t < brush[1])) continue; }
      if (f && !f(i)) continue;
      if (g && !g(i)) continue;
      idx.push(i);
    }
    o = Int32Array.from(idx);
    const col = q.sort && def.cols[q.sort];
    if (col && col.key) {
      const keys = new Array(rows.length);
      for (const i of o) keys[i] = col.key(rows[i]);
      const dir = q.desc ? -1 : 1;
      o.sort((a, b) => {
        const ka = keys[a], kb = keys[b];
        if (ka < kb) return -dir;
        if (ka > kb) return dir;
        return a - b;
      });
    } else if (q.desc) o.reverse();
    orderCache.set(key, o);
    while (orderCache.size > 12) orderCache.delete(orderCache.keys().next().value);
    return o;
  }

  function query(q) {
    if (!rep) throw new Error('no report loaded');
    const offset = Math.max(0, q.offset | 0), limit = Math.min(Math.max(1, q.limit | 0 || 100), 2000);
    if (q.view === 'threads') return threadQuery(q, offset, limit);
    if (q.view === 'indicators' && q.grouped) {
      const g = groupedMatches(q);
      return { total: ind().matches.length, records: g.records, count: g.list.length, offset, rows: g.list.slice(offset, offset + limit) };
    }
    if (q.view === 'tree') {
      const all = treeRows(q);
      return { total: rep.files.length, records: rep.files.length, count: all.length, offset, rows: all.slice(offset, offset + limit).map(treeRowJSON) };
    }
    const def = VIEWS[q.view];
    const o = order(q);
    const rows = def.rows();
    const out = [];
    for (let j = offset; j < Math.min(o.length, offset + limit); j++) {
      const i = o[j];
      out.push(q.view === 'timeline' ? { i: rows[i].i, type: rows[i].type, r: rows[i].r } : { i, r: rows[i] });
    }
    let total = rows.length;
    if (def.deletable) total = count(rows, (r) => (q.part === 'deleted' ? r.deleted : !r.deleted));
    return { total, count: o.length, offset, rows: out };
  }

  // groupedMatches lists the matches the query selects under a header row
  // per bundle and collection (the report's order: bundle, first
  // collection, indicator, record).
  let groupCache = { key: null, list: null, records: 0 };
  function groupedMatches(q) {
    const key = JSON.stringify([q.filter || '', q.global || '']);
    if (groupCache.key === key) return groupCache;
    const o = order(Object.assign({}, q, { sort: '', desc: false }));
    const rows = ind().matches;
    const list = [];
    let cur = null;
    for (const i of o) {
      const r = rows[i];
      const c = (r.collections || [])[0];
      const k = r.bundle + '\u0000' + (c ? c.name + '\u0000' + c.id : '');
      if (!cur || cur.key !== k) {
        cur = { key: k, i: -1, group: { bundle: r.bundle, collection: c || null, count: 0 } };
        list.push(cur);
      }
      cur.group.count++;
      list.push({ i, r });
    }
    groupCache = { key, list, records: o.length };
    return groupCache;
  }

  // threadQuery lists conversations that hold at least one message the
  // query selects.
  function threadQuery(q, offset, limit) {
    const all = getThreads();
    let list = all;
    if (q.filter || q.global || q.brush || q.part === 'deleted') {
      const o = order(Object.assign({}, q, { view: 'messages', sort: '', desc: false, thread: '' }));
      const hit = new Set();
      for (const i of o) hit.add(threadKey(rep.messages[i]));
      list = all.filter((t) => hit.has(t.key));
    } else {
      list = all.filter((t) => t.count > 0);
    }
    return { total: all.length, count: list.length, offset, rows: list.slice(offset, offset + limit).map((t) => ({ i: -1, r: t })) };
  }

  // counts answers how many records of each view the global search and the
  // brush select (for the tab badges).
  function counts(q) {
    const out = {};
    for (const view of ['messages', 'contacts', 'calls', 'identifiers', 'timeline', 'files', 'problems', 'recovered', 'payloads', 'apps', 'indicators']) {
      out[view] = order({ view, global: q.global, brush: q.brush, part: VIEWS[view].deletable ? 'live' : '' }).length;
      if (VIEWS[view].deletable) out[view + 'Deleted'] = order({ view, global: q.global, brush: q.brush, part: 'deleted' }).length;
    }
    return out;
  }

  // ---- Exports ----
  const CSV_COLS = {
    messages: ['time', 'sentTime', 'kind', 'direction', 'address', 'addresses', 'name', 'subject', 'body', 'read', 'thread', 'subId', 'attachments', 'links', 'deleted', 'source'],
    contacts: ['name', 'nickname', 'phones', 'emails', 'accounts', 'organizations', 'addresses', 'notes', 'groups', 'birthday', 'starred', 'owner', 'deleted', 'source'],
    calls: ['time', 'direction', 'number', 'name', 'duration', 'location', 'countryIso', 'phoneAccount', 'features', 'deleted', 'source'],
    identifiers: ['kind', 'value', 'valid', 'label', 'details', 'secret', 'source'],
    timeline: ['time', 'type', 'direction', 'counterpart', 'summary', 'source'],
    files: ['path', 'size', 'sha256', 'format', 'container'],
    payloads: ['path', 'package', 'feature', 'format', 'size', 'note'],
    apps: ['package', 'labels', 'versionCode', 'installer', 'flags', 'certSha256', 'sources'],
    recovered: ['database', 'table', 'rowid', 'values', 'source', 'page', 'offset', 'confidence', 'superseded'],
    problems: ['input', 'path', 'offset', 'code', 'message'],
    indicators: ['bundle', 'collections', 'indicator', 'indicatorId', 'pattern', 'kind', 'indicated', 'record', 'source', 'field', 'value', 'display', 'how', 'deleted', 'shortener', 'context', 'explanation'],
    iocUnsupported: ['bundle', 'what', 'id', 'line', 'pattern', 'offset', 'status', 'reason'],
    notResolved: ['url', 'host', 'record', 'source', 'field', 'context', 'note'],
  };
  const CSV_HEAD = { time: 'time (UTC)', sentTime: 'sent time (UTC)', duration: 'duration (s)' };

  // csv writes every record the query selects, in its order, with the exact
  // values of the report (times in UTC, RFC 3339).
  function csv(q) {
    const view = q.view === 'tree' ? 'files' : q.view === 'threads' ? 'messages' : q.view;
    const def = VIEWS[view];
    const cols = CSV_COLS[view];
    const o = order(Object.assign({}, q, { view }));
    const rows = def.rows();
    const parts = ['\uFEFF' + BI.csvLine(cols.map((c) => CSV_HEAD[c] || c))];
    for (const i of o) parts.push(BI.csvLine(cols.map((c) => def.cols[c].csv(rows[i]))));
    return parts.join('');
  }

  // reportHTML writes a printable, self-contained report: no script, no
  // external resource (its own CSP forbids them), every value escaped.
  function reportHTML(opt) {
    const z = BI.zone(opt.zone || 'UTC');
    const reveal = !!opt.reveal;
    const e = BI.escapeHTML;
    const t = (iso) => e(iso ? z.format(iso) : '—');
    const mv = (v) => e(reveal ? v : BI.mask(v));
    const out = [];
    const x = rep.exposure || {};
    const table = (head, rows) => {
      out.push('<table><thead><tr>' + head.map((h) => '<th>' + e(h) + '</th>').join('') + '</tr></thead><tbody>');
      for (const r of rows) out.push('<tr' + (r.cls ? ' class="' + r.cls + '"' : '') + '>' + r.cells.map((c) => '<td>' + c + '</td>').join('') + '</tr>');
      out.push('</tbody></table>');
    };
    const section = (title, n) => out.push('<h2>' + e(title) + (n != null ? ' <span class="n">(' + n + ')</span>' : '') + '</h2>');
    out.push('<!doctype html><html lang="en"><head><meta charset="utf-8">',
      '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; form-action \'none\'; base-uri \'none\'">',
      '<meta name="referrer" content="no-referrer"><title>Backup Inspector report</title><style>',
      'body{font:13px/1.4 system-ui,sans-serif;margin:1.5rem;color:#111;background:#fff}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #999;page-break-after:avoid}',
      'table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border:1px solid #bbb;padding:.2rem .35rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}th{background:#eee}',
      'td{white-space:pre-wrap}.mono{font-family:ui-monospace,monospace;font-size:.85em}.deleted td{background:#fbe9e7;text-decoration:line-through}.n{color:#555;font-weight:normal}',
      'dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}.note{color:#444}@media print{body{margin:0}}',
      '<\/style></head><body>');
    out.push('<h1>Backup Inspector report</h1>');
    out.push('<p class="note">Written by ' + e((rep.generator || {}).name) + ' version ' + e((rep.generator || {}).version) + ' (report schema ' + e(rep.schema) + ') on ' +
      e(BI.zone('UTC').formatMs(opt.now != null ? opt.now : Date.now())) + '. Times are shown in ' + e(z.label) + '. ' +
      (reveal ? 'Identifier values are shown in full.' : 'Identifier values are masked (all but the last four characters).') + '</p>');
    section('Inputs', rep.inputs.length);
    table(['Name', 'Format', 'Size (bytes)', 'SHA-256'], rep.inputs.map((i) => ({ cells: [e(i.name), e(i.format), e(i.size), '<span class="mono">' + e(i.sha256 || '(folder: see files)') + '</span>'] })));
    section('What the backup exposes');
    const ev = (v) => (v && v.values ? v.values.map((a) => mv(a.value) + (a.valid ? '' : ' (invalid)') + ' — ' + e(a.sources.join(', '))).join('\n') : '');
    const c = x.contacts || {};
    const rs = x.receivedSms || {};
    table(['Item', 'Count', 'Values and sources'], [
      { cells: ['Own phone numbers', e((x.ownNumbers || {}).count || 0), ev(x.ownNumbers)] },
      { cells: ['IMSI', e((x.imsis || {}).count || 0), ev(x.imsis)] },
      { cells: ['ICCID', e((x.iccids || {}).count || 0), ev(x.iccids)] },
      { cells: ['IMEI', e((x.imeis || {}).count || 0), ev(x.imeis)] },
      { cells: ['Contacts', e(c.entries || 0), (c.byAccount || []).map((a) => e((a.kind || '') + ' ' + a.type + (a.name ? ' ' + (reveal ? a.name : BI.mask(a.name)) : '') + ': ' + a.count)).join('\n')] },
      { cells: ['Received SMS', e(rs.count || 0), rs.count ? 'from ' + t(rs.first) + ' to ' + t(rs.last) + ', ' + e(rs.correspondents) + ' correspondents' : ''] },
    ]);
    if (x.numberWithImsi) out.push('<p><strong>An own phone number and an IMSI' + (x.numberWithImsiAndImei ? ' and an IMEI' : '') + ' are present together</strong> — the combination MIUI Cloud Messaging was found sending in 2014.</p>');
    const d = rep.device || {};
    section('Device');
    out.push('<dl>' + [['Model', d.model], ['Brand', d.brand], ['Codename', d.codename], ['ROM', d.rom], ['Android SDK', d.androidSdk], ['Fingerprint', d.fingerprint],
      ['Backup time', d.backupTime ? z.format(d.backupTime) : '']].filter((p) => p[1]).map((p) => '<dt>' + e(p[0]) + '</dt><dd>' + e(p[1]) + '</dd>').join('') + '</dl>');
    if ((x.accounts || []).length) {
      section('Accounts', x.accounts.length);
      table(['Kind', 'Type', 'Name', 'Sources'], x.accounts.map((a) => ({ cells: [e(a.kind), e(a.type), mv(a.name), e((a.sources || []).join(', '))] })));
    }
    if ((x.coverage || []).length) {
      section('Coverage', x.coverage.length);
      table(['Path', 'Status', 'Note'], x.coverage.map((cv) => ({ cells: [e(cv.path), e(cv.status), e(cv.note || '')] })));
    }
    if ((x.limits || []).length) out.push('<ul>' + x.limits.map((l) => '<li>' + e(l) + '</li>').join('') + '</ul>');
    if (rep.indicators) {
      const I = ind();
      const ck = I.checked || {};
      const ctx = (x) => (x ? e(x.before) + '<mark>' + e(x.text) + '</mark>' + e(x.after) : '');
      section('Indicator matches', I.matches.length);
      out.push('<p class="note">' + e(I.note) + '</p>');
      table(['Indicator file', 'Format', 'SHA-256', 'Indicators', 'Used', 'Not used', 'Points to'], I.bundles.map((b) => ({
        cells: [e(b.name), e(b.format), '<span class="mono">' + e(b.sha256) + '</span>', e(b.indicators), e(b.used), e(b.unsupported),
          e((b.collections || []).map((c) => c.type + ': ' + (c.name || c.id) + (c.indicators ? ' (' + c.indicators + ')' : '')).join('\n'))] })));
      out.push('<p>Checked offline: ' + e([ck.links + ' links', ck.emails + ' e-mail addresses', ck.phoneNumbers + ' phone numbers', ck.apps + ' apps', ck.files + ' files',
        ck.properties + ' system properties'].join(', ')) + ' against ' + e(ck.indicators) + ' usable indicator values.</p>');
      table(['Indicator', 'Found', 'Record', 'Context', 'Explanation'], I.matches.map((m) => ({ cls: m.deleted ? 'deleted' : '',
        cells: [e(m.bundle + (collText(m) ? ' ▸ ' + collText(m) : '') + '\n' + (m.indicatorName || m.indicatorId) + '\n' + m.pattern),
          e(m.value + (m.display ? ' (' + m.display + ')' : '') + (m.deleted ? ' (deleted record)' : '')),
          e(m.record + ' · ' + m.field) + '\n<span class="mono">' + e(m.source) + '</span>', ctx(m.context), e(m.explanation)] })));
      if (I.unsupported.length) {
        section('Indicators not used', I.unsupported.length);
        table(['Indicator file', 'Indicator', 'Status', 'Reason'], I.unsupported.map((u) => ({
          cells: [e(u.bundle), e(unsupportedWhat(u) + (u.pattern ? '\n' + u.pattern : '')), e(unsupportedStatus(u)), e(u.reason)] })));
      }
      if (I.notResolved.length) {
        section('Shortened links, not resolved (never looked up)', I.notResolved.length);
        table(['Link', 'Record', 'Context'], I.notResolved.map((u) => ({ cells: [e(u.url), e(u.record + ' · ' + u.field) + '\n<span class="mono">' + e(u.source) + '</span>', ctx(u.context)] })));
      }
    }
    section('Messages', rep.messages.length);
    table(['Time', 'Kind', 'Direction', 'Address', 'Name', 'Text', 'Attachments', 'Source'], rep.messages.map((m) => ({ cls: m.deleted ? 'deleted' : '',
      cells: [t(m.time), e(m.kind), e(m.direction) + (m.deleted ? ' (deleted)' : ''), e(m.address || (m.addresses || []).join(', ')), e(m.name || ''),
        e((m.subject ? m.subject + '\n' : '') + (m.body || '')), e(joinList(m.attachments, attachText)), '<span class="mono">' + e(m.source) + '</span>'] })));
    section('Contacts', rep.contacts.length);
    table(['Name', 'Phones', 'E-mails', 'Accounts', 'Other', 'Source'], rep.contacts.map((r) => ({ cls: r.deleted ? 'deleted' : '',
      cells: [e(r.name) + (r.deleted ? ' (deleted)' : ''), e(joinList(r.phones, (p) => p.number)), e(joinList(r.emails)), e(joinList(r.accounts, accountText)),
        e([joinList(r.organizations), joinList(r.addresses), joinList(r.notes), r.birthday].filter(Boolean).join('\n')), '<span class="mono">' + e(r.source) + '</span>'] })));
    section('Calls', rep.calls.length);
    table(['Time', 'Direction', 'Number', 'Name', 'Duration', 'Location', 'SIM', 'Source'], rep.calls.map((r) => ({ cls: r.deleted ? 'deleted' : '',
      cells: [t(r.time), e(r.direction) + (r.deleted ? ' (deleted)' : ''), e(r.number), e(r.name || ''), e(BI.fmtDuration(r.durationSeconds || 0)),
        e([r.location, r.countryIso].filter(Boolean).join(' ')), e(r.phoneAccount || ''), '<span class="mono">' + e(r.source) + '</span>'] })));
    section('Identifiers', rep.identifiers.length);
    table(['Kind', 'Value', 'Valid', 'Label', 'Details', 'Source'], rep.identifiers.map((r) => ({
      cells: [e(r.kind), '<span class="mono">' + mv(r.value) + '</span>' + (r.secret ? ' (a secret is stored; not shown)' : ''), r.valid ? 'yes' : 'no', e(r.label || ''), e(details(r.details)), '<span class="mono">' + e(r.source) + '</span>'] })));
    if (rep.recovered.length) {
      section('Recovered deleted database records', rep.recovered.length);
      table(['Database', 'Table', 'Rowid', 'Values', 'Where', 'Confidence'], rep.recovered.map((r) => ({ cls: 'deleted',
        cells: [e(r.database), e(r.table), e(r.rowid == null ? '' : r.rowid), e(valuesText(r.values)), e(r.source + ' page ' + r.page + ' offset ' + r.offset), e(r.confidence)] })));
    }
    section('Databases', rep.databases.length);
    table(['Path', 'Tables', 'WAL'], rep.databases.map((db) => ({
      cells: [e(db.path), e((db.tables || []).map((tb) => tb.name + ' (' + tb.rows + (tb.rowsMainOnly != null ? ', main file only ' + tb.rowsMainOnly : '') + ')').join(', ')),
        e(db.wal ? db.wal.validFrames + ' valid frames, ' + db.wal.commits + ' commits' : '')] })));
    if (rep.apps.length) {
      section('Apps', rep.apps.length);
      table(['Package', 'Labels', 'Version', 'Flags', 'Sources'], rep.apps.map((a) => ({ cells: [e(a.package), e(joinList(a.labels)), e(a.versionCode == null ? '' : a.versionCode), e(appFlags(a)), e(joinList(a.sources))] })));
    }
    section('Files', rep.files.length);
    table(['Path', 'Size (bytes)', 'Format', 'SHA-256'], rep.files.map((f) => ({ cells: [e(f.path), e(f.size), e([f.format, f.container].filter(Boolean).join(' / ')), '<span class="mono">' + e(f.sha256 || '') + '</span>'] })));
    section('Problems', rep.problems.length);
    table(['Input', 'Path', 'Offset', 'Code', 'Message'], rep.problems.map((p) => ({ cells: [e(p.input), e(p.path || ''), e(p.offset == null ? '' : p.offset), e(p.code), e(p.message)] })));
    if (rep.limits) {
      const l = rep.limits;
      out.push('<p class="note">Guards in force: compressed streams up to ' + e(l.maxRatio) + '× expansion (after ' + e(l.ratioMinBytes) + ' bytes), containers nested up to ' +
        e(l.maxDepth) + ' deep, up to ' + e(l.maxEntries) + ' entries per archive, ' + e(l.spoolLimit) + ' bytes held per spooled file, memory budget ' + e(l.memoryBudget) + ' bytes.</p>');
    }
    out.push('</body></html>\n');
    return out.join('\n');
  }

  function loaded() { return rep !== null; }

  // patchHashes replaces the placeholder SHA-256 of top-level files and of
  // the ranges of them hashed with them with the hashes the page's hash
  // worker computed ([placeholder, hex] pairs; '' = could not be computed:
  // dropped, as the Go encoder omits it; so is a placeholder with prefix
  // that has no pair).
  function patchHashes(pairs, prefix) {
    if (!rep) return 0;
    const m = new Map(pairs);
    let n = 0;
    for (const a of [rep.inputs, rep.files]) {
      for (const x of a) {
        if (!x || typeof x.sha256 !== 'string') continue;
        if (!m.has(x.sha256) && !(prefix && x.sha256.startsWith(prefix))) continue;
        const v = m.get(x.sha256);
        if (v) x.sha256 = v; else delete x.sha256;
        n++;
      }
    }
    searchText = {};
    orderCache.clear();
    return n;
  }

  return { load, loadAsync, early, query, counts, histogram, csv, reportHTML, setZone, loaded, summary, patchHashes, _views: VIEWS };
})();
