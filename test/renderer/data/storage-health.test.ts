import { IDBKeyRange, IDBObjectStore, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../../core/case/append.js';
import { describeError } from '../../../core/i18n/describe.js';
import { caseStore } from '../../../renderer/data/cases.js';
import { openKioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { isQuotaError, storageHealth } from '../../../renderer/data/storage-health.js';
import { actors, createdDraft, itemSnapshot } from '../../core/fixtures.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

describe('storage health', () => {
  it.each([
    [{ usage: 10, quota: 100 }, 'ok'],
    [{ usage: 80, quota: 100 }, 'warning'],
    [{ usage: 96, quota: 100 }, 'critical'],
    [{}, 'unknown'],
  ] as const)('%o is %s', async (estimate, level) => {
    expect((await storageHealth(() => Promise.resolve(estimate))).level).toBe(level);
  });

  it('is unknown where the platform cannot tell', async () => {
    expect(await storageHealth(undefined)).toEqual({ level: 'unknown' });
  });

  it('recognizes the browser’s quota error however deeply it is wrapped', () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(isQuotaError(quota)).toBe(true);
    expect(isQuotaError({ name: 'BulkError', inner: quota })).toBe(true);
    expect(isQuotaError({ code: 'SNH', parameters: { error: { cause: quota } } })).toBe(true);
    expect(isQuotaError(new Error('disk on fire'))).toBe(false);
  });
});

describe('a write when the disk quota is exhausted', () => {
  it('says so, writes nothing, and keeps what was stored before', async () => {
    const db = await openKioskDatabase({ storageKey: TEST_STORAGE_KEY, name: `quota-${Date.now()}`, indexedDB, IDBKeyRange });
    const cases = caseStore(db);
    try {
      const first = await cases.create({ ...createdDraft(itemSnapshot('town')), type: 'created' } as EventDraft & { type: 'created' });
      expect(first.ok).toBe(true);

      // The platform refuses every write from now on, as a full disk does.
      const put = Object.getOwnPropertyDescriptor(IDBObjectStore.prototype, 'put');
      const add = Object.getOwnPropertyDescriptor(IDBObjectStore.prototype, 'add');
      const refuse = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      Object.defineProperty(IDBObjectStore.prototype, 'put', { ...put, value: refuse });
      Object.defineProperty(IDBObjectStore.prototype, 'add', { ...add, value: refuse });
      try {
        const note = await cases.append(first.ok ? first.value.caseNumber : '', {
          id: 'evt-note-quota',
          at: '2026-11-26T02:00:00.000Z',
          actor: actors.clerk,
          type: 'note',
          payload: { text: '补充说明' },
        });
        expect(note).toEqual({ ok: false, error: { code: 'storage.full' } });
        expect(describeError({ code: 'storage.full' }, 'zh-CN')).toContain('本机存储空间已满');
      } finally {
        if (put) Object.defineProperty(IDBObjectStore.prototype, 'put', put);
        if (add) Object.defineProperty(IDBObjectStore.prototype, 'add', add);
      }
      const stored = await cases.all();
      expect(stored).toHaveLength(1);
      expect(stored[0]?.events).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});
