/**
 * Where a resident's code leads: an appointment's or an appeal's code names no database, so the hub keeps
 * `<kind>-code:<code>` → village in the admin-only meta database — written when the hub books or takes an
 * appeal itself, and when a kiosk's push brings one raised at the counter — and the public page's lookups
 * read one document instead of searching every village.
 */
import { ok } from '../../core/result.js';
import { DB } from '../store/names.js';
import type { Store, StoreResult } from '../store/store.js';

export type CodeKind = 'appointment' | 'appeal';

interface CodeIndexDoc {
  readonly _id: string;
  readonly village: string;
}

const indexId = (kind: CodeKind, code: string) => `${kind}-code:${code}`;
const HALL_ID = /^(appointment|appeal):([2-9A-HJ-NP-Z]{8})$/;

/** Record the village of a code (a second record of the same code is a no-op). */
export async function indexCode(store: Store, kind: CodeKind, code: string, village: string): Promise<StoreResult<void>> {
  const written = await store.putDoc<CodeIndexDoc>(DB.meta, { _id: indexId(kind, code), village });
  return written.ok || written.error.status === 409 ? ok(undefined) : written;
}

/** Index the codes among the ids of hall documents a kiosk just wrote. */
export async function indexHallIds(store: Store, village: string, ids: readonly string[]): Promise<StoreResult<void>> {
  for (const id of ids) {
    const match = HALL_ID.exec(id);
    if (!match) continue;
    const indexed = await indexCode(store, match[1] as CodeKind, match[2] ?? '', village);
    if (!indexed.ok) return indexed;
  }
  return ok(undefined);
}

/** The village of a code, or undefined when no such code was ever indexed. */
export async function villageOfCode(store: Store, kind: CodeKind, code: string): Promise<StoreResult<string | undefined>> {
  const found = await store.getDoc<CodeIndexDoc>(DB.meta, indexId(kind, code));
  if (found.ok) return ok(found.value.village);
  return found.error.status === 404 ? ok(undefined) : found;
}
