/**
 * Writing an event to a case on the hub (a town or county decision): read the case, append through
 * core/'s rules, write it back with the revision read. A 409 means a kiosk's push landed in between:
 * re-read and append again onto the newer history, so neither side's events are ever overwritten.
 * The kiosk receives the result by live sync.
 */
import { appendEvent, type AppendError, type EventDraft } from '../core/case/append.js';
import { parseCaseDocument, rebuildCaseDocument, type CaseDocument } from '../core/case/document.js';
import { err, ok, type Result } from '../core/result.js';
import { villageDb } from './store/names.js';
import type { Store, StoreFailure } from './store/store.js';

export type HubCaseWriteError =
  | AppendError
  | { readonly code: 'case.notFound' }
  | { readonly code: 'case.storedInvalid' }
  | { readonly code: 'case.writeContended' }
  | { readonly code: 'store'; readonly failure: StoreFailure };

const MAX_ATTEMPTS = 10;

/** A short, growing, jittered pause between attempts, so racing writers stop colliding in step. */
const pause = (attempt: number) => new Promise((resume) => setTimeout(resume, attempt * 15 + Math.random() * 25));

export async function appendCaseEventOnHub(
  store: Store,
  village: string,
  caseNumber: string,
  draft: EventDraft,
): Promise<Result<CaseDocument, HubCaseWriteError>> {
  const db = villageDb(village);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const stored = await store.getDoc<Record<string, unknown>>(db, caseNumber);
    if (!stored.ok) return err(stored.error.status === 404 ? { code: 'case.notFound' } : { code: 'store', failure: stored.error });
    const current = parseCaseDocument(stored.value);
    if (!current.ok) return err({ code: 'case.storedInvalid' });
    // A retry after a lost reply whose first write in fact landed: the event is there, which is the goal.
    if (current.value.events.some((event) => event.id === draft.id)) return ok(current.value);
    const events = appendEvent(current.value.events, draft);
    if (!events.ok) return events;
    // Fields a kiosk of a newer version added stay in the case (core/compat.ts).
    const next = rebuildCaseDocument(current.value, events.value);
    if (!next.ok) return next;
    const written = await store.putDoc(db, { ...next.value, _id: caseNumber, _rev: stored.value._rev });
    if (written.ok) return ok(next.value);
    if (written.error.status !== 409) return err({ code: 'store', failure: written.error });
    await pause(attempt);
  }
  return err({ code: 'case.writeContended' });
}
