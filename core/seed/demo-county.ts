/**
 * The demo county shipped with Cunban: Jianshi County (建始县), Hubei — its real division table
 * (NBS 2023), a synthesised 76-item village service catalog, and the 2026 holiday calendar.
 * This is data, loaded and validated like any county's upload; a real county replaces it.
 */
import { parseCatalog } from '../catalog/catalog.js';
import type { Catalog } from '../catalog/schema.js';
import { workingCalendar, workingCalendarSchema, type WorkingCalendar, type WorkingCalendarData } from '../calendar.js';
import { parseDocument, type DataError } from '../data-error.js';
import { parseDivisionTable, type DivisionTable } from '../divisions/table.js';
import type { Result } from '../result.js';
import calendarData from './demo-calendar.json' with { type: 'json' };
import catalogData from './demo-catalog.json' with { type: 'json' };
import divisionData from './demo-divisions.json' with { type: 'json' };

function shipped<T>(result: Result<T, DataError>): T {
  // Shipped seed data is checked by the test suite; reaching this means the build itself is broken.
  if (!result.ok) throw new Error(`shipped ${result.error.document} is invalid: ${JSON.stringify(result.error.problems)}`);
  return result.value;
}

export const demoCatalog = (): Catalog => shipped(parseCatalog(catalogData, 'authored'));
export const demoDivisions = (): DivisionTable => shipped(parseDivisionTable(divisionData, 'authored'));
export const demoCalendarData = (): WorkingCalendarData => shipped(parseDocument(workingCalendarSchema, 'workingCalendar', calendarData, 'authored'));
export const demoCalendar = (): WorkingCalendar => workingCalendar(demoCalendarData());
