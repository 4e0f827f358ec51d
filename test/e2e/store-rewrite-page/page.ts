/**
 * The page of test/e2e/store-rewrite.e2e.test.ts: a kiosk database as 0.2.0 wrote it (the release's own
 * code), then opened by today's — with or without the shell's rewrite of the store's files, whose clearing
 * the test does through Chromium's DevTools (`window.clearStoreFilesForTest`), as Electron's
 * `session.clearStorageData` does it in the shell.
 */
import { openKioskDatabase as openRelease } from 'cunban-release-kiosk-database';
import { attachFile } from 'cunban-release-files';
import { kioskDatabaseName, openKioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { opfsFile, type StoreFiles } from '../../../renderer/data/store-rewrite.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

const NAME = kioskDatabaseName('kiosk-422822100202-07');
const VILLAGE = '422822100202';

declare global {
  interface Window {
    clearStoreFilesForTest(): Promise<void>;
    storeRewrite: typeof storeRewrite;
  }
}

const caseOf = (sequence: number, name: string, address: string) => {
  const caseNumber = `${VILLAGE}-20261130-07-${String(sequence).padStart(3, '0')}-0`;
  return {
    id: caseNumber,
    kind: 'cunban.case',
    schemaVersion: 1,
    caseNumber,
    village: VILLAGE,
    events: [{ id: `e-${String(sequence)}`, type: 'created', applicant: { name, address } }],
    summary: {
      status: 'accepted',
      acceptedOn: '2026-11-30',
      updatedAt: '2026-11-30T08:00:00.000Z',
      applicantIdHash: `h${String(sequence)}`,
      applicantName: name,
    },
  };
};

/** A PNG signature, then the text: enough of a scan for the files check, and findable on disk. */
function scanOf(text: string): Uint8Array<ArrayBuffer> {
  const body = new TextEncoder().encode(text);
  const bytes = new Uint8Array(8 + body.length);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  bytes.set(body, 8);
  return bytes;
}

const storeFiles = (clear: () => Promise<void>): StoreFiles => ({ clear, snapshot: opfsFile('cunban-store-rewrite.jsonl') });

const storeRewrite = {
  /** 0.2.0 registers these residents, unsealed, with a scan for the first (a PNG whose bytes spell `scanText`), and closes. */
  async registerWithRelease(residents: readonly { name: string; address: string }[], scanText: string): Promise<void> {
    const db = await openRelease({ name: NAME });
    for (const [i, resident] of residents.entries()) await db.cases.insert(caseOf(i + 1, resident.name, resident.address));
    const scan = scanOf(scanText);
    if (!(await attachFile(db.files, caseOf(1, '', '').caseNumber, 'm1', scan)).ok) throw new Error('the scan was refused');
    await db.close();
  },
  /** Today's kiosk reads the first case's scan back: its text. */
  async scanText(): Promise<string> {
    const db = await openKioskDatabase({ name: NAME, storageKey: TEST_STORAGE_KEY });
    try {
      const [file] = await db.files.find().exec();
      const data = await file?.getAttachment('content')?.getData();
      return new TextDecoder().decode(new Uint8Array(await (data ?? new Blob()).arrayBuffer()).subarray(8));
    } finally {
      await db.close();
    }
  },
  /** Today's kiosk opens the database (sealing it), with the shell's rewrite or without; the residents it reads. */
  async openToday(rewrite: boolean): Promise<string[]> {
    const db = await openKioskDatabase({
      name: NAME,
      storageKey: TEST_STORAGE_KEY,
      ...(rewrite ? { storeFiles: storeFiles(() => window.clearStoreFilesForTest()) } : {}),
    });
    try {
      return (await db.cases.find().exec()).map((doc) => doc.summary.applicantName).sort();
    } finally {
      await db.close();
    }
  },
  /** The same, but the kiosk loses power once the shell has cleared the files: this never returns. */
  async openTodayCutAfterClear(): Promise<void> {
    await openKioskDatabase({
      name: NAME,
      storageKey: TEST_STORAGE_KEY,
      storeFiles: storeFiles(async () => {
        await window.clearStoreFilesForTest();
        document.title = 'cleared';
        await new Promise(() => undefined);
      }),
    });
  },
};

window.storeRewrite = storeRewrite;
document.getElementById('ready')?.replaceChildren('ready');
