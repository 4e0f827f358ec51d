/**
 * `cunban-hub init`: create or upgrade the county's databases. Idempotent — it compares what is there
 * with what should be and writes only the difference, so running it twice changes nothing the second
 * time. Works through the CouchDB API alone, so it provisions Apache CouchDB and the embedded store alike.
 */
import { APPEAL_ID_PREFIX } from '../core/appeal/appeal.js';
import { PUBLICATION_ID_PREFIX } from '../core/disclosure/publication.js';
import { APPOINTMENT_ID_PREFIX } from '../core/appointment/appointment.js';
import { HALL_SCHEDULE_ID } from '../core/appointment/schedule.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { Catalog } from '../core/catalog/schema.js';
import type { WorkingCalendarData } from '../core/calendar.js';
import { parseCatalog } from '../core/catalog/catalog.js';
import { workingCalendarSchema } from '../core/calendar.js';
import { parseDocument, type Reading } from '../core/data-error.js';
import { parseDivisionTable, type DivisionTable } from '../core/divisions/table.js';
import { FLEET_POLICY_ID } from '../core/fleet-policy.js';
import { NOTICE_ID_PREFIX, NOTICE_SCHEMA_VERSION } from '../core/notice.js';
import { err, ok, type Result } from '../core/result.js';
import { MERGED_INTO } from './case-conflicts.js';
import { CONTROL_DBS, DB, hallDb, villageDb } from './store/names.js';
import { docPath, type Store, type StoreFailure } from './store/store.js';

/**
 * Raised when provisioning changes shape; recorded in the meta database. 2: the files database.
 * 3: the queue database. 4: the queue's views dropped; merged conflict branches closed by tombstones.
 * 5: every notice carries its schema version; the catalog database holds the fleet policy.
 * 6: a hall database per village (its hours for visits and its appointments).
 * 7: the hall databases hold the village's publications (issue 19).
 */
export const STORE_SCHEMA_VERSION = 7;

export interface CountyData {
  readonly catalog: Catalog;
  readonly divisions: DivisionTable;
  readonly calendar: WorkingCalendarData;
}

export interface InitReport {
  readonly storeSchemaVersion: number;
  readonly villages: number;
  /** Databases created by this run. */
  readonly created: readonly string[];
  /** Documents (security objects, design documents, county data) written by this run. */
  readonly updated: readonly string[];
}

export type InitError =
  | { readonly code: 'init.noCountyData'; readonly message: string }
  | { readonly code: 'init.badCountyData'; readonly message: string }
  | { readonly code: 'init.store'; readonly failure: StoreFailure };

/** Only the hub (a server admin) may read or write: kiosks and reviewers go through the hub's API. */
const ADMIN_ONLY = { admins: { names: [], roles: [] }, members: { names: [], roles: ['_admin'] } };

function villageValidator(village12: string): string {
  return `function (newDoc) {
  if (newDoc._id.indexOf('_design/') === 0) { return; }
  // The one deletion: a conflicting revision closed by the hub once its events were merged (case-conflicts.ts).
  if (newDoc._deleted && typeof newDoc.${MERGED_INTO} === 'string') { return; }
  if (newDoc._deleted) { throw({ forbidden: 'Cases are never deleted from the county hub.' }); }
  if (newDoc.kind !== 'cunban.case') { throw({ forbidden: 'Only case documents belong in a village database.' }); }
  if (newDoc._id !== newDoc.caseNumber) { throw({ forbidden: 'A case document id is its case number.' }); }
  if (newDoc.village !== '${village12}') { throw({ forbidden: 'This case belongs to another village.' }); }
}`;
}

/** A hall database holds its village's schedule, appointments, appeals and publications, never deleted (a cancellation is an event). */
function hallValidator(village12: string): string {
  return `function (newDoc) {
  if (newDoc._id.indexOf('_design/') === 0) { return; }
  if (newDoc._deleted) { throw({ forbidden: 'Appointments are never deleted: a cancellation is recorded.' }); }
  if (newDoc.village !== '${village12}') { throw({ forbidden: 'This document belongs to another village.' }); }
  if (newDoc._id === '${HALL_SCHEDULE_ID}' && newDoc.kind === 'cunban.hallSchedule') { return; }
  if (newDoc._id.indexOf('${APPOINTMENT_ID_PREFIX}') === 0 && newDoc.kind === 'cunban.appointment' && newDoc._id === '${APPOINTMENT_ID_PREFIX}' + newDoc.code) { return; }
  if (newDoc._id.indexOf('${APPEAL_ID_PREFIX}') === 0 && newDoc.kind === 'cunban.appeal' && newDoc._id === '${APPEAL_ID_PREFIX}' + newDoc.code) { return; }
  if (newDoc._id.indexOf('${PUBLICATION_ID_PREFIX}') === 0 && newDoc.kind === 'cunban.publication' && newDoc._id === '${PUBLICATION_ID_PREFIX}' + newDoc.publicationId) { return; }
  throw({ forbidden: 'A hall database holds its schedule, appointments, appeals and publications only.' });
}`;
}

