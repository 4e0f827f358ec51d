import { addWorkingDays, type Deadline, type WorkingCalendar } from '../calendar.js';
import { compareDates, type LocalDate } from '../local-date.js';
import { limitCanBeMet } from '../catalog/catalog.js';
import type { CaseDocument } from './document.js';
import { isEventOf } from './events.js';
import type { CaseState } from './state.js';

/** What a deadline depends on: a case's state, or the summary of its stored document. */
export interface DeadlineFacts {
  readonly clockStartOn: CaseState['clockStartOn'];
  readonly status: CaseState['status'];
  readonly item: Pick<CaseState['item'], 'timeLimitWorkingDays'>;
}

/** The facts of a stored case from its summary, without folding its events. */
export function deadlineFactsOf(summary: {
  readonly clockStartOn: CaseState['clockStartOn'];
  readonly status: CaseState['status'];
  readonly timeLimitWorkingDays: number | null;
}): DeadlineFacts {
  return { clockStartOn: summary.clockStartOn, status: summary.status, item: { timeLimitWorkingDays: summary.timeLimitWorkingDays } };
}

/** When the decision is due, or undefined for items with no published time limit. */
export function caseDeadline(state: Pick<DeadlineFacts, 'clockStartOn' | 'item'>, calendar: WorkingCalendar): Deadline | undefined {
  const limit = state.item.timeLimitWorkingDays;
  return limit === null ? undefined : addWorkingDays(state.clockStartOn, limit, calendar);
}

/**
 * Overdue: still waiting for a decision after its due date. A case waiting for the resident's
 * materials is not overdue — the clock is stopped until they are supplied — and a decided or closed
 * case never is. The one rule for every screen and query, given a due date already worked out.
 */
export function isPastDue(status: CaseState['status'], dueOn: string | undefined, today: LocalDate): boolean {
  return (status === 'accepted' || status === 'forwarded') && dueOn !== undefined && compareDates(today, dueOn as LocalDate) > 0;
}

/** Overdue, working the due date out from the case's facts and the calendar. */
export function isOverdue(state: DeadlineFacts, today: LocalDate, calendar: WorkingCalendar): boolean {
  return isPastDue(state.status, caseDeadline(state, calendar)?.dueOn, today);
}

/**
 * A stored case's due date, from its summary — or none when its item's limit could never be met by a case
 * forwarded from the village (a catalog published before such limits were refused, core/catalog/catalog.ts):
 * no date rather than one already lost, and so never "overdue" for it.
 */
export function documentDeadline(doc: Pick<CaseDocument, 'events' | 'summary'>, calendar: WorkingCalendar): Deadline | undefined {
  const item = doc.events.find((event) => isEventOf(event, 'created'))?.payload.item;
  if (item && !limitCanBeMet(item)) return undefined;
  return caseDeadline(deadlineFactsOf(doc.summary), calendar);
}
