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
  forget(): Promise<void>;
  /** False for the browser fallback: the UI says so on the diagnostics screen. */
  readonly protectedAtRest: boolean;
}

/** The key under which the browser fallback keeps secrets; its name warns whoever looks. */
export const BROWSER_FALLBACK_KEY = 'cunban.kiosk-secrets.UNPROTECTED-browser-fallback';

/** Browser mode: Web Storage (or anything with its shape). Not for a kiosk in a village hall. */
export function browserFallbackSecrets(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>): KioskSecrets {
  return {
    protectedAtRest: false,
    load() {
      const text = storage.getItem(BROWSER_FALLBACK_KEY);
      if (text === null) return Promise.resolve(undefined);
      const parsed = enrollResponseSchema.safeParse(JSON.parse(text));
      return Promise.resolve(parsed.success ? parsed.data : undefined);
    },
    save(enrollment) {
      storage.setItem(BROWSER_FALLBACK_KEY, JSON.stringify(enrollResponseSchema.parse(enrollment)));
      return Promise.resolve();
    },
    forget() {
      storage.removeItem(BROWSER_FALLBACK_KEY);
      return Promise.resolve();
    },
  };
}
