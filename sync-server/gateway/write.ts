/**
 * A kiosk's write of case documents (`_bulk_docs`, or one document by `PUT`): each checked against what the
 * hub holds (case-writes.ts), the allowed ones written in one store request, the refused ones kept in
 * quarantine with their reason, and an answer per document in CouchDB's shape.
 */
import { mergeCaseConflicts } from '../case-conflicts.js';
import { refuseCaseWrite, type WriteRefusal } from '../case-writes.js';
import { refuseHallWrite } from '../hall-writes.js';
import { indexHallIds } from '../resident/code-index.js';
import { carryOver, refuseWriteFrom } from '../gateway-readers.js';
import { failure, type HttpReply } from '../http/kit.js';
import { readCountyData, type CountyData } from '../provision.js';
import { auditWrite, quarantine, type QuarantineEntry } from '../records.js';
import type { GatewayContext } from './context.js';
import { fromStore, type Scoped } from './scoped.js';

export type WriteOutcome = { ok: true; results: unknown[] } | { ok: false; reply: HttpReply };
export type WriteCases = (s: Scoped, docs: readonly unknown[], newEdits: boolean) => Promise<WriteOutcome>;

/** Why a document may not be written to the scoped database, or undefined. */
function refuseWrite(
  s: Scoped,
  doc: unknown,
  before: Record<string, unknown> | undefined,
  newEdits: boolean,
  now: Date,
  county: CountyData | undefined,
): WriteRefusal | undefined {
  if (s.database === 'hall') {
    // A replicator's revision could open a second branch of an appointment: hall documents take edits only.
    if (!newEdits) return { reason: 'A hall database takes edits only (new_edits=false is not accepted).' };
    return county ? refuseHallWrite(doc, s.kiosk, before, now, county) : { reason: 'The county data is not readable on the hub just now.' };
  }
  const legacy = refuseWriteFrom(s.reader, before);
  return legacy === undefined ? refuseCaseWrite(doc, s.kiosk, before as Parameters<typeof refuseCaseWrite>[2], newEdits) : { reason: legacy };
}

export function writeCases(ctx: GatewayContext): WriteCases {
  const { store, now, log } = ctx;
  /** Validate each document, write the allowed ones, answer per document in CouchDB's shape. */
  async function write(s: Scoped, docs: readonly unknown[], newEdits: boolean): Promise<WriteOutcome> {
    const idOf = (doc: unknown) => {
      const id = (doc as { _id?: unknown } | null)?._id;
      return typeof id === 'string' ? id : undefined;
    };
    const keys = docs.map(idOf).filter((id): id is string => id !== undefined && !id.startsWith('_'));
    const current = await store.request<{ rows: { id?: string; doc?: (Record<string, unknown> & { _rev: string }) | null }[] }>({
      db: s.db,
      path: '_all_docs',
      method: 'POST',
      qs: { include_docs: true },
      body: { keys },
    });
    if (!current.ok) return { ok: false, reply: fromStore(current) };
    const stored = new Map(current.value.rows.flatMap((row) => (row.id && row.doc ? [[row.id, row.doc] as const] : [])));

    // A hall's documents are judged against the county's catalog and calendar (an appeal's routing and answers).
    let county: CountyData | undefined;
    if (s.database === 'hall') {
      const read = await readCountyData(store);
      if (!read.ok) return { ok: false, reply: failure(503, 'store_unavailable', 'The county data cannot be read just now.') };
      county = read.value;
    }
    const refusals = new Map<number, QuarantineEntry>();
    const accepted: { _id: string }[] = [];
    docs.forEach((doc, index) => {
      const id = idOf(doc);
      const before = id === undefined ? undefined : stored.get(id);
      const refused = refuseWrite(s, doc, before, newEdits, now(), county);
      if (refused) refusals.set(index, { docId: id ?? '', ...refused, doc });
      // A replicator's revision (new_edits=false) is stored exactly as sent; an edit keeps what its writer did not know.
      else accepted.push((newEdits ? carryOver(s.reader, doc as Record<string, unknown>, before) : doc) as { _id: string });
    });

    // With new_edits=true CouchDB answers one row per document; with new_edits=false only the failures.
    let written: { id: string; ok?: boolean; rev?: string; error?: string; reason?: string }[] = [];
    if (accepted.length > 0) {
      const result = await store.request<typeof written>({
        db: s.db,
        path: '_bulk_docs',
        method: 'POST',
        body: { docs: accepted, new_edits: newEdits },
      });
      if (!result.ok) return { ok: false, reply: fromStore(result) };
      written = result.value;
    }
    const at = now();
    ctx.metrics?.pushedDocuments.inc({ outcome: 'accepted' }, accepted.length);
    ctx.metrics?.pushedDocuments.inc({ outcome: 'refused' }, refusals.size);
    if (refusals.size > 0) {
      const q = await quarantine(store, s.kiosk, s.publicDb, [...refusals.values()], at);
      if (!q.ok) log(`quarantine write failed for ${s.kiosk.kioskId}: ${q.error.reason}`);
    }
    const failed = new Set(written.filter((row) => row.error).map((row) => row.id));
    const committed = newEdits ? written.filter((row) => row.ok).map((row) => row.id) : accepted.map((doc) => doc._id).filter((id) => !failed.has(id));
    if (committed.length > 0) {
      // A replicator's write (new_edits=false) may have opened a second branch beside a decision: merge now.
      if (!newEdits && s.database === 'village') {
        const merged = await mergeCaseConflicts(store, s.kiosk.village, committed);
        if (!merged.ok) log(`merging conflicts in village ${s.kiosk.village} failed (the sweep retries): ${merged.error.reason}`);
      }
      const a = await auditWrite(store, s.kiosk, s.publicDb, committed, at);
      if (!a.ok) log(`audit write failed for ${s.kiosk.kioskId}: ${a.error.reason}`);
      ctx.touch(s.kiosk, 'lastPushAt');
      if (s.database === 'village') ctx.onVillageWritten?.(s.kiosk.village);
      // A booking or an appeal raised at the counter: its code now leads the residents' page to it.
      if (s.database === 'hall') {
        const indexed = await indexHallIds(store, s.kiosk.village, committed);
        if (!indexed.ok) log(`indexing hall codes of village ${s.kiosk.village} failed: ${indexed.error.reason}`);
      }
    }
    // CouchDB's per-document shape; hubs since 0.2.0 add what kind of refusal it is, which other clients ignore.
    const refusalOf = (entry: QuarantineEntry) => ({
      id: entry.docId,
      error: 'forbidden',
      reason: entry.reason,
      ...(entry.code ? { cunban: { code: entry.code } } : {}),
    });
    if (!newEdits) return { ok: true, results: [...[...refusals.values()].map(refusalOf), ...written] };
    // Pair answers to documents by id, not by position: a store need not keep the request's order.
    const answers = new Map<string, (typeof written)[number][]>();
    for (const row of written) answers.set(row.id, [...(answers.get(row.id) ?? []), row]);
    return {
      ok: true,
      results: docs.map((doc, index) => {
        const refused = refusals.get(index);
        if (refused) return refusalOf(refused);
        const id = (doc as { _id: string })._id;
        return answers.get(id)?.shift() ?? { id, error: 'unknown', reason: 'The store gave no answer for this document.' };
      }),
    };
  }
  return write;
}
