/**
 * What the console's routes over the villages' hall databases share (appeals, publications): the signed-in
 * reviewer with the county's data, and every document of a kind in the reviewer's area.
 */
import { indexDivisions } from '../../core/divisions/table.js';
import { ok, type Result } from '../../core/result.js';
import { failure, type HttpReply, type RouteContext } from '../http/kit.js';
import { readCountyData, type CountyData } from '../provision.js';
import { hallDb } from '../store/names.js';
import type { Store, StoreFailure } from '../store/store.js';
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
