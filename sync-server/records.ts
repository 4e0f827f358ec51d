/**
 * Quarantine and audit records. Ids sort by kiosk and time so the console and the fleet view can count
 * and page them with `_all_docs` ranges alone — no index, the same on both stores.
 */
import { randomBytes } from 'node:crypto';
import { redactPlaintextIdNumbers } from '../core/case/sealed.js';
import type { KioskDoc } from './kiosks.js';
import { DB } from './store/names.js';
import type { Store, StoreResult } from './store/store.js';

export interface QuarantineEntry {
  readonly docId: string;
  readonly reason: string;
  /** The refused document, with anything that looks like an ID number masked: quarantine is no back door. */
  readonly doc: unknown;
}

const suffix = () => randomBytes(4).toString('hex');

export async function quarantine(
  store: Store,
  kiosk: KioskDoc,
  db: string,
  entries: readonly QuarantineEntry[],
  now: Date,
): Promise<StoreResult<unknown>> {
  const at = now.toISOString();
  const docs = entries.map((entry) => ({
    _id: `q:${kiosk.kioskId}:${at}:${suffix()}`,
    type: 'quarantine',
    kioskId: kiosk.kioskId,
    village: kiosk.village,
    db,
    docId: entry.docId,
    reason: entry.reason,
    doc: redactPlaintextIdNumbers(entry.doc),
    at,
  }));
  return store.request({ db: store.dbName(DB.quarantine), path: '_bulk_docs', method: 'POST', body: { docs } });
}

export async function countQuarantined(store: Store, kioskId: string): Promise<StoreResult<number>> {
  const ids = await store.idsWithPrefix(DB.quarantine, `q:${kioskId}:`);
  return ids.ok ? { ok: true, value: ids.value.length } : ids;
}

export async function auditWrite(
  store: Store,
  kiosk: KioskDoc,
  db: string,
  docIds: readonly string[],
  now: Date,
): Promise<StoreResult<unknown>> {
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
