/**
 * RxDB's replication keeps, per document, its last known copy of the hub's state (the "assumed master").
 * Dropping it serves two ends: retention (a resident's name must not outlive the case here) and
 * reconciliation (replication never pushes a document equal to the hub copy it believes in, so a case the
 * hub lost is sent again only once that belief is gone).
 */
import { createRevision, getComposedPrimaryKeyOfDocumentData } from 'rxdb';
import type { RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import type { KioskDatabase } from './kiosk-database.js';

export async function forgetHubCopies(db: KioskDatabase, replication: RxCouchDBReplicationState<never>, ids: readonly string[], now: Date): Promise<void> {
  const meta = replication.metaInstance;
  if (!meta || ids.length === 0) return;
  const keys = ids.map((itemId) => getComposedPrimaryKeyOfDocumentData(meta.schema, { itemId, isCheckpoint: '0' }));
  const found = await meta.findDocumentsById(keys, false);
  if (found.length === 0) return;
  const lwt = now.getTime();
  await meta.bulkWrite(
    found.map((previous) => ({
      previous,
      document: { ...previous, _deleted: true, _meta: { ...previous._meta, lwt }, _rev: createRevision(db.token, previous) },
    })),
    'cunban-forget-hub-copy',
  );
  await meta.cleanup(0);
}
