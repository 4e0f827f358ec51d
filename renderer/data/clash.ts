/**
 * A case number clash: the hub already holds another application under a number this kiosk issued (a
 * kiosk database restored from a backup can issue a number twice; see case-numbers.ts). The hub refuses
 * the second registration (`case.clash`) and the kiosk keeps it. The clerk resolves it here: the
 * registration is written again, whole, under a new number — events, checklist and scans — and the case
 * number it had goes back to the application the hub holds. The clerk then gives the resident a new
 * receipt; the old one names the other application.
 */
import { appendEvent, type EventDraft } from '../../core/case/append.js';
import { toCaseDocument } from '../../core/case/document.js';
import { isCaseEvent, isEventOf, type StoredEvent } from '../../core/case/events.js';
import { err, ok, type Result } from '../../core/result.js';
import { fromStoredCase, isReadableCase, toStoredCase } from './case-collection.js';
import type { CaseNumbers, NumberingError } from './case-numbers.js';
import type { KioskDatabase } from './kiosk-database.js';
import { isQuotaError, STORAGE_FULL, type StorageFull } from './storage-health.js';

export type ClashError =
  { readonly code: 'clash.notRefused' } | { readonly code: 'case.notFound' } | { readonly code: 'clash.hubUnreachable' } | NumberingError | StorageFull;

export interface ClashParts {
  readonly db: KioskDatabase;
  readonly caseNumbers: CaseNumbers;
  /** Whether the hub refused `caseNumber` as a clash, still unsettled. */
  readonly isClash: (caseNumber: string) => boolean;
  /** The registration the hub refused, as the kiosk sent it (sync-ledger.ts): a pull may since have replaced the local copy. */
  readonly refusedDocument: (caseNumber: string) => Record<string, unknown> | undefined;
  /** The hub's own case under that number, fetched through the gateway; undefined when unreachable. */
  readonly hubCase: (caseNumber: string) => Promise<Record<string, unknown> | undefined>;
  /** Forget the replication's copy of the hub's state of these cases (replication-meta.ts). */
  readonly forgetHubCopies: (ids: readonly string[]) => Promise<void>;
  /** The refusal is settled: no longer shown. */
  readonly settle: (caseNumber: string) => Promise<void>;
}

/**
 * Whether taking the hub's `incoming` copy of a case would replace a registration this kiosk holds under
 * that number: the local copy was created by an event the hub's copy does not have. It happens when the
 * hub granted a number twice after forgetting it (restored from a backup) and the other kiosk's case got
 * there first; the kiosk's own registration must then be kept apart as a clash, never overwritten.
 */
export function pullWouldReplaceRegistration(
  local: { readonly events: readonly StoredEvent[] },
  incoming: { readonly events?: readonly StoredEvent[] },
): boolean {
  const theirs = new Set((incoming.events ?? []).map((event) => event.id));
  return local.events.some((event) => event.type === 'created' && !theirs.has(event.id));
}

/** Event ids are unique within a case; the copies keep their origin readable. */
const copiedId = (id: string) => `${id.slice(0, 77)}.rn`;

/** The same registration under `caseNumber`: every event replayed with its own time and clerk. */
function renumbered(events: readonly StoredEvent[], caseNumber: string): Result<StoredEvent[], { code: string }> {
  let history: StoredEvent[] = [];
  for (const event of events) {
    if (!isCaseEvent(event)) continue;
    const { parents: _parents, ...rest } = event;
    const draft = (isEventOf(event, 'created') ? { ...rest, payload: { ...event.payload, caseNumber } } : rest) as EventDraft;
    const next = appendEvent(history, { ...draft, id: copiedId(event.id) });
    if (!next.ok) return next;
    history = next.value;
  }
  return ok(history);
}

/** Register the kiosk's side of a clash again under a new number; returns the new number. */
export async function registerClashAgain(parts: ClashParts, caseNumber: string): Promise<Result<string, ClashError>> {
  const { db } = parts;
  if (!parts.isClash(caseNumber)) return err({ code: 'clash.notRefused' });
  const local = await db.cases.findOne(caseNumber).exec();
  const refused = parts.refusedDocument(caseNumber) ?? local?.toJSON();
  if (!refused || !isReadableCase(refused)) return err({ code: 'case.notFound' });
  const theirs = await parts.hubCase(caseNumber);
  if (!theirs) return err({ code: 'clash.hubUnreachable' });
  const number = await parts.caseNumbers.next();
  if (!number.ok) return number;
  const mine = fromStoredCase(refused);
  const history = renumbered(mine.events, number.value);
  const doc = history.ok ? toCaseDocument(history.value) : undefined;
  // The kiosk's own registration replays under its own rules; only a corrupted one could fail here.
  if (!doc?.ok) return err({ code: 'case.notFound' });
  try {
    await db.cases.insert(toStoredCase(doc.value));
    // The scans go with the registration.
    for (const file of await db.files.find({ selector: { caseNumber } }).exec()) {
      const content = file.getAttachment('content');
      const { materialId, sha256, size, contentType } = file;
      const copy = await db.files.insert({ id: `${number.value}:${sha256}`, caseNumber: number.value, materialId, sha256, size, contentType, uploaded: false });
      if (content) await copy.putAttachment({ id: 'content', data: await content.getData(), type: file.contentType });
      await file.remove();
    }
    // The number goes back to the hub's application: this kiosk takes the hub's copy as it is.
    await parts.forgetHubCopies([caseNumber]);
    const hubCopy = toStoredCase(fromStoredCase(theirs));
    if (local) await local.incrementalModify(() => ({ ...hubCopy, _deleted: false }));
    else await db.cases.insert(hubCopy);
  } catch (error) {
    if (isQuotaError(error)) return err(STORAGE_FULL);
    throw error;
  }
  await parts.settle(caseNumber);
  return ok(number.value);
}
