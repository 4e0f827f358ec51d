/**
 * The kiosk in Debian's Chromium on a real profile on disk, started by hand so a test owns its process group
 * (to SIGKILL it as a power cut would, or to scan the profile once it is closed), and the kiosk's cases read
 * raw from its IndexedDB — RxDB's stores, not its API — and opened with the database's storage key, which
 * browser mode keeps beside them (renderer/data/key-store.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sealer } from '../../renderer/data/at-rest.js';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from './chromium.js';

export interface KioskProcess {
  readonly page: Page;
  readonly browser: Browser;
  /** SIGKILL Chromium and every process it started, as a power cut or a crash would. */
  kill(): Promise<void>;
}

/** Chromium on the profile at `profile`. */
export async function startChromiumOnProfile(profile: string): Promise<KioskProcess> {
  const child: ChildProcess = spawn(CHROMIUM_PATH, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const endpoint = await new Promise<string>((found, failed) => {
    child.once('exit', (code) => {
      failed(new Error(`Chromium exited with ${String(code)}`));
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(line);
      if (match?.[1]) found(match[1]);
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0];
  if (!context) throw new Error('Chromium has no default context');
  const page = context.pages()[0] ?? (await context.newPage());
  const exited = new Promise<void>((gone) =>
    child.once('exit', () => {
      gone();
    }),
  );
  return {
    page,
    browser,
    async kill() {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
      await exited;
    },
  };
}

export interface RawCase {
  readonly caseNumber: string;
  readonly name: string;
  readonly status: string;
  readonly events: readonly string[];
  /** Its created events: more than one is two residents in one case. */
  readonly registrations: number;
}

interface RawRow {
  readonly database: string;
  readonly doc: { caseNumber?: string; _deleted?: string | boolean; events?: unknown; summary?: { status: string; applicantName: unknown } };
}

/** Every row of the cases stores, and every key browser mode keeps, as the page's IndexedDB holds them. */
function readRaw(page: Page): Promise<{ rows: RawRow[]; secrets: [string, unknown][] }> {
  return page.evaluate(async () => {
    const open = (name: string) =>
      new Promise<IDBDatabase>((opened, failed) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => {
          opened(request.result);
        };
        request.onerror = () => {
          failed(request.error ?? new Error('open failed'));
        };
      });
    const all = (db: IDBDatabase, store: string) =>
      new Promise<[IDBValidKey[], unknown[]]>((read) => {
        const objects = db.transaction(store).objectStore(store);
        const keys = objects.getAllKeys();
        const values = objects.getAll();
        values.onsuccess = () => {
          read([keys.result, values.result]);
        };
      });
    const rows: RawRow[] = [];
    const secrets: [string, unknown][] = [];
    for (const info of await indexedDB.databases()) {
      const name = info.name;
      if (!name) continue;
      const db = await open(name);
      const stores = Array.from(db.objectStoreNames);
      if (name.endsWith('--cases') && stores.includes('docs'))
        for (const doc of (await all(db, 'docs'))[1]) rows.push({ database: name, doc: doc as RawRow['doc'] });
      if (name === 'cunban-shell' && stores.includes('secrets')) {
        const [keys, values] = await all(db, 'secrets');
        keys.forEach((key, i) => secrets.push([typeof key === 'string' ? key : JSON.stringify(key), values[i]]));
      }
      db.close();
    }
    return { rows, secrets };
  });
}

/** The kiosk's cases, without deleted ones, opened with each database's storage key. */
export async function kioskCasesRaw(page: Page): Promise<RawCase[]> {
  const { rows, secrets } = await readRaw(page);
  const keyOf = (database: string) => {
    const kioskId = /kiosk-\d{12}-\d{2}/.exec(database)?.[0] ?? '';
    const key = secrets.find(([name]) => name.endsWith(`.storage-key.${kioskId}`))?.[1];
    if (typeof key !== 'string') throw new Error(`no storage key for ${database}`);
    return sealer(key);
  };
  const found = new Map<string, RawCase>();
  for (const { database, doc } of rows) {
    // RxDB's Dexie storage keeps `_deleted` as '0' or '1'.
    if (typeof doc.caseNumber !== 'string' || !doc.summary || doc._deleted === '1' || doc._deleted === true) continue;
    const box = keyOf(database);
    const events = box.openValue(doc.events) as { id: string; type: string }[];
    found.set(doc.caseNumber, {
      caseNumber: doc.caseNumber,
      name: box.openValue(doc.summary.applicantName) as string,
      status: doc.summary.status,
      events: events.map((e) => e.id),
      registrations: events.filter((e) => e.type === 'created').length,
    });
  }
  return [...found.values()];
}
