/**
 * The kiosk's local database: RxDB on IndexedDB (Dexie storage). It works with no network at all;
 * sync with the hub is layered on top (sync.ts). Tests pass fake-indexeddb as `indexedDB`.
 */
import { addRxPlugin, createRxDatabase, removeRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import { RxDBCleanupPlugin } from 'rxdb/plugins/cleanup';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { caseConflictHandler, caseMigrations, caseSchema, type StoredCase } from './case-collection.js';
import { fileSchema, type StoredFile } from './files.js';

addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBCleanupPlugin);
addRxPlugin(RxDBAttachmentsPlugin);

/**
 * County documents pulled from the hub's catalog database (catalog, divisions, calendar, notices),
 * kept whole under `body`; core/ validates a body before anything uses it.
 */
export interface CountyDocument {
  readonly id: string;
  readonly body: Record<string, unknown>;
}

const countyDocumentSchema: RxJsonSchema<CountyDocument> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 }, body: { type: 'object' } },
  required: ['id', 'body'],
};

export interface KioskCollections {
  cases: RxCollection<StoredCase>;
  county: RxCollection<CountyDocument>;
  /** Materials files; never replicated, uploaded on their own route. */
  files: RxCollection<StoredFile>;
}

export type KioskDatabase = RxDatabase<KioskCollections>;

export interface OpenOptions {
  /** One database per enrolled kiosk, e.g. `cunban-kiosk-422822100202-01`. */
  readonly name: string;
  /** IndexedDB implementation: the browser's, or fake-indexeddb in Node tests. */
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
}

const storageFor = (options: Omit<OpenOptions, 'name'>) =>
  getRxStorageDexie({
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  });

/** The database name of an enrolled kiosk's data. */
export const kioskDatabaseName = (kioskId: string) => `cunban-${kioskId}`;

/** Remove a kiosk's database (closed) with everything in it: a kiosk moved away from its village. */
export async function removeKioskDatabase(options: OpenOptions): Promise<void> {
  await removeRxDatabase(options.name, storageFor(options), false);
}

export async function openKioskDatabase(options: OpenOptions): Promise<KioskDatabase> {
  const storage = storageFor(options);
  // One window per kiosk: no cross-tab coordination needed.
  const db = await createRxDatabase<KioskCollections>({
    name: options.name,
    storage,
    multiInstance: false,
    localDocuments: true,
    // Retention purges removed cases on demand, at once; no background timer keeps resident data longer.
    cleanupPolicy: { minimumDeletedTime: 0, runEach: 24 * 60 * 60 * 1000, awaitReplicationsInSync: false },
  });
  await db.addCollections({
    cases: { schema: caseSchema, migrationStrategies: caseMigrations, conflictHandler: caseConflictHandler },
    county: { schema: countyDocumentSchema },
    files: { schema: fileSchema },
  });
  return db;
}
