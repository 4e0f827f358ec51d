/**
 * What every endpoint of the sync gateway shares: the request scoped to one kiosk and one database, and the
 * rows of a feed or a listing as that kiosk may see them.
 */
import type { HttpReply } from '../http/kit.js';
import { failure, reply } from '../http/kit.js';
import { presentTo, type Reader } from '../gateway-readers.js';
import type { KioskDoc } from '../kiosks.js';
import type { StoreResult } from '../store/store.js';

export type Access = 'read' | 'write';

export interface Scoped {
  readonly kiosk: KioskDoc;
  readonly publicDb: string;
  readonly db: string;
  readonly access: Access;
  readonly database: 'village' | 'hall' | 'catalog';
  /** Which documents the kiosk is served, by the compatibility rule it follows (gateway-readers.ts). */
  readonly reader: Reader;
}

export type Row = { readonly id?: string; readonly key?: unknown; readonly doc?: Record<string, unknown> | null } & Record<string, unknown>;

export function fromStore<T>(result: StoreResult<T>, status = 200, shape: (value: T) => unknown = (v) => v): HttpReply {
  return result.ok ? reply(status, shape(result.value)) : failure(result.error.status, result.error.error, result.error.reason);
}

const isHidden = (id: unknown) => typeof id === 'string' && id.startsWith('_design/');

/**
 * Documents are asked of the store whenever the reader needs them checked (gateway-readers.ts), and
 * given to the kiosk only if it asked. Returns whether it asked.
 */
export function docsFor(s: Scoped, qs: Record<string, unknown>): boolean {
  const asked = qs.include_docs === true || qs.include_docs === 'true';
  if (s.reader === 'legacy') qs.include_docs = true;
  return asked;
}

/**
 * Rows of `_changes` or `_all_docs` as this kiosk may see them: design documents out, each document in
 * the form its reader reads. A document held back from the reader is left out of a feed (`omit`) and
 * reads as missing where it was asked for by id (`missing`).
 */
export function presentRows(s: Scoped, rows: readonly Row[], heldBack: 'omit' | 'missing', withDocs: boolean): Row[] {
  return rows.flatMap((row): Row[] => {
    if (isHidden(row.id ?? row.key)) return [];
    if (!row.doc) return [row];
    const doc = presentTo(s.reader, s.database, row.doc);
    if (!doc) return heldBack === 'omit' ? [] : [{ key: row.key, error: 'not_found' }];
    const { doc: _stored, ...rest } = row;
    return [withDocs ? { ...rest, doc } : rest];
  });
}
