/**
 * `GET|PUT /sync/<db>/_local/<id>`: a replicator's checkpoint, kept apart per kiosk.
 */
import type { HttpReply, RouteContext } from '../http/kit.js';
import { failure, isJsonObject } from '../http/kit.js';
import { docPath } from '../store/store.js';
import type { GatewayContext } from './context.js';
import { fromStore, type Scoped } from './scoped.js';

export function localEndpoint(ctx: GatewayContext): (s: Scoped, context: RouteContext, id: string) => Promise<HttpReply> {
  const { store } = ctx;
  async function local(s: Scoped, context: RouteContext, id: string): Promise<HttpReply> {
    // Checkpoints are namespaced per kiosk, transparently: no kiosk can read or reset another's.
    const path = docPath(`_local/${s.kiosk.kioskId}-${id}`);
    if (context.req.method === 'GET') {
      return fromStore(await store.request<{ _id: string }>({ db: s.db, path }), 200, (doc) => ({ ...doc, _id: `_local/${id}` }));
    }
    if (context.req.method !== 'PUT') return failure(405, 'method_not_allowed', 'Checkpoints are read and written, never deleted.');
    const parsed = await context.json(64 * 1024);
    if (!parsed.ok) return parsed.error;
    if (!isJsonObject(parsed.value)) return failure(400, 'bad_request', 'A checkpoint must be a JSON object.');
    // A checkpoint's revision is `0-<n>` (CouchDB answers any other with a 500, "Invalid rev format").
    const rev = parsed.value._rev;
    if (rev !== undefined && (typeof rev !== 'string' || !/^0-\d{1,15}$/.test(rev))) return failure(400, 'bad_request', 'A checkpoint’s _rev is 0-<n>.');
    const body = { ...parsed.value, _id: `_local/${s.kiosk.kioskId}-${id}` };
    return fromStore(await store.request<{ id: string }>({ db: s.db, path, method: 'PUT', body }), 201, (r) => ({ ...r, id: `_local/${id}` }));
  }
  return local;
}
