/** The browser apps built with the production config into a folder of the test's own. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApps } from '../../scripts/build-apps.js';

/** Returns the folder holding `kiosk/` and `console/`. */
export async function buildAppsForTest(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'cunban-apps-build-'));
  await buildApps(outDir, { sourcemap: false });
  return outDir;
}
