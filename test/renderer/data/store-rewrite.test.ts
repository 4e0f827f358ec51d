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
import { dropUnsealedLeftovers, rewriteOwed, type SnapshotFile, type StoreFiles } from '../../../renderer/data/store-rewrite.js';
import { importRelease } from '../../compat/releases.js';
import { rawIndexedDb } from '../../support/raw-indexeddb.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

const NAME = kioskDatabaseName('kiosk-422822100202-07');
const VILLAGE = '422822100202';

interface ReleaseDatabase {
  readonly cases: { insert(doc: Record<string, unknown>): Promise<unknown> };
  readonly files: unknown;
  close(): Promise<unknown>;
}
type AttachFile = (files: unknown, caseNumber: string, materialId: string, bytes: Uint8Array<ArrayBuffer>) => Promise<{ ok: boolean }>;
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
    summary: {
      status: 'accepted',
      acceptedOn: '2026-11-30',
      updatedAt: '2026-11-30T08:00:00.000Z',
      applicantIdHash: `h${String(sequence)}`,
      applicantName: name,
    },
  };
};

/** A kiosk disk as 0.2.0 left it: its database, unsealed, holding these residents' cases (and a scan of the first's). */
async function releaseDisk(names: readonly string[], options: { scan?: Uint8Array<ArrayBuffer> } = {}): Promise<IDBFactory> {
  const disk = new IDBFactory();
  const { openKioskDatabase: openRelease } = await importRelease<{ openKioskDatabase: OpenReleaseDatabase }>('0.2.0', 'renderer/data/kiosk-database.ts');
  const db = await openRelease({ name: NAME, indexedDB: disk, IDBKeyRange });
  for (const [i, name] of names.entries()) await db.cases.insert(caseOf(i + 1, name));
  if (options.scan) {
    const { attachFile } = await importRelease<{ attachFile: AttachFile }>('0.2.0', 'renderer/data/files.ts');
    expect((await attachFile(db.files, caseOf(1, names[0] ?? '').caseNumber, 'm1', options.scan)).ok).toBe(true);
  }
  await db.close();
  return disk;
}

/** A PNG's signature and then bytes of every value: what a scan's attachment holds. */
function scanBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7) % 256;
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return bytes;
}

const settled = <T>(request: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    request.onsuccess = () => {
      resolve(request.result);
    };
    request.onerror = () => {
      reject(request.error ?? new Error('IndexedDB request failed'));
    };
  });

type IndexShape = readonly [name: string, keyPath: string | string[], options: IDBIndexParameters];

/** Another app's store in the same origin, version 1, with these indexes, filled by `fill`. */
async function otherStore(
  disk: IDBFactory,
  name: string,
  options: IDBObjectStoreParameters & { indexes?: readonly IndexShape[] },
  fill: (store: IDBObjectStore) => void,
): Promise<void> {
  const request = disk.open(name, 1);
  request.onupgradeneeded = () => {
    const { indexes = [], ...parameters } = options;
    const store = request.result.createObjectStore('rows', parameters);
    for (const [index, keyPath, indexOptions] of indexes) store.createIndex(index, keyPath, indexOptions);
  };
  const db = await settled(request);
  const transaction = db.transaction('rows', 'readwrite');
  fill(transaction.objectStore('rows'));
  await new Promise((committed) => (transaction.oncomplete = committed));
  db.close();
}

function* linesOf(text: string): Generator<string> {
  yield* text.split('\n');
}

/** A file kept in memory, written whole or not at all (as OPFS's writable stream does). */
interface MemoryFile extends SnapshotFile {
  text(): string | undefined;
  lines(): Promise<Iterable<string> | undefined>;
}

