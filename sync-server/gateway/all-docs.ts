/**
 * `GET|POST /sync/<db>/_all_docs`: documents by id or all, as the kiosk may see them (gateway-readers.ts).
 */
import { ALL_DOCS_PARAMS, bodyParam, queryOf } from '../gateway-query.js';
import type { HttpReply, RouteContext } from '../http/kit.js';
import { failure, isJsonObject, MAX_BODY_BYTES } from '../http/kit.js';
import type { GatewayContext } from './context.js';
import { docsFor, fromStore, presentRows, type Row, type Scoped } from './scoped.js';

export function allDocsEndpoint(ctx: GatewayContext): (s: Scoped, context: RouteContext) => Promise<HttpReply> {
  const { store } = ctx;
  async function allDocs(s: Scoped, context: RouteContext): Promise<HttpReply> {
    const q = queryOf(context.url, ALL_DOCS_PARAMS);
    if (!q.ok) return q.reply;
    let body: unknown;
    if (context.req.method === 'POST') {
      const parsed = await context.json(MAX_BODY_BYTES);
      if (!parsed.ok) return parsed.error;
      if (!isJsonObject(parsed.value)) return failure(400, 'bad_request', 'Expected {"keys": [...]}.');
      const { keys, ...options } = parsed.value;
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
        return failure(400, 'bad_request', '`keys` must be an array of document ids.');
      }
      body = { keys };
      // CouchDB also takes the query parameters in a POST body (RxDB sends include_docs there).
      for (const [name, value] of Object.entries(options)) {
        const parsed = name === 'keys' ? undefined : bodyParam(ALL_DOCS_PARAMS, name, value);
        if (parsed?.ok) q.qs[name] = parsed.value;
      }
    }
    const withDocs = docsFor(s, q.qs);
    const result = await store.request<{ rows: Row[] }>({
      db: s.db,
      path: '_all_docs',
      method: body ? 'POST' : 'GET',
      qs: q.qs,
      ...(body ? { body } : {}),
    });
    return fromStore(result, 200, (value) => ({ ...value, rows: presentRows(s, value.rows, 'missing', withDocs) }));
  }
  return allDocs;
}
