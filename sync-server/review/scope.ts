/**
 * What a reviewer may see and act on: county reviewers every village of the county, town reviewers
 * only their town's villages. Enforced here, at the hub, for every review route — not by the console.
 */
import type { ReviewerView } from '../../core/api/review.js';
import { indexDivisions, type DivisionIndex } from '../../core/divisions/table.js';
import { readCountyData } from '../provision.js';
import type { Store } from '../store/store.js';
import { parseCaseNumber } from '../../core/case/number.js';
import { failure, type HttpReply, type RouteContext } from '../http/kit.js';
import { authenticateReviewer, type Reviewer } from './sessions.js';

/** The county's division table, read once the store has it and kept for the life of the process. */
export function countyDivisions(store: Store): () => Promise<DivisionIndex | undefined> {
  let divisions: DivisionIndex | undefined;
  return async () => {
    if (!divisions) {
      const county = await readCountyData(store);
      if (county.ok) divisions = indexDivisions(county.value.divisions);
    }
    return divisions;
  };
}

export function villagesInScope(reviewer: ReviewerView, divisions: DivisionIndex): readonly string[] {
  const under = reviewer.role === 'county' ? divisions.table.county.code12 : (reviewer.town ?? '');
  return divisions.villagesUnder(under).map((village) => village.code12);
}

export function mayReview(reviewer: ReviewerView, village: string, divisions: DivisionIndex): boolean {
  if (reviewer.role === 'county') return divisions.village(village) !== undefined;
  return divisions.village(village)?.town.code12 === reviewer.town;
}

export const caseNotFound = () => failure(404, 'not_found', 'No such case in your area.');

/**
 * For routes under `/api/review/cases/<caseNumber>`: the signed-in reviewer and the case's village if the
 * case is theirs to see; otherwise the reply — the same 404 for another town's case as for none at all.
 */
export function caseScope(
  store: Store,
  now: () => Date,
): (context: RouteContext) => Promise<{ reviewer: Reviewer; village: string; caseNumber: string } | HttpReply> {
  const divisions = countyDivisions(store);
  return async (context) => {
    const reviewer = await authenticateReviewer(store, context.req, now());
    if (!reviewer.ok) return reviewer.error;
    const number = parseCaseNumber(context.params.caseNumber ?? '');
    const index = await divisions();
    if (!number.ok || !index || !mayReview(reviewer.value, number.value.village, index)) return caseNotFound();
    return { reviewer: reviewer.value, village: number.value.village, caseNumber: number.value.caseNumber };
  };
}