function memoryFile(): MemoryFile {
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
function shellFiles(disk: IDBFactory, clear?: () => Promise<void>, snapshot: SnapshotFile & { text(): string | undefined } = memoryFile()) {
  const files = { snapshot, cleared: 0 };
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

const open = (disk: IDBFactory, storeFiles?: StoreFiles) =>
  openKioskDatabase({ name: NAME, storageKey: TEST_STORAGE_KEY, indexedDB: disk, IDBKeyRange, ...(storeFiles ? { storeFiles } : {}) });

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
    const next = shellFiles(disk, undefined, cut.snapshot);
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

  it('brings a scan back byte for byte, sealed (RxDB keeps attachments as Blobs)', async () => {
    const scan = scanBytes(300_000);
    const disk = await releaseDisk(['欧阳翠蓉'], { scan });
    const files = shellFiles(disk);
    const db = await open(disk, files);
    expect(files.cleared).toBe(1);
    const [file] = await db.files.find().exec();
    const data = await file?.getAttachment('content')?.getData();
    expect(new Uint8Array(await (data ?? new Blob()).arrayBuffer())).toEqual(scan);
    await db.close();
  });

  it('in browser mode (no rewrite), drops what the migration left of the unsealed databases: their old scans', async () => {
    const disk = await releaseDisk(['欧阳翠蓉'], { scan: scanBytes(1000) });
    const db = await open(disk);
    expect(await names(db)).toEqual(['欧阳翠蓉']);
    await db.close();
    expect(await rewriteOwed(disk, NAME)).toBe(false);
  });

  it('keeps every other store of the origin exactly: -0, holes, undefined, Dates, binary, compound keys and indexes', async () => {
    const disk = await releaseDisk(['欧阳翠蓉']);
    const at = new Date('2026-11-30T08:00:00.000Z');
    const indexes: IndexShape[] = [
      ['tags', 'tags', { multiEntry: true }],
      ['u', 'u', { unique: true }],
    ];
    await otherStore(disk, 'another-app', { keyPath: ['a', 'b'], indexes }, (store) => {
      store.put({
        a: 'x\ud800',
        b: [1, 'y'],
        tags: ['t1', 't2'],
        u: 1,
        negZero: -0,
        holes: [undefined],
        absent: undefined,
        at,
        bytes: new Uint8Array([1, 2, 3]),
        nan: Number.NaN,
      });
      store.put({ a: 'z', b: [2], tags: ['t2'], u: 2 });
    });
    await otherStore(disk, 'out-of-line', {}, (store) => {
      store.put('by date', at);
    });
    const files = shellFiles(disk);
    await (await open(disk, files)).close();
    expect(files.cleared).toBe(1);
    const db = await settled(disk.open('another-app'));
    const store = db.transaction('rows').objectStore('rows');
    expect(store.index('tags').multiEntry).toBe(true);
    expect(store.index('u').unique).toBe(true);
    expect(await settled(store.index('tags').count('t2'))).toBe(2);
    const value = (await settled(store.get(['x\ud800', [1, 'y']]))) as Record<string, unknown>;
    db.close();
    expect(Object.is(value.negZero, -0)).toBe(true);
    expect(value.holes).toEqual([undefined]);
    expect('absent' in value).toBe(true);
    expect(value.at).toEqual(at);
    expect(value.bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(value.nan).toBeNaN();
    const byDate = await settled(disk.open('out-of-line'));
    expect(await settled(byDate.transaction('rows').objectStore('rows').get(at))).toBe('by date');
    byDate.close();
  });

  it('leaves a store holding what it cannot bring back (a Map, a BigInt) untouched, says why, and does not try again', async () => {
    for (const odd of [new Map([[1, 2]]), 1n]) {
      const disk = await releaseDisk(['欧阳翠蓉']);
      await otherStore(disk, 'another-app', {}, (store) => {
        store.put({ odd }, 1);
      });
      const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const files = shellFiles(disk);
      const writes = vi.spyOn(files.snapshot, 'write');
      for (let start = 0; start < 3; start++) {
        const db = await open(disk, files);
        expect(await names(db)).toEqual(['欧阳翠蓉']);
        await db.close();
      }
      expect(files.cleared).toBe(0);
      expect(writes).toHaveBeenCalledTimes(1);
      expect(await rewriteOwed(disk, NAME)).toBe(false);
      expect(warned).toHaveBeenCalledWith(expect.stringMatching(/cannot be rewritten/));
      vi.restoreAllMocks();
    }
  });

  it('keeps the only whole copy when a restore was cut short and the next start cannot clear', async () => {
    const disk = await releaseDisk(['欧阳翠蓉', '李秀英']);
    const snapshot = memoryFile();
    // Start 1: the restore stops after its first database, as a power cut would leave it.
    let clearedOnce = false;
    const cutting = Object.assign(Object.create(snapshot) as typeof snapshot, {
      async lines() {
        const all = await snapshot.lines();
        if (!clearedOnce || !all) return all;
        return (function* () {
          let databases = 0;
          for (const line of all) {
            if (line.startsWith('{"database":') && ++databases === 2) throw new Error('power cut mid-restore');
            yield line;
          }
        })();
      },
    });
    const first = shellFiles(
      disk,
      async () => {
        await deleteEverything(disk);
        clearedOnce = true;
      },
      cutting,
    );
    await expect(open(disk, first)).rejects.toThrow('power cut mid-restore');
    // The restore's marker, and the one database put back before the cut.
    expect((await disk.databases()).length).toBe(2);
    // Start 2: the shell cannot clear. The half-restored store does not open, and the snapshot stays.
    await expect(
      open(
        disk,
        shellFiles(disk, () => Promise.reject(new Error('the shell refused')), snapshot),
      ),
    ).rejects.toThrow('the shell refused');
    expect(snapshot.text()).toMatch(/"end":/);
    // Start 3: the shell clears; every case is back.
    const db = await open(disk, shellFiles(disk, undefined, snapshot));
    expect(await names(db)).toEqual(['李秀英', '欧阳翠蓉']);
    await db.close();
  });

  it('never restores a stale snapshot over later work: one whose restore had finished, then opened while the file system was unreadable', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const disk = await releaseDisk(['欧阳翠蓉', '李秀英']);
    const snapshot = memoryFile();
    // Start 1: everything is back, but removing the snapshot fails.
    let failRemove = true;
    const stuck = Object.assign(Object.create(snapshot) as MemoryFile, {
      remove: () =>
        failRemove && snapshot.text()?.includes('"end":')
          ? ((failRemove = false), Promise.reject(new DOMException('I/O', 'InvalidStateError')))
          : snapshot.remove(),
    });
    await expect(open(disk, shellFiles(disk, undefined, stuck))).rejects.toThrow('I/O');
    // Start 2: the file system cannot be read; the store was restored whole, so it opens, and a case is registered.
    const unreadable = Object.assign(Object.create(snapshot) as MemoryFile, {
      lines: () => Promise.reject(new DOMException('unreadable', 'NotReadableError')),
    });
    const second = await open(disk, shellFiles(disk, undefined, unreadable));
    await second.cases.insert({ ...caseOf(3, '张建国') } as never);
    await second.close();
    // Start 3: the file system reads again; the stale snapshot is dropped, not restored.
    const files = shellFiles(disk, undefined, snapshot);
    const third = await open(disk, files);
    expect(await names(third)).toEqual(['张建国', '李秀英', '欧阳翠蓉']);
    expect(files.cleared).toBe(0);
    expect(snapshot.text()).toBeUndefined();
    await third.close();
  });

  it('keeps the snapshot when a first clearing removed some databases and then failed', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const disk = await releaseDisk(['欧阳翠蓉', '李秀英']);
    const snapshot = memoryFile();
    const partly = async () => {
      for (const info of await disk.databases()) if (/--1--cases$/.test(info.name ?? '')) await settled(disk.deleteDatabase(info.name ?? ''));
      throw new Error('clearStorageData failed part way');
    };
    await expect(open(disk, shellFiles(disk, partly, snapshot))).rejects.toThrow('part way');
    const db = await open(disk, shellFiles(disk, undefined, snapshot));
    expect(await names(db)).toEqual(['李秀英', '欧阳翠蓉']);
    await db.close();
  });

  it('never drops an old database that still holds documents (an old release run again after the upgrade writes there)', async () => {
    // Such a database is migrated by RxDB in the background, after the collection opens; until then its
    // documents are nowhere else. (Driving the old release after today's code in one test process reuses
    // RxDB's cached connections to the dropped database, so the rule is tested here, where it is decided.)
    const disk = await releaseDisk(['欧阳翠蓉', '李秀英']);
    expect(await rewriteOwed(disk, NAME)).toBe(false);
    await dropUnsealedLeftovers(disk, NAME);
    const db = await open(disk, shellFiles(disk));
    expect(await names(db)).toEqual(['李秀英', '欧阳翠蓉']);
    await db.close();
  });

  it('does not take a clearing that removed nothing for done: the rewrite stays owed', async () => {
    const disk = await releaseDisk(['欧阳翠蓉']);
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const files = shellFiles(disk, () => Promise.resolve());
    const db = await open(disk, files);
    expect(await names(db)).toEqual(['欧阳翠蓉']);
    await db.close();
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('left the store’s databases in place'));
    expect(files.snapshot.text()).toBeUndefined();
    expect(await rewriteOwed(disk, NAME)).toBe(true);
  });

  it('opens a whole store when the private file system cannot be read, and refuses a store that may be half restored', async () => {
    const unreadable: SnapshotFile & { text(): undefined } = {
      text: () => undefined,
      write: () => Promise.reject(new DOMException('denied', 'SecurityError')),
      lines: () => Promise.reject(new DOMException('denied', 'SecurityError')),
      remove: () => Promise.reject(new DOMException('denied', 'SecurityError')),
    };
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // A kiosk that was never upgraded: its store is whole (RxDB's internal database is there).
    const disk = new IDBFactory();
    await (await open(disk)).close();
    const db = await open(disk, shellFiles(disk, undefined, unreadable));
    await db.close();
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('could not be read'));
    // A store whose restore's marker says it is being restored may be half restored; one with no database at
    // all may have just been cleared: neither opens.
    const partial = await releaseDisk(['欧阳翠蓉']);
    const cut = shellFiles(partial, async () => {
      await deleteEverything(partial);
      throw new Error('power cut');
    });
    await expect(open(partial, cut)).rejects.toThrow('power cut');
    await expect(open(partial, shellFiles(partial, undefined, unreadable))).rejects.toThrow('denied');
    await expect(open(new IDBFactory(), shellFiles(partial, undefined, unreadable))).rejects.toThrow('denied');
  });
});
