/**
 * The kiosk's console carries no library advert: RxDB's Dexie storage prints its premium banner on the first
 * write of a real kiosk database, and the kiosk's filter drops exactly that while passing every other warning.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { newStorageKey } from '../../../renderer/data/at-rest.js';
import { kioskDatabaseName, openKioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { quietVendorBanners } from '../../../renderer/kiosk/vendor-banners.js';

const original = console.warn;
afterEach(() => {
  console.warn = original;
});

describe('library adverts in the kiosk’s console', () => {
  it('drops RxDB’s premium banner from a real database write, and nothing else', async () => {
    const shown: string[] = [];
    const printed: string[] = [];
    console.warn = (...data: unknown[]) => {
      shown.push(String(data[0]));
    };
    quietVendorBanners(console);
    // Above the filter: what the code under it wrote, to prove the banner really came.
    const filtered = console.warn;
    console.warn = (...data: unknown[]) => {
      printed.push(String(data[0]));
      filtered(...data);
    };

    const db = await openKioskDatabase({
      name: kioskDatabaseName('kiosk-422822100202-71'),
      storageKey: newStorageKey(),
      indexedDB: new IDBFactory(),
      IDBKeyRange,
    });
    await db.county.insert({ id: 'catalog', body: {} });
    console.warn('移动了一个文件');
    await db.close();

    expect(printed.some((text) => text.includes('RxDB Open Core'))).toBe(true);
    expect(shown).toEqual(['移动了一个文件']);
  });
});
