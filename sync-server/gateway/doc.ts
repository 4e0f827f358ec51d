/** `GET|PUT /sync/<db>/<id>`: one document, read as the kiosk may see it, or written (write.ts). */
import { DOC_PARAMS, queryOf } from '../gateway-query.js';
import { presentTo } from '../gateway-readers.js';
import type { HttpReply, RouteContext } from '../http/kit.js';
import { failure, MAX_BODY_BYTES, reply } from '../http/kit.js';
import { docPath } from '../store/store.js';
import { readOnly, type GatewayContext } from './context.js';
import { fromStore, type Scoped } from './scoped.js';
import type { WriteCases } from './write.js';

export function docEndpoints(ctx: GatewayContext, write: WriteCases) {
  const { store } = ctx;
  async function getDoc(s: Scoped, context: RouteContext, id: string): Promise<HttpReply> {
    const q = queryOf(context.url, DOC_PARAMS);
    if (!q.ok) return q.reply;
    const result = await store.request<Record<string, unknown> | { ok?: Record<string, unknown> }[]>({ db: s.db, path: docPath(id), qs: q.qs });
    if (!result.ok) return fromStore(result);
    // With open_revs: a list of leaves, each `{ok: doc}` or `{missing: rev}`.
    if (Array.isArray(result.value)) {
      return reply(
        200,
        result.value.map((leaf) => {
          if (!leaf.ok) return leaf;
          const doc = presentTo(s.reader, s.database, leaf.ok);
          return doc ? { ok: doc } : { missing: leaf.ok._rev };
        }),
      );
    }
    const doc = presentTo(s.reader, s.database, result.value);
    return doc ? reply(200, doc) : failure(404, 'not_found', 'missing');
  }

  async function putDoc(s: Scoped, context: RouteContext, id: string): Promise<HttpReply> {
    if (s.access !== 'write') return readOnly();
    const parsed = await context.json(MAX_BODY_BYTES);
    if (!parsed.ok) return parsed.error;
    if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
      return failure(400, 'bad_request', 'A document must be a JSON object.');
    }
    const doc = parsed.value as Record<string, unknown>;
    if (doc._id !== undefined && doc._id !== id) return failure(400, 'bad_request', 'The _id in the body differs from the URL.');
    const newEdits = context.url.searchParams.get('new_edits') !== 'false';
    const written = await write(s, [{ ...doc, _id: id }], newEdits);
    if (!written.ok) return written.reply;
    const result = written.results[0] as { id: string; rev?: string; error?: string; reason?: string } | undefined;
    if (!result) return reply(201, { ok: true, id });
    if (result.error) return failure(result.error === 'forbidden' ? 403 : result.error === 'conflict' ? 409 : 400, result.error, result.reason ?? '');
    return reply(201, { ok: true, id: result.id, rev: result.rev });
  }
  return { getDoc, putDoc };
}
