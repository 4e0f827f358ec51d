/**
 * `POST /sync/<db>/_revs_diff`: which revisions the hub lacks (a replicator's push; the kiosk's proof, reconcile.ts).
 */
import type { HttpReply, RouteContext } from '../http/kit.js';
import { failure, isJsonObject, MAX_BODY_BYTES } from '../http/kit.js';
import { readOnly, type GatewayContext } from './context.js';
import { fromStore, type Scoped } from './scoped.js';

export function revsDiffEndpoint(ctx: GatewayContext): (s: Scoped, context: RouteContext) => Promise<HttpReply> {
  const { store } = ctx;
  async function revsDiff(s: Scoped, context: RouteContext): Promise<HttpReply> {
    if (s.access !== 'write') return readOnly();
    const parsed = await context.json(MAX_BODY_BYTES);
    if (!parsed.ok) return parsed.error;
    // Exactly CouchDB's shape, checked here: the embedded store crashed on other shapes.
    const valid =
      isJsonObject(parsed.value) && Object.values(parsed.value).every((revs) => Array.isArray(revs) && revs.every((rev) => typeof rev === 'string'));
    if (!valid) return failure(400, 'bad_request', 'Expected an object of document ids to revision lists.');
    return fromStore(await store.request({ db: s.db, path: '_revs_diff', method: 'POST', body: parsed.value }));
  }
  return revsDiff;
}
