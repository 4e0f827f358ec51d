/**
 * What the counter needs from whatever hosts it. In Electron the preload provides these (issue 7:
 * secrets in safeStorage, printing to the default printer); in browser mode — development, tests, a
 * technician's laptop — the browser does, and the secrets are labelled unprotected.
 */
import type { KioskEnrollment } from '../../core/api/enrollment.js';
import type { Activity, CunbanBridge, PrintOutcome } from '../../core/api/shell.js';
import { CUNBAN_VERSION } from '../../core/version.js';
import { browserFallbackSecrets, type KioskSecrets } from '../data/key-store.js';
import { openKioskData, type KioskData } from '../data/kiosk-data.js';
import type { KioskKeys } from '../data/kiosk-keys.js';
import { kioskDatabaseName, removeKioskDatabase } from '../data/kiosk-database.js';
import type { StoreFiles } from '../data/store-rewrite.js';

export interface KioskShell {
  readonly secrets: KioskSecrets;
  readonly appVersion: string;
  /**
   * Opens (and starts syncing) the kiosk's data for an enrollment; `fresh` when the enrollment came from
   * the hub just now (its kiosk number becomes the database's numbering lease: data/case-numbers.ts).
   */
  openData(enrollment: KioskEnrollment, options?: { readonly fresh?: boolean }): Promise<KioskData>;
  /** Removes the (closed) data of a kiosk id this machine no longer is: after a move to another village. */
  readonly removeData: (kioskId: string) => Promise<void>;
  /** Print what the page shows for print (the receipt); the browser's dialog offers "Save as PDF". */
  print(): Promise<PrintOutcome>;
  /** Screen preferences (language, elder mode): not secret, kept in the browser's storage. */
  readonly preferences: Pick<Storage, 'getItem' | 'setItem'>;
  /** Whether the clerk is idle and everything is pushed (Electron installs updates only then). */
  readonly reportActivity?: (activity: Activity) => void;
  /** The technician PIN and kiosk mode, kept by the Electron shell; absent in browser mode (no kiosk mode to leave). */
  readonly technician?: Pick<CunbanBridge, 'hasTechnicianPin' | 'checkTechnicianPin' | 'setTechnicianPin' | 'leaveKioskMode'>;
  /** Save a diagnostic bundle where the technician chooses; in browser mode the page downloads it. */
  readonly saveDiagnosticBundle?: CunbanBridge['saveDiagnosticBundle'];
}

/**
 * The kiosk's data in this page's IndexedDB, the same whoever hosts the page; the village's keys where the
 * host keeps them (`keysFor`: main, in Electron), else the enrollment's own in this page; the store's files
 * written anew after an upgrade where the host can delete them (`storeFiles`: Electron).
 */
export function localKioskData(
  appVersion: string,
  secrets: Pick<KioskSecrets, 'storageKey'>,
  host: { readonly keysFor?: (enrollment: KioskEnrollment) => KioskKeys; readonly storeFiles?: StoreFiles } = {},
): Pick<KioskShell, 'openData' | 'removeData'> {
  return {
    openData: async (enrollment, options) =>
      openKioskData({
        enrollment,
        appVersion,
        storageKey: await secrets.storageKey(enrollment.kioskId),
        freshEnrollment: options?.fresh === true,
        ...(host.keysFor ? { keys: host.keysFor(enrollment) } : {}),
        ...(host.storeFiles ? { storeFiles: host.storeFiles } : {}),
      }),
    removeData: (kioskId) => removeKioskDatabase({ name: kioskDatabaseName(kioskId) }),
  };
}

export function browserShell(): KioskShell {
  const secrets = browserFallbackSecrets(window.indexedDB);
  return {
    secrets,
    appVersion: CUNBAN_VERSION,
    ...localKioskData(CUNBAN_VERSION, secrets),
    print() {
      window.print();
      return Promise.resolve({});
    },
    preferences: window.localStorage,
  };
}
