/**
 * Starts a real county hub for a test file: a temp data dir and a free port on the embedded store, or —
 * with COUCHDB_URL set — the same suite against that Apache CouchDB under a unique database prefix,
 * removed afterwards. The county is Jianshi's real data cut down to two towns of two villages each.
 */
import type { Logger } from 'pino';
import { silentLogger } from '../../sync-server/observe/request-log.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendEvent, type EventDraft } from '../../core/case/append.js';
import { toCaseDocument, type CaseDocument } from '../../core/case/document.js';
import type { CreatedPayload, StoredEvent, Person } from '../../core/case/events.js';
import { formatCaseNumber } from '../../core/case/number.js';
import type { LocalDate } from '../../core/local-date.js';
import { demoCalendarData, demoCatalog, demoDivisions } from '../../core/seed/demo-county.js';
import type { HubConfig } from '../../sync-server/config.js';
import { startHub, type Hub } from '../../sync-server/hub.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { loadKeyRing, villageKeyRing } from '../../sync-server/keyring.js';
import { villageDb } from '../../sync-server/store/names.js';
import { importKeyRing, sealPerson } from '../../renderer/data/sealing.js';
import type { CountyData } from '../../sync-server/provision.js';
import { initCounty } from '../../sync-server/county-init.js';
import type { Store } from '../../sync-server/store/store.js';
import { createdDraft, itemSnapshot, person } from '../core/fixtures.js';

export const VILLAGE_A = '422822100202'; // 雀儿笼村, 业州镇
export const VILLAGE_B = '422822100212'; // 杉木村, 业州镇
/** A village of the test county's second town (高坪镇), for what a town reviewer of 业州镇 must not see. */
/** The app version test kiosks report to the hub. */
export const TEST_APP_VERSION = '0.1.0-test';
export const VILLAGE_OTHER_TOWN = '422822101001';

export function testCountyData(): CountyData {
  const divisions = demoDivisions();
  return {
    catalog: demoCatalog(),
    calendar: demoCalendarData(),
    divisions: {
      ...divisions,
      towns: divisions.towns.slice(0, 2).map((town, t) => ({
        ...town,
        villages: t === 0 ? town.villages.filter((v) => [VILLAGE_A, VILLAGE_B].includes(v.code12)) : town.villages.slice(0, 2),
      })),
    },
  };
}

export interface TestHub {
  readonly hub: Hub;
  readonly config: HubConfig;
  readonly base: string;
  /** An HTTP call to the hub; the body is parsed JSON (or undefined). */
  call(
    method: string,
    path: string,
    options?: { auth?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
  enroll(village: string): Promise<EnrolledKiosk>;
  close(): Promise<void>;
}

export interface EnrolledKiosk {
  readonly kioskId: string;
  readonly kioskNumber: number;
  readonly village: string;
  readonly authorization: string;
}

export function testConfig(dataDir: string, prefix: string): HubConfig {
  const couch = process.env.COUCHDB_URL;
  return {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    dbPrefix: couch ? prefix : '',
    corsOrigins: ['app://cunban'],
    logLevel: 'info',
    ...(couch ? { couchdbUrl: new URL(couch) } : {}),
  };
}

/** Remove every database a CouchDB run created under its prefix. */
export async function dropPrefixedDatabases(store: Store, prefix: string): Promise<void> {
  const all = await store.request<string[]>({ path: '_all_dbs' });
  if (!all.ok) return;
  for (const db of all.value.filter((name) => name.startsWith(prefix))) {
    await store.request({ db, method: 'DELETE' });
  }
}

export async function startTestHub(options: { seed?: boolean; config?: Partial<HubConfig>; logger?: Logger; now?: () => Date } = {}): Promise<TestHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cunban-hub-'));
  const prefix = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}_`;
  const config = { ...testConfig(dataDir, prefix), ...options.config };
  const hub = await startHub(config, { logger: options.logger ?? silentLogger(), ...(options.now ? { now: options.now } : {}) });
  if (options.seed !== false) {
    const seeded = await initCounty(hub.store, dataDir, testCountyData());
    if (!seeded.ok) throw new Error(`seeding failed: ${JSON.stringify(seeded.error)}`);
  }
  const base = `${config.tls ? 'https' : 'http'}://127.0.0.1:${hub.port}`;