const CATALOG_VALIDATOR = `function (newDoc) {
  if (newDoc._id.indexOf('_design/') === 0) { return; }
  var known = { catalog: 1, divisions: 1, calendar: 1, '${FLEET_POLICY_ID}': 1 };
  if (!known[newDoc._id] && newDoc._id.indexOf('notice:') !== 0) {
    throw({ forbidden: 'The catalog database holds the catalog, divisions, calendar, fleet policy and notices only.' });
  }
  // Village-affairs disclosure must never publish a full ID number (18 characters, or grouped 6-8-4).
  if (newDoc._id.indexOf('notice:') === 0 && !newDoc._deleted &&
      /(^|[^0-9A-Za-z])([0-9]{17}[0-9Xx]|[0-9]{6}[ -][0-9]{8}[ -][0-9]{3}[0-9Xx])([^0-9A-Za-z]|$)/.test(JSON.stringify(newDoc))) {
    throw({ forbidden: 'A notice must not contain a full resident ID number; publish masked numbers only.' });
  }
}`;

type Change = { kind: 'created' | 'updated'; name: string };

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

class Provisioner {
  readonly changes: Change[] = [];
  constructor(private readonly store: Store) {}

  private fail(failure: StoreFailure): never {
    throw new ProvisionFailure(failure);
  }

  async database(db: string): Promise<void> {
    const result = await this.store.ensureDatabase(db);
    if (!result.ok) this.fail(result.error);
    if (result.value === 'created') this.changes.push({ kind: 'created', name: db });
  }

  /** The database's security object, admin-only; on a conflict (another `init` at once) read and compared again. */
  async security(db: string, triesLeft = 3): Promise<void> {
    const current = await this.store.request<unknown>({ db: this.store.dbName(db), path: '_security' });
    if (!current.ok) this.fail(current.error);
    if (canonicalJson(current.value) === canonicalJson(ADMIN_ONLY)) return;
    const put = await this.store.request({ db: this.store.dbName(db), path: '_security', method: 'PUT', body: ADMIN_ONLY });
    if (!put.ok && put.error.status === 409 && triesLeft > 1) return this.security(db, triesLeft - 1);
    if (!put.ok) this.fail(put.error);
    this.changes.push({ kind: 'updated', name: `${db}/_security` });
  }

  /**
   * Write a document only if its content differs from what is stored (ignoring `_rev`). On a conflict
   * (another `init` wrote it meanwhile, on another machine) it is read and compared again.
   */
  async document(db: string, doc: { _id: string } & Record<string, unknown>, triesLeft = 3): Promise<void> {
    const current = await this.store.getDoc<Record<string, unknown>>(db, doc._id);
    if (!current.ok && current.error.status !== 404) this.fail(current.error);
    const rev = current.ok ? current.value._rev : undefined;
    if (current.ok) {
      const { _rev: _ignored, ...stored } = current.value;
      if (canonicalJson(stored) === canonicalJson(doc)) return;
    }
    const put = await this.store.putDoc(db, { ...doc, ...(rev ? { _rev: rev } : {}) });
    if (!put.ok && put.error.status === 409 && triesLeft > 1) return this.document(db, doc, triesLeft - 1);
    if (!put.ok) this.fail(put.error);
    this.changes.push({ kind: 'updated', name: `${db}/${doc._id}` });
  }

  /** Delete a document an earlier version wrote and this one no longer uses. */
  async absent(db: string, id: string): Promise<void> {
    const current = await this.store.getDoc<Record<string, unknown>>(db, id);
    if (!current.ok && current.error.status !== 404) this.fail(current.error);
    if (!current.ok) return;
    const deleted = await this.store.request({ db: this.store.dbName(db), path: docPath(id), method: 'DELETE', qs: { rev: current.value._rev } });
    if (!deleted.ok) this.fail(deleted.error);
    this.changes.push({ kind: 'updated', name: `${db}/${id}` });
  }
}

class ProvisionFailure extends Error {
  constructor(readonly failure: StoreFailure) {
    super(failure.reason);
  }
}

/** Notices published before 0.2.0 carry no schema version: each gets the version it was written in (core/compat.ts). */
async function versionNotices(store: Store, p: Provisioner): Promise<void> {
  const notices = await store.docsWithPrefix<{ _id: string; _rev: string; schemaVersion?: unknown }>(DB.catalog, NOTICE_ID_PREFIX);
  if (!notices.ok) throw new ProvisionFailure(notices.error);
  for (const notice of notices.value.filter((doc) => doc.schemaVersion === undefined)) {
    const { _rev: _stored, ...content } = notice;
    await p.document(DB.catalog, { ...content, schemaVersion: NOTICE_SCHEMA_VERSION });
  }
}

