/**
 * Builds the browser apps into `<outDir>/<app>/`: the kiosk's screens (served by the hub at /kiosk/ in
 * browser mode, loaded from app:// by the Electron shell), the review console (served at /console/) and
 * the residents' page (served at /r/).
 * Relative asset paths, so each works wherever it is mounted. Then the Electron shell into
 * `<outDir>/electron/`: main as an ES module, the preload as one CommonJS file with everything but
 * `electron` inside (a sandboxed preload cannot load other files). `npm run build:apps`.
 */
import react from '@vitejs/plugin-react';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type InlineConfig, type Plugin } from 'vite';

export const APPS = ['kiosk', 'console', 'resident'] as const;
export type App = (typeof APPS)[number];
export const DEFAULT_APPS_DIR = resolve(import.meta.dirname, '../dist');

/**
 * The most a chunk of each app may weigh (kB, minified), as Vite's size warning: the console within Vite's
 * default; the kiosk's first chunk carries React, RxDB, zod and pinyin-pro's dictionary (1,161 kB at issue
 * 17), so its budget stops it growing unseen. The camera scanner, the charts and the calendar load on demand.
 */
export const CHUNK_BUDGET_KB: Readonly<Record<App, number>> = { kiosk: 1200, console: 500, resident: 300 };

/**
 * What the residents' page may send a phone in all (kB gzipped: scripts, styles, page): a cheap Android on a
 * weak signal (issue 18) — React, the shared messages and one small screen, no zod (core/local-date-schema.ts).
 * Checked by the bundle test.
 */
export const RESIDENT_PAGE_BUDGET_GZIP_KB = 100;

/** The screen-message modules, by file, with the name of the table each exports. */
const UI_MESSAGE_MODULES: Readonly<Record<string, string>> = {
  [resolve(import.meta.dirname, '../renderer/i18n/zh-CN.ts')]: 'uiZhCN',
  [resolve(import.meta.dirname, '../renderer/i18n/en.ts')]: 'uiEn',
};

/**
 * Each app's build carries only its own screen messages: the residents' page those of
 * renderer/resident/messages.ts, the counter and the console none of the page's (`resident.*`, a hundred
 * sentences in two languages). The tables are read by importing them here, as the renderer's modules they are
 * (not parsed as text).
 */
function appMessagesOnly(app: App): Plugin {
  const fromRenderer = async <T>(file: string): Promise<T> => (await import(pathToFileURL(resolve(import.meta.dirname, '../renderer', file)).href)) as T;
  return {
    name: 'cunban-app-messages',
    enforce: 'pre',
    async load(id) {
      const table = UI_MESSAGE_MODULES[id.split('?')[0] ?? ''];
      if (!table) return null;
      const { isResidentUiKey } = await fromRenderer<{ isResidentUiKey: (key: string) => boolean }>('resident/messages.ts');
      const carried = app === 'resident' ? isResidentUiKey : (key: string) => !key.startsWith('resident.');
      const messages = (await import(pathToFileURL(id.split('?')[0] ?? '').href)) as Record<string, Record<string, string>>;
      const kept = Object.fromEntries(Object.entries(messages[table] ?? {}).filter(([key]) => carried(key)));
      return `export const ${table} = ${JSON.stringify(kept)};`;
    },
  };
}

export function appConfig(app: App, outDir: string, options: { sourcemap?: boolean } = {}): InlineConfig {
  return {
    configFile: false,
    root: resolve(import.meta.dirname, '../renderer', app),
    base: './',
    plugins: [appMessagesOnly(app), react()],
    logLevel: 'warn',
    build: { outDir: join(outDir, app), emptyOutDir: true, sourcemap: options.sourcemap ?? true, chunkSizeWarningLimit: CHUNK_BUDGET_KB[app] },
  };
}

/** The update signing keys built into main (electron/update-keys.ts); none when the file is absent. */
export const UPDATE_KEYS_FILE = resolve(import.meta.dirname, '../build/update-public-keys.pem');

export function shellConfigs(outDir: string, updateKeysFile = UPDATE_KEYS_FILE): InlineConfig[] {
  const updateKeys = existsSync(updateKeysFile) ? readFileSync(updateKeysFile, 'utf8') : '';
  // Everything but Electron and Node is bundled, so the packaged app needs no node_modules at all.
  const shared = (entry: string, format: 'es' | 'cjs', fileName: string): InlineConfig => ({
    configFile: false,
    logLevel: 'warn',
    define: { __CUNBAN_UPDATE_KEYS__: JSON.stringify(updateKeys) },
    ssr: { noExternal: true },
    build: {
      ssr: resolve(import.meta.dirname, '../electron', entry),
      outDir: join(outDir, 'electron'),
      emptyOutDir: false,
      target: 'node20',
      sourcemap: false,
      rolldownOptions: { external: ['electron', /^node:/, ...builtinModules], output: { format, entryFileNames: fileName } },
    },
  });
  // electron-updater is CommonJS that requires `electron` and Node built-ins: main is CommonJS too.
  return [shared('main.ts', 'cjs', 'main.cjs'), shared('preload.ts', 'cjs', 'preload.cjs')];
}

export async function buildApps(outDir = DEFAULT_APPS_DIR, options: { sourcemap?: boolean } = {}): Promise<void> {
  for (const app of APPS) await build(appConfig(app, outDir, options));
  for (const config of shellConfigs(outDir)) await build(config);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildApps();
