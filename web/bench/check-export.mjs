// check-export loads paths into the page and compares the exported JSON
// with the CLI's bytes (used while changing the hashing pipeline).
import { launch, open, download, loadFiles } from '../e2e/harness.mjs';
import { execFileSync } from 'node:child_process';
const [cli, ...paths] = process.argv.slice(2);
const folder = paths[0] === '--folder' ? (paths.shift(), true) : false;
const h = await launch();
await open(h.page);
const st = await loadFiles(h.page, paths, { folder, timeout: 600_000 });
const got = await download(h.page, '[data-testid=export-json]');
let want;
try { want = execFileSync(cli, ['inspect', '--json', ...paths], { maxBuffer: 1 << 30 }); } catch (e) { want = e.stdout; }
const same = Buffer.compare(got.bytes, want) === 0;
console.log(JSON.stringify({ state: st, same, got: got.bytes.length, want: want.length, errors: h.errors, net: h.net.bad }));
if (!same) { (await import('node:fs')).writeFileSync('/tmp/page-export.json', got.bytes); (await import('node:fs')).writeFileSync('/tmp/cli-export.json', want); }
await h.close();
