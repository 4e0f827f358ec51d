/**
 * The queue's reads: GET /api/review/queue (the reviewer's area, filtered, in due-date order, a page at
 * a time, with counts per status), GET /api/review/export.csv (the same filters, every row, masked ID
 * numbers) and GET /api/review/dashboard. All answer from the in-memory queue index through core's
 * selection rule.
 */
import type { QueueQuery } from '../../core/api/queue.js';
import type { QueueEntry } from '../../core/case/queue-entry.js';
import { entriesInScope, queuePage, selectQueue, type QueueScope } from '../../core/case/queue-select.js';
import { computeDashboard } from '../../core/dashboard.js';
import { localDateOf } from '../../core/local-date.js';
import { err, ok, type Result } from '../../core/result.js';
import { failure, reply, type HttpReply } from '../http/kit.js';
import type { QueueIndex } from './queue-index.js';
import type { Reviewer } from './sessions.js';

function scopeOf(reviewer: Reviewer, town: string | undefined): Result<QueueScope, HttpReply> {
  if (reviewer.role === 'town') {
    return town && town !== reviewer.town ? err(failure(404, 'not_found', 'That town is not in your area.')) : ok(reviewer.town ?? '');
  }
  return ok(town ?? 'county');
}

/** The scope the reviewer asked for (and may see), and the county's entries, caught up. */
async function readQueue(
  index: QueueIndex,
  reviewer: Reviewer,
  town: string | undefined,
): Promise<Result<{ scope: QueueScope; entries: Iterable<QueueEntry> }, HttpReply>> {
  const scope = scopeOf(reviewer, town);
  if (!scope.ok) return scope;
  const current = await index.current();
  if (!current.ok) return err(failure(503, 'store_unavailable', current.error.reason));
  return ok({ scope: scope.value, entries: current.value.values() });
}

export async function answerQueue(index: QueueIndex, reviewer: Reviewer, query: QueueQuery, now: Date): Promise<HttpReply> {
  const queue = await readQueue(index, reviewer, query.town);
  if (!queue.ok) return queue.error;
  return reply(200, queuePage(queue.value.entries, queue.value.scope, query, reviewer.role, localDateOf(now.toISOString())));
}

const CSV_COLUMNS = [
  'caseNumber',
  'village',
  'town',
  'sector',
  'itemCode',
  'status',
  'acceptedOn',
  'dueOn',
  'decidedOn',
  'applicantName',
  'applicantIdMasked',
] as const;

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
function cell(value: string | undefined): string {
  const text = /^[=+\-@\t\r]/.test(value ?? '') ? `'${value ?? ''}` : (value ?? '');
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function answerExport(index: QueueIndex, reviewer: Reviewer, query: QueueQuery, now: Date): Promise<HttpReply> {
  const queue = await readQueue(index, reviewer, query.town);
  if (!queue.ok) return queue.error;
  const { matching } = selectQueue(queue.value.entries, queue.value.scope, query, reviewer.role, localDateOf(now.toISOString()));
  const lines = [CSV_COLUMNS.join(','), ...matching.map((entry) => CSV_COLUMNS.map((column) => cell(entry[column])).join(','))];
  // A byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
  return reply(200, Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8'), {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="cunban-cases-${localDateOf(now.toISOString())}.csv"`,
  });
}

export async function answerDashboard(index: QueueIndex, reviewer: Reviewer, town: string | undefined, now: Date): Promise<HttpReply> {
  const queue = await readQueue(index, reviewer, town);
  if (!queue.ok) return queue.error;
  return reply(200, computeDashboard(entriesInScope(queue.value.entries, queue.value.scope), localDateOf(now.toISOString())));
}
