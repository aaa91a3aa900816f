// A synthetic report with every part of the model filled (contacts with
// accounts, calls, identifiers, deleted and recovered records, payloads,
// problems, integers beyond 2^53, hostile strings), opened in the page as a
// saved report. It exercises the views whatever the parsers already map.
export const BIG = '9007199254740993'; // 2^53 + 1: not representable as a double

const HOSTILE = '<img src=x onerror="window.__pwned=1;alert(1)"><script>window.__pwned=2</script>';

export function fullReport({ messages = 40, hostile = false } = {}) {
  const h = (s) => (hostile ? s + ' ' + HOSTILE : s);
  const t0 = Date.UTC(2024, 0, 1, 8, 0, 0);
  const iso = (ms) => new Date(ms).toISOString();
  const msgs = [];
  for (let i = 0; i < messages; i++) {
    const who = i % 5;
    const m = {
      kind: i % 13 === 7 ? 'mms' : 'sms',
      direction: i % 3 === 0 ? 'outgoing' : 'incoming',
      address: '+4477009001' + String(10 + who),
      name: who === 0 ? h('Alice Example') : undefined,
      body: i === 3 ? '=HYPERLINK("http://evil.example/","click")' : h('Message number ' + i + ' see https://bit.ly/x' + i),
      time: iso(t0 + i * 3.7 * 3600000),
      read: i % 7 !== 1,
      thread: String(who + 1),
      subId: 1,
      links: [{ url: 'https://bit.ly/x' + i, text: 'https://bit.ly/x' + i, host: 'bit.ly', shortener: true }],
      source: 'mmssms.db#sms:' + (i + 1),
    };
    if (m.kind === 'mms') {
      m.subject = h('Photo');
      m.attachments = [{ name: h('IMG_0001.jpg'), contentType: 'image/jpeg', size: 48213, present: true, path: 'app_parts/PART_1.jpg' },
        { name: 'missing.mp4', contentType: 'video/mp4', size: 0, present: false }];
    }
    if (i === messages - 1) { m.deleted = true; m.body = h('A deleted message'); }
    for (const k of Object.keys(m)) if (m[k] === undefined) delete m[k];
    msgs.push(m);
  }
  const contacts = [
    { name: h('Alice Example'), phones: [{ number: '+447700900110', normalized: '+447700900110', type: 'mobile' }], emails: ['alice@example.org'], accounts: [{ type: 'com.google', name: 'owner@gmail.com', kind: 'google' }], deleted: false, source: 'contacts2.db#raw_contacts:1' },
    { name: 'Bob 张', phones: [{ number: '+8613912774357' }], emails: [], accounts: [{ type: 'com.xiaomi', name: '1234567890', kind: 'xiaomi' }], starred: true, deleted: false, source: 'contacts2.db#raw_contacts:2' },
    { name: 'Carol', phones: [{ number: '112' }], emails: [], accounts: [{ type: 'sim', kind: 'sim' }], deleted: false, source: 'contacts2.db#raw_contacts:3' },
    { name: 'Me', phones: [{ number: '+447700900123' }], emails: [], accounts: [{ type: 'local', kind: 'local' }], owner: true, deleted: false, source: 'profile.db#raw_contacts:1' },
    { name: 'WA friend', phones: [{ number: '+34722332056' }], emails: [], accounts: [{ type: 'com.whatsapp', name: 'WhatsApp', kind: 'app' }], deleted: false, source: 'contacts2.db#raw_contacts:5' },
    { name: 'Deleted Dave', phones: [{ number: '+447700900999' }], emails: [], accounts: [{ type: 'com.google', name: 'owner@gmail.com', kind: 'google' }], deleted: true, source: 'contacts2.db#raw_contacts:6' },
  ];
  const calls = [];
  const dirs = ['incoming', 'outgoing', 'missed', 'rejected', 'blocked', 'voicemail'];
  for (let i = 0; i < 24; i++) {
    calls.push({ number: i % 9 === 4 ? '' : '+4477009001' + String(10 + (i % 5)), direction: dirs[i % dirs.length], time: iso(t0 + i * 11 * 3600000 + 1800000), durationSeconds: (i * 37) % 400,
      name: i % 5 === 0 ? h('Alice Example') : undefined, location: i % 4 === 0 ? 'London' : undefined, countryIso: 'GB', phoneAccount: '8944' + '1'.repeat(15), deleted: i === 23, source: 'calllog.db#calls:' + (i + 1) });
  }
  for (const c of calls) for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  const ids = [
    { kind: 'imei', value: '490154203237518', valid: true, source: 'getprop.txt' },
    { kind: 'imei', value: '490154203237519', valid: false, label: 'slot 2', source: 'getprop.txt' },
    { kind: 'imsi', value: '234150999999999', valid: true, label: 'SIM 1', source: 'telephony.db#siminfo:1' },
    { kind: 'iccid', value: '8944110000000000003', valid: true, label: 'SIM 1', details: { carrier: h('Carrier'), mcc: '234' }, source: 'telephony.db#siminfo:1' },
    { kind: 'phone-number', value: '+447700900123', valid: true, source: 'telephony.db#siminfo:1' },
    { kind: 'account', value: 'owner@gmail.com', valid: true, label: 'com.google', source: 'accounts_ce.db#accounts:1' },
    { kind: 'wifi-network', value: h('HomeNet'), valid: true, secret: true, label: 'WPA_PSK', source: 'WifiConfigStore.xml' },
    { kind: 'android-id', value: 'a1b2c3d4e5f60718', valid: true, source: 'settings_ssaid.xml' },
  ];
  const files = [
    { path: 'backup.zip', size: 123456, sha256: 'a'.repeat(64), format: 'zip', container: 'zip' },
    { path: 'backup.zip!data/mmssms.db', size: 114688, sha256: 'b'.repeat(64), format: 'sqlite' },
    { path: 'backup.zip!data/calllog.db', size: 36864, sha256: 'c'.repeat(64), format: 'sqlite' },
    { path: 'backup.zip!media/' + h('photo.jpg'), size: 862, sha256: 'd'.repeat(64), format: 'jpeg' },
    { path: 'backup.zip!inner.tar', size: 20480, sha256: 'e'.repeat(64), format: 'tar', container: 'tar' },
    { path: 'backup.zip!inner.tar!a%21b/notes.txt', size: 12, sha256: 'f'.repeat(64), format: 'text' },
  ];
  // Deleted-but-present records live apart, in report.deleted.
  const deleted = {
    messages: msgs.filter((m) => m.deleted),
    contacts: contacts.filter((c) => c.deleted),
    calls: calls.filter((c) => c.deleted),
  };
  const report = {
    schema: 'backup-inspector.report/1',
    generator: { name: 'backup-inspector', version: 'fixture' },
    inputs: [{ name: 'backup.zip', size: 123456, sha256: 'a'.repeat(64), format: 'zip' }],
    device: { codename: 'venus', model: 'Mi 11', brand: 'Xiaomi', rom: 'V14.0.8.0.TKBCNXM', androidSdk: 33, backupTime: '2024-09-14T16:14:18.000Z', sources: ['descript.xml'] },
    exposure: {
      ownNumbers: { count: 1, values: [{ value: '+447700900123', valid: true, sources: ['telephony.db#siminfo:1'] }] },
      imsis: { count: 1, values: [{ value: '234150999999999', valid: true, sources: ['telephony.db#siminfo:1'] }] },
      iccids: { count: 1, values: [{ value: '8944110000000000003', valid: true, sources: ['telephony.db#siminfo:1'] }] },
      imeis: { count: 2, values: [{ value: '490154203237518', valid: true, sources: ['getprop.txt'] }, { value: '490154203237519', valid: false, sources: ['getprop.txt'] }] },
      contacts: { entries: 5, people: 5, phones: 5, emails: 1, byAccount: [{ type: 'com.google', kind: 'google', name: 'owner@gmail.com', count: 1 }, { type: 'com.xiaomi', kind: 'xiaomi', name: '1234567890', count: 1 }, { type: 'sim', kind: 'sim', count: 1 }, { type: 'local', kind: 'local', count: 1 }, { type: 'com.whatsapp', kind: 'app', name: 'WhatsApp', count: 1 }], toXiaomi: 1, toGoogle: 1, sources: ['contacts2.db'] },
      receivedSms: { count: 26, first: msgs[1].time, last: msgs[messages - 2].time, correspondents: 5, sources: ['mmssms.db'] },
      numberWithImsi: true, numberWithImsiAndImei: true,
      accounts: [{ type: 'com.google', kind: 'google', name: 'owner@gmail.com', sources: ['accounts_ce.db'] }, { type: 'com.xiaomi', kind: 'xiaomi', name: '1234567890', sources: ['accounts_ce.db'] }],
      device: { androidIds: 3, serials: ['abc123def'], codename: 'venus', model: 'Mi 11', rom: 'V14.0.8.0.TKBCNXM', ownerProfile: true },
      messages: { sms: messages - 3, mms: 3, received: 26, sent: 13, drafts: 0, failed: 0, correspondents: 5, conversations: 5, withLinks: messages, attachments: 6, first: msgs[0].time, last: msgs[messages - 1].time },
      calls: { total: 23, byDirection: { incoming: 4, outgoing: 4, missed: 4 }, talkSeconds: 4000, distinctNumbers: 5, first: calls[0].time, last: calls[22].time },
      wifi: { networks: 3, withPassword: 2 }, bluetooth: { devices: 2 }, deleted: { messages: 1, contacts: 1, calls: 1, records: 2 },
      coverage: [{ path: 'backup.zip', status: 'parsed' }, { path: 'backup.zip!secret.ab', status: 'encrypted', note: 'password skipped' }],
      limits: ['Absence of data in the backup does not mean absence on the device or in the cloud.'],
    },
    messages: msgs.filter((m) => !m.deleted),
    contacts: contacts.filter((c) => !c.deleted),
    calls: calls.filter((c) => !c.deleted),
    identifiers: ids,
    apps: [
      { package: 'com.android.mms', labels: ['Messages'], features: [1, 2], sdk: 33, sources: ['backup.zip!MMS(com.android.mms).bak'] },
      { package: 'com.whatsapp', labels: [h('WhatsApp')], versionCode: 231234, apk: true, certSha256: ['3987d043d10aefaf5a8710b3671418fe57e0e19b653c9df82558feb5ffce5d44'], sources: ['backup.zip!WhatsApp(com.whatsapp).bak'] },
      { package: 'com.miui.notes', encrypted: true, xspace: true, sources: ['backup.zip!notes.bak'] },
    ],
    files,
    databases: [{ path: 'backup.zip!data/mmssms.db', pageSize: 4096, encoding: 'UTF-8', wal: { path: 'backup.zip!data/mmssms.db-wal', frames: 12, validFrames: 12, commits: 3 },
      tables: [{ name: 'sms', type: 'table', columns: ['_id', 'address', 'body'], rows: 40, rowsMainOnly: 32 }], extractor: 'messages/mmssms' }],
    recovered: [
      { database: 'backup.zip!data/mmssms.db', table: 'sms', rowid: BIG, values: [BIG, h('+447700900111'), h('recovered text')], source: 'freeblock', page: 7, offset: 3012, confidence: 0.9 },
      { database: 'backup.zip!data/mmssms.db', table: 'sms', rowid: 41, values: [41, null, { base64: 'AAECAw==' }], source: 'wal-frame 3', page: 9, offset: 100, confidence: 0.6, superseded: true },
    ],
    payloads: [{ path: 'backup.zip!apps/com.miui.notes/notes.bak', package: 'com.miui.notes', format: 'protobuf', size: 1234, tree: { '1': 'note text', '2': [1, 2, 3] }, note: h('not mapped yet') }],
    problems: [{ input: 'backup.zip', path: 'backup.zip!broken.db', offset: 4096, code: 'corrupt', message: h('page 2: bad cell pointer') }],
    deleted,
    limits: { maxRatio: 1000, ratioMinBytes: 1048576, maxDepth: 16, maxEntries: 1000000, spoolLimit: 268435456, memoryBudget: 536870912 },
  };
  // Integers beyond 2^53 must survive: write BIG as a bare number.
  return JSON.stringify(report, null, 2).replaceAll('"' + BIG + '"', BIG) + '\n';
}
