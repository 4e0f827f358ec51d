/**
 * The stored case document, shared by the kiosk's RxDB collection and the hub's validator.
 * It holds the events and a summary derived from them (denormalised so databases can index it);
 * a summary that does not match the events is refused, so no writer can store a status it did not earn.
 *
 * Storage metadata (`_id`, `_rev`, `_deleted`, `_attachments`, `_meta`) belongs to CouchDB/RxDB and
 * is checked by their adapters; the document id is the case number.
 *
 * A newer minor version may add fields and event types (core/compat.ts): they are accepted, kept in
 * the document and carried through every rebuild and merge here, so no writer of this version drops them.
 */
import { z } from 'zod';
import { itemCodeSchema, sectorCodeSchema } from '../catalog/schema.js';
import { canonicalJson } from '../canonical-json.js';
import { readability, unknownFields } from '../compat.js';
import { formatIssues, type DataError, type DataProblem } from '../data-error.js';
import { villageCodeSchema } from '../divisions/code.js';
import { LEVELS } from '../level.js';
import { localDateSchema } from '../local-date-schema.js';
import { err, ok, type Result } from '../result.js';
import { mergeHistories } from './append.js';
import { instantSchema, isEventOf, storedEventSchema, type StoredEvent } from './events.js';
import { foldCase, type CaseHistoryError, type CaseView } from './fold.js';
import { caseNumberSchema, parseCaseNumber } from './number.js';
import { blindIndexSchema, findPlaintextIdNumbers } from './sealed.js';
import { CASE_STATUSES } from './state.js';

export const CASE_DOCUMENT_SCHEMA_VERSION = 1;
export const MAX_EVENTS_PER_CASE = 1000;

export const caseSummarySchema = z.object({
  status: z.enum(CASE_STATUSES),
  currentLevel: z.enum(LEVELS),
  itemCode: itemCodeSchema,
  sector: sectorCodeSchema,
  acceptedOn: localDateSchema,
  clockStartOn: localDateSchema,
  timeLimitWorkingDays: z.number().int().min(0).nullable(),
  updatedAt: instantSchema,
  applicantName: z.string(),
  applicantIdHash: blindIndexSchema,
  eventCount: z.number().int().min(1),
  /** Events that could not take effect in the merged order: a case that needs a person to look. */
  ignoredEventCount: z.number().int().min(0),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseDocumentSchema = z.object({
  kind: z.literal('cunban.case'),
  schemaVersion: z.literal(CASE_DOCUMENT_SCHEMA_VERSION),
  caseNumber: caseNumberSchema,
  village: villageCodeSchema,
  events: z.array(storedEventSchema).min(1).max(MAX_EVENTS_PER_CASE),
  summary: caseSummarySchema,
});
export type CaseDocument = z.infer<typeof caseDocumentSchema>;

/** The fields this version writes; any other (non-`_`) top-level field is a newer version's, carried along. */
const CASE_FIELDS: ReadonlySet<string> = new Set(Object.keys(caseDocumentSchema.shape));

export function summarize(view: CaseView): CaseSummary {
  const { state, timeline } = view;
  return {
    status: state.status,
    currentLevel: state.currentLevel,
    itemCode: state.item.code,
    sector: state.item.sector,
    acceptedOn: state.acceptedOn,
    clockStartOn: state.clockStartOn,
    timeLimitWorkingDays: state.item.timeLimitWorkingDays,
    updatedAt: state.updatedAt,
    applicantName: state.applicant.name,
    applicantIdHash: state.applicant.idNumberHash,
    eventCount: timeline.length,
    ignoredEventCount: timeline.filter((entry) => entry.ignored).length,
  };
}

/** Build the stored document for a history (events in replay order, summary derived). */
export function toCaseDocument(history: readonly StoredEvent[]): Result<CaseDocument, CaseHistoryError> {
  const view = foldCase(history);
  if (!view.ok) return view;
  return ok({
    kind: 'cunban.case',
    schemaVersion: CASE_DOCUMENT_SCHEMA_VERSION,
    caseNumber: view.value.state.caseNumber,
    village: view.value.state.village,
    events: view.value.timeline.map((entry) => entry.event),
    summary: summarize(view.value),
  });
}

/**
 * The document for a new history of a stored case: `toCaseDocument`, keeping the fields a newer
 * version added to `previous`. Every writer that appends to a stored case goes through here.
 */
export function rebuildCaseDocument(previous: CaseDocument, history: readonly StoredEvent[]): Result<CaseDocument, CaseHistoryError> {
  const next = toCaseDocument(history);
  return next.ok ? ok({ ...unknownFields(previous, CASE_FIELDS), ...next.value }) : next;
}

export type CaseMergeError =
  | CaseHistoryError
  | { readonly code: 'case.merge.differentCases' }
  /**
   * Two different registrations under one case number (a number issued twice): two residents' cases,
   * never one. The copies stay apart and a person decides (renderer/data/clash.ts).
   */
  | { readonly code: 'case.merge.twoCreations'; readonly created: readonly [string, string] };

/**
 * The conflict rule for two copies of a case document, used by the kiosk and the hub alike: the union
 * of their events — unless each holds a different registration (two residents: refused) — and of the
 * fields a newer version added (where both copies hold one with different values, the canonically
 * smaller wins, so every replica makes the same choice).
 */
export function mergeCaseDocuments(a: CaseDocument, b: CaseDocument): Result<CaseDocument, CaseMergeError> {
  if (a.caseNumber !== b.caseNumber) return err({ code: 'case.merge.differentCases' });
  const createdA = a.events.find((event) => isEventOf(event, 'created'));
  const createdB = b.events.find((event) => isEventOf(event, 'created'));
  if (createdA && createdB && createdA.id !== createdB.id) {
    return err({ code: 'case.merge.twoCreations', created: [createdA.id, createdB.id].sort() as [string, string] });
  }
  const merged = toCaseDocument(mergeHistories(a.events, b.events));
  if (!merged.ok) return merged;
  const extras = unknownFields(a, CASE_FIELDS);
  for (const [key, value] of Object.entries(unknownFields(b, CASE_FIELDS))) {
    if (!Object.hasOwn(extras, key) || canonicalJson(value) < canonicalJson(extras[key])) extras[key] = value;
  }
  return ok({ ...extras, ...merged.value });
}

function withoutStorageMetadata(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([key]) => !key.startsWith('_')));
}