/** Read the county data already in the catalog database. */
export async function readCountyData(store: Store): Promise<Result<CountyData, InitError>> {
  const [catalog, divisions, calendar] = await Promise.all(
    ['catalog', 'divisions', 'calendar'].map((id) => store.getDoc<Record<string, unknown>>(DB.catalog, id)),
  );
  for (const result of [catalog, divisions, calendar]) {
    if (result && !result.ok) {
      return result.error.status === 404
        ? err({ code: 'init.noCountyData', message: 'The hub has no county data yet: run `cunban-hub seed-demo` or `init` with county files.' })
        : err({ code: 'init.store', failure: result.error });
    }
  }
  const strip = (result: typeof catalog) => {
    if (!result?.ok) return undefined;
    const { _id: _i, _rev: _r, ...rest } = result.value;
    return rest;
  };
  return validateCountyData(strip(catalog), strip(divisions), strip(calendar));
}

/** Check the county's three documents together: `authored` for its own files (`init --catalog …`), strictly. */
export function validateCountyData(catalog: unknown, divisions: unknown, calendar: unknown, reading: Reading = 'synced'): Result<CountyData, InitError> {
  const parsedCatalog = parseCatalog(catalog, reading);
  const parsedDivisions = parseDivisionTable(divisions, reading);
  const parsedCalendar = parseDocument(workingCalendarSchema, 'workingCalendar', calendar, reading);
  for (const parsed of [parsedCatalog, parsedDivisions, parsedCalendar]) {
    if (!parsed.ok) {
      const first = parsed.error.problems[0];
      return err({
        code: 'init.badCountyData',
        message: `${parsed.error.document}: ${first ? `${first.path} ${first.detail}` : 'invalid'} (${parsed.error.problems.length} problem(s))`,
      });
    }
  }
  if (!parsedCatalog.ok || !parsedDivisions.ok || !parsedCalendar.ok) throw new Error('unreachable');
  if (parsedCatalog.value.county.code12 !== parsedDivisions.value.county.code12) {
    return err({ code: 'init.badCountyData', message: 'the catalog and the division table are for different counties' });
  }
  return ok({ catalog: parsedCatalog.value, divisions: parsedDivisions.value, calendar: parsedCalendar.value });
}

/**
 * Create or upgrade everything. With `data`, the county data in the store is replaced by it (when it
 * differs); without, the data already stored is used — a new division edition adds its villages.
 */
export async function initStore(store: Store, data?: CountyData): Promise<Result<InitReport, InitError>> {
  const p = new Provisioner(store);
  try {
    for (const db of [...CONTROL_DBS, DB.catalog]) {
      await p.database(db);
      await p.security(db);
    }
    if (data) {
      await p.document(DB.catalog, { _id: 'catalog', ...data.catalog });
      await p.document(DB.catalog, { _id: 'divisions', ...data.divisions });
      await p.document(DB.catalog, { _id: 'calendar', ...data.calendar });
    }
    const county = data ? ok(data) : await readCountyData(store);
    if (!county.ok) return county;
    await p.document(DB.catalog, { _id: '_design/cunban', validate_doc_update: CATALOG_VALIDATOR });
    await versionNotices(store, p);
    // Schema 3's queue views: the queue is read from memory since schema 4 (review/queue-index.ts).
    await p.absent(DB.queue, '_design/queue');

    const villages = county.value.divisions.towns.flatMap((town) => town.villages.map((v) => v.code12));
    await mapLimit(villages, 8, async (village12) => {
      const db = villageDb(village12);
      await p.database(db);
      await p.security(db);
      await p.document(db, { _id: '_design/cunban', validate_doc_update: villageValidator(village12) });
      const hall = hallDb(village12);
      await p.database(hall);
      await p.security(hall);
      await p.document(hall, { _id: '_design/cunban', validate_doc_update: hallValidator(village12) });
    });
    // With the county's code, which /api/health shows (doctor checks an address reaches this county).
    await p.document(DB.meta, { _id: 'store-schema', version: STORE_SCHEMA_VERSION, county: county.value.divisions.county.code12 });
    return ok({
      storeSchemaVersion: STORE_SCHEMA_VERSION,
      villages: villages.length,
      created: p.changes.filter((c) => c.kind === 'created').map((c) => c.name),
      updated: p.changes.filter((c) => c.kind === 'updated').map((c) => c.name),
    });
  } catch (error) {
    if (error instanceof ProvisionFailure) return err({ code: 'init.store', failure: error.failure });
    throw error;
  }
}

export function describeInitError(error: InitError): string {
  return error.code === 'init.store' ? error.failure.reason : error.message;
}
