/** The views of the counter's cases: by status, plus "accepted today", "decided" and "overdue". */
import type { WorkingCalendar } from '../../core/calendar.js';
import { documentDeadline, isPastDue } from '../../core/case/deadline.js';
import type { CaseDocument } from '../../core/case/document.js';
import type { Deadline } from '../../core/calendar.js';
import type { LocalDate } from '../../core/local-date.js';
import type { CaseFilterStatus } from './session.js';

export const HOME_VIEWS: readonly CaseFilterStatus[] = ['today', 'accepted', 'awaitingMaterials', 'forwarded', 'decided', 'overdue'];

export function inView(doc: CaseDocument, view: CaseFilterStatus, today: LocalDate, calendar: WorkingCalendar | undefined): boolean {
  const { summary } = doc;
  switch (view) {
    case 'today':
      return summary.acceptedOn === today;
    case 'decided':
      return summary.status === 'approved' || summary.status === 'rejected';
    case 'overdue':
      return calendar !== undefined && isPastDue(summary.status, documentDeadline(doc, calendar)?.dueOn, today);
    default:
      return summary.status === view;
  }
}

export function dueOf(doc: CaseDocument, calendar: WorkingCalendar | undefined): Deadline | undefined {
  return calendar ? documentDeadline(doc, calendar) : undefined;
}
