/** The kiosk's screens built with the production config into a folder of the test's own. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

export async function buildKiosk(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'cunban-kiosk-build-'));
  await build({
    configFile: resolve(import.meta.dirname, '../../scripts/kiosk.vite.config.ts'),
    build: { outDir, emptyOutDir: true, sourcemap: false },
    logLevel: 'error',
  });
  return outDir;
}
