// The page's size and how fast it becomes usable from file:// (measured and
// written to build/e2e/page-numbers.json; the bounds are loose enough for a
// busy 2-core CI machine, the numbers are what the report quotes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { launch, pageURL, pagePath, buildDir, assertClean } from './harness.mjs';

test('page size ≤ 8 MB and time to interactive from file://', async () => {
  const raw = readFileSync(pagePath);
  const numbers = { rawBytes: raw.length, gzipBytes: gzipSync(raw, { level: 9 }).length, loads: [] };
  assert.ok(raw.length <= 8_000_000, `page is ${raw.length} bytes`);
  const h = await launch();
  try {
    for (let i = 0; i < 5; i++) {
      await h.page.goto(pageURL);
      await h.page.waitForFunction(() => performance.getEntriesByName('bi-ready').length > 0, null, { timeout: 60_000 });
      numbers.loads.push(await h.page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        return {
          domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
          interactive: Math.round(performance.getEntriesByName('bi-interactive')[0].startTime),
          parserReady: Math.round(performance.getEntriesByName('bi-ready')[0].startTime),
        };
      }));
    }
    // The buttons work before the parser is ready: a click then waits for it.
    assertClean(assert, h);
  } finally {
    await h.close();
  }
  const median = (k) => numbers.loads.map((l) => l[k]).sort((a, b) => a - b)[numbers.loads.length >> 1];
  numbers.median = { interactive: median('interactive'), parserReady: median('parserReady'), domContentLoaded: median('domContentLoaded') };
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(join(buildDir, 'page-numbers.json'), JSON.stringify(numbers, null, 2));
  console.log('# page numbers: ' + JSON.stringify({ rawBytes: numbers.rawBytes, gzipBytes: numbers.gzipBytes, median: numbers.median }));
  assert.ok(numbers.median.interactive < 2000, 'interactive in ' + numbers.median.interactive + ' ms');
});
