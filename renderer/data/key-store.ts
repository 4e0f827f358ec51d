/**
 * Where the kiosk keeps its credential and the county's data keys. In Electron the shell keeps them in
 * the OS keychain (safeStorage) and hands them over through the preload (issue 7); in browser mode —
 * development, tests, a technician's laptop — they fall back to the browser's own storage, which is
 * labelled as what it is: NOT protected at rest.
 */
import { enrollResponseSchema, type EnrollResponse } from '../../core/api/enrollment.js';

export interface KioskSecrets {
  load(): Promise<EnrollResponse | undefined>;
  save(enrollment: EnrollResponse): Promise<void>;
  /** False for the browser fallback: the UI says so on the diagnostics screen. */
  readonly protectedAtRest: boolean;
}

/** The key under which the browser fallback keeps secrets; its name warns whoever looks. */
export const BROWSER_FALLBACK_KEY = 'cunban.kiosk-secrets.UNPROTECTED-browser-fallback';
const SHELL_DATABASE = 'cunban-shell';
const STORE = 'secrets';

/**
 * Browser mode: the page's IndexedDB, not Web Storage — Chromium writes localStorage to disk seconds
 * later, so a kiosk killed after enrolling came back unenrolled with its unsent cases stranded (found by
 * the faults suite). A save resolves only when its transaction has durably committed. Not for a kiosk
 * in a village hall.
 */
export function browserFallbackSecrets(indexedDB: IDBFactory): KioskSecrets {
  const open = () =>
    new Promise<IDBDatabase>((opened, failed) => {
      const request = indexedDB.open(SHELL_DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => {
        opened(request.result);
      };
      request.onerror = () => {
        failed(request.error ?? new Error('IndexedDB open failed'));
      };
    });
  const transact = async <T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const db = await open();
    try {
      return await new Promise<T>((done, failed) => {
        const transaction = db.transaction(STORE, mode, { durability: 'strict' });
        const request = act(transaction.objectStore(STORE));
        transaction.oncomplete = () => {
          done(request.result);
        };
        transaction.onerror = () => {
          failed(transaction.error ?? new Error('IndexedDB transaction failed'));
        };
        transaction.onabort = transaction.onerror;
      });
    } finally {
      db.close();
    }
  };
  return {
    protectedAtRest: false,
    async load() {
      const stored: unknown = await transact('readonly', (store) => store.get(BROWSER_FALLBACK_KEY));
      const parsed = enrollResponseSchema.safeParse(stored);
      return parsed.success ? parsed.data : undefined;
    },
    async save(enrollment) {
      await transact('readwrite', (store) => store.put(enrollResponseSchema.parse(enrollment), BROWSER_FALLBACK_KEY));
    },
  };
}
