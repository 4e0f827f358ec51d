/** A kiosk's first pull, and its push of offline work, timed the same way in Node and in the Chromium bench page. */
import { filter, firstValueFrom, timeout } from 'rxjs';
import type { EnrollResponse } from '../../core/api/enrollment.js';
import { toStoredCase } from '../../renderer/data/case-collection.js';
import { openKioskDatabase, type OpenOptions } from '../../renderer/data/kiosk-database.js';
import { startKioskSync } from '../../renderer/data/sync.js';
import { TEST_STORAGE_KEY } from '../support/storage-key.js';
import type { TransferResult } from './against-pouchdb.js';
import { benchCase } from './bench-cases.js';

type Storage = Pick<OpenOptions, 'indexedDB' | 'IDBKeyRange' | 'storage'>;

/** From opening an empty kiosk database to every case stored locally; in Node, `storage` is RxDB's memory storage. */
export async function cunbanPull(enrollment: EnrollResponse, storage: Storage = {}): Promise<TransferResult> {
  const started = performance.now();
  const db = await openKioskDatabase({ storageKey: TEST_STORAGE_KEY, name: `bench-cunban-${String(Date.now())}`, ...storage });
  const sync = await startKioskSync({ db, enrollment, appVersion: 'bench' });
  const outcome = await sync.syncNow(600_000);
  if (!outcome.ok) throw new Error(`sync failed: ${outcome.error.reason}`);
  const docs = await db.cases.count().exec();
  const ms = performance.now() - started;
  await sync.stop();
  await db.remove();
  return { ms, docs };
}

/**
 * `count` cases registered at the counter with the line down (written before the clock starts), then the
 * line comes up: from starting sync to every case acknowledged by the hub (none pending on the counter's
 * screen). PouchDB's push, the baseline, ends there too; the proof "sync now" adds afterwards is not timed.
 */
export async function cunbanPush(enrollment: EnrollResponse, count: number, storage: Storage = {}): Promise<TransferResult> {
  const db = await openKioskDatabase({ storageKey: TEST_STORAGE_KEY, name: `bench-push-${String(Date.now())}`, ...storage });
  for (let start = 0; start < count; start += 1000) {
    await db.cases.bulkInsert(Array.from({ length: Math.min(1000, count - start) }, (_, i) => toStoredCase(benchCase(enrollment, start + i))));
  }
  const started = performance.now();
  const sync = await startKioskSync({ db, enrollment, appVersion: 'bench' });
  await firstValueFrom(
    sync.state$.pipe(
      filter((state) => state.pendingOutbound === 0),
      timeout({ first: 600_000 }),
    ),
  );
  const ms = performance.now() - started;
  const unsent = sync.state().pendingOutbound;
  await sync.stop();
  await db.remove();
  return { ms, docs: count - unsent };
}
