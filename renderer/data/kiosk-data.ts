/**
 * The kiosk's data layer in one small typed API for the counter UI: no RxDB, no keys, no fetch.
 * Open it with the enrollment the shell keeps; everything works offline and syncs when it can.
 */
import type { EnrollResponse } from '../../core/api/enrollment.js';
import type { Person } from '../../core/case/events.js';
import type { Result } from '../../core/result.js';
import type { Observable } from 'rxjs';
import type { CaseDocument } from '../../core/case/document.js';
import { caseNumbers, type CaseNumbers } from './case-numbers.js';
import { caseStore, type CaseStore } from './cases.js';
import { clerkAccounts, type ClerkAccounts } from './clerks.js';
import { compatState$, type CompatState } from './compat-state.js';
import { countyData$, type CountyData } from './county-data.js';
import { attachFile, discardFiles, type FileError, type FileRef } from './files.js';
import { kioskDatabaseName, openKioskDatabase } from './kiosk-database.js';
import { blindIndex, importKeyRing, sealPerson, unseal, type PersonInput, type UnsealError } from './sealing.js';
import { storageHealth, type StorageHealth } from './storage-health.js';
import { startKioskSync, type KioskSync } from './sync.js';

export interface KioskData {
  readonly enrollment: EnrollResponse;
  readonly cases: CaseStore;
  readonly caseNumbers: CaseNumbers;
  readonly clerks: ClerkAccounts;
  readonly sync: KioskSync;
  /** Catalog, calendar, divisions and notices as last pulled from the hub. */
  readonly county$: Observable<CountyData>;
  /** Whether the county asks for a newer version, and what newer versions wrote that this one keeps unread. */
  readonly compat$: Observable<CompatState>;
  /** Cases of the resident with this full ID number (already validated), through the blind index. */
  findByIdNumber(idNumber: string): Promise<CaseDocument[]>;
  /** Seal a resident's numbers for a new case; the result goes into the `created` event. */
  sealApplicant(input: PersonInput): Promise<Person>;
  /** The full ID number of the case in hand, for a clerk who deliberately asks; screens show the mask. */
  revealIdNumber(person: Person): Promise<Result<string, UnsealError>>;
  attachFile(caseNumber: string, materialId: string, bytes: Uint8Array<ArrayBuffer>): Promise<Result<FileRef, FileError>>;
  /** Remove files attached for a case number whose registration was then refused. */
  discardFiles(caseNumber: string): Promise<void>;
  storageHealth(): Promise<StorageHealth>;
  close(): Promise<void>;
}

export interface OpenKioskDataOptions {
  readonly enrollment: EnrollResponse;
  readonly appVersion: string;
  /** IndexedDB for Node tests (fake-indexeddb); the browser's own otherwise. */
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
  readonly fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

export async function openKioskData(options: OpenKioskDataOptions): Promise<KioskData> {
  const { enrollment } = options;
  const db = await openKioskDatabase({
    name: kioskDatabaseName(enrollment.kioskId),
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  });
  const keys = await importKeyRing(enrollment.dataKeys);
  const sync = await startKioskSync({ db, enrollment, appVersion: options.appVersion, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const cases = caseStore(db);
  const county$ = countyData$(db);
  let closing: Promise<void> | undefined;
  return {
    enrollment,
    cases,
    caseNumbers: caseNumbers(db, enrollment),
    clerks: clerkAccounts(db),
    sync,
    county$,
    compat$: compatState$(db, county$, options.appVersion),
    findByIdNumber: async (idNumber) => cases.findByIdNumberHash(await blindIndex(keys, idNumber.trim().toUpperCase())),
    sealApplicant: (input) => sealPerson(keys, input),
    revealIdNumber: (person) => unseal(keys, 'idNumber', person.idNumber),
    attachFile: (caseNumber, materialId, bytes) => attachFile(db.files, caseNumber, materialId, bytes),
    discardFiles: (caseNumber) => discardFiles(db.files, caseNumber),
    storageHealth: () => storageHealth(),
    // Idempotent: the screens close on unmount, and a shell may close again on quit.
    close() {
      closing ??= sync.stop().then(() => db.close()).then(() => undefined);
      return closing;
    },
  };
}
