/**
 * The queue in memory follows the queue database: entries written by any hub process (here, straight
 * into the store) are seen by the next read; deleted ones are gone. Runs on CouchDB given COUCHDB_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openQueueIndex, type QueueIndex } from '../../sync-server/review/queue-index.js';
import { DB } from '../../sync-server/store/names.js';
import { queueEntry } from '../core/fixtures.js';
import { startTestHub, type TestHub } from './hub-harness.js';

let t: TestHub;
let index: QueueIndex;

beforeAll(async () => {
  t = await startTestHub({ seed: false });
  index = openQueueIndex(t.hub.store);
});

afterAll(async () => {
  await index.close();
  await t.close();
});

const write = async (docs: object[]) => {
  const written = await t.hub.store.request<{ id: string; rev: string }[]>({
    db: t.hub.store.dbName(DB.queue),
    path: '_bulk_docs',
    method: 'POST',
    body: { docs },
  });
  if (!written.ok) throw new Error(written.error.reason);
  return written.value;
};
const numbers = async () => {
  const current = await index.current();
  if (!current.ok) throw new Error(current.error.reason);
  return [...current.value.keys()].sort();
};

describe('the queue index', () => {
  it("sees another process's writes, updates and deletions on the next read", async () => {
    const [first] = await write([
      { _id: 'q-1', type: 'queueEntry', ...queueEntry({ caseNumber: 'q-1' }) },
      { _id: 'q-2', type: 'queueEntry', ...queueEntry({ caseNumber: 'q-2' }) },
    ]);
    expect(await numbers()).toEqual(['q-1', 'q-2']);

    await write([{ _id: 'q-1', _rev: first?.rev, type: 'queueEntry', ...queueEntry({ caseNumber: 'q-1', status: 'approved', open: false }) }]);
    const updated = await index.current();
    expect(updated.ok && updated.value.get('q-1')).toMatchObject({ status: 'approved', open: false });
    expect(updated.ok && Object.keys(updated.value.get('q-1') ?? {})).not.toContain('_rev');

    const stored = await t.hub.store.getDoc(DB.queue, 'q-2');
    await write([{ _id: 'q-2', _rev: stored.ok ? stored.value._rev : '', _deleted: true }]);
    expect(await numbers()).toEqual(['q-1']);
  });

  it('reads arriving together all see a write made before they arrived', async () => {
    await write([{ _id: 'q-3', type: 'queueEntry', ...queueEntry({ caseNumber: 'q-3' }) }]);
    const reads = await Promise.all(Array.from({ length: 5 }, () => numbers()));
    for (const read of reads) expect(read).toContain('q-3');
  });
});
