/**
 * The county's documents as the counter uses them: catalog, calendar, divisions, notices and the fleet
 * policy, pulled by sync into the `county` collection and validated by core/ before any screen sees
 * them. A document that fails validation is reported, never half-used. One a newer version of Cunban
 * wrote — a newer major version, or a kind this version does not know — is kept but not used, and never
 * takes the place of the last one this kiosk can read (core/compat.ts).
 */
import { map, type Observable } from 'rxjs';
import { parseWorkingCalendar, type WorkingCalendar } from '../../core/calendar.js';
import { parseCatalog } from '../../core/catalog/catalog.js';
import type { Catalog } from '../../core/catalog/schema.js';
import type { DataError } from '../../core/data-error.js';
import { indexDivisions, parseDivisionTable, type DivisionIndex } from '../../core/divisions/table.js';
import { readability } from '../../core/compat.js';
import { FLEET_POLICY_ID, parseFleetPolicy, type FleetPolicy } from '../../core/fleet-policy.js';
import { NOTICE_ID_PREFIX, parseNotice, type Notice } from '../../core/notice.js';
import type { Result } from '../../core/result.js';
import type { CountyDocument, KioskDatabase } from './kiosk-database.js';

export interface CountyData {
  /**
   * False until the county documents on this device have been read: the catalog is then not "not received
   * yet" but not read yet, and a screen says it is loading (it once said the catalog had never come).
   */
  readonly loaded: boolean;
  /** Absent until the first pull from the hub brings it. */
  readonly catalog?: Catalog;
  readonly calendar?: WorkingCalendar;
  readonly divisions?: DivisionIndex;
  readonly notices: readonly (Notice & { readonly id: string })[];
  readonly fleetPolicy?: FleetPolicy;
  /** County documents that failed validation: shown to the technician, not used. */
  readonly problems: readonly DataError[];
  /** Ids of county documents a newer version wrote, kept but not used: an update is needed to use them. */
  readonly unreadable: readonly string[];
}

/** Before this device's county documents are read. */
export const NO_COUNTY_DATA: CountyData = { loaded: false, notices: [], problems: [], unreadable: [] };

/** Where a county document of a newer major version is kept: beside the last readable one, never over it. */
const ASIDE = /@v\d+$/;

/**
 * A county document as the hub holds it, made into the kiosk's local document (the pull modifier of
 * sync.ts): whole under `body`, and under `<id>@v<major>` when it is a newer major version than this
 * kiosk reads, so that the catalog it can read stays in use until the kiosk is updated.
 */
export function countyDocumentFromHub(doc: Record<string, unknown>): CountyDocument & { _deleted: boolean } {
  const { id, _deleted, ...body } = doc;
  const version = readability(body);
  const aside = !version.readable && version.reason === 'newerVersion' ? `@v${String(version.major)}` : '';
  return { id: `${String(id)}${aside}`, body, _deleted: _deleted === true };
}

const KNOWN_IDS: ReadonlySet<string> = new Set(['catalog', 'calendar', 'divisions', FLEET_POLICY_ID]);
const isKnownId = (id: string) => KNOWN_IDS.has(id) || id.startsWith(NOTICE_ID_PREFIX);

export function readCountyData(docs: readonly CountyDocument[]): CountyData {
  const problems: DataError[] = [];
  const use = <T>(id: string, parse: (body: unknown) => Result<T, DataError>): T | undefined => {
    const doc = docs.find((candidate) => candidate.id === id);
    if (!doc) return undefined;
    // Storage metadata (`_rev`, …) is the store's, not the county's.
    const body = Object.fromEntries(Object.entries(doc.body).filter(([key]) => !key.startsWith('_')));
    const parsed = parse(body);
    if (parsed.ok) return parsed.value;
    problems.push(parsed.error);
    return undefined;
  };
  const catalog = use('catalog', parseCatalog);
  const calendar = use('calendar', parseWorkingCalendar);
  const divisions = use('divisions', parseDivisionTable);
  const fleetPolicy = use(FLEET_POLICY_ID, parseFleetPolicy);
  const notices = docs
    .filter((doc) => doc.id.startsWith(NOTICE_ID_PREFIX) && !ASIDE.test(doc.id))
    .flatMap((doc) => {
      const notice = use(doc.id, parseNotice);
      return notice ? [{ ...notice, id: doc.id }] : [];
    })
    .sort((a, b) => b.publishedOn.localeCompare(a.publishedOn));
  return {
    loaded: true,
    ...(catalog ? { catalog } : {}),
    ...(calendar ? { calendar } : {}),
    ...(divisions ? { divisions: indexDivisions(divisions) } : {}),
    notices,
    ...(fleetPolicy ? { fleetPolicy } : {}),
    problems,
    unreadable: docs.map((doc) => doc.id).filter((id) => ASIDE.test(id) || !isKnownId(id)),
  };
}

export function countyData$(db: KioskDatabase): Observable<CountyData> {
  return db.county.find().$.pipe(map((docs) => readCountyData(docs.map((doc) => doc.toJSON() as CountyDocument))));
}
