/**
 * The county's dashboard, computed from queue entries: cases by status, sector and village; the share
 * of decided cases decided within their time limit; the overdue list; weekly counts per village and
 * sector, with an early warning where a village's cases of a kind this week run at three times or
 * more their trailing weekly average (a sudden rush of, say, disaster-relief applications).
 */
import { isPastDue } from './case/deadline.js';
import type { QueueEntry } from './case/queue-entry.js';
import { addDays, compareDates, dayOfWeek, type LocalDate } from './local-date.js';

export const TRAILING_WEEKS = 8;
export const WARNING_RATIO = 3;
/** Fewer cases than this in a week never warn, whatever the ratio: one case is not a rush. */
export const WARNING_MIN_CASES = 3;

export interface WeekCount {
  readonly weekOf: LocalDate;
  readonly village: string;
  readonly sector: string;
  readonly count: number;
}

export interface EarlyWarning extends WeekCount {
  readonly trailingAverage: number;
}

export interface Dashboard {
  readonly total: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly bySector: Readonly<Record<string, number>>;
  readonly byVillage: Readonly<Record<string, number>>;
  readonly decided: number;
  readonly decidedWithinLimit: number;
  /** Percent of decided cases with a time limit that were decided by their due date; null with none. */
  readonly withinLimitPercent: number | null;
  readonly overdue: readonly string[];
  readonly weekly: readonly WeekCount[];
  readonly warnings: readonly EarlyWarning[];
}

/** The Monday of the week a date falls in. */
export function weekOf(date: LocalDate): LocalDate {
  return addDays(date, -((dayOfWeek(date) + 6) % 7));
}

const tally = (values: readonly string[]) => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
};

/** A week's count of one kind of thing (a sector's cases, a category's appeals) in one village. */
export interface KindWeekCount {
  readonly weekOf: LocalDate;
  readonly village: string;
  readonly kind: string;
  readonly count: number;
}

/**
 * Weekly counts per village and kind, and the early warnings: this week's count at WARNING_RATIO times its
 * trailing TRAILING_WEEKS-week average or more (and at least WARNING_MIN_CASES). For cases by sector and
 * appeals by category alike: many voices about one well in one village are a rush like many applications.
 */
export function weeklyCounts(
  items: readonly { readonly on: LocalDate; readonly village: string; readonly kind: string }[],
  today: LocalDate,
): { weekly: KindWeekCount[]; warnings: (KindWeekCount & { readonly trailingAverage: number })[] } {
  const weeks = new Map<string, KindWeekCount>();
  for (const item of items) {
    const week = weekOf(item.on);
    const key = `${week}|${item.village}|${item.kind}`;
    weeks.set(key, { weekOf: week, village: item.village, kind: item.kind, count: (weeks.get(key)?.count ?? 0) + 1 });
  }
  const weekly = [...weeks.values()].sort((a, b) => a.weekOf.localeCompare(b.weekOf) || a.village.localeCompare(b.village) || a.kind.localeCompare(b.kind));
  const thisWeek = weekOf(today);
  const warnings: (KindWeekCount & { trailingAverage: number })[] = [];
  for (const current of weekly.filter((week) => week.weekOf === thisWeek && week.count >= WARNING_MIN_CASES)) {
    let sum = 0;
    for (let back = 1; back <= TRAILING_WEEKS; back++) sum += weeks.get(`${addDays(thisWeek, -7 * back)}|${current.village}|${current.kind}`)?.count ?? 0;
    const trailingAverage = sum / TRAILING_WEEKS;
    if (current.count >= WARNING_RATIO * trailingAverage) warnings.push({ ...current, trailingAverage });
  }
  return { weekly, warnings };
}

export function computeDashboard(entries: readonly QueueEntry[], today: LocalDate): Dashboard {
  const decided = entries.filter((entry) => entry.decidedOn !== undefined);
  const timed = decided.filter((entry) => entry.dueOn !== undefined);
  const within = timed.filter((entry) => compareDates(entry.decidedOn as LocalDate, entry.dueOn as LocalDate) <= 0);
  const overdue = entries
    .filter((entry) => isPastDue(entry.status, entry.dueOn, today))
    .sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? ''))
    .map((entry) => entry.caseNumber);

  const counted = weeklyCounts(
    entries.map((entry) => ({ on: entry.acceptedOn as LocalDate, village: entry.village, kind: entry.sector })),
    today,
  );
  const asSector = <T extends KindWeekCount>({ kind, ...count }: T) => ({ ...count, sector: kind });
  const weekly = counted.weekly.map(asSector);
  const warnings = counted.warnings.map(asSector);

  return {
    total: entries.length,
    byStatus: tally(entries.map((entry) => entry.status)),
    bySector: tally(entries.map((entry) => entry.sector)),
    byVillage: tally(entries.map((entry) => entry.village)),
    decided: decided.length,
    decidedWithinLimit: within.length,
    withinLimitPercent: timed.length === 0 ? null : Math.round((within.length / timed.length) * 1000) / 10,
    overdue,
    weekly,
    warnings,
  };
}
