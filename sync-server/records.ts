/**
 * Quarantine and audit records. Ids sort by kiosk and time so the console and the fleet view can count
 * and page them with `_all_docs` ranges alone — no index, the same on both stores.
 */
import { randomBytes } from 'node:crypto';
import { redactPlaintextIdNumbers, redactText } from '../core/case/sealed.js';
import type { KioskDoc } from './kiosks.js';
import { DB } from './store/names.js';
import type { Store, StoreResult } from './store/store.js';

export interface QuarantineEntry {
  readonly docId: string;
  readonly reason: string;
  /** What kind of refusal, where the kiosk and the console can act on it (`case.clash`). */
  readonly code?: string;
  /** The refused document, with anything that looks like an ID number masked: quarantine is no back door. */
  readonly doc: unknown;
}

const suffix = () => randomBytes(4).toString('hex');

export async function quarantine(store: Store, kiosk: KioskDoc, db: string, entries: readonly QuarantineEntry[], now: Date): Promise<StoreResult<unknown>> {
  const at = now.toISOString();
  const docs = entries.map((entry) => ({
    _id: `q:${kiosk.kioskId}:${at}:${suffix()}`,
    type: 'quarantine',
    kioskId: kiosk.kioskId,
    village: kiosk.village,
    db,
    // The refused document's id is the kiosk's to choose: masked like everything else in it.
    docId: redactText(entry.docId),
    reason: entry.reason,
    ...(entry.code ? { code: entry.code } : {}),
    doc: redactPlaintextIdNumbers(entry.doc),
    at,
  }));
  return store.request({ db: store.dbName(DB.quarantine), path: '_bulk_docs', method: 'POST', body: { docs } });
}

/** Per kiosk, the refused documents nobody has resolved yet (the console's and the CLI's one count). */
export async function openRefusalCounts(store: Store): Promise<StoreResult<Map<string, number>>> {
  const docs = await store.docsWithPrefix<{ kioskId: string; resolvedAt?: string }>(DB.quarantine, 'q:');
  if (!docs.ok) return docs;
  const open = new Map<string, number>();
  for (const doc of docs.value) if (!doc.resolvedAt) open.set(doc.kioskId, (open.get(doc.kioskId) ?? 0) + 1);
  return { ok: true, value: open };
}

export async function auditWrite(store: Store, kiosk: KioskDoc, db: string, docIds: readonly string[], now: Date): Promise<StoreResult<unknown>> {
  const at = now.toISOString();
  return store.putDoc(DB.audit, {
    _id: `a:${at}:${kiosk.kioskId}:${suffix()}`,
    type: 'write',
    kioskId: kiosk.kioskId,
    village: kiosk.village,
    db,
    docIds,
    at,
  });
}
