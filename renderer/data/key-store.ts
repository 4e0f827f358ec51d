/**
 * Where the kiosk keeps its enrollment: its credential and its village's data keys. In Electron, main
 * keeps them in the OS keychain (safeStorage) and never hands them to the page: main enrolls, and the page
 * holds the enrollment without its secrets (electron/enrollment-service.ts). In browser mode —
 * development, tests, a technician's laptop — the page enrolls and keeps everything in the browser's own
 * storage, which is labelled as what it is: NOT protected at rest.
 */
import type { EnrollError } from '../../core/api/enroll-client.js';
import { kioskEnrollmentSchema, type EnrollContinuation, type KioskEnrollment } from '../../core/api/enrollment.js';
import type { Result } from '../../core/result.js';
import { newStorageKey } from './at-rest.js';
import { enrollWithHub } from './enroll.js';

export interface KioskSecrets {
  /** Enroll with the hub (`continuing`: this enrolled kiosk re-enrolls in place); the answer is held, not yet kept. */
  enroll(hub: string, code: string, appVersion: string, continuing?: EnrollContinuation): Promise<Result<KioskEnrollment, EnrollError>>;
  load(): Promise<KioskEnrollment | undefined>;
  /** Keep an enrollment this store enrolled: the one switch of a first enrollment or a move. */
  save(enrollment: KioskEnrollment): Promise<void>;
  /** The key of this kiosk id's database at rest (data/at-rest.ts), made and kept on first ask. */
  storageKey(kioskId: string): Promise<string>;
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
  // One at a time: two first asks for one kiosk id must not make two keys.
  let keyQueue: Promise<string> = Promise.resolve('');
  return {
    protectedAtRest: false,
    enroll: (hub, code, appVersion, continuing) => enrollWithHub(hub, code, appVersion, continuing),
    async load() {
      const stored: unknown = await transact('readonly', (store) => store.get(BROWSER_FALLBACK_KEY));
      const parsed = kioskEnrollmentSchema.safeParse(stored);
      return parsed.success ? parsed.data : undefined;
    },
    async save(enrollment) {
      await transact('readwrite', (store) => store.put(kioskEnrollmentSchema.parse(enrollment), BROWSER_FALLBACK_KEY));
    },
    // Beside the enrollment, as unprotected as it: the database is encrypted, the key lies next to it.
    storageKey: (kioskId) =>
      (keyQueue = keyQueue.then(async () => {
        const name = `${BROWSER_FALLBACK_KEY}.storage-key.${kioskId}`;
        const known: unknown = await transact('readonly', (store) => store.get(name));
        if (typeof known === 'string') return known;
        const key = newStorageKey();
        await transact('readwrite', (store) => store.put(key, name));
        return key;
      })),
  };
}
