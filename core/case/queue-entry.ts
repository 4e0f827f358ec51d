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

export function queueEntryOf(doc: CaseDocument, divisions: DivisionIndex, calendar: WorkingCalendar): QueueEntry {
  const created = doc.events.find((event) => isEventOf(event, 'created'));
  const item = created?.payload.item;
  const open = OPEN_STATUSES.has(doc.summary.status);
  const due = documentDeadline(doc, calendar);
  const decision = [...doc.events].reverse().find((event) => isEventOf(event, 'approved', 'rejected'));
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
    acceptedOn: doc.summary.acceptedOn,
    ...(due ? { dueOn: due.dueOn } : {}),
    ...(decision ? { decidedOn: localDateOf(decision.at) } : {}),
    applicantName: doc.summary.applicantName,
    applicantIdMasked: created?.payload.applicant.idNumberMasked ?? '',
    updatedAt: doc.summary.updatedAt,
    eventCount: doc.summary.eventCount,
  };
}
