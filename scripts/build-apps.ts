/**
 * Builds the browser apps into `<outDir>/<app>/`: the kiosk's screens (served by the hub at /kiosk/ in
 * browser mode, loaded from app:// by the Electron shell) and the review console (served at /console/).
 * Relative asset paths, so each works wherever it is mounted. `npm run build:apps`.
 */
import react from '@vitejs/plugin-react';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type InlineConfig } from 'vite';

export const APPS = ['kiosk', 'console'] as const;
export type App = (typeof APPS)[number];
export const DEFAULT_APPS_DIR = resolve(import.meta.dirname, '../dist');

export function appConfig(app: App, outDir: string, options: { sourcemap?: boolean } = {}): InlineConfig {
  return {
    configFile: false,
    root: resolve(import.meta.dirname, '../renderer', app),
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir: join(outDir, app), emptyOutDir: true, sourcemap: options.sourcemap ?? true, chunkSizeWarningLimit: 2000 },
  };
}

export async function buildApps(outDir = DEFAULT_APPS_DIR, options: { sourcemap?: boolean } = {}): Promise<void> {
  for (const app of APPS) await build(appConfig(app, outDir, options));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildApps();
