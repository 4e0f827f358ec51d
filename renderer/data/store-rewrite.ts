/**
 * The kiosk's IndexedDB files written anew, once, after an upgrade sealed residents' data in them.
 *
 * RxDB's migration (kiosk-database.ts) rewrites a pre-0.3.1 database sealed, but Chromium's LevelDB keeps
 * the old plaintext pages on disk until it compacts them, which it may not do for days; deleting a
 * database does not remove them either (both measured: test/e2e/store-rewrite.e2e.test.ts). The one
 * reliable way is to delete the files themselves, which only the shell can do (Electron's
 * `session.clearStorageData`, which removes the origin's IndexedDB directory). So the data goes out to a
 * snapshot file in the page's private file system (OPFS, which that clearing leaves alone), the shell
 * deletes the IndexedDB files, and the data comes back from the snapshot into fresh files. Everything in
 * the snapshot is what the store holds after the migration: residents' fields already sealed.
 *
 * Which stores are owed a rewrite: those RxDB migrated from before sealing. Its migration empties the old
 * schema version's databases of their documents but leaves the databases, and in them the old scans (RxDB's
 * Dexie storage does not clear attachments when it removes a collection's storage: found by this module's
 * end-to-end test). The rewrite leaves those databases out, so their presence is the note that a rewrite is
 * owed, kept even if the kiosk stops between the migration and the rewrite.
 *
 * Crash-safe by order: the files are cleared only once the snapshot is complete (its last line says so),
 * and the snapshot is removed only once everything is back and counted. A start that finds a complete
 * snapshot clears and restores again (both idempotent), and keeps the snapshot until that works; one that
 * finds an incomplete snapshot drops it, since nothing was cleared yet. RxDB's internal databases are put
 * back last, so a store that has one is whole (used when the private file system cannot be read at all).
 * Every value comes back exactly (stored-value-codec.ts: scans' Blobs included); a store holding one that
 * cannot (a Map, a BigInt) is left as it is.
 */

import { decodeStored, encodeStored, NotRewritable } from './stored-value-codec.js';

export { NotRewritable } from './stored-value-codec.js';

/** A file the snapshot is kept in: OPFS in the browser; anything in tests. */
export interface SnapshotFile {
  /** Replace the file's content with these chunks (written whole, or not at all where the file system allows). */
  write(chunks: AsyncIterable<string>): Promise<void>;
  /** The file's lines; undefined when there is no file. */
  lines(): Promise<AsyncIterable<string> | Iterable<string> | undefined>;
  remove(): Promise<void>;
}

/** What the shell does for the rewrite: delete this page's IndexedDB files (every database). */
export interface StoreFiles {
  readonly clear: () => Promise<void>;
  /** Where the snapshot is kept between clearing and restoring. */
  readonly snapshot: SnapshotFile;
}


interface StoreShape {
  readonly name: string;
  readonly keyPath: string | string[] | null;
  readonly autoIncrement: boolean;
  readonly indexes: readonly { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[];
}

type Line =
  | { readonly database: { readonly name: string; readonly version: number; readonly stores: readonly StoreShape[] } }
  /** Key and value as stored-value-codec.ts writes them. */
  | { readonly record: readonly [store: string, key: unknown, value: unknown] }
  | { readonly end: { readonly databases: number; readonly records: number } };

const PAGE = 500;
const CHUNK_CHARS = 1 << 20;

const settled = <T>(request: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    request.onsuccess = () => {
      resolve(request.result);
    };
    request.onerror = () => {
      reject(request.error ?? new Error('IndexedDB request failed'));
    };
  });

const done = (transaction: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => {
      resolve();
    };
    transaction.onabort = transaction.onerror = () => {
      reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    };
  });

