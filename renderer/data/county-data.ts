/**
 * The county's documents as the counter uses them: catalog, calendar, divisions and notices, pulled
 * by sync into the `county` collection and validated by core/ before any screen sees them. A document
 * that fails validation is reported, never half-used.
 */
import { map, type Observable } from 'rxjs';
import { parseWorkingCalendar, type WorkingCalendar } from '../../core/calendar.js';
import { parseCatalog } from '../../core/catalog/catalog.js';
import type { Catalog } from '../../core/catalog/schema.js';
import type { DataError } from '../../core/data-error.js';
import { indexDivisions, parseDivisionTable, type DivisionIndex } from '../../core/divisions/table.js';
import { NOTICE_ID_PREFIX, parseNotice, type Notice } from '../../core/notice.js';
import type { Result } from '../../core/result.js';
import type { CountyDocument, KioskDatabase } from './kiosk-database.js';

export interface CountyData {
  /** Absent until the first pull from the hub brings it. */
  readonly catalog?: Catalog;
  readonly calendar?: WorkingCalendar;
  readonly divisions?: DivisionIndex;
  readonly notices: readonly (Notice & { readonly id: string })[];
  /** County documents that failed validation: shown to the technician, not used. */
  readonly problems: readonly DataError[];
}

/** Before the first pull: nothing yet. */
export const NO_COUNTY_DATA: CountyData = { notices: [], problems: [] };

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
  const notices = docs
    .filter((doc) => doc.id.startsWith(NOTICE_ID_PREFIX))
    .flatMap((doc) => {
      const notice = use(doc.id, parseNotice);
      return notice ? [{ ...notice, id: doc.id }] : [];
    })
    .sort((a, b) => b.publishedOn.localeCompare(a.publishedOn));
  return {
    ...(catalog ? { catalog } : {}),
    ...(calendar ? { calendar } : {}),
    ...(divisions ? { divisions: indexDivisions(divisions) } : {}),
    notices,
    problems,
  };
}

export function countyData$(db: KioskDatabase): Observable<CountyData> {
  return db.county.find().$.pipe(map((docs) => readCountyData(docs.map((doc) => doc.toJSON() as CountyDocument))));
}
