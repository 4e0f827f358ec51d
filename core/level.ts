/** The three levels of government that handle a case: 村 → 乡镇 → 县. */
export const LEVELS = ['village', 'town', 'county'] as const;
export type Level = (typeof LEVELS)[number];

const RANK: Readonly<Record<Level, number>> = { village: 0, town: 1, county: 2 };

/** Positive when `a` is above `b` in the hierarchy. */
export function compareLevels(a: Level, b: Level): number {
  return RANK[a] - RANK[b];
}
