/**
 * The store's files written anew after an upgrade (renderer/data/store-rewrite.ts), on real RxDB over
 * fake-indexeddb: a 0.2.0 kiosk database (the release's own code) opened by today's code with a shell that
 * can clear the files. Here "clearing" deletes every database; that Chromium then really removes the pages
 * from the disk is proven in test/e2e/store-rewrite.e2e.test.ts. What this file proves is the order: nothing
 * is lost or brought back stale whatever step fails or is cut short.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kioskDatabaseName, openKioskDatabase, type KioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { rewriteOwed, type SnapshotFile, type StoreFiles } from '../../../renderer/data/store-rewrite.js';
import { importRelease } from '../../compat/releases.js';
import { rawIndexedDb } from '../../support/raw-indexeddb.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

const NAME = kioskDatabaseName('kiosk-422822100202-07');
const VILLAGE = '422822100202';

interface ReleaseDatabase {
  readonly cases: { insert(doc: Record<string, unknown>): Promise<unknown> };
  close(): Promise<unknown>;
}
type OpenReleaseDatabase = (options: { name: string; indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange }) => Promise<ReleaseDatabase>;

const caseOf = (sequence: number, name: string) => {
  const caseNumber = `${VILLAGE}-20261130-07-${String(sequence).padStart(3, '0')}-0`;
  return {
    id: caseNumber,
    kind: 'cunban.case',
    schemaVersion: 1,
    caseNumber,
    village: VILLAGE,
    events: [{ id: `e-${String(sequence)}`, type: 'created', applicant: { name }, note: `${name}的备注` }],
    summary: { status: 'accepted', acceptedOn: '2026-11-30', updatedAt: '2026-11-30T08:00:00.000Z', applicantIdHash: `h${String(sequence)}`, applicantName: name },
  };
};

/** A kiosk disk as 0.2.0 left it: its database, unsealed, holding these residents' cases. */
async function releaseDisk(names: readonly string[]): Promise<IDBFactory> {
  const disk = new IDBFactory();
  const { openKioskDatabase: openRelease } = await importRelease<{ openKioskDatabase: OpenReleaseDatabase }>('0.2.0', 'renderer/data/kiosk-database.ts');
  const db = await openRelease({ name: NAME, indexedDB: disk, IDBKeyRange });
  for (const [i, name] of names.entries()) await db.cases.insert(caseOf(i + 1, name));
  await db.close();
  return disk;
}

function* linesOf(text: string): Generator<string> {
  yield* text.split('\n');
}

/** A file kept in memory, written whole or not at all (as OPFS's writable stream does). */
function memoryFile(): SnapshotFile & { text(): string | undefined } {
  let text: string | undefined;
  return {
    text: () => text,
    async write(chunks) {
      let written = '';
      for await (const chunk of chunks) written += chunk;
      text = written;
    },
    lines: () => Promise.resolve(text === undefined ? undefined : linesOf(text)),
    remove() {
      text = undefined;
      return Promise.resolve();
    },
  };
}

/** The shell's part: its clearing deletes every database (and counts how often it ran). */
function shellFiles(disk: IDBFactory, clear?: () => Promise<void>) {
  const files = { snapshot: memoryFile(), cleared: 0 };
  const storeFiles: StoreFiles & typeof files = Object.assign(files, {
    clear:
      clear ??
      (async () => {
        files.cleared++;
        await deleteEverything(disk);
      }),
  });
  return storeFiles;
}

async function deleteEverything(disk: IDBFactory): Promise<void> {
  for (const info of await disk.databases()) {
    await new Promise<void>((deleted, failed) => {
      const request = disk.deleteDatabase(info.name ?? '');
      request.onsuccess = () => {
        deleted();
      };
      request.onerror = () => {
        failed(request.error ?? new Error('delete failed'));
      };
    });
  }
}

const open = (disk: IDBFactory, storeFiles?: StoreFiles) => openKioskDatabase({ name: NAME, storageKey: TEST_STORAGE_KEY, indexedDB: disk, IDBKeyRange, ...(storeFiles ? { storeFiles } : {}) });

async function names(db: KioskDatabase): Promise<string[]> {
  return (await db.cases.find().exec()).map((doc) => doc.summary.applicantName).sort();
}

const databaseNames = async (disk: IDBFactory) => (await disk.databases()).map((info) => `${info.name ?? ''}@${String(info.version)}`).sort();

afterEach(() => {
  vi.restoreAllMocks();
});

