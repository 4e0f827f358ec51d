/**
 * The apps' weight (issue 17): every chunk within its app's budget (Vite warns past it too), and what only
 * some screens need — the camera scanner, the charts, the calendar — in chunks of its own, loaded on demand.
 * The residents' page, for cheap phones on weak signals, within its budget gzipped, everything counted.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPS, CHUNK_BUDGET_KB, RESIDENT_PAGE_BUDGET_GZIP_KB } from '../../scripts/build-apps.js';
import { buildAppsForTest } from '../support/apps-build.js';

let outDir: string;
beforeAll(async () => {
  // As shipped: vitest runs with NODE_ENV=test, which would bundle React's development build.
  const runningAs = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    outDir = await buildAppsForTest();
  } finally {
    process.env.NODE_ENV = runningAs;
  }
}, 180_000);
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

const chunks = (app: string) =>
  readdirSync(join(outDir, app, 'assets'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => ({ name, kb: statSync(join(outDir, app, 'assets', name)).size / 1000 }));

describe('the built apps', () => {
  it.each(APPS)('%s: every chunk within its budget', (app) => {
    const over = chunks(app).filter((chunk) => chunk.kb > CHUNK_BUDGET_KB[app]);
    expect(over).toEqual([]);
  });

  it('load the camera scanner, the charts and the calendar on demand', () => {
    expect(chunks('kiosk').map((chunk) => chunk.name.split('-')[0])).toEqual(expect.arrayContaining(['camera', 'calendar', 'index']));
    expect(chunks('console').map((chunk) => chunk.name.split('-')[0])).toEqual(expect.arrayContaining(['dashboard', 'calendar', 'index']));
  });

  it('the residents’ page sends a phone no more than its budget, gzipped, scripts, styles and page together', () => {
    const dir = join(outDir, 'resident');
    const files = [join(dir, 'index.html'), ...readdirSync(join(dir, 'assets')).map((name) => join(dir, 'assets', name))];
    const gzippedKb = files.reduce((sum, file) => sum + gzipSync(readFileSync(file)).length, 0) / 1000;
    expect(gzippedKb).toBeLessThanOrEqual(RESIDENT_PAGE_BUDGET_GZIP_KB);
  });
});
