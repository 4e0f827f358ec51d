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
 * finds an incomplete snapshot drops it, since nothing was cleared yet. A marker database notes the restore:
 * `restoring` from the clearing on, `restored` at its end, so a stale snapshot is never restored over later
 * work and a half-restored store never opens.
 * Every value comes back exactly (stored-value-codec.ts: scans' Blobs included); a store holding one that
 * cannot (a Map, a BigInt) is left as it is.
 */

import { decodeStored, encodeStored, NotRewritable } from './stored-value-codec.js';

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
  | { readonly end: { readonly databases: number; readonly records: number; readonly id?: string } };

const PAGE = 500;
/** A restore writes a batch at this many characters of records too: ten 10 MB scans, not five hundred. */
const BATCH_CHARS = 8 << 20;
/** Where the restore notes its progress: `restoring` the moment the files are cleared, `restored` once all is back. */
const MARKER_DB = 'cunban-store-rewrite';
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
  let records = 0;
  let kept = 0;
  for (const name of databases) {
    if (leftOut(name) || name === MARKER_DB) continue;
    const db = await settled(idb.open(name));
    try {
      const storeNames = [...db.objectStoreNames];
      kept++;
      const shapes =
        storeNames.length === 0
          ? []
          : (() => {
              const transaction = db.transaction(storeNames, 'readonly');
              return storeNames.map((store) => shapeOf(transaction.objectStore(store)));
            })();
      yield `${JSON.stringify({ database: { name, version: db.version, stores: shapes } } satisfies Line)}\n`;
      for (const store of storeNames) {
        let after: IDBValidKey | undefined;
        for (;;) {
          const transaction = db.transaction(store, 'readonly');
          const from = after === undefined ? null : range.lowerBound(after, true);
          const [keys, values] = await Promise.all([
            settled(transaction.objectStore(store).getAllKeys(from, PAGE)),
            settled(transaction.objectStore(store).getAll(from, PAGE)),
          ]);
          for (const [i, key] of keys.entries())
            yield `${JSON.stringify({ record: [store, await encodeStored(key), await encodeStored(values[i])] } satisfies Line)}\n`;
          records += keys.length;
          if (keys.length < PAGE) break;
          after = keys[keys.length - 1];
        }
      }
    } finally {
      db.close();
    }
  }
  yield `${JSON.stringify({ end: { databases: kept, records, id: snapshotId() } } satisfies Line)}\n`;
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
  let batchChars = 0;
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
    batchChars = 0;
    await done(transaction);
  };
  try {
    for await (const text of lines) {
      if (!text.trim()) continue;
      const line = JSON.parse(text) as Line;
      if ('record' in line) {
        batch.push(line.record);
        batchChars += text.length;
        if (batch.length >= PAGE || batchChars >= BATCH_CHARS) await flush();
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
 * The shell clears, then the snapshot comes back, counted, with the marker saying `restoring` from the moment
 * the files are gone until all is back (`restored`); the snapshot goes last. On a first attempt
 * (`afterClearFailed: 'drop'`) a clearing that failed and left every database of the snapshot in place left
 * the store whole, so the snapshot is dropped: it must not come back later over what is written next. Otherwise
 * it is kept whatever happens: the store may be half cleared or half restored, and the snapshot is its only
 * whole copy.
 */
async function clearAndRestore(idb: IDBFactory, files: StoreFiles, end: End, afterClearFailed: 'drop' | 'keep'): Promise<void> {
  try {
    await files.clear();
    // A clearing that cleared nothing (another origin's, say) would leave the old pages where they were.
    if ((await idb.databases()).length > 0) throw new Error('The shell’s clearing left the store’s databases in place.');
  } catch (error) {
    if (afterClearFailed === 'drop' && (await holdsEvery(idb, await snapshotDatabases(files.snapshot)))) await files.snapshot.remove();
    throw error;
  }
  await writeMarker(idb, { snapshot: end.id ?? '', state: 'restoring' });
  const lines = await files.snapshot.lines();
  const restored = lines ? await restore(idb, lines) : { databases: 0, records: 0 };
  if (restored.databases !== end.databases || restored.records !== end.records) {
    throw new Error(`The store came back with ${String(restored.records)} of ${String(end.records)} records: it will be restored again at the next start.`);
  }
  await writeMarker(idb, { snapshot: end.id ?? '', state: 'restored' });
  await files.snapshot.remove();
}

/**
 * Before the kiosk opens its database: a rewrite a crash interrupted is finished, or, if its snapshot was never
 * complete, dropped (nothing was cleared). A complete snapshot the marker says was restored already is stale
 * (only its removal was cut short): dropped, never restored over what was written since. When the private file
 * system cannot be read, the marker decides: a store being restored does not open; one restored, or one with
 * databases and no marker (never cleared: a clearing removes the marker and is followed at once by it), does.
 * A store with no database at all then cannot tell a new kiosk from a cleared one, and does not open.
 * Returns whether data was restored.
 */
export async function finishInterruptedRewrite(idb: IDBFactory, files: StoreFiles): Promise<boolean> {
  let end: End | undefined;
  try {
    end = await completeSnapshot(files.snapshot);
  } catch (error) {
    const marker = await readMarker(idb);
    const whole = marker ? marker.state === 'restored' : (await idb.databases()).length > 0;
    if (!whole) throw error;
    console.warn(`The store rewrite's snapshot could not be read (${error instanceof Error ? error.message : String(error)}); the store is whole.`);
    return false;
  }
  if (!end) {
    await files.snapshot.remove();
    return false;
  }
  const marker = await readMarker(idb);
  if (marker?.state === 'restored' && marker.snapshot === end.id) {
    await files.snapshot.remove();
    return false;
  }
  await clearAndRestore(idb, files, end, 'keep');
  return true;
}

/** Snapshot, clear, restore. Throws `NotRewritable` before touching anything when a stored value would not survive the snapshot. */
async function rewrite(idb: IDBFactory, range: Pick<typeof IDBKeyRange, 'lowerBound'>, files: StoreFiles, databaseName: string): Promise<void> {
  // Run only once RxDB's migration has emptied the old databases (rewriteOwed): they hold nothing it reads.
  const leftOver = new Set(await emptiedUnsealed(idb, databaseName));
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
export async function rewriteStoreFiles(
  idb: IDBFactory,
  range: Pick<typeof IDBKeyRange, 'lowerBound'>,
  files: StoreFiles,
  databaseName: string,
): Promise<void> {
  try {
    await rewrite(idb, range, files, databaseName);
  } catch (error) {
    if (await complete(files.snapshot)) throw error;
    console.warn(`The kiosk's store files were not written anew: ${error instanceof Error ? error.message : String(error)}`);
    // Nothing was touched. A store that cannot be rewritten is left to LevelDB's own compaction, and not tried again.
    if (error instanceof NotRewritable) await dropUnsealedLeftovers(idb, databaseName);
  }
}

/** The Dexie databases of the sealed collections' schema version 0: what 0.3.0 and earlier wrote unsealed. */
const unsealedNames = (databaseName: string) => ['cases', 'files'].map((collection) => `rxdb-dexie-${databaseName}--0--${collection}`);

/** Those of them present, each with whether it still holds documents (RxDB's Dexie storage keeps them in `docs`). */
async function unsealedPresent(idb: IDBFactory, databaseName: string): Promise<{ name: string; holdsDocuments: boolean }[]> {
  const unsealed = new Set(unsealedNames(databaseName));
  const present: { name: string; holdsDocuments: boolean }[] = [];
  for (const info of await idb.databases()) {
    if (info.name === undefined || !unsealed.has(info.name)) continue;
    const db = await settled(idb.open(info.name));
    try {
      const holdsDocuments = db.objectStoreNames.contains('docs') && (await settled(db.transaction('docs', 'readonly').objectStore('docs').count())) > 0;
      present.push({ name: info.name, holdsDocuments });
    } finally {
      db.close();
    }
  }
  return present;
}

/**
 * The pre-sealing databases RxDB's migration has emptied of documents (it leaves them, and the old scans in
 * them). One still holding documents is not among them: a migration under way (a kiosk run once more with an
 * old release writes there again, and RxDB migrates it in the background), whose documents must not be lost.
 */
async function emptiedUnsealed(idb: IDBFactory, databaseName: string): Promise<string[]> {
  return (await unsealedPresent(idb, databaseName)).flatMap((database) => (database.holdsDocuments ? [] : [database.name]));
}

/**
 * Delete what RxDB's migration left of the pre-sealing databases (their old scans): where the store's files are
 * not rewritten (browser mode), at least nothing of them stays readable through IndexedDB.
 */
export async function dropUnsealedLeftovers(idb: IDBFactory, databaseName: string): Promise<void> {
  for (const name of await emptiedUnsealed(idb, databaseName)) await settled(idb.deleteDatabase(name));
}

/**
 * Whether the store's files are owed a rewrite: they hold (or held) the database as it was before sealing, and
 * RxDB's migration of it is done.
 */
export async function rewriteOwed(idb: IDBFactory, databaseName: string): Promise<boolean> {
  const present = await unsealedPresent(idb, databaseName);
  return present.length > 0 && present.every((database) => !database.holdsDocuments);
}

interface Marker {
  readonly snapshot: string;
  readonly state: 'restoring' | 'restored';
}

async function writeMarker(idb: IDBFactory, marker: Marker): Promise<void> {
  const request = idb.open(MARKER_DB, 1);
  request.onupgradeneeded = () => request.result.createObjectStore('marker');
  const db = await settled(request);
  try {
    const transaction = db.transaction('marker', 'readwrite');
    transaction.objectStore('marker').put(marker, 'restore');
    await done(transaction);
  } finally {
    db.close();
  }
}

/** The marker, if there is one (never creating its database where there is none). */
async function readMarker(idb: IDBFactory): Promise<Marker | undefined> {
  if (!(await idb.databases()).some((info) => info.name === MARKER_DB)) return undefined;
  const db = await settled(idb.open(MARKER_DB));
  try {
    if (!db.objectStoreNames.contains('marker')) return undefined;
    return (await settled(db.transaction('marker', 'readonly').objectStore('marker').get('restore'))) as Marker | undefined;
  } finally {
    db.close();
  }
}

/** The names of the databases a snapshot holds. */
async function snapshotDatabases(file: SnapshotFile): Promise<string[]> {
  const names: string[] = [];
  for await (const text of (await file.lines()) ?? [])
    if (text.startsWith('{"database":')) names.push((JSON.parse(text) as Extract<Line, { database: unknown }>).database.name);
  return names;
}

const holdsEvery = async (idb: IDBFactory, names: readonly string[]) => {
  const present = new Set((await idb.databases()).map((info) => info.name));
  return names.every((name) => present.has(name));
};

const snapshotId = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join('');

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
