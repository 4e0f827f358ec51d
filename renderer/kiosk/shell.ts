/**
 * What the counter needs from whatever hosts it. In Electron the preload provides these (issue 7:
 * secrets in safeStorage, printing to the default printer); in browser mode — development, tests, a
 * technician's laptop — the browser does, and the secrets are labelled unprotected.
 */
import type { EnrollResponse } from '../../core/api/enrollment.js';
import { browserFallbackSecrets, type KioskSecrets } from '../data/key-store.js';
import { openKioskData, type KioskData } from '../data/kiosk-data.js';

export interface KioskShell {
  readonly secrets: KioskSecrets;
  readonly appVersion: string;
  /** Opens (and starts syncing) the kiosk's data for an enrollment. */
  openData(enrollment: EnrollResponse): Promise<KioskData>;
  /** Print what the page shows for print (the receipt); the browser's dialog offers "Save as PDF". */
  print(): Promise<void>;
  /** Screen preferences (language, elder mode): not secret, kept in the browser's storage. */
  readonly preferences: Pick<Storage, 'getItem' | 'setItem'>;
}

export const APP_VERSION = '0.1.0';

export function browserShell(): KioskShell {
  return {
    secrets: browserFallbackSecrets(window.localStorage),
    appVersion: APP_VERSION,
    openData: (enrollment) => openKioskData({ enrollment, appVersion: APP_VERSION }),
    print() {
      window.print();
      return Promise.resolve();
    },
    preferences: window.localStorage,
  };
}
