/** A fresh kiosk's first sync of its village, timed the same way in Node and in the Chromium bench page. */
import type { EnrollResponse } from '../../core/api/enrollment.js';
import { openKioskDatabase, type OpenOptions } from '../../renderer/data/kiosk-database.js';
import { startKioskSync } from '../../renderer/data/sync.js';
import { TEST_STORAGE_KEY } from '../support/storage-key.js';

export interface PullResult {
  readonly ms: number;
  readonly docs: number;
}

/** From opening an empty kiosk database to every case stored locally; `storage` is fake-indexeddb in Node. */
export async function cunbanPull(enrollment: EnrollResponse, storage: Pick<OpenOptions, 'indexedDB' | 'IDBKeyRange'> = {}): Promise<PullResult> {
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
