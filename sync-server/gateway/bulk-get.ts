/**
 * `POST /sync/<db>/_bulk_get`: revisions by id, each as the kiosk may see it; never a design or system document.
 */
import { BULK_GET_PARAMS, queryOf } from '../gateway-query.js';
import { presentTo } from '../gateway-readers.js';
import type { HttpReply, RouteContext } from '../http/kit.js';
import { failure, isJsonObject, MAX_BODY_BYTES, reply } from '../http/kit.js';
import type { GatewayContext } from './context.js';
import { fromStore, type Scoped } from './scoped.js';

export function bulkGetEndpoint(ctx: GatewayContext): (s: Scoped, context: RouteContext) => Promise<HttpReply> {
  const { store } = ctx;
  async function bulkGet(s: Scoped, context: RouteContext): Promise<HttpReply> {
    const q = queryOf(context.url, BULK_GET_PARAMS);
    if (!q.ok) return q.reply;
    const parsed = await context.json(MAX_BODY_BYTES);
    if (!parsed.ok) return parsed.error;
    const docs = isJsonObject(parsed.value) ? parsed.value.docs : undefined;
    if (!Array.isArray(docs) || !docs.every((d) => isJsonObject(d) && typeof d.id === 'string')) {
      return failure(400, 'bad_request', '`docs` must be an array of {id, rev}.');
    }
    if (docs.some((d) => (d as { id: string }).id.startsWith('_'))) {
      return failure(403, 'forbidden', 'Design and system documents are not served to kiosks.');
    }
    // Nothing asked, nothing to read: the embedded store never answered an empty `_bulk_get`, and each one
    // held a socket to it for good (found by attacking the hub).
    if (docs.length === 0) return reply(200, { results: [] });
    const result = await store.request<{ results: { id: string; docs: ({ ok: Record<string, unknown> } | { error: unknown })[] }[] }>({
      db: s.db,
      path: '_bulk_get',
      method: 'POST',
      qs: q.qs,
      body: { docs },
      // A read the kiosk gave up on is given up on here too.
      signal: context.signal,
    });
    return fromStore(result, 200, (value) => ({
      ...value,
      results: value.results.map((entry) => ({
        ...entry,
        docs: entry.docs.map((found) => {
          if (!('ok' in found)) return found;
          const doc = presentTo(s.reader, s.database, found.ok);
          return doc ? { ok: doc } : { error: { id: entry.id, error: 'not_found', reason: 'missing' } };
        }),
      })),
    }));
  }
  return bulkGet;
}
