/**
 * Clerk accounts when the disk is full (the browser's quota error on every write; Chromium's own quota is
 * exercised end to end in test/faults): a right PIN signs in, wrong PINs still lock the account, and a new
 * account is refused with the reason.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { clerkAccounts } from '../../../renderer/data/clerks.js';
import { openKioskDatabase, type KioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

let db: KioskDatabase | undefined;
afterEach(async () => {
  await db?.close();
});

/** The database as a full disk leaves it: reads work, every local write fails with the browser's quota error. */
function fullDisk(database: KioskDatabase): KioskDatabase {
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property === 'upsertLocal') return () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
      const value = Reflect.get(target, property, receiver) as unknown;
      // RxDB keys its state by the database object itself: its methods run on the real one.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('clerk accounts on a full disk', () => {
  it('sign in with the right PIN, count wrong ones to the lockout, and refuse a new account with storage.full', async () => {
    db = await openKioskDatabase({ storageKey: TEST_STORAGE_KEY, name: `clerks-full-${String(Date.now())}`, indexedDB: new IDBFactory(), IDBKeyRange });
    const added = await clerkAccounts(db).add('王芳', '2580', '2580');
    if (!added.ok) throw new Error(added.error.code);
    const clerks = clerkAccounts(fullDisk(db));
    expect(await clerks.verify(added.value.id, '2580')).toEqual({ ok: true, value: added.value });
    for (const attemptsLeft of [4, 3, 2, 1]) {
      expect(await clerks.verify(added.value.id, '0000')).toEqual({ ok: false, error: { code: 'clerk.pinWrong', attemptsLeft } });
    }
    expect(await clerks.verify(added.value.id, '0000')).toMatchObject({ ok: false, error: { code: 'clerk.lockedOut' } });
    expect(await clerks.verify(added.value.id, '2580')).toMatchObject({ ok: false, error: { code: 'clerk.lockedOut' } });
    expect(await clerks.add('刘洋', '13579', '13579')).toEqual({ ok: false, error: { code: 'storage.full' } });
  });
});
