/**
 * The open service figures (issue 19 §2): per village and calendar month (China time), how many cases were
 * accepted, how many were decided, how many of those with a published time limit were decided within it, and
 * the median number of calendar days from acceptance to decision. Counts only — nothing that names anyone —
 * computed the same way by the hub (from the review queue, every village) and by a kiosk (its own cases).
 * The schema is documented in docs/OPEN-DATA.md; change both together.
 */
import type { WorkingCalendar } from '../calendar.js';
import type { CaseDocument } from '../case/document.js';
import { caseDatesOf } from '../case/queue-entry.js';
import type { LocalDate } from '../local-date.js';

/** What the figures need of a case (core/case/queue-entry.ts has it). */
export interface FigureCase {
  readonly village: string;
  readonly acceptedOn: string;
  readonly decidedOn?: string;
  readonly dueOn?: string;
}

export interface ServiceFigures {
  readonly village: string;
  /** YYYY-MM. */
  readonly month: string;
  /** Cases accepted at the counter in the month. */
  readonly accepted: number;
  /** Cases decided (approved or not) in the month. */
  readonly decided: number;
  /** Of those decided in the month with a published time limit, how many by their due date. */
  readonly decidedWithTimeLimit: number;
  readonly decidedWithinTimeLimit: number;
  /** The median of calendar days from acceptance to decision of the cases decided in the month; null when none. */
  readonly medianDaysToDecision: number | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** What the figures take of a stored case: its dates as the review queue derives them, so a kiosk counts its own cases as the hub counts the village's. */
export function figureCaseOf(doc: Pick<CaseDocument, 'village' | 'events' | 'summary'>, calendar?: WorkingCalendar): FigureCase {
  return { village: doc.village, ...caseDatesOf(doc, calendar) };
}

interface Tally {
  accepted: number;
  days: number[];
  timed: number;
  within: number;
}

/** The figures of every village and month with a case accepted or decided, by village then month; `since` (a month) trims older ones. */
export function serviceFigures(cases: readonly FigureCase[], since?: string): ServiceFigures[] {
  const tallies = new Map<string, Tally>();
  const tallyOf = (village: string, month: string) => {
    const key = `${village}|${month}`;
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = { accepted: 0, days: [], timed: 0, within: 0 }));
    return tally;
  };
  for (const found of cases) {
    tallyOf(found.village, found.acceptedOn.slice(0, 7)).accepted += 1;
    if (found.decidedOn === undefined) continue;
    const tally = tallyOf(found.village, found.decidedOn.slice(0, 7));
    tally.days.push(daysBetween(found.acceptedOn, found.decidedOn));
    if (found.dueOn !== undefined) {
      tally.timed += 1;
      if (found.decidedOn <= found.dueOn) tally.within += 1;
    }
  }
  return [...tallies.entries()]
    .map(([key, tally]) => {
      const [village = '', month = ''] = key.split('|');
      return {
        village,
        month,
        accepted: tally.accepted,
        decided: tally.days.length,
        decidedWithTimeLimit: tally.timed,
        decidedWithinTimeLimit: tally.within,
        medianDaysToDecision: median(tally.days),
      };
    })
    .filter((row) => since === undefined || row.month >= since)
    .sort((a, b) => a.village.localeCompare(b.village) || a.month.localeCompare(b.month));
}

/** The month `months` before the one of `today` (YYYY-MM): the figures' window on a board. */
export function monthsBefore(today: LocalDate, months: number): string {
  const [year = 0, month = 1] = today.split('-').map(Number);
  const index = year * 12 + (month - 1) - months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The columns of the open CSV, in order: the JSON's fields, with the village's and town's names. */
export const SERVICE_FIGURE_COLUMNS = [
  'village',
  'villageName',
  'townName',
  'month',
  'accepted',
  'decided',
  'decidedWithTimeLimit',
  'decidedWithinTimeLimit',
  'medianDaysToDecision',
] as const;
