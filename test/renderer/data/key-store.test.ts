import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { EnrollResponse } from '../../../core/api/enrollment.js';
import { BROWSER_FALLBACK_KEY, browserFallbackSecrets } from '../../../renderer/data/key-store.js';

const key = Buffer.alloc(32, 3).toString('base64url');
const enrollment: EnrollResponse = {
  kioskId: 'kiosk-422822100202-01',
  kioskNumber: 1,
  village: '422822100202',
  villageName: '雀儿笼村',
  townName: '业州镇',
  villageSyncUrl: 'http://hub.example/sync/village_422822100202/',
  catalogSyncUrl: 'http://hub.example/sync/catalog/',
  authorization: 'Basic a2lvc2s6c2VjcmV0',
  dataKeys: { current: 'k1', keys: [{ kid: 'k1', key }], blindIndexKey: key },
};

function shellDatabase(indexedDB: IDBFactory): Promise<IDBDatabase> {
  return new Promise((opened) => {
    const request = indexedDB.open('cunban-shell');
    request.onsuccess = () => {
      opened(request.result);
    };
  });
}

async function storedKeys(indexedDB: IDBFactory): Promise<IDBValidKey[]> {
  const db = await shellDatabase(indexedDB);
  const request = db.transaction('secrets').objectStore('secrets').getAllKeys();
  return new Promise((read) => {
    request.onsuccess = () => {
      db.close();
      read(request.result);
    };
  });
}

async function putRaw(indexedDB: IDBFactory, value: unknown): Promise<void> {
  const db = await shellDatabase(indexedDB);
  const transaction = db.transaction('secrets', 'readwrite');
  transaction.objectStore('secrets').put(value, BROWSER_FALLBACK_KEY);
  await new Promise((done) => {
    transaction.oncomplete = done;
  });
  db.close();
}

describe('the browser-mode fallback for kiosk secrets', () => {
  it('round-trips the enrollment, says it is not protected at rest, and keeps it across page loads', async () => {
    const indexedDB = new IDBFactory();
    const secrets = browserFallbackSecrets(indexedDB);
    expect(secrets.protectedAtRest).toBe(false);
    expect(await secrets.load()).toBeUndefined();
    await secrets.save(enrollment);
    expect(await storedKeys(indexedDB)).toEqual([BROWSER_FALLBACK_KEY]);
    expect(BROWSER_FALLBACK_KEY).toContain('UNPROTECTED');
    // Another page load (a new factory object on the same storage) finds it.
    expect(await browserFallbackSecrets(indexedDB).load()).toEqual(enrollment);
  });

  it('treats damaged contents as nothing stored, so the kiosk asks to enroll again', async () => {
    const indexedDB = new IDBFactory();
    const secrets = browserFallbackSecrets(indexedDB);
    await secrets.save(enrollment);
    await putRaw(indexedDB, { kioskId: 'x' });
    expect(await secrets.load()).toBeUndefined();
  });
});
