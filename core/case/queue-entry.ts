/**
 * A case as the review queue lists it: what filters, sorts and counts need, and nothing sealed.
 * Derived from the stored document only, so any hub can rebuild the queue from the village databases.
 */
import type { WorkingCalendar } from '../calendar.js';
import type { DivisionIndex } from '../divisions/table.js';
import { documentDeadline } from './deadline.js';
import type { CaseDocument } from './document.js';
import { isEventOf } from './events.js';
import { OPEN_STATUSES } from './state.js';
import { localDateOf } from '../local-date.js';

export interface QueueEntry {
  readonly caseNumber: string;
  readonly village: string;
  readonly town: string;
  readonly sector: string;
  readonly itemCode: string;
  readonly itemName: { readonly zh: string; readonly en: string };
  readonly status: CaseDocument['summary']['status'];
  readonly open: boolean;
  readonly currentLevel: CaseDocument['summary']['currentLevel'];
  readonly acceptedOn: string;
  /** When the decision is (or was) due; absent for items with no published time limit. */
  readonly dueOn?: string;
  /** The CST date of the town's or county's (or the village's) decision, once there is one. */
  readonly decidedOn?: string;
  readonly applicantName: string;
  readonly applicantIdMasked: string;
  readonly updatedAt: string;
  readonly eventCount: number;
}

/** The last decision recorded on a case (approval or rejection, at whichever level), if any. */
export function lastDecisionOf(doc: Pick<CaseDocument, 'events'>) {
  return [...doc.events].reverse().find((event) => isEventOf(event, 'approved', 'rejected'));
}

/**
 * A case's dates as the queue, the dashboard and the open figures count them: accepted on the summary's date, due
 * by the published time limit on the county's calendar (none without a calendar), decided on the CST date of the
 * last decision.
 */
export function caseDatesOf(
  doc: Pick<CaseDocument, 'events' | 'summary'>,
  calendar: WorkingCalendar | undefined,
): { readonly acceptedOn: string; readonly dueOn?: string; readonly decidedOn?: string } {
  const due = calendar ? documentDeadline(doc, calendar) : undefined;
  const decision = lastDecisionOf(doc);
  return {
    acceptedOn: doc.summary.acceptedOn,
    ...(due ? { dueOn: due.dueOn } : {}),
    ...(decision ? { decidedOn: localDateOf(decision.at) } : {}),
  };
}

export function queueEntryOf(doc: CaseDocument, divisions: DivisionIndex, calendar: WorkingCalendar): QueueEntry {
  const created = doc.events.find((event) => isEventOf(event, 'created'));
  const item = created?.payload.item;
  const open = OPEN_STATUSES.has(doc.summary.status);
  return {
    caseNumber: doc.caseNumber,
    village: doc.village,
    // A village dropped from a newer division edition keeps its town code: the first 9 digits.
    town: divisions.village(doc.village)?.town.code12 ?? `${doc.village.slice(0, 9)}000`,
    sector: doc.summary.sector,
    itemCode: doc.summary.itemCode,
    itemName: item ? { zh: item.name.zh, en: item.name.en } : { zh: doc.summary.itemCode, en: doc.summary.itemCode },
    status: doc.summary.status,
    open,
    currentLevel: doc.summary.currentLevel,
    ...caseDatesOf(doc, calendar),
    applicantName: doc.summary.applicantName,
    applicantIdMasked: created?.payload.applicant.idNumberMasked ?? '',
    updatedAt: doc.summary.updatedAt,
    eventCount: doc.summary.eventCount,
  };
}