/**
 * Full validation of a case document from anywhere (kiosk write, hub gateway, migration):
 * schema, unique event ids, parents that exist, case number and village consistent with the
 * `created` event, a summary equal to the one derived from the events, no plaintext ID numbers —
 * in any field, a newer version's too. The value is the document as given (without storage
 * metadata), so what a newer version added stays in it.
 */
export function parseCaseDocument(input: unknown): Result<CaseDocument, DataError> {
  const body = withoutStorageMetadata(input);
  const refuse = (problems: DataProblem[]) => err<DataError>({ code: 'data.invalid', document: 'case', problems });
  const version = readability(body);
  if (!version.readable && version.reason === 'newerVersion') {
    const detail = `written by a newer version of Cunban (case documents of version ${version.major}; this version reads up to ${version.reads})`;
    return refuse([{ path: 'schemaVersion', within: [], field: 'schemaVersion', detail }]);
  }
  const parsed = caseDocumentSchema.safeParse(body);
  if (!parsed.success) return refuse(formatIssues(parsed.error.issues, body));
  const doc = body as CaseDocument;
  const problems: DataProblem[] = [];
  const problem = (path: string, field: string, detail: string) =>
    problems.push({ path, within: [{ collection: 'case', key: doc.caseNumber }], field, detail });

  for (const path of findPlaintextIdNumbers(doc)) {
    problem(path, path, 'contains a resident ID number in plain text; it must be sealed');
  }
  const ids = new Set<string>();
  doc.events.forEach((event, i) => {
    if (ids.has(event.id)) problem(`events[${i}].id`, 'events', `duplicate event id ${event.id}`);
    ids.add(event.id);
  });
  doc.events.forEach((event, i) => {
    event.parents.forEach((parent, p) => {
      if (!ids.has(parent)) problem(`events[${i}].parents[${p}]`, 'events', `unknown parent event ${parent}`);
    });
  });
  const caseVillage = parseCaseNumber(doc.caseNumber);
  if (caseVillage.ok && caseVillage.value.village !== doc.village) {
    problem('village', 'village', `case number belongs to village ${caseVillage.value.village}`);
  }
  if (problems.length > 0) return refuse(problems);

  const derived = toCaseDocument(doc.events);
  if (!derived.ok) {
    problem('events', 'events', 'the history has no valid created event');
    return refuse(problems);
  }
  if (derived.value.caseNumber !== doc.caseNumber) {
    problem('caseNumber', 'caseNumber', `does not match the created event (${derived.value.caseNumber})`);
  }
  if (derived.value.village !== doc.village) {
    problem('village', 'village', `does not match the created event (${derived.value.village})`);
  }
  for (const [key, value] of Object.entries(derived.value.summary)) {
    const stored = doc.summary[key as keyof CaseSummary];
    if (stored !== value) problem(`summary.${key}`, `summary.${key}`, `does not match the events (expected ${String(value)})`);
  }
  return problems.length > 0 ? refuse(problems) : ok(doc);
}
