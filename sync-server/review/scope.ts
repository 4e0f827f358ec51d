/**
 * What a reviewer may see and act on: county reviewers every village of the county, town reviewers
 * only their town's villages. Enforced here, at the hub, for every review route — not by the console.
 */
import type { ReviewerView } from '../../core/api/review.js';
import { indexDivisions, type DivisionIndex } from '../../core/divisions/table.js';
import { readCountyData } from '../provision.js';
import type { Store } from '../store/store.js';

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
