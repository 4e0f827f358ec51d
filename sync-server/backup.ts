/**
 * `cunban-hub backup <file>` and `cunban-hub restore <file>`: every database of this hub, document by
 * document through the CouchDB API — so the same on the embedded store and on Apache CouchDB — into a
 * gzipped file of JSON lines, and back.
 *
 * Every leaf revision is kept with its revision history (`_revisions`) and restored with
 * `new_edits=false`, so the restored hub holds exactly the revisions it held when the backup was made:
 * a kiosk's proof (renderer/data/reconcile.ts) then finds precisely what came after, and sends it again.
 * Deleted leaves are kept too (a merged conflict branch is one). `_local` checkpoints are not: a kiosk
 * whose checkpoint is gone pulls again from the start, which is harmless.
 *
 * The county key ring is not in the file, deliberately: a backup that holds the sealed ID numbers and
 * the keys that open them is a leak waiting for a lost disk. Keep `county-keys.json` apart (see README).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { err, ok, type Result } from '../core/result.js';
import { CUNBAN_VERSION } from '../core/version.js';
import { numberReservations, reserveNumbersAfterRestore } from './kiosks.js';
import { readCountyData, STORE_SCHEMA_VERSION } from './provision.js';
import { CONTROL_DBS, DB, hallDb, villageDb } from './store/names.js';
import type { Store, StoreFailure } from './store/store.js';

const PAGE = 500;
export const BACKUP_KIND = 'cunban.backup';

/** The first line of a backup file. */
export interface BackupHeader {
  readonly kind: typeof BACKUP_KIND;
  /** 2 since backups end with a trailer (`BackupTrailer`), which a version-2 file must have; 1 before. */
  readonly version: 1 | 2;
  readonly createdAt: string;
  readonly hub: string;
  readonly storeSchema: number;
  /** Logical database names, in the order they were written. */
  readonly databases: readonly string[];
}

/** The last line of a backup file (older backups have none): what it holds, so a file cut short is known. */
interface BackupTrailer {
  readonly kind: typeof BACKUP_END_KIND;
  readonly databases: number;
  readonly documents: number;
}
const BACKUP_END_KIND = 'cunban.backup.end';

/** One line per database (its security object), then one per leaf revision. */
type Line = { readonly db: string; readonly security: unknown } | { readonly db: string; readonly doc: Record<string, unknown> };

export interface BackupReport {
  readonly databases: number;
  readonly documents: number;
  /** Restore only: kiosk numbers set aside because kiosks enrolled after the backup may hold them. */
  readonly numbersSetAside?: number;
}

export interface RestoreOptions {
  /** Kiosk numbers set aside in each village above the highest the backup knows (kiosks.ts, reserveNumbersAfterRestore). */
  readonly numberMargin?: number;
  readonly now?: Date;
}

export type BackupError = { readonly code: 'backup.store'; readonly failure: StoreFailure } | { readonly code: 'backup.notABackup'; readonly message: string };

class StoreError extends Error {
  constructor(readonly failure: StoreFailure) {
    super(failure.reason);
  }
}

async function must<T>(result: Promise<Result<T, StoreFailure>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new StoreError(settled.error);
  return settled.value;
}

/** The 12-digit codes of every village the division table names (none before `init`). */
export async function villagesOf(store: Store): Promise<string[]> {
  const county = await readCountyData(store);
  return county.ok ? county.value.divisions.towns.flatMap((town) => town.villages.map((v) => v.code12)) : [];
}

/** The hub's databases: control, catalog and every village the division table names. */
async function databasesOf(store: Store): Promise<string[]> {
  const villages = await villagesOf(store);
  return [...CONTROL_DBS, DB.catalog, ...villages.map(villageDb), ...villages.map(hallDb)];
}

/** Every leaf revision of one database, with its history, page by page. */
async function* leavesOf(store: Store, db: string): AsyncGenerator<Record<string, unknown>> {
  const name = store.dbName(db);
  let since: unknown = 0;
  for (;;) {
    const page = await must(
      store.request<{ results: { id: string; changes: { rev: string }[] }[]; last_seq: unknown }>({
        db: name,
        path: '_changes',
        qs: { style: 'all_docs', since, limit: PAGE },
      }),
    );
    const wanted = page.results.filter((row) => !row.id.startsWith('_local/')).flatMap((row) => row.changes.map((change) => ({ id: row.id, rev: change.rev })));
    if (wanted.length > 0) {
      const found = await must(
        store.request<{ results: { docs: ({ ok?: Record<string, unknown> } | { error?: unknown })[] }[] }>({
          db: name,
          path: '_bulk_get',
          method: 'POST',
          qs: { revs: true },
          body: { docs: wanted },
        }),
      );
      for (const result of found.results) for (const leaf of result.docs) if ('ok' in leaf && leaf.ok) yield leaf.ok;
    }
    if (page.results.length < PAGE) return;
    since = page.last_seq;
  }
}

