/**
 * What each kiosk is served, by the version of the compatibility rule it follows (core/compat.ts).
 *
 * A kiosk that follows the rule (it sends `?cunban_compat=1` with every gateway request) is served every
 * document as stored: it keeps what it cannot read. Cunban 0.1.0 came before the rule and reads
 * strictly: a field, an event type or a kind it does not know makes it refuse a county document or
 * fail on a case. Such a kiosk is served only what 0.1.0 reads — its case kind and event types, and
 * county documents reduced to 0.1.0's fields; anything else waits on the hub, unaltered, until the
 * kiosk is updated. Its writes to a case held back from it are refused, never merged blind.
 */
import { parseCatalog } from '../core/catalog/catalog.js';
import { workingCalendarSchema } from '../core/calendar.js';
import { COMPAT_LEVEL, COMPAT_PARAM, documentVersion, LEGACY_EVENT_TYPES, readability, unknownFields } from '../core/compat.js';
import { parseDocument } from '../core/data-error.js';
import { divisionTableSchema } from '../core/divisions/table.js';
import { NOTICE_ID_PREFIX, parseNotice } from '../core/notice.js';
import type { Result } from '../core/result.js';
import type { DataError } from '../core/data-error.js';

export type Reader = 'current' | 'legacy';

/** The reader a gateway request comes from. */
export function readerOf(url: URL): Reader {
  const level = Number(url.searchParams.get(COMPAT_PARAM));
  return Number.isInteger(level) && level >= COMPAT_LEVEL ? 'current' : 'legacy';
}

type Doc = Record<string, unknown> & { readonly _id?: string };

const storageMetadata = (doc: Doc) => Object.fromEntries(Object.entries(doc).filter(([key]) => key.startsWith('_')));

/** A case 0.1.0 can read: version 1, with only the event types it knows. */
function legacyReadsCase(doc: Doc): boolean {
  const version = readability(doc);
  if (!version.readable || version.kind !== 'cunban.case' || version.major !== 1) return false;
  const events = Array.isArray(doc.events) ? (doc.events as { type?: unknown }[]) : [];
  return events.every((event) => typeof event.type === 'string' && LEGACY_EVENT_TYPES.has(event.type));
}

/** 0.1.0 read each county document strictly: it gets the fields of version 1 and nothing more. */
const LEGACY_COUNTY_PARSERS: Readonly<Record<string, (doc: unknown) => Result<object, DataError>>> = {
  catalog: parseCatalog,
  divisions: (doc) => parseDocument(divisionTableSchema, 'divisionTable', doc),
  calendar: (doc) => parseDocument(workingCalendarSchema, 'workingCalendar', doc),
};

function legacyCountyDocument(doc: Doc): Doc | undefined {
  const id = doc._id ?? '';
  const parse = id.startsWith(NOTICE_ID_PREFIX) ? parseNotice : Object.hasOwn(LEGACY_COUNTY_PARSERS, id) ? LEGACY_COUNTY_PARSERS[id] : undefined;
  // Documents 0.1.0 does not look up (the fleet policy, kinds yet to come) it stores and ignores.
  if (!parse) return doc;
  if (!readability(doc).readable) return undefined;
  const parsed = parse(doc);
  // Not valid for this hub either: passed on as it is, for the kiosk to report like any bad document.
  if (!parsed.ok) return doc;
  const { schemaVersion: _carriedSince020, ...legacy } = parsed.value as Record<string, unknown>;
  // Notices carry a version since 0.2.0; the other county documents always did.
  const fields = id.startsWith(NOTICE_ID_PREFIX) ? legacy : parsed.value;
  return { ...storageMetadata(doc), ...fields };
}

/**
 * The document as `reader` may see it, or undefined when it is held back from that reader. Deletions
 * pass: every version understands a deleted document.
 */
export function presentTo(reader: Reader, database: 'village' | 'hall' | 'catalog', doc: Doc): Doc | undefined {
  // A hall database came after the rule: only kiosks that follow it ask for one.
  if (reader === 'current' || doc._deleted === true || database === 'hall') return doc;
  if (database === 'village') return legacyReadsCase(doc) ? doc : undefined;
  return legacyCountyDocument(doc);
}

/** Why a write from `reader` to a stored case is refused, or undefined. */
export function refuseWriteFrom(reader: Reader, stored: Doc | undefined): string | undefined {
  if (reader === 'current' || !stored || legacyReadsCase(stored)) return undefined;
  const { major } = documentVersion(stored);
  return major > 1
    ? `This case was written by a newer version of Cunban (case documents of version ${major}); update this kiosk to work on it.`
    : 'This case holds entries written by a newer version of Cunban; update this kiosk to work on it.';
}

/** 0.1.0's case fields: what such a kiosk's merge may drop, and the hub puts back. */
const LEGACY_CASE_FIELDS: ReadonlySet<string> = new Set(['kind', 'schemaVersion', 'caseNumber', 'village', 'events', 'summary']);

/**
 * A 0.1.0 kiosk's write of a case, with the fields it does not know carried over from the stored
 * case: its conflict merge rebuilds the document from the fields it knows, and would otherwise drop
 * what a newer version added. A kiosk that follows the rule keeps them itself.
 */
export function carryOver(reader: Reader, incoming: Doc, stored: Doc | undefined): Doc {
  if (reader === 'current' || !stored) return incoming;
  return { ...unknownFields(stored, LEGACY_CASE_FIELDS), ...incoming };
}
