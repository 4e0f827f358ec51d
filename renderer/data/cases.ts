/**
 * The counter's case API over the local database: every write goes through core/'s rules (appendEvent)
 * atomically per case, so a refused action changes nothing and an accepted one is never half-written.
 * Works entirely offline; sync.ts carries the results to the hub.
 */
import { map, type Observable } from 'rxjs';
import { appendEvent, type AppendError, type EventDraft } from '../../core/case/append.js';
import { rebuildCaseDocument, toCaseDocument, type CaseDocument } from '../../core/case/document.js';
import type { StoredEvent } from '../../core/case/events.js';
import type { CaseHistoryError } from '../../core/case/fold.js';
import { err, ok, type Result } from '../../core/result.js';
import { fromStoredCase, isReadableCase, toStoredCase } from './case-collection.js';
import type { KioskDatabase } from './kiosk-database.js';
import { isQuotaError, STORAGE_FULL, type StorageFull } from './storage-health.js';

export type CaseWriteError =
  | AppendError
  | { readonly code: 'case.notFound' }
  | { readonly code: 'case.numberTaken'; readonly caseNumber: string }
  /** The stored case was written by a newer version of Cunban: this kiosk keeps it but must be updated to work on it. */
  | { readonly code: 'case.newerVersion' }
  | StorageFull;

export interface CaseStore {
  /** Accept a new application: `draft` is its `created` event. */
  create(draft: EventDraft & { type: 'created' }): Promise<Result<CaseDocument, CaseWriteError>>;
  /**
   * Accept a new application with what the clerk did at the same sitting (checklist, forward, …):
   * all of it is checked by the rules and written as one document, or nothing is written.
   */
  register(drafts: readonly EventDraft[]): Promise<Result<CaseDocument, CaseWriteError>>;
  /** Every case this version can read, again on each change (local writes and what sync brings). */
  all$(): Observable<CaseDocument[]>;
  /** Record one more event on a case, if the rules allow it now. */
  append(caseNumber: string, draft: EventDraft): Promise<Result<CaseDocument, CaseWriteError>>;
  get(caseNumber: string): Promise<CaseDocument | undefined>;
  /** Cases of one applicant, found by the blind index of the full ID number. */
  findByIdNumberHash(hash: string): Promise<CaseDocument[]>;
  all(): Promise<CaseDocument[]>;
}

class Refused extends Error {
  constructor(readonly error: CaseWriteError) {
    super(error.code);
  }
}

/** appendEvent has just folded these events successfully, so they always make a document. */
function certain(doc: Result<CaseDocument, CaseHistoryError>): CaseDocument {
  if (!doc.ok) throw new Error(doc.error.code);
  return doc.value;
}

const readableCases = (docs: readonly { toJSON(): unknown }[]): CaseDocument[] =>
  docs
    .map((doc) => doc.toJSON() as Record<string, unknown>)
    .filter(isReadableCase)
    .map(fromStoredCase);

export function caseStore(db: KioskDatabase): CaseStore {
  const register = async (drafts: readonly EventDraft[]): Promise<Result<CaseDocument, CaseWriteError>> => {
    let events: StoredEvent[] = [];
    for (const draft of drafts) {
      const next = appendEvent(events, draft);
      if (!next.ok) return next;
      events = next.value;
    }
    if (events.length === 0) return err({ code: 'case.history.noCreatedEvent' });
    const doc = certain(toCaseDocument(events));
    if (await db.cases.findOne(doc.caseNumber).exec()) return err({ code: 'case.numberTaken', caseNumber: doc.caseNumber });
    try {
      await db.cases.insert(toStoredCase(doc));
    } catch (error) {
      if (isQuotaError(error)) return err(STORAGE_FULL);
      throw error;
    }
    return ok(doc);
  };

  return {
    create: (draft) => register([draft]),
    register,

    async append(caseNumber, draft) {
      const current = await db.cases.findOne(caseNumber).exec();
      if (!current) return err({ code: 'case.notFound' });
      let written: CaseDocument | undefined;
      try {
        // incrementalModify runs against the latest stored state, serialised with sync's own writes.
        await current.incrementalModify((data) => {
          if (!isReadableCase(data)) throw new Refused({ code: 'case.newerVersion' });
          const stored = fromStoredCase(data);
          const next = appendEvent(stored.events, draft);
          if (!next.ok) throw new Refused(next.error);
          // Fields a newer version added to the case stay in it (core/compat.ts).
          written = certain(rebuildCaseDocument(stored, next.value));
          return { ...data, ...toStoredCase(written) };
        });
      } catch (error) {
        if (error instanceof Refused) return err(error.error);
        if (isQuotaError(error)) return err(STORAGE_FULL);
        throw error;
      }
      return written ? ok(written) : err({ code: 'case.notFound' });
    },

    async get(caseNumber) {
      const found = await db.cases.findOne(caseNumber).exec();
      return found ? readableCases([found])[0] : undefined;
    },

    async findByIdNumberHash(hash) {
      return readableCases(await db.cases.find({ selector: { 'summary.applicantIdHash': hash } }).exec());
    },

    all$() {
      return db.cases.find().$.pipe(map(readableCases));
    },

    async all() {
      return readableCases(await db.cases.find().exec());
    },
  };
}