export async function backupHub(store: Store, file: string, now: Date): Promise<Result<BackupReport, BackupError>> {
  try {
    const databases = await databasesOf(store);
    let documents = 0;
    async function* lines(): AsyncGenerator<string> {
      const header: BackupHeader = {
        kind: BACKUP_KIND,
        version: 2,
        createdAt: now.toISOString(),
        hub: CUNBAN_VERSION,
        storeSchema: STORE_SCHEMA_VERSION,
        databases,
      };
      yield `${JSON.stringify(header)}\n`;
      for (const db of databases) {
        const security = await must(store.request<unknown>({ db: store.dbName(db), path: '_security' }));
        yield `${JSON.stringify({ db, security } satisfies Line)}\n`;
        for await (const doc of leavesOf(store, db)) {
          documents += 1;
          yield `${JSON.stringify({ db, doc } satisfies Line)}\n`;
        }
      }
    }
    // Written beside and renamed when whole: a backup cut short (a killed run, a full disk) never bears the name.
    const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
    try {
      await pipeline(Readable.from(withTrailer(lines())), createGzip(), createWriteStream(partial, { mode: 0o600 }));
      renameSync(partial, file);
    } finally {
      rmSync(partial, { force: true });
    }
    return ok({ databases: databases.length, documents });

    async function* withTrailer(body: AsyncGenerator<string>): AsyncGenerator<string> {
      yield* body;
      yield `${JSON.stringify({ kind: BACKUP_END_KIND, databases: databases.length, documents } satisfies BackupTrailer)}\n`;
    }
  } catch (error) {
    if (error instanceof StoreError) return err({ code: 'backup.store', failure: error.failure });
    throw error;
  }
}

/**
 * The whole file read and checked before anything is restored: gzip whole (its length and checksum),
 * every line JSON, the header a Cunban backup's, every line of a database it names, and — in backups
 * that end with one — the trailer's counts matched. A damaged or cut file is refused with the store untouched.
 */
