/**
 * What the console's routes over the villages' hall databases share (appeals, publications): the signed-in
 * reviewer with the county's data, and every document of a kind in the reviewer's area.
 */
import { indexDivisions } from '../../core/divisions/table.js';
import { ok, type Result } from '../../core/result.js';
import { failure, reply, type HttpReply, type RouteContext } from '../http/kit.js';
import { readCountyData, type CountyData } from '../provision.js';
import { hallDb } from '../store/names.js';
import type { Store, StoreFailure, StoredDoc } from '../store/store.js';
import { villagesInScope } from './scope.js';
import { authenticateReviewer, type Reviewer } from './sessions.js';

export const NO_STORE = { 'cache-control': 'no-store, private', pragma: 'no-cache' };
export const unavailable = (reason: string) => failure(503, 'store_unavailable', reason);

/** The signed-in reviewer and the county's data, or the reply that says no. */
export async function signedInWithCounty(store: Store, context: RouteContext, now: Date): Promise<{ reviewer: Reviewer; county: CountyData } | HttpReply> {
  const reviewer = await authenticateReviewer(store, context.req, now);
  if (!reviewer.ok) return reviewer.error;
  const county = await readCountyData(store);
  if (!county.ok) return unavailable('The county data cannot be read just now.');
  return { reviewer: reviewer.value, county: county.value };
}

/** Every document whose id starts with `prefix` in the hall databases of the reviewer's area, eight databases at a time. */
export async function hallDocsInArea(
  store: Store,
  reviewer: Reviewer,
  county: CountyData,
  prefix: string,
): Promise<Result<Record<string, unknown>[], StoreFailure>> {
  const villages = villagesInScope(reviewer, indexDivisions(county.divisions));
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < villages.length; i += 8) {
    const read = await Promise.all(villages.slice(i, i + 8).map((village) => store.docsWithPrefix<Record<string, unknown>>(hallDb(village), prefix)));
    for (const docs of read) {
      if (!docs.ok) return docs;
      found.push(...docs.value);
    }
  }
  return ok(found);
}

/**
 * Append `event` to a hall document (an appeal, a publication) as a reviewer's act: judged by `refuse` against the
 * document as it stands, written, and after a concurrent write (its kiosk's sync, another reviewer) read again and
 * judged again, up to five times. 200 with `view` of the document as written; 409 `<what>.refused` with why.
 */
export async function appendToHallDoc<T extends { readonly village: string; readonly events: readonly E[] }, E>(
  store: Store,
  found: T & StoredDoc,
  event: E,
  what: 'appeal' | 'publication',
  refuse: (current: T) => string | undefined,
  view: (written: T) => unknown,
): Promise<HttpReply> {
  let current = found;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const refused = refuse(current);
    if (refused) return failure(409, `${what}.refused`, refused);
    const next = { ...current, events: [...current.events, event] };
    const written = await store.putDoc(hallDb(current.village), next);
    if (written.ok) return reply(200, view(next), NO_STORE);
    if (written.error.status !== 409) return unavailable(written.error.reason);
    const again = await store.getDoc<T>(hallDb(current.village), current._id);
    if (!again.ok) return unavailable(again.error.reason);
    current = again.value;
  }
  return unavailable(`The ${what} is being changed elsewhere: try again.`);
}
