/**
 * The faults suite's shared parts: kiosks in
 * Node (RxDB on fake-indexeddb, the real sync) whose network and clock a test controls, syncing with a hub
 * process that can be SIGKILLed (test/sync-server/hub-process.ts), and the tally every scenario
 * reports — cases lost, cases duplicated, cases holding two residents' registrations (mixed), and cases
 * whose final state differs between kiosk and hub.
 *
 * `npm test` runs each scenario a few times; `npm run test:faults` (CUNBAN_FAULTS=full) the full counts,
 * and prints the tallies (CUNBAN_FAULTS_REPORT).
 */
import { appendFileSync } from 'node:fs';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { enrollResponseSchema, type EnrollResponse } from '../../core/api/enrollment.js';
import type { EventDraft } from '../../core/case/append.js';
import type { CaseDocument } from '../../core/case/document.js';
import { adoptEnrollmentLease, caseNumbers } from '../../renderer/data/case-numbers.js';
import { caseStore, type CaseStore } from '../../renderer/data/cases.js';
import { openKioskDatabase, type KioskDatabase } from '../../renderer/data/kiosk-database.js';
import { importKeyRing, sealPerson } from '../../renderer/data/sealing.js';
import { startKioskSync, type KioskSync } from '../../renderer/data/sync.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { villageDb } from '../../sync-server/store/names.js';
import type { Store } from '../../sync-server/store/store.js';
import { createdDraft, itemSnapshot } from '../core/fixtures.js';
import { TEST_APP_VERSION, VILLAGE_A } from '../sync-server/hub-harness.js';
import { type KillableHub } from '../sync-server/hub-process.js';
import { TEST_STORAGE_KEY } from '../support/storage-key.js';

export const FAULTS_FULL = process.env.CUNBAN_FAULTS === 'full';

/** How many times a scenario runs: the issue's count under `npm run test:faults`, a few inside `npm test`. */
export const faultRounds = (full: number, short: number): number => (FAULTS_FULL ? full : short);

export interface FaultTally {
  readonly scenario: string;
  readonly rounds: number;
  /** Registrations the kiosk acknowledged. */
  readonly cases: number;
  /** Acknowledged, but missing on the kiosk or the hub at the end. */
  readonly lost: number;
  /** One registration stored as more than one case. */
  readonly duplicated: number;
  /** A case holding more than one registration: two residents' applications in one case. */
  readonly mixed: number;
  /** On both sides, but with different events or status. */
  readonly mismatched: number;
}

