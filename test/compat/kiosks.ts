/**
 * Kiosks of different versions for the compatibility tests: today's data layer, or a release's
 * (releases.ts), each on a real RxDB (fake-indexeddb) with a line the test can cut, driven through
 * the same few calls — the counter's own: number, seal, register, sync now.
 */
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import type { Observable } from 'rxjs';
import type { EnrollResponse, KioskEnrollment } from '../../core/api/enrollment.js';
import type { EventDraft } from '../../core/case/append.js';
import type { CaseDocument } from '../../core/case/document.js';
import type { Person } from '../../core/case/events.js';
import type { Result } from '../../core/result.js';
import { openKioskData } from '../../renderer/data/kiosk-data.js';
import type { PersonInput } from '../../renderer/data/sealing.js';
import { createdDraft, itemSnapshot } from '../core/fixtures.js';
import { importRelease } from './releases.js';
import { TEST_STORAGE_KEY } from '../support/storage-key.js';

/** What these tests use of a kiosk's data layer: the same in every release so far. */
export interface KioskDataApi {
  readonly enrollment: KioskEnrollment;
  readonly cases: {
    register(drafts: readonly EventDraft[]): Promise<Result<CaseDocument, { code: string }>>;
    append(caseNumber: string, draft: EventDraft): Promise<Result<CaseDocument, { code: string }>>;
    get(caseNumber: string): Promise<CaseDocument | undefined>;
    all(): Promise<CaseDocument[]>;
  };
  readonly caseNumbers: { next(): Promise<Result<string, { code: string }>> };
  readonly sync: {
    state(): { readonly pendingOutbound: number; readonly refused: readonly { id: string; reason: string }[] };
    syncNow(timeoutMs?: number): Promise<Result<{ at: string }, { status: number; code: string; reason: string }>>;
  };
  readonly county$: Observable<{
    readonly catalog?: unknown;
    readonly notices: readonly { readonly id: string; readonly title: { zh: string } }[];
    readonly problems: readonly unknown[];
  }>;
  sealApplicant(input: PersonInput): Promise<Person>;
  close(): Promise<void>;
}

type OpenKioskData = (options: {
  enrollment: EnrollResponse;
  appVersion: string;
  /** Today's data layer only (0.1.0 ignores it). */
  freshEnrollment?: boolean;
  /** Today's only: its database is encrypted at rest (releases before 0.3.1 ignore it). */
  storageKey: string;
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}) => Promise<KioskDataApi>;

export interface KioskUnderTest {
  /** `today`, or the release's version. */
  readonly version: string;
  readonly data: KioskDataApi;
  readonly network: { up: boolean };
  /** Register a case the way the counter does: the next number, the applicant sealed, one write. */
  register(name: string, idNumber?: string): Promise<CaseDocument>;
  note(caseNumber: string, text: string): Promise<CaseDocument>;
  close(): Promise<void>;
}

let events = 0;

/**
 * Open the data of the kiosk `enrollment` names with the data layer of `version` (`today`, or a release
 * in releases.ts). Its IndexedDB database is named by the kiosk, so opening the same enrollment with
 * another version opens the same data: an update.
 */
export async function openKiosk(
  version: string,
  enrollment: EnrollResponse,
  options: { network?: { up: boolean }; fresh?: boolean; /** Another disk (default: the shared one). */ disk?: IDBFactory } = {},
): Promise<KioskUnderTest> {
  const open: OpenKioskData =
    version === 'today' ? openKioskData : (await importRelease<{ openKioskData: OpenKioskData }>(version, 'renderer/data/kiosk-data.ts')).openKioskData;
  const network = options.network ?? { up: true };
  const data = await open({
    enrollment,
    appVersion: version === 'today' ? 'today' : version,
    storageKey: TEST_STORAGE_KEY,
    indexedDB: options.disk ?? indexedDB,
    IDBKeyRange,
    fetch: (input, init) => (network.up ? fetch(input, init) : Promise.reject(new TypeError('fetch failed: the line is down'))),
    // As setup opens it just after enrolling: the enrollment's number is the database's lease.
    freshEnrollment: options.fresh === true,
  });
  const actor = { id: `${enrollment.kioskId}/clerk-1`, name: '王芳', level: 'village' as const };
  const must = (result: Result<CaseDocument, { code: string }>) => {
    if (!result.ok) throw new Error(`${version} kiosk refused: ${result.error.code}`);
    return result.value;
  };
  return {
    version,
    data,
    network,
    async register(name, idNumber = '422822199506150026') {
      const number = await data.caseNumbers.next();
      if (!number.ok) throw new Error(number.error.code);
      const applicant = await data.sealApplicant({ name, idNumber });
      const draft = createdDraft(itemSnapshot('county'), new Date().toISOString(), { caseNumber: number.value, village: enrollment.village, applicant });
      events += 1;
      return must(await data.cases.register([{ ...draft, id: `${enrollment.kioskId}-c${String(events)}-${number.value}`, actor }]));
    },
    async note(caseNumber, text) {
      events += 1;
      return must(
        await data.cases.append(caseNumber, {
          id: `${enrollment.kioskId}-n${String(events)}`,
          at: new Date().toISOString(),
          actor,
          type: 'note',
          payload: { text },
        }),
      );
    },
    close: () => data.close(),
  };
}
