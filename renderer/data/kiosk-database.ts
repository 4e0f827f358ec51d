/**
 * The kiosk's local database: RxDB on IndexedDB (Dexie storage). It works with no network at all;
 * sync with the hub is layered on top (sync.ts). Tests pass fake-indexeddb as `indexedDB`.
 */
import { addRxPlugin, createRxDatabase, removeRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import { RxDBAttachmentsPlugin } from 'rxdb/plugins/attachments';
import { RxDBCleanupPlugin } from 'rxdb/plugins/cleanup';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { encryptedAtRest, newStorageKey, SealBroken, sealer, type Sealer } from './at-rest.js';
import { caseConflictHandler, caseMigrations, caseSchema, type StoredCase } from './case-collection.js';
import { fileMigrations, fileSchema, type StoredFile } from './files.js';
import { hallConflictHandler, hallDocumentSchema, type StoredHallDocument } from './hall.js';
import { dropUnsealedLeftovers, finishInterruptedRewrite, rewriteOwed, rewriteStoreFiles, type StoreFiles } from './store-rewrite.js';

addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);
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
  /** The hall's hours for visits and its appointments (hall.ts), synced with its hall database. */
  hall: RxCollection<StoredHallDocument>;
}

export type KioskDatabase = RxDatabase<KioskCollections>;

export interface OpenOptions {
  /** One database per enrolled kiosk, e.g. `cunban-kiosk-422822100202-01`. */
  readonly name: string;
  /**
   * The key that encrypts residents' data in it at rest (at-rest.ts), kept by the shell (data/key-store.ts):
   * without it the database cannot be read, so it is never optional.
   */
  readonly storageKey: string;
  /** IndexedDB implementation: the browser's, or fake-indexeddb in Node tests. */
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
  /**
   * The shell's means to write the store's files anew (Electron; store-rewrite.ts): after an upgrade sealed
   * the database, the old plaintext pages leave the disk. Absent in browser mode, whose key lies beside the data.
   */
  readonly storeFiles?: StoreFiles;
  /**
   * Another RxDB storage under the seal instead of IndexedDB, for Node: the benchmarks weigh Cunban in memory
   * against PouchDB's memory adapter. No IndexedDB housekeeping runs on it.
   */
  readonly storage?: RxStorage<unknown, unknown>;
}

const storageFor = (options: Pick<OpenOptions, 'indexedDB' | 'IDBKeyRange' | 'storage'>) =>
  options.storage ??
  getRxStorageDexie({
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  });

/** The database name of an enrolled kiosk's data. */
export const kioskDatabaseName = (kioskId: string) => `cunban-${kioskId}`;

/** Remove a kiosk's database (closed) with everything in it: a kiosk moved away from its village. */
export async function removeKioskDatabase(options: Omit<OpenOptions, 'storageKey'>): Promise<void> {
  // Removing reads nothing: the encrypted collections' instances need the wrapper, not the key.
  await removeRxDatabase(options.name, encryptedAtRest(storageFor(options), newStorageKey()), false);
}

const KEY_CHECK = 'storage-key-check';
const KEY_CHECK_TEXT = 'cunban';

/**
 * The database opens with this key, or throws `SealBroken` at once — not at the first case read — when the key
 * is not the one it was sealed with (a storage key lost and made anew). A database without the check gets it.
 */
async function checkStorageKey(db: KioskDatabase, box: Sealer): Promise<void> {
  const check = (await db.getLocal<{ sealed: string }>(KEY_CHECK))?.toJSON().data;
  if (!check) {
    await db.upsertLocal(KEY_CHECK, { sealed: box.sealValue(KEY_CHECK_TEXT) });
    return;
  }
  if (box.openValue(check.sealed) !== KEY_CHECK_TEXT) throw new SealBroken();
}

/** Each open database's sealer: for what it keeps outside its encrypted collections (sync-ledger.ts). */
const sealers = new WeakMap<KioskDatabase, Sealer>();

/** The sealer of a database opened here, with its storage key. */
export function sealerOf(db: KioskDatabase): Sealer {
  const box = sealers.get(db);
  if (!box) throw new Error('Not a kiosk database opened with its storage key.');
  return box;
}

/**
 * The kiosk's database, open with its storage key and sealed at rest. A database from before 0.3.1 is sealed
 * by RxDB's migration here; where the shell can (`storeFiles`), the store's files are then written anew, so the
 * plaintext pages the migration left behind leave the disk (store-rewrite.ts). Throws `SealBroken` for a wrong key.
 */
export async function openKioskDatabase(options: OpenOptions): Promise<KioskDatabase> {
  const { storeFiles } = options;
  if (options.storage) return openSealedDatabase(options);
  const idb = options.indexedDB ?? globalThis.indexedDB;
  if (storeFiles) await finishInterruptedRewrite(idb, storeFiles);
  const db = await openSealedDatabase(options);
  if (!storeFiles) {
    await dropUnsealedLeftovers(idb, options.name);
    return db;
  }
  if (!(await rewriteOwed(idb, options.name))) return db;
  await db.close();
  await rewriteStoreFiles(idb, options.IDBKeyRange ?? globalThis.IDBKeyRange, storeFiles, options.name);
  return openSealedDatabase(options);
}

async function openSealedDatabase(options: OpenOptions): Promise<KioskDatabase> {
  const storage = encryptedAtRest(storageFor(options), options.storageKey);
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
    files: { schema: fileSchema, migrationStrategies: fileMigrations },
    hall: { schema: hallDocumentSchema, conflictHandler: hallConflictHandler },
  });
  const box = sealer(options.storageKey);
  try {
    await checkStorageKey(db, box);
  } catch (error) {
    await db.close();
    throw error;
  }
  sealers.set(db, box);
  return db;
}
