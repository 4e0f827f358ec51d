/**
 * The kiosk's data layer in one small typed API for the counter UI: no RxDB, no keys, no fetch.
 * Open it with the enrollment the shell keeps; everything works offline and syncs when it can.
 */
import type { KioskEnrollment } from '../../core/api/enrollment.js';
import type { Person } from '../../core/case/events.js';
import type { Result } from '../../core/result.js';
import { shareReplay, type Observable } from 'rxjs';
import type { CaseDocument } from '../../core/case/document.js';
import { COMPAT_LEVEL, COMPAT_PARAM } from '../../core/compat.js';
import { adoptEnrollmentLease, caseNumbers, leaseFromHub, type CaseNumbers } from './case-numbers.js';
import { registerClashAgain, type ClashError } from './clash.js';
import { caseStore, type CaseStore } from './cases.js';
import { clerkAccounts, type ClerkAccounts } from './clerks.js';
import { compatState$, type CompatState } from './compat-state.js';
import { countyData$, type CountyData } from './county-data.js';
import { attachFile, discardFiles, type FileError, type FileRef } from './files.js';
import { hallStore, type HallStore } from './hall.js';
import { publicationStore, type PublicationStore } from './publications.js';
import { kioskDatabaseName, openKioskDatabase } from './kiosk-database.js';
import { pageKeys, type KioskKeys } from './kiosk-keys.js';
import type { PersonInput, UnsealError } from './sealing.js';
import { storageHealth, type StorageHealth } from './storage-health.js';
import type { StoreFiles } from './store-rewrite.js';
import { startKioskSync, type KioskSync } from './sync.js';

export interface KioskData {
  readonly enrollment: KioskEnrollment;
  /**
   * A case number the hub refused as taken by another application (`case.clash`, shown in the sync
   * state's refusals): register this kiosk's application again under a new number. Returns that number.
   */
  registerClashAgain(caseNumber: string): Promise<Result<string, ClashError>>;
  readonly cases: CaseStore;
  readonly caseNumbers: CaseNumbers;
  readonly clerks: ClerkAccounts;
  /** The hall's hours for visits and its appointments (hall.ts). */
  readonly hall: HallStore;
  /** The village's publications for the disclosure board (publications.ts). */
  readonly publications: PublicationStore;
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
  readonly enrollment: KioskEnrollment;
  readonly appVersion: string;
  /** IndexedDB for Node tests (fake-indexeddb); the browser's own otherwise. */
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
  readonly fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** The enrollment came from the hub just now for this database: its kiosk number is this database's numbering lease. */
  readonly freshEnrollment?: boolean;
  /** The village's keys where the shell keeps them (main, in Electron); else the enrollment's own, in this page. */
  readonly keys?: KioskKeys;
  /** The key of this kiosk's database at rest, from the shell (data/key-store.ts). */
  readonly storageKey: string;
  /** The shell's means to write the store's files anew after an upgrade sealed them (kiosk-database.ts). */
  readonly storeFiles?: StoreFiles;
}

export async function openKioskData(options: OpenKioskDataOptions): Promise<KioskData> {
  const { enrollment } = options;
  const db = await openKioskDatabase({
    name: kioskDatabaseName(enrollment.kioskId),
    storageKey: options.storageKey,
    ...(options.storeFiles ? { storeFiles: options.storeFiles } : {}),
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  });
  const keys = options.keys ?? (enrollment.dataKeys ? await pageKeys(enrollment.dataKeys) : undefined);
  if (!keys) throw new Error('This enrollment carries no data keys, and the shell offers none.');
  const network = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const asKiosk = (url: string, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    if (enrollment.authorization) headers.set('authorization', enrollment.authorization);
    return network(url, { ...init, headers });
  };
  const hubBase = new URL('../../', enrollment.villageSyncUrl).href;
  const numbering = { enrollment, freshEnrollment: options.freshEnrollment === true, requestLease: leaseFromHub(hubBase, asKiosk) };
  await adoptEnrollmentLease(db, numbering);
  const numbers = caseNumbers(db, numbering);
  // A database without a lease asks for one now, while the line is likely up (the counter asks again when it numbers).
  void numbers.ensureLease().catch(() => undefined);
  const sync = await startKioskSync({ db, enrollment, appVersion: options.appVersion, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const cases = caseStore(db);
  // One reading of the county documents for every screen and the version notice, not one each.
  const county$ = countyData$(db).pipe(shareReplay({ bufferSize: 1, refCount: true }));
  let closing: Promise<void> | undefined;
  return {
    enrollment,
    cases,
    caseNumbers: numbers,
    registerClashAgain: (caseNumber) =>
      registerClashAgain(
        {
          db,
          caseNumbers: numbers,
          isClash: (id) => sync.state().refused.some((refused) => refused.id === id && refused.code === 'case.clash'),
          refusedDocument: (id) => sync.refusedDocument(id),
          hubCase: async (id) => {
            const response = await asKiosk(`${enrollment.villageSyncUrl}${encodeURIComponent(id)}?${COMPAT_PARAM}=${String(COMPAT_LEVEL)}`).catch(
              () => undefined,
            );
            return response?.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
          },
          forgetHubCopies: (ids) => sync.forgetHubCopies(ids),
          settle: (id) => sync.settleRefusal(id),
        },
        caseNumber,
      ),
    clerks: clerkAccounts(db),
    hall: hallStore(db, { village: enrollment.village, sealPhone: (phone) => keys.sealPhone(phone) }),
    publications: publicationStore(db, { village: enrollment.village }),
    sync,
    county$,
    compat$: compatState$(db, county$, options.appVersion),
    findByIdNumber: async (idNumber) => cases.findByIdNumberHash(await keys.blindIndex(idNumber)),
    sealApplicant: (input) => keys.sealApplicant(input),
    revealIdNumber: (person) => keys.revealIdNumber(person),
    attachFile: (caseNumber, materialId, bytes) => attachFile(db.files, caseNumber, materialId, bytes),
    discardFiles: (caseNumber) => discardFiles(db.files, caseNumber),
    storageHealth: () => storageHealth(),
    // Idempotent: the screens close on unmount, and a shell may close again on quit.
    close() {
      closing ??= sync
        .stop()
        .then(() => db.close())
        .then(() => undefined);
      return closing;
    },
  };
}
