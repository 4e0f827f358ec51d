/**
 * Keeps a library's advertising out of the kiosk's console, so a technician reading it sees only what
 * matters: RxDB's free Dexie storage prints a banner recommending its paid storages on every load
 * (`RxStorageInstanceDexie.bulkWrite`, rxdb 17). RxDB turns it off only for holders of its premium flag;
 * Cunban holds none and does not claim one, so the banner — and nothing else — is dropped here.
 * Every other warning, RxDB's own included, passes through unchanged.
 */
const BANNERS: readonly string[] = ['-------------- RxDB Open Core RxStorage'];

/** The part of `console` this touches. */
export interface WarningConsole {
  warn: (...data: unknown[]) => void;
}

/** Wraps `target.warn` so a message that opens with a known banner is dropped. */
export function quietVendorBanners(target: WarningConsole): void {
  const warn = target.warn;
  target.warn = (...data: unknown[]) => {
    const first = data[0];
    if (typeof first === 'string' && BANNERS.some((banner) => first.startsWith(banner))) return;
    warn.apply(target, data);
  };
}
