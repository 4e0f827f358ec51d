/**
 * The Chromium side of `npm run bench`: the kiosk's own data layer (RxDB on the browser's IndexedDB, the
 * real sync and search) and pouchdb-browser as the baseline, driven from Node through `window.cunbanBench`.
 */
import PouchDB, { type BrowserPouch } from 'pouchdb-browser';
import type { EnrollResponse } from '../../../core/api/enrollment.js';
import type { CaseDocument } from '../../../core/case/document.js';
import { localDateOf } from '../../../core/local-date.js';
import { caseStore } from '../../../renderer/data/cases.js';
import { toStoredCase } from '../../../renderer/data/case-collection.js';
import { openKioskDatabase, type KioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { blindIndex, importKeyRing, sealPerson } from '../../../renderer/data/sealing.js';
import { indexCases, searchCases } from '../../../renderer/kiosk/case-search.js';
import { benchCase, benchIdNumber, benchName, type BenchKiosk } from '../bench-cases.js';
import type { TransferResult } from '../against-pouchdb.js';
import { cunbanPull, cunbanPush } from '../cunban-sync.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

/** The hub's village database as PouchDB reaches it, with the kiosk's credential. */
function pouchRemote(villageUrl: string, authorization: string): BrowserPouch {
  return new PouchDB(villageUrl, {
    skip_setup: true,
    fetch: (url, options) => {
      options.headers.set('authorization', authorization);
      // PouchDB asks for cookies; the kiosk's credential is the header, and the hub allows no credentialed CORS.
      options.credentials = 'omit';
      return PouchDB.fetch(url, options);
    },
  });
}

let searchDb: KioskDatabase | undefined;
let searchCasesInMemory: CaseDocument[] = [];
let findByIdNumber: (idNumber: string) => Promise<readonly CaseDocument[]> = () => Promise.resolve([]);

const bench = {
  /** A fresh kiosk's first sync of its village, on the browser's IndexedDB. */
  cunbanPull: (enrollment: EnrollResponse): Promise<TransferResult> => cunbanPull(enrollment),

  /** The same with PouchDB's own replication into its IndexedDB adapter. */
  async pouchPull(villageUrl: string, authorization: string): Promise<TransferResult> {
    const started = performance.now();
    const local = new PouchDB(`bench-pouch-${String(Date.now())}`);
    const remote = pouchRemote(villageUrl, authorization);
    try {
      await local.replicate.from(remote);
    } catch (error) {
      // PouchDB rejects with plain objects: say what it was.
      throw new Error(`PouchDB replication failed: ${JSON.stringify(error)}`, { cause: error });
    }
    const docs = (await local.info()).doc_count;
    const ms = performance.now() - started;
    await local.destroy();
    return { ms, docs };
  },

  /** A kiosk's `count` cases registered offline, pushed when the line comes up (cunban-sync.ts). */
  cunbanPush: (enrollment: EnrollResponse, count: number): Promise<TransferResult> => cunbanPush(enrollment, count),

  /** The same cases written to PouchDB's IndexedDB adapter before the clock starts, then pushed by its replication. */
  async pouchPush(villageUrl: string, authorization: string, kiosk: BenchKiosk, count: number): Promise<TransferResult> {
    const local = new PouchDB(`bench-pouch-push-${String(Date.now())}`);
    for (let start = 0; start < count; start += 1000) {
      await local.bulkDocs(
        Array.from({ length: Math.min(1000, count - start) }, (_, i) => {
          const doc = benchCase(kiosk, start + i);
          return { _id: doc.caseNumber, ...doc };
        }),
      );
    }
    const started = performance.now();
    const remote = pouchRemote(villageUrl, authorization);
    let pushed: { docs_written: number };
    try {
      pushed = await local.replicate.to(remote);
    } catch (error) {
      throw new Error(`PouchDB replication failed: ${JSON.stringify(error)}`, { cause: error });
    }
    const ms = performance.now() - started;
    await local.destroy();
    return { ms, docs: pushed.docs_written };
  },

  /** A kiosk database holding `count` cases with really sealed applicants, for the search benchmark. */
  async seedSearch(enrollment: EnrollResponse, count: number): Promise<{ ms: number }> {
    const started = performance.now();
    const keys = await importKeyRing(enrollment.dataKeys);
    searchDb = await openKioskDatabase({ storageKey: TEST_STORAGE_KEY, name: `bench-search-${String(Date.now())}` });
    for (let start = 0; start < count; start += 1000) {
      const docs = [];
      for (let i = start; i < Math.min(count, start + 1000); i++) {
        const applicant = await sealPerson(keys, { name: benchName(i), idNumber: benchIdNumber(i) });
        docs.push(toStoredCase(benchCase(enrollment, i, applicant)));
      }
      await searchDb.cases.bulkInsert(docs);
    }
    const cases = caseStore(searchDb);
    // What the counter holds: every case, as its case list subscribes to them.
    searchCasesInMemory = await cases.all();
    // As the case list does when the cases load.
    indexCases(searchCasesInMemory);
    findByIdNumber = async (idNumber) => cases.findByIdNumberHash(await blindIndex(keys, idNumber));
    return { ms: performance.now() - started };
  },

  /** Times each search as the case list runs it, `rounds` times; returns milliseconds and hits. */
  async search(query: string, rounds: number): Promise<{ times: number[]; hits: number }> {
    const today = localDateOf(new Date().toISOString());
    const times: number[] = [];
    let hits = 0;
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      hits = (await searchCases(searchCasesInMemory, query, findByIdNumber, today)).length;
      times.push(performance.now() - started);
    }
    return { times, hits };
  },
};

export type CunbanBench = typeof bench;
(window as unknown as { cunbanBench: CunbanBench }).cunbanBench = bench;
const ready = document.getElementById('ready');
if (ready) ready.textContent = 'ready';