async function checkBackup(file: string): Promise<Result<BackupHeader, BackupError>> {
  const refuse = (why: string) => err({ code: 'backup.notABackup' as const, message: `${file} ${why}: nothing was restored.` });
  if (!existsSync(file)) return refuse('does not exist');
  if (!statSync(file).isFile()) return refuse('is not a file');
  let header: BackupHeader | undefined;
  let trailer: BackupTrailer | undefined;
  let documents = 0;
  const seen = new Set<string>();
  try {
    const input = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
    for await (const text of input) {
      if (text.trim() === '') continue;
      const line = JSON.parse(text) as { kind?: unknown; databases?: unknown; db?: unknown };
      if (!header) {
        if (line.kind !== BACKUP_KIND || !Array.isArray(line.databases)) return refuse('is not a Cunban hub backup');
        header = line as unknown as BackupHeader;
      } else if (trailer) {
        return refuse('goes on after its end');
      } else if (line.kind === BACKUP_END_KIND) {
        trailer = line as unknown as BackupTrailer;
      } else if (typeof line.db !== 'string' || !header.databases.includes(line.db) || !('doc' in line || 'security' in line)) {
        return refuse('holds a line that is not of a database it names');
      } else if ('doc' in line) {
        documents += 1;
      } else {
        seen.add(line.db);
      }
    }
  } catch (error) {
    return refuse(`is damaged or incomplete (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!header) return refuse('is empty');
  // A cut file has lost its end: a version-2 backup must end with its trailer, and any backup holds every database it names.
  if (header.version >= 2 && !trailer) return refuse('is incomplete (it has no end)');
  if (seen.size !== header.databases.length) return refuse(`is incomplete (${String(seen.size)} of ${String(header.databases.length)} databases)`);
  if (trailer && (trailer.documents !== documents || trailer.databases !== seen.size)) {
    return refuse(`is incomplete (${String(documents)} of ${String(trailer.documents)} documents)`);
  }
  return ok(header);
}

/**
 * Replace every database named in the backup with its content in the backup, then set kiosk numbers aside
 * in each village: the restored hub has forgotten the numbers it granted after the backup, and must never
 * grant one again. Run with the hub stopped; then start the hub (or run `cunban-hub init`), which brings
 * the store up to this version.
 */
export async function restoreHub(store: Store, file: string, options: RestoreOptions = {}): Promise<Result<BackupReport, BackupError>> {
  const checked = await checkBackup(file);
  if (!checked.ok) return checked;
  // What the hub granted until now: the restore must not forget numbers the backup never knew.
  const before = await numberReservations(store);
  if (!before.ok) return err({ code: 'backup.store', failure: before.error });
  const input = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let header: BackupHeader | undefined;
  let documents = 0;
  let batch: { db: string; docs: Record<string, unknown>[] } | undefined;
  // Design documents last: a validator must not judge the documents it once let in.
  const designs: { db: string; doc: Record<string, unknown> }[] = [];
  const flush = async () => {
    if (!batch || batch.docs.length === 0) return;
    await writeLeaves(store, batch.db, batch.docs);
    documents += batch.docs.length;
    batch = { db: batch.db, docs: [] };
  };
  try {
    for await (const text of input) {
      if (text.trim() === '') continue;
      if (!header) {
        const first = JSON.parse(text) as Partial<BackupHeader>;
        if (first.kind !== BACKUP_KIND) return err({ code: 'backup.notABackup', message: `${file} is not a Cunban hub backup.` });
        header = first as BackupHeader;
        continue;
      }
      const line = JSON.parse(text) as Line | BackupTrailer;
      if ('kind' in line) continue;
      if ('security' in line) {
        await flush();
        const name = store.dbName(line.db);
        await recreate(store, line.db);
        await must(store.request({ db: name, path: '_security', method: 'PUT', body: line.security }));
        batch = { db: line.db, docs: [] };
        continue;
      }
      if (typeof line.doc._id === 'string' && line.doc._id.startsWith('_design/')) {
        designs.push(line);
        continue;
      }
      batch ??= { db: line.db, docs: [] };
      batch.docs.push(line.doc);
      if (batch.docs.length >= PAGE) await flush();
    }
    await flush();
    for (const design of designs) {
      await writeLeaves(store, design.db, [design.doc]);
      documents += 1;
    }
    if (!header) return err({ code: 'backup.notABackup', message: `${file} is empty.` });
    const numbersSetAside = await must(
      reserveNumbersAfterRestore(store, await villagesOf(store), options.now ?? new Date(), options.numberMargin, before.value),
    );
    return ok({ databases: header.databases.length, documents, numbersSetAside });
  } catch (error) {
    if (error instanceof StoreError) return err({ code: 'backup.store', failure: error.failure });
    if (error instanceof SyntaxError) return err({ code: 'backup.notABackup', message: `${file} is not a Cunban hub backup (${error.message}).` });
    throw error;
  }
}

/**
 * `db` gone, then made again: nothing written after the backup survives. CouchDB may still be removing the
 * old database's files when asked to make it again (412): asked again shortly, for up to ten seconds.
 */
async function recreate(store: Store, db: string): Promise<void> {
  const dropped = await store.request({ db: store.dbName(db), method: 'DELETE' });
  if (!dropped.ok && dropped.error.status !== 404) throw new StoreError(dropped.error);
  for (let attempt = 0; ; attempt++) {
    if ((await must(store.ensureDatabase(db))) === 'created') return;
    if (attempt >= 50) throw new StoreError({ status: 503, error: 'restore_failed', reason: `${db} could not be made again after it was removed.` });
    await new Promise((wait) => setTimeout(wait, 200));
  }
}

async function writeLeaves(store: Store, db: string, docs: readonly Record<string, unknown>[]): Promise<void> {
  const written = await must(
    store.request<{ id: string; error?: string; reason?: string }[]>({
      db: store.dbName(db),
      path: '_bulk_docs',
      method: 'POST',
      body: { docs, new_edits: false },
    }),
  );
  const failed = written.filter((row) => row.error);
  if (failed.length > 0) {
    const [first] = failed;
    throw new StoreError({
      status: 500,
      error: first?.error ?? 'restore_failed',
      reason: `${String(failed.length)} document(s) of ${db} could not be restored (${first?.id ?? ''}: ${first?.reason ?? ''}).`,
    });
  }
}
