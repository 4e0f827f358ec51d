/**
 * GET /api/review/queue: the cases of the reviewer's area, filtered, in due-date order, a page at a
 * time, with counts per status. Reads the queue views only: one range of the reviewer's scope, its
 * facets filtered here, and full entries fetched for the one page shown.
 */
import { queueQuerySchema, type QueueQuery } from '../../core/api/queue.js';
import type { QueueEntry } from '../../core/case/queue-entry.js';
import { localDateOf } from '../../core/local-date.js';
import { failure, reply, type HttpReply } from '../http/kit.js';
import { DB } from '../store/names.js';
import type { Store } from '../store/store.js';
import type { Reviewer } from './sessions.js';

type Facets = [village: string, sector: string, itemCode: string, status: string, currentLevel: string, acceptedOn: string];
type Row = { key: [string, string, string, string]; value: Facets };

export function parseQueueQuery(url: URL): ReturnType<typeof queueQuerySchema.safeParse> {
  return queueQuerySchema.safeParse(Object.fromEntries(url.searchParams));
}

export async function answerQueue(store: Store, reviewer: Reviewer, query: QueueQuery, now: Date): Promise<HttpReply> {
  if (reviewer.role === 'town' && query.town && query.town !== reviewer.town) return failure(404, 'not_found', 'That town is not in your area.');
  const scope = reviewer.role === 'town' ? (reviewer.town ?? '') : (query.town ?? 'county');
  const today = localDateOf(now.toISOString());
  const rows = await store.request<{ rows: Row[] }>({
    db: store.dbName(DB.queue),
    path: '_design/queue/_view/by_scope_due',
    qs: { startkey: [scope, query.state], endkey: [scope, query.state, {}] },
  });
  if (!rows.ok) return failure(503, 'store_unavailable', rows.error.reason);
  const matching = rows.value.rows.filter(({ key, value: [village, sector, itemCode, status, currentLevel, acceptedOn] }) => {
    if (query.village && village !== query.village) return false;
    if (query.sector && sector !== query.sector) return false;
    if (query.item && itemCode !== query.item) return false;
    if (query.status && status !== query.status) return false;
    if (query.held === 'mine' && currentLevel !== reviewer.role) return false;
    if (query.from && acceptedOn < query.from) return false;
    if (query.to && acceptedOn > query.to) return false;
    // Waiting for the resident's materials stops the clock: such a case is never overdue.
    const overdue = status !== 'awaitingMaterials' && key[2] < today;
    if (query.overdue === 'true' && !overdue) return false;
    if (query.overdue === 'false' && overdue) return false;
    return true;
  });
  const start = (query.page - 1) * query.pageSize;
  const ids = matching.slice(start, start + query.pageSize).map((row) => row.key[3]);
  const page = ids.length === 0
    ? { ok: true as const, value: { rows: [] as { doc?: QueueEntry & { _id: string; _rev: string; type: string } }[] } }
    : await store.request<{ rows: { doc?: QueueEntry & { _id: string; _rev: string; type: string } }[] }>({
        db: store.dbName(DB.queue),
        path: '_all_docs',
        method: 'POST',
        qs: { include_docs: true },
        body: { keys: ids },
      });
  if (!page.ok) return failure(503, 'store_unavailable', page.error.reason);
  const counts = await store.request<{ rows: { key: [string, string]; value: number }[] }>({
    db: store.dbName(DB.queue),
    path: '_design/queue/_view/counts',
    qs: { group_level: 2, startkey: [scope], endkey: [scope, {}] },
  });
  if (!counts.ok) return failure(503, 'store_unavailable', counts.error.reason);
  return reply(200, {
    total: matching.length,
    page: query.page,
    pageSize: query.pageSize,
    entries: page.value.rows.flatMap((row) => {
      if (!row.doc) return [];
      const { _id, _rev, type: _type, ...entry } = row.doc;
      return [entry];
    }),
    countsByStatus: Object.fromEntries(counts.value.rows.map((row) => [row.key[1], row.value])),
  });
}
