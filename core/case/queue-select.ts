/**
 * The review queue's one selection rule: which entries a query matches, in what order, a page of them
 * and the counts per status. Pure, so the hub's in-memory queue index and the tests share it.
 */
import type { QueueQuery } from '../api/queue.js';
import type { LocalDate } from '../local-date.js';
import { isPastDue } from './deadline.js';
import type { QueueEntry } from './queue-entry.js';

/** `county` (every village) or a town's 12-digit code. */
export type QueueScope = 'county' | (string & {});

export interface QueueSelection {
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly entries: readonly QueueEntry[];
  /** Per status, the entries matching every filter of the query but the status one (what each status chip would show). */
  readonly countsByStatus: Readonly<Partial<Record<QueueEntry['status'], number>>>;
}

type Filters = Omit<QueueQuery, 'page' | 'pageSize' | 'town'>;

/** Every filter but the status; `heldBy` is the reviewer's level when they asked for `held=mine`. */
function matchesBesidesStatus(entry: QueueEntry, scope: QueueScope, query: Filters, heldBy: string, today: LocalDate): boolean {
  if (scope !== 'county' && entry.town !== scope) return false;
  if (entry.open !== (query.state === 'open')) return false;
  if (query.village && entry.village !== query.village) return false;
  if (query.sector && entry.sector !== query.sector) return false;
  if (query.item && entry.itemCode !== query.item) return false;
  if (query.held === 'mine' && entry.currentLevel !== heldBy) return false;
  if (query.from && entry.acceptedOn < query.from) return false;
  if (query.to && entry.acceptedOn > query.to) return false;
  if (query.overdue) {
    if (isPastDue(entry.status, entry.dueOn, today) !== (query.overdue === 'true')) return false;
  }
  return true;
}

/** Due date first (cases with no time limit last), then case number: the order a reviewer works in. */
export function byDueDate(a: QueueEntry, b: QueueEntry): number {
  if (a.dueOn !== b.dueOn) {
    if (a.dueOn === undefined) return 1;
    if (b.dueOn === undefined) return -1;
    return a.dueOn < b.dueOn ? -1 : 1;
  }
  return a.caseNumber < b.caseNumber ? -1 : a.caseNumber > b.caseNumber ? 1 : 0;
}

/** Every entry of the scope matching the query, in due-date order, with the counts per status. */
export function selectQueue(
  entries: Iterable<QueueEntry>,
  scope: QueueScope,
  query: Filters,
  reviewerLevel: string,
  today: LocalDate,
): { matching: QueueEntry[]; countsByStatus: Partial<Record<QueueEntry['status'], number>> } {
  const matching: QueueEntry[] = [];
  const countsByStatus: Partial<Record<QueueEntry['status'], number>> = {};
  for (const entry of entries) {
    if (!matchesBesidesStatus(entry, scope, query, reviewerLevel, today)) continue;
    countsByStatus[entry.status] = (countsByStatus[entry.status] ?? 0) + 1;
    if (!query.status || entry.status === query.status) matching.push(entry);
  }
  return { matching: matching.sort(byDueDate), countsByStatus };
}

/** One page of the selection (pages count from 1). */
export function queuePage(entries: Iterable<QueueEntry>, scope: QueueScope, query: QueueQuery, reviewerLevel: string, today: LocalDate): QueueSelection {
  const { matching, countsByStatus } = selectQueue(entries, scope, query, reviewerLevel, today);
  const start = (query.page - 1) * query.pageSize;
  return {
    total: matching.length,
    page: query.page,
    pageSize: query.pageSize,
    entries: matching.slice(start, start + query.pageSize),
    countsByStatus,
  };
}

/** The entries of a scope, every state (the dashboard's input). */
export function entriesInScope(entries: Iterable<QueueEntry>, scope: QueueScope): QueueEntry[] {
  const inScope: QueueEntry[] = [];
  for (const entry of entries) if (scope === 'county' || entry.town === scope) inScope.push(entry);
  return inScope;
}