/** Keep a scenario's tally for `npm run test:faults` to print. */
export function recordTally(tally: FaultTally): void {
  const file = process.env.CUNBAN_FAULTS_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(tally)}\n`);
}

export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export const urlOf = (input: RequestInfo | URL): string => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

export interface FaultyKioskOptions {
  /** The kiosk's network: given the real fetch, returns the one the kiosk uses. */
  readonly network?: (real: Fetch) => Fetch;
  /** The kiosk's clock. */
  readonly now?: () => Date;
  /** Re-enroll this kiosk (a replacement on a new disk) rather than enroll a new one. */
  readonly reEnroll?: string;
  /** Re-enroll in place: this database (open, its sync stopped), its acknowledged registrations, and the numbers it tells the hub. */
  readonly inPlace?: { readonly db: KioskDatabase; readonly acknowledged: Set<string>; readonly numbers: readonly number[] };
}

export interface FaultyKiosk {
  readonly enrollment: EnrollResponse;
  readonly db: KioskDatabase;
  readonly cases: CaseStore;
  readonly sync: KioskSync;
  /** Registrations acknowledged to the clerk: the created event's id, unique per registration. */
  readonly acknowledged: Set<string>;
  /** Register a case as the counter does (a case number from the kiosk's own counter, the kiosk's clock). */
  register(): Promise<CaseDocument>;
  append(caseNumber: string, draft: Omit<EventDraft, 'id' | 'at' | 'actor'>): Promise<void>;
  syncUntilOk(ms?: number): Promise<void>;
  /** Its credential refused, the technician re-enrolls it in place with a code for its id (renderer/data/re-enroll.ts). */
  reEnrollInPlace(): Promise<FaultyKiosk>;
  close(): Promise<void>;
}

let kiosks = 0;

export async function faultyKiosk(hub: KillableHub, options: FaultyKioskOptions = {}): Promise<FaultyKiosk> {
  const now = options.now ?? (() => new Date());
  const issued = await hub.withAdmin((admin) => issueEnrollmentCode(admin.store, VILLAGE_A, new Date(), undefined, options.reEnroll));
  if (!issued.ok) throw new Error(issued.error.reason);
  const continuing = options.inPlace && options.reEnroll ? { kioskId: options.reEnroll, numbers: options.inPlace.numbers } : undefined;
  const response = await fetch(`${hub.origin}/api/enroll`, {
    method: 'POST',
    body: JSON.stringify({ code: issued.value.code, ...(continuing ? { continuing } : {}) }),
  });
  const enrollment = enrollResponseSchema.parse(await response.json());
  kiosks += 1;
  const db =
    options.inPlace?.db ??
    (await openKioskDatabase({ storageKey: TEST_STORAGE_KEY, name: `faulty-${String(kiosks)}-${enrollment.kioskId}`, indexedDB, IDBKeyRange }));
  const keys = await importKeyRing(enrollment.dataKeys);
  const numbers = caseNumbers(db, { enrollment, freshEnrollment: true, requestLease: () => Promise.resolve(undefined), now });
  await adoptEnrollmentLease(db, { enrollment, freshEnrollment: true, requestLease: () => Promise.resolve(undefined), now });
  const clerk = { id: `${enrollment.kioskId}/clerk-1`, name: '王芳', level: 'village' as const };
  const sync = await startKioskSync({ db, enrollment, appVersion: TEST_APP_VERSION, now, fetch: options.network ? options.network(fetch) : fetch });
  const cases = caseStore(db);
  const acknowledged = options.inPlace?.acknowledged ?? new Set<string>();
  let events = 0;
  // Unique across kiosk instances too: a replacement has its predecessor's kiosk id (the counter's ids are random UUIDs).
  const instance = kiosks;
  const eventId = () => `${enrollment.kioskId}-k${String(instance)}-e${String(++events).padStart(5, '0')}`;
  return {
    enrollment,
    db,
    cases,
    sync,
    acknowledged,
    async register() {
      const number = await numbers.next();
      if (!number.ok) throw new Error(number.error.code);
      const applicant = await sealPerson(keys, { name: '王秀兰', idNumber: '422822199506150026' });
      const draft = createdDraft(itemSnapshot('county'), now().toISOString(), { caseNumber: number.value, village: VILLAGE_A, applicant });
      const id = eventId();
      const created = await cases.create({ ...draft, id, actor: clerk, type: 'created' } as EventDraft & { type: 'created' });
      if (!created.ok) throw new Error(JSON.stringify(created.error));
      acknowledged.add(id);
      return created.value;
    },
    async append(caseNumber, draft) {
      const appended = await cases.append(caseNumber, { ...draft, id: eventId(), at: now().toISOString(), actor: clerk } as EventDraft);
      if (!appended.ok) throw new Error(JSON.stringify(appended.error));
    },
    async syncUntilOk(ms = 90_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        if ((await sync.syncNow(15_000)).ok) return;
        if (Date.now() > deadline) throw new Error('the kiosk did not get back in sync');
      }
    },
    async reEnrollInPlace() {
      await sync.stop();
      const held = await numbers.numberedUnder(enrollment.kioskId);
      return faultyKiosk(hub, { ...options, reEnroll: enrollment.kioskId, inPlace: { db, acknowledged, numbers: held } });
    },
    async close() {
      await sync.stop();
      await db.close();
    },
  };
}

/** Every case the hub holds for the test village (case numbers start with the village code; design documents do not). */
export async function villageCases(store: Store): Promise<CaseDocument[]> {
  const found = await store.docsWithPrefix<CaseDocument>(villageDb(VILLAGE_A), `${VILLAGE_A}-`);
  if (!found.ok) throw new Error(found.error.reason);
  return found.value;
}

/** What the hub process now running holds for the test village, by case number. */
export async function hubCases(hub: KillableHub): Promise<Map<string, CaseDocument>> {
  return new Map((await hub.withAdmin((admin) => villageCases(admin.store))).map((doc) => [doc.caseNumber, doc]));
}

/** A county reviewer's decisions written on the hub while kiosks work. */
export const COUNTY_REVIEWER = { id: 'reviewer:county-faults', name: '张敏', level: 'county' } as const;

/** Same status and the same events (event ids are unique within a case, so one inclusion and equal counts suffice). */
const sameState = (a: CaseDocument, b: CaseDocument) =>
  a.summary.status === b.summary.status && a.events.length === b.events.length && a.events.every((event) => b.events.some((other) => other.id === event.id));

/** Count what a fault cost this kiosk: its acknowledged registrations against its own cases and the hub's. */
export async function tallyKiosk(kiosk: FaultyKiosk, hub: KillableHub, scenario: string, rounds: number): Promise<FaultTally> {
  const mine = new Map((await kiosk.cases.all()).map((doc) => [doc.caseNumber, doc]));
  const onHub = await hubCases(hub);
  const createdIn = (docs: Iterable<CaseDocument>) => {
    const count = new Map<string, number>();
    for (const doc of docs) {
      const created = doc.events.find((event) => event.type === 'created');
      if (created && kiosk.acknowledged.has(created.id)) count.set(created.id, (count.get(created.id) ?? 0) + 1);
    }
    return count;
  };
  const onKiosk = createdIn(mine.values());
  const hubCount = createdIn(onHub.values());
  let lost = 0;
  let duplicated = 0;
  for (const id of kiosk.acknowledged) {
    if (!onKiosk.has(id) || !hubCount.has(id)) lost += 1;
    if ((onKiosk.get(id) ?? 0) > 1 || (hubCount.get(id) ?? 0) > 1) duplicated += 1;
  }
  let mismatched = 0;
  for (const [number, doc] of mine) {
    const other = onHub.get(number);
    if (other && !sameState(doc, other)) mismatched += 1;
  }
  const registrations = (doc: CaseDocument) => doc.events.filter((event) => event.type === 'created').length;
  const mixed = [...mine.values(), ...onHub.values()].filter((doc) => registrations(doc) > 1).length;
  const tally = { scenario, rounds, cases: kiosk.acknowledged.size, lost, duplicated, mixed, mismatched };
  recordTally(tally);
  return tally;
}
