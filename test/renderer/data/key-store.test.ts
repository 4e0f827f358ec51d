import { describe, expect, it } from 'vitest';
import type { EnrollResponse } from '../../../core/api/enrollment.js';
import { BROWSER_FALLBACK_KEY, browserFallbackSecrets } from '../../../renderer/data/key-store.js';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

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

describe('the browser-mode fallback for kiosk secrets', () => {
  it('round-trips the enrollment, says it is not protected at rest, and forgets on request', async () => {
    const storage = new MemoryStorage();
    const secrets = browserFallbackSecrets(storage);
    expect(secrets.protectedAtRest).toBe(false);
    expect(await secrets.load()).toBeUndefined();
    await secrets.save(enrollment);
    expect([...storage.items.keys()]).toEqual([BROWSER_FALLBACK_KEY]);
    expect(BROWSER_FALLBACK_KEY).toContain('UNPROTECTED');
    expect(await secrets.load()).toEqual(enrollment);
    await secrets.forget();
    expect(await secrets.load()).toBeUndefined();
  });

  it('treats damaged contents as nothing stored, so the kiosk asks to enroll again', async () => {
    const storage = new MemoryStorage();
    storage.setItem(BROWSER_FALLBACK_KEY, JSON.stringify({ kioskId: 'x' }));
    expect(await browserFallbackSecrets(storage).load()).toBeUndefined();
  });
});
