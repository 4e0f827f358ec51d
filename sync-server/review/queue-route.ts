/**
 * The queue's reads: GET /api/review/queue (the reviewer's area, filtered, in due-date order, a page at
 * a time, with counts per status), GET /api/review/export.csv (the same filters, every row, masked ID
 * numbers) and GET /api/review/dashboard. They read the queue views only: one range of the reviewer's
 * scope, its facets filtered here, and full entries fetched for what is shown.
 */
import type { QueueQuery } from '../../core/api/queue.js';
import type { QueueEntry } from '../../core/case/queue-entry.js';
import { isPastDue } from '../../core/case/deadline.js';
import { computeDashboard } from '../../core/dashboard.js';
import { localDateOf } from '../../core/local-date.js';
import { err, ok, type Result } from '../../core/result.js';
import { failure, reply, type HttpReply } from '../http/kit.js';
import { DB } from '../store/names.js';
import type { Store } from '../store/store.js';
import { NO_DUE_DATE } from './queue-design.js';
import type { Reviewer } from './sessions.js';

type Facets = [village: string, sector: string, itemCode: string, status: QueueEntry['status'], currentLevel: string, acceptedOn: string];
type Row = { key: [string, string, string, string]; value: Facets };
type StoredEntry = QueueEntry & { _id: string; _rev: string; type: string };

function scopeOf(reviewer: Reviewer, town: string | undefined): Result<string, HttpReply> {
  if (reviewer.role === 'town') {
    return town && town !== reviewer.town ? err(failure(404, 'not_found', 'That town is not in your area.')) : ok(reviewer.town ?? '');
  }
  return ok(town ?? 'county');
}

async function rowsOf(store: Store, scope: string, states: readonly ('open' | 'closed')[]): Promise<Result<Row[], HttpReply>> {
  const rows: Row[] = [];
  for (const state of states) {
    const answer = await store.request<{ rows: Row[] }>({
      db: store.dbName(DB.queue),
      path: '_design/queue/_view/by_scope_due',
      qs: { startkey: [scope, state], endkey: [scope, state, {}] },
    });
    if (!answer.ok) return err(failure(503, 'store_unavailable', answer.error.reason));
    rows.push(...answer.value.rows);
  }
  return ok(rows);
}

async function entriesOf(store: Store, ids: readonly string[]): Promise<Result<QueueEntry[], HttpReply>> {
  const entries: QueueEntry[] = [];
  for (let start = 0; start < ids.length; start += 500) {
    const answer = await store.request<{ rows: { doc?: StoredEntry | null }[] }>({
      db: store.dbName(DB.queue),
      path: '_all_docs',
      method: 'POST',
      qs: { include_docs: true },
      body: { keys: ids.slice(start, start + 500) },
    });
    if (!answer.ok) return err(failure(503, 'store_unavailable', answer.error.reason));
    for (const row of answer.value.rows) {
      if (!row.doc) continue;
      const { _id, _rev, type: _type, ...entry } = row.doc;
      entries.push(entry);
    }
  }
  return ok(entries);
}

/** The ids of the queue's rows that pass the query's filters, in due-date order. */
async function matchingIds(store: Store, reviewer: Reviewer, query: QueueQuery, now: Date): Promise<Result<{ scope: string; ids: string[] }, HttpReply>> {
  const scope = scopeOf(reviewer, query.town);
  if (!scope.ok) return scope;
  const rows = await rowsOf(store, scope.value, [query.state]);
  if (!rows.ok) return rows;
  const today = localDateOf(now.toISOString());
  const ids = rows.value
    .filter(({ key, value: [village, sector, itemCode, status, currentLevel, acceptedOn] }) => {
      if (query.village && village !== query.village) return false;
      if (query.sector && sector !== query.sector) return false;
      if (query.item && itemCode !== query.item) return false;
      if (query.status && status !== query.status) return false;
      if (query.held === 'mine' && currentLevel !== reviewer.role) return false;
      if (query.from && acceptedOn < query.from) return false;
      if (query.to && acceptedOn > query.to) return false;
      const overdue = isPastDue(status, key[2] === NO_DUE_DATE ? undefined : key[2], today);
      if (query.overdue === 'true' && !overdue) return false;
      if (query.overdue === 'false' && overdue) return false;
      return true;
    })
    .map((row) => row.key[3]);
  return ok({ scope: scope.value, ids });
}

export async function answerQueue(store: Store, reviewer: Reviewer, query: QueueQuery, now: Date): Promise<HttpReply> {
  const matching = await matchingIds(store, reviewer, query, now);
  if (!matching.ok) return matching.error;
  const start = (query.page - 1) * query.pageSize;
  const page = await entriesOf(store, matching.value.ids.slice(start, start + query.pageSize));
  if (!page.ok) return page.error;
  const counts = await store.request<{ rows: { key: [string, string]; value: number }[] }>({
    db: store.dbName(DB.queue),
    path: '_design/queue/_view/counts',
    qs: { group_level: 2, startkey: [matching.value.scope], endkey: [matching.value.scope, {}] },
  });
  if (!counts.ok) return failure(503, 'store_unavailable', counts.error.reason);
  return reply(200, {
    total: matching.value.ids.length,
    page: query.page,
    pageSize: query.pageSize,
    entries: page.value,
    countsByStatus: Object.fromEntries(counts.value.rows.map((row) => [row.key[1], row.value])),
  });
}

const CSV_COLUMNS = ['caseNumber', 'village', 'town', 'sector', 'itemCode', 'status', 'acceptedOn', 'dueOn', 'decidedOn', 'applicantName', 'applicantIdMasked'] as const;

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
function cell(value: string | undefined): string {
  const text = /^[=+\-@\t\r]/.test(value ?? '') ? `'${value ?? ''}` : (value ?? '');
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function answerExport(store: Store, reviewer: Reviewer, query: QueueQuery, now: Date): Promise<HttpReply> {
  const matching = await matchingIds(store, reviewer, query, now);
  if (!matching.ok) return matching.error;
  const entries = await entriesOf(store, matching.value.ids);
  if (!entries.ok) return entries.error;
  const lines = [CSV_COLUMNS.join(','), ...entries.value.map((entry) => CSV_COLUMNS.map((column) => cell(entry[column])).join(','))];
  // A byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
  return reply(200, Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8'), {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="cunban-cases-${localDateOf(now.toISOString())}.csv"`,
  });
}

export async function answerDashboard(store: Store, reviewer: Reviewer, town: string | undefined, now: Date): Promise<HttpReply> {
  const scope = scopeOf(reviewer, town);
  if (!scope.ok) return scope.error;
  const rows = await rowsOf(store, scope.value, ['open', 'closed']);
  if (!rows.ok) return rows.error;
  const entries = await entriesOf(store, rows.value.map((row) => row.key[3]));
  if (!entries.ok) return entries.error;
  return reply(200, computeDashboard(entries.value, localDateOf(now.toISOString())));
}
