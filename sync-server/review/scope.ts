/**
 * What a reviewer may see and act on: county reviewers every village of the county, town reviewers
 * only their town's villages. Enforced here, at the hub, for every review route — not by the console.
 */
import type { DivisionIndex } from '../../core/divisions/table.js';
import type { ReviewerView } from '../../core/api/review.js';

export function villagesInScope(reviewer: ReviewerView, divisions: DivisionIndex): readonly string[] {
  const under = reviewer.role === 'county' ? divisions.table.county.code12 : (reviewer.town ?? '');
  return divisions.villagesUnder(under).map((village) => village.code12);
}

export function mayReview(reviewer: ReviewerView, village: string, divisions: DivisionIndex): boolean {
  if (reviewer.role === 'county') return divisions.village(village) !== undefined;
  return divisions.village(village)?.town.code12 === reviewer.town;
}
