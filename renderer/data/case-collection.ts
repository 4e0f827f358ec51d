/**
 * The kiosk's case collection: core/'s stored case document plus RxDB's primary key `id` (= case number).
 * The key must be a field of its own: RxDB's CouchDB replication moves the primary key into `_id`
 * when it pushes, and `caseNumber` must stay in the document for the hub to validate it.
 */
import type { RxConflictHandler, RxJsonSchema } from 'rxdb';
import { mergeCaseDocuments, type CaseDocument } from '../../core/case/document.js';
import { canonicalJson } from '../../core/canonical-json.js';
import { readability } from '../../core/compat.js';

export type StoredCase = CaseDocument & { readonly id: string };

const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;

export const caseSchema: RxJsonSchema<StoredCase> = {
  // 1: residents' names, addresses and notes encrypted at rest (at-rest.ts); nothing else changed.
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: text(40),
    kind: { type: 'string' },
    schemaVersion: { type: 'integer' },
    caseNumber: text(40),
    village: text(12),
    events: { type: 'array', items: { type: 'object' } },
    summary: {
      type: 'object',
      properties: {
        status: text(24),
        currentLevel: text(8),
        itemCode: text(12),
        sector: text(8),
        acceptedOn: text(10),
        clockStartOn: text(10),
        timeLimitWorkingDays: { type: ['integer', 'null'] },
        updatedAt: text(24),
        applicantName: text(64),
        applicantIdHash: text(64),
        eventCount: { type: 'integer' },
        ignoredEventCount: { type: 'integer' },
      },
      required: ['status', 'acceptedOn', 'updatedAt', 'applicantIdHash', 'applicantName'],
    },
  },
  required: ['id', 'kind', 'schemaVersion', 'caseNumber', 'village', 'events', 'summary'],
  indexes: ['summary.status', 'summary.updatedAt', 'summary.applicantIdHash', 'summary.acceptedOn'],
  // Never a field a query selects on: the storage sees these sealed.
  encrypted: ['events', 'summary.applicantName'],
};

/** Each schema version's step from the one before: 1 only seals what 0 kept in the clear. */
export const caseMigrations = { 1: (doc: StoredCase) => doc };

export const toStoredCase = (doc: CaseDocument): StoredCase => ({ id: doc.caseNumber, ...doc });

/** The case document of a stored one — RxDB's (`id`, `_meta`, …) or CouchDB's (`_id`, `_rev`, …): storage metadata off. */
export function fromStoredCase(stored: Record<string, unknown>): CaseDocument {
  return Object.fromEntries(Object.entries(stored).filter(([key]) => key !== 'id' && !key.startsWith('_'))) as unknown as CaseDocument;
}

/**
 * Whether this version can read a document of the collection as a case. The village database may also
 * hold documents a newer version wrote — other kinds, or a newer major version of a case: they are kept
 * here as they came and passed on, but no screen shows or edits them (core/compat.ts).
 */
export function isReadableCase(stored: { readonly kind?: unknown; readonly schemaVersion?: unknown }): boolean {
  const version = readability(stored);
  return version.readable && version.kind === 'cunban.case';
}

const eventIds = (doc: CaseDocument) =>
  doc.events
    .map((event) => event.id)
    .sort()
    .join('\n');

/** Cases are the same state when they hold the same events; a document this version cannot read, when its content is the same. */
function sameState(a: StoredCase, b: StoredCase): boolean {
  if (isReadableCase(a) && isReadableCase(b)) return eventIds(a) === eventIds(b);
  return canonicalJson(fromStoredCase(a)) === canonicalJson(fromStoredCase(b));
}

/**
 * Two copies are the same case state when they hold the same events: every other field is derived.
 * Resolving is core/'s merge — the union of events — so it is deterministic and idempotent, and a
 * retry after a lost reply or a concurrent county decision never drops an event.
 */
export const caseConflictHandler: RxConflictHandler<StoredCase> = {
  isEqual: (a, b) => a._deleted === b._deleted && sameState(a, b),
  resolve(input) {
    const mine = fromStoredCase(input.newDocumentState);
    const theirs = fromStoredCase(input.realMasterState);
    // A document this version cannot read is never merged (it would lose what it does not know): the hub's copy stands.
    if (!isReadableCase(mine) || !isReadableCase(theirs)) return Promise.resolve(input.realMasterState);
    const merged = mergeCaseDocuments(mine, theirs);
    if (merged.ok) return Promise.resolve({ ...toStoredCase(merged.value), _deleted: false });
    // Two registrations under one number: this kiosk keeps its own; the hub refuses it as a clash, and the
    // clerk registers it again under a new number (clash.ts). Never merged into the other resident's case.
    return Promise.resolve(merged.error.code === 'case.merge.twoCreations' ? input.newDocumentState : input.realMasterState);
  },
};