function shapeOf(store: IDBObjectStore): StoreShape {
  const indexes = [...store.indexNames].map((name) => {
    const index = store.index(name);
    return { name, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
  });
  return { name: store.name, keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes };
}

/** Every database, store and record of `idb` but those `leftOut`, as lines, a page of records at a time. */
async function* snapshotLines(idb: IDBFactory, range: Pick<typeof IDBKeyRange, 'lowerBound'>, leftOut: (name: string) => boolean): AsyncGenerator<string> {
  const databases = (await idb.databases()).flatMap((info) => (info.name === undefined ? [] : [info.name]));
  // RxDB's internal databases last: restored last, so a store that has one was restored whole.
  databases.sort((a, b) => Number(isRxdbInternal(a)) - Number(isRxdbInternal(b)));
  let records = 0;
  let kept = 0;
  for (const name of databases) {
    const db = await settled(idb.open(name));
    try {
      if (leftOut(name)) continue;
      const storeNames = [...db.objectStoreNames];
      kept++;
      const shapes = storeNames.length === 0 ? [] : (() => {
        const transaction = db.transaction(storeNames, 'readonly');
        return storeNames.map((store) => shapeOf(transaction.objectStore(store)));
      })();
      yield `${JSON.stringify({ database: { name, version: db.version, stores: shapes } } satisfies Line)}\n`;
      for (const store of storeNames) {
        let after: IDBValidKey | undefined;
        for (;;) {
          const transaction = db.transaction(store, 'readonly');
          const from = after === undefined ? null : range.lowerBound(after, true);
          const [keys, values] = await Promise.all([settled(transaction.objectStore(store).getAllKeys(from, PAGE)), settled(transaction.objectStore(store).getAll(from, PAGE))]);
          for (const [i, key] of keys.entries()) yield `${JSON.stringify({ record: [store, await encodeStored(key), await encodeStored(values[i])] } satisfies Line)}\n`;
          records += keys.length;
          if (keys.length < PAGE) break;
          after = keys[keys.length - 1];
        }
      }
    } finally {
      db.close();
    }
  }
  yield `${JSON.stringify({ end: { databases: kept, records } } satisfies Line)}\n`;
}

/** Lines gathered into chunks of about a mebibyte: one file write each, not one per record. */
async function* chunked(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += line;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

type End = Extract<Line, { end: unknown }>['end'];

/** The snapshot's end line (its counts) if it was written whole; undefined if not, or if there is none. */
async function completeSnapshot(file: SnapshotFile): Promise<End | undefined> {
  const lines = await file.lines();
  if (!lines) return undefined;
  let last = '';
  for await (const line of lines) if (line.trim()) last = line;
  return last.startsWith('{"end":') ? (JSON.parse(last) as { end: End }).end : undefined;
}

const complete = async (file: SnapshotFile) => (await completeSnapshot(file)) !== undefined;

/**
 * Put each database of the snapshot back, as it was, into `idb` (each one deleted first: a restore may be
 * repeated). Returns how many databases and records it put back.
 */
async function restore(idb: IDBFactory, lines: AsyncIterable<string> | Iterable<string>): Promise<End> {
  let databases = 0;
  let records = 0;
  let db: IDBDatabase | undefined;
  let batch: (readonly [string, unknown, unknown])[] = [];
  const flush = async () => {
    if (!db || batch.length === 0) return;
    const transaction = db.transaction([...new Set(batch.map(([store]) => store))], 'readwrite');
    for (const [store, key, value] of batch) {
      const objectStore = transaction.objectStore(store);
      if (objectStore.keyPath === null) objectStore.put(decodeStored(value), decodeStored(key) as IDBValidKey);
      else objectStore.put(decodeStored(value));
    }
    records += batch.length;
    batch = [];
    await done(transaction);
  };
  try {
    for await (const text of lines) {
      if (!text.trim()) continue;
      const line = JSON.parse(text) as Line;
      if ('record' in line) {
        batch.push(line.record);
        if (batch.length >= PAGE) await flush();
      } else if ('database' in line) {
        await flush();
        db?.close();
        db = await recreate(idb, line.database);
        databases++;
      }
    }
    await flush();
  } finally {
    db?.close();
  }
  return { databases, records };
}

async function recreate(idb: IDBFactory, database: Extract<Line, { database: unknown }>['database']): Promise<IDBDatabase> {
  await settled(idb.deleteDatabase(database.name));
  const request = idb.open(database.name, database.version);
  request.onupgradeneeded = () => {
    for (const shape of database.stores) {
      const store = request.result.createObjectStore(shape.name, { keyPath: shape.keyPath, autoIncrement: shape.autoIncrement });
      for (const index of shape.indexes) store.createIndex(index.name, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
    }
  };
  return settled(request);
}

/**
 * The shell clears, then the snapshot comes back, counted; the snapshot goes last. On a first attempt
 * (`afterClearFailed: 'drop'`) a clearing that failed left the store whole, so the snapshot is dropped: it must
 * not come back later over what is written next. When finishing an interrupted rewrite it is kept whatever
 * happens: the store may be half restored, and the snapshot is then its only whole copy.
 */
async function clearAndRestore(idb: IDBFactory, files: StoreFiles, end: End, afterClearFailed: 'drop' | 'keep'): Promise<void> {
  try {
    await files.clear();
    // A clearing that cleared nothing (another origin's, say) would leave the old pages where they were.
    if ((await idb.databases()).length > 0) throw new Error('The shell’s clearing left the store’s databases in place.');
  } catch (error) {
    if (afterClearFailed === 'drop' && (await idb.databases()).length > 0) await files.snapshot.remove();
    throw error;
  }
  const lines = await files.snapshot.lines();
  const restored = lines ? await restore(idb, lines) : { databases: 0, records: 0 };
  if (restored.databases !== end.databases || restored.records !== end.records) {
    throw new Error(`The store came back with ${String(restored.records)} of ${String(end.records)} records: it will be restored again at the next start.`);
  }
  await files.snapshot.remove();
}

/**
 * Before the kiosk opens its database: a rewrite a crash interrupted is finished (or, if its snapshot was
 * never complete, dropped: nothing was cleared). When the private file system cannot be read, a store whose
 * RxDB internal database is there is whole (restored last) and opens; one without it may be half restored and
 * does not. Returns whether data was restored.
 */
export async function finishInterruptedRewrite(idb: IDBFactory, files: StoreFiles): Promise<boolean> {
  let end: End | undefined;
  try {
    end = await completeSnapshot(files.snapshot);
  } catch (error) {
    const whole = (await idb.databases()).some((info) => info.name !== undefined && isRxdbInternal(info.name));
    if (!whole) throw error;
    console.warn(`The store rewrite's snapshot could not be read (${error instanceof Error ? error.message : String(error)}); the store is whole.`);
    return false;
  }
  if (end) {
    await clearAndRestore(idb, files, end, 'keep');
    return true;
  }
  await files.snapshot.remove();
  return false;
}

/** Snapshot, clear, restore. Throws `NotRewritable` before touching anything when a stored value would not survive the snapshot. */
async function rewrite(idb: IDBFactory, range: Pick<typeof IDBKeyRange, 'lowerBound'>, files: StoreFiles, databaseName: string): Promise<void> {
  // Run after RxDB's migration, which awaits its end: the old databases hold nothing it still reads.
  const leftOver = new Set(unsealedNames(databaseName));
  try {
    await files.snapshot.write(chunked(snapshotLines(idb, range, (name) => leftOver.has(name))));
  } catch (error) {
    await files.snapshot.remove();
    throw error;
  }
  const end = await completeSnapshot(files.snapshot);
  if (!end) throw new Error('The store snapshot was not written whole.');
  await clearAndRestore(idb, files, end, 'drop');
}

/**
 * The rewrite, with every database closed. Returns when the databases may be opened: rewritten, or left as
 * they were (the failure logged, and tried again at the next start unless the store cannot be rewritten at
 * all). Throws only when the files were cleared and the restore did not finish: the next start finishes it
 * from the snapshot, and nothing may open the half-restored store before then.
 */
export async function rewriteStoreFiles(idb: IDBFactory, range: Pick<typeof IDBKeyRange, 'lowerBound'>, files: StoreFiles, databaseName: string): Promise<void> {
  try {
    await rewrite(idb, range, files, databaseName);
  } catch (error) {
    if (await complete(files.snapshot)) throw error;
    console.warn(`The kiosk's store files were not written anew: ${error instanceof Error ? error.message : String(error)}`);
    // Nothing was touched. A store that cannot be rewritten is left to LevelDB's own compaction, and not tried again.
    if (error instanceof NotRewritable) await dropUnsealedLeftovers(idb, databaseName);
  }
}

const isRxdbInternal = (name: string) => name.startsWith('rxdb-dexie-') && name.endsWith('--_rxdb_internal');

/** The Dexie databases of the sealed collections' schema version 0: what 0.3.0 and earlier wrote unsealed. */
const unsealedNames = (databaseName: string) => ['cases', 'files'].map((collection) => `rxdb-dexie-${databaseName}--0--${collection}`);

/**
 * Delete what RxDB's migration left of the pre-sealing databases (their old scans): where the store's files are
 * not rewritten (browser mode), at least nothing of them stays readable through IndexedDB.
 */
export async function dropUnsealedLeftovers(idb: IDBFactory, databaseName: string): Promise<void> {
  const unsealed = new Set(unsealedNames(databaseName));
  for (const info of await idb.databases()) if (info.name !== undefined && unsealed.has(info.name)) await settled(idb.deleteDatabase(info.name));
}

/** Whether the store's files are owed a rewrite: they hold (or held) the database as it was before sealing. */
export async function rewriteOwed(idb: IDBFactory, databaseName: string): Promise<boolean> {
  const unsealed = new Set(unsealedNames(databaseName));
  return (await idb.databases()).some((info) => info.name !== undefined && unsealed.has(info.name));
}

/** A snapshot file in the page's origin private file system (OPFS): not IndexedDB, so the shell's clearing leaves it. */
export function opfsFile(name: string, root: () => Promise<FileSystemDirectoryHandle> = () => navigator.storage.getDirectory()): SnapshotFile {
  const handle = async (create: boolean) => {
    try {
      return await (await root()).getFileHandle(name, { create });
    } catch (error) {
      if (!create && error instanceof DOMException && error.name === 'NotFoundError') return undefined;
      throw error;
    }
  };
  return {
    async write(chunks) {
      const file = await handle(true);
      if (!file) return;
      // A writable stream writes a swap file and replaces the file only on close: whole, or not at all.
      const writable = await file.createWritable();
      try {
        for await (const chunk of chunks) await writable.write(chunk);
        await writable.close();
      } catch (error) {
        await writable.abort().catch(() => undefined);
        throw error;
      }
    },
    async lines() {
      const file = await handle(false);
      if (!file) return undefined;
      const text = (await file.getFile()).stream().pipeThrough(new TextDecoderStream());
      return splitLines(text);
    },
    async remove() {
      await (await root()).removeEntry(name).catch((error: unknown) => {
        if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
      });
    },
  };
}

async function* splitLines(text: ReadableStream<string>): AsyncGenerator<string> {
  let rest = '';
  const reader = text.getReader();
  for (;;) {
    const { done: ended, value } = await reader.read();
    if (ended) break;
    const parts = (rest + value).split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  if (rest) yield rest;
}