describe("an upgraded kiosk's store files written anew", () => {
  it('puts every database back as it was, sealed, and owes nothing after', async () => {
    const disk = await releaseDisk(['欧阳翠蓉', '李秀英']);
    const files = shellFiles(disk);
    const db = await open(disk, files);
    expect(await names(db)).toEqual(['李秀英', '欧阳翠蓉']);
    expect(files.cleared).toBe(1);
    expect(files.snapshot.text()).toBeUndefined();
    expect(await rewriteOwed(disk, NAME)).toBe(false);
    const before = await databaseNames(disk);
    // The rewritten store works: a case written now is there after the next start, which rewrites nothing.
    await db.cases.insert({ ...caseOf(3, '张建国'), id: caseOf(3, '张建国').caseNumber } as never);
    await db.close();
    const again = await open(disk, files);
    expect(await names(again)).toEqual(['张建国', '李秀英', '欧阳翠蓉']);
    expect(files.cleared).toBe(1);
    expect(await databaseNames(disk)).toEqual(before);
    await again.close();
    for (const name of ['欧阳翠蓉', '李秀英', '张建国']) expect(await rawIndexedDb(disk)).not.toContain(name);
  });

  it('is not done for a kiosk that never held unsealed data', async () => {
    const disk = new IDBFactory();
    const files = shellFiles(disk);
    const db = await open(disk, files);
    await db.close();
    await (await open(disk, files)).close();
    expect(files.cleared).toBe(0);
  });

  it('cut short after the files were cleared, is finished at the next start from the snapshot, and nothing opens the half-restored store first', async () => {
    const disk = await releaseDisk(['欧阳翠蓉', '李秀英']);
    // A power cut just after the clearing: the store is empty, the snapshot complete.
    const cut = shellFiles(disk, async () => {
      await deleteEverything(disk);
      throw new Error('power cut');
    });
    await expect(open(disk, cut)).rejects.toThrow('power cut');
    expect(cut.snapshot.text()).toMatch(/"end":/);
    const next = shellFiles(disk);
    Object.assign(next, { snapshot: cut.snapshot });
    const db = await open(disk, next);
    expect(await names(db)).toEqual(['李秀英', '欧阳翠蓉']);
    expect(next.snapshot.text()).toBeUndefined();
    await db.close();
  });

  it('cut short while the snapshot was written, touches nothing, and is done at the next start', async () => {
    const disk = await releaseDisk(['欧阳翠蓉']);
    const files = shellFiles(disk);
    const write = files.snapshot.write.bind(files.snapshot);
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    files.snapshot.write = async (chunks) => {
      for await (const _chunk of chunks) throw new Error('disk full');
    };
    const db = await open(disk, files);
    expect(await names(db)).toEqual(['欧阳翠蓉']);
    expect(files.cleared).toBe(0);
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('disk full'));
    await db.close();
    files.snapshot.write = write;
    await (await open(disk, files)).close();
    expect(files.cleared).toBe(1);
    expect(await rewriteOwed(disk, NAME)).toBe(false);
  });

  it('when the shell cannot clear, keeps the store as it is and never brings the snapshot back over later work', async () => {
    const disk = await releaseDisk(['欧阳翠蓉']);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const refusing = shellFiles(disk, () => Promise.reject(new Error('the shell refused')));
    const db = await open(disk, refusing);
    expect(refusing.snapshot.text()).toBeUndefined();
    // Work done after the failed attempt…
    await db.cases.insert({ ...caseOf(2, '王桂兰') } as never);
    await db.close();
    // …is still there after the next start's rewrite.
    const working = shellFiles(disk);
    const again = await open(disk, working);
    expect(await names(again)).toEqual(['欧阳翠蓉', '王桂兰']);
    expect(working.cleared).toBe(1);
    await again.close();
  });

  it('leaves a store holding what JSON cannot carry (a Date) untouched, says why, and does not try again', async () => {
    const disk = await releaseDisk(['欧阳翠蓉']);
    await new Promise<void>((stored) => {
      const request = disk.open('another-app-store', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('rows');
      request.onsuccess = () => {
        const transaction = request.result.transaction('rows', 'readwrite');
        transaction.objectStore('rows').put({ at: new Date() }, 1);
        transaction.oncomplete = () => {
          request.result.close();
          stored();
        };
      };
    });
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const files = shellFiles(disk);
    const db = await open(disk, files);
    expect(await names(db)).toEqual(['欧阳翠蓉']);
    expect(files.cleared).toBe(0);
    expect(await rewriteOwed(disk, NAME)).toBe(false);
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('[object Date]'));
    await db.close();
  });
});
