/**
 * The kiosk's data layer in one small typed API for the counter UI: no RxDB, no keys, no fetch.
 * Open it with the enrollment the shell keeps; everything works offline and syncs when it can.
 */
import type { EnrollResponse } from '../../core/api/enrollment.js';
import type { Person } from '../../core/case/events.js';
import type { Result } from '../../core/result.js';
import { caseStore, type CaseStore } from './cases.js';
import { attachFile, type FileError, type FileRef } from './files.js';
import { openKioskDatabase } from './kiosk-database.js';
import { importKeyRing, sealPerson, unseal, type PersonInput, type UnsealError } from './sealing.js';
import { storageHealth, type StorageHealth } from './storage-health.js';
import { startKioskSync, type KioskSync } from './sync.js';

export interface KioskData {
  readonly enrollment: EnrollResponse;
  readonly cases: CaseStore;
  readonly sync: KioskSync;
  /** Seal a resident's numbers for a new case; the result goes into the `created` event. */
  sealApplicant(input: PersonInput): Promise<Person>;
  /** The full ID number of the case in hand, for a clerk who deliberately asks; screens show the mask. */
  revealIdNumber(person: Person): Promise<Result<string, UnsealError>>;
  attachFile(caseNumber: string, materialId: string, bytes: Uint8Array<ArrayBuffer>): Promise<Result<FileRef, FileError>>;
  storageHealth(): Promise<StorageHealth>;
  close(): Promise<void>;
}

export interface OpenKioskDataOptions {
  readonly enrollment: EnrollResponse;
  /** IndexedDB for Node tests (fake-indexeddb); the browser's own otherwise. */
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
  readonly fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

export async function openKioskData(options: OpenKioskDataOptions): Promise<KioskData> {
  const { enrollment } = options;
  const db = await openKioskDatabase({
    name: `cunban-${enrollment.kioskId}`,
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  });
  const keys = await importKeyRing(enrollment.dataKeys);
  const sync = await startKioskSync({ db, enrollment, ...(options.fetch ? { fetch: options.fetch } : {}) });
  return {
    enrollment,
    cases: caseStore(db),
    sync,
    sealApplicant: (input) => sealPerson(keys, input),
    revealIdNumber: (person) => unseal(keys, 'idNumber', person.idNumber),
    attachFile: (caseNumber, materialId, bytes) => attachFile(db.files, caseNumber, materialId, bytes),
    storageHealth: () => storageHealth(),
    async close() {
      await sync.stop();
      await db.close();
    },
  };
}