  const call: TestHub['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.auth) headers.authorization = opts.auth;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, headers: response.headers };
  };

  return {
    hub,
    config,
    base,
    call,
    async enroll(village) {
      const issued = await issueEnrollmentCode(hub.store, village, new Date());
      if (!issued.ok) throw new Error(issued.error.reason);
      const response = await call('POST', '/api/enroll', { body: { code: issued.value.code } });
      if (response.status !== 201) throw new Error(`enrollment failed: ${JSON.stringify(response.body)}`);
      return response.body as EnrolledKiosk;
    },
    async close() {
      if (config.couchdbUrl) await dropPrefixedDatabases(hub.store, prefix);
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let sequence = 0;

/** A valid case document written by `kiosk`'s clerk, as the kiosk would push it. */
export function caseFor(
  kiosk: EnrolledKiosk,
  options: { date?: string; extra?: EventDraft[]; applicant?: Person; created?: Partial<CreatedPayload> } = {},
): CaseDocument & { _id: string } {
  sequence += 1;
  const number = formatCaseNumber({
    village: kiosk.village,
    date: (options.date ?? '2026-11-26') as LocalDate,
    kioskNumber: kiosk.kioskNumber,
    sequence,
  });
  if (!number.ok) throw new Error(number.error.code);
  const draft = createdDraft(itemSnapshot('county'), '2026-11-26T01:00:00.000Z', {
    caseNumber: number.value,
    village: kiosk.village,
    applicant: options.applicant ?? person('刘德华'),
    ...options.created,
  });
  let events: StoredEvent[] = [];
  for (const next of [{ ...draft, id: `${kiosk.kioskId}-e${sequence}`, actor: clerkOf(kiosk) }, ...(options.extra ?? [])]) {
    const appended = appendEvent(events, next);
    if (!appended.ok) throw new Error(JSON.stringify(appended.error));
    events = appended.value;
  }
  const doc = toCaseDocument(events);
  if (!doc.ok) throw new Error(doc.error.code);
  return { _id: number.value, ...doc.value };
}

export const clerkOf = (kiosk: EnrolledKiosk) => ({ id: `${kiosk.kioskId}/clerk-1`, name: '王芳', level: 'village' as const });

/**
 * A case the kiosk has forwarded to the town, its applicant really sealed with the hub's county keys
 * (so a reveal can open it), written straight into the village database and projected to the queue;
 * `before` are events the village recorded before forwarding it (a materials check with scans, say).
 */
export async function storeForwardedCase(
  t: TestHub,
  kiosk: EnrolledKiosk,
  name = '张三',
  before: readonly EventDraft[] = [],
  created: Partial<CreatedPayload> = {},
): Promise<string> {
  // Sealed as the kiosk seals: with its village's keys, derived from the county's.
  const ring = await importKeyRing(villageKeyRing(loadKeyRing(t.config.dataDir), kiosk.village));
  const applicant = await sealPerson(ring, { name, idNumber: '422822198001010015', phone: '13900001111' });
  const forward = {
    id: `fwd-${kiosk.kioskId}-${String(sequence + 1)}`,
    at: '2026-11-26T01:05:00.000Z',
    actor: clerkOf(kiosk),
    type: 'forwarded' as const,
    payload: { to: 'town' as const },
  };
  const doc = caseFor(kiosk, { applicant, extra: [...before, forward], created });
  const put = await t.hub.store.putDoc(villageDb(kiosk.village), doc);
  if (!put.ok) throw new Error(put.error.reason);
  t.hub.queue.kick(kiosk.village);
  return doc._id;
}
