/** `GET /sync/<db>/`: the database's info, under the name the kiosk knows it by. */
import type { HttpReply } from '../http/kit.js';
import type { GatewayContext } from './context.js';
import { fromStore, type Scoped } from './scoped.js';

export function databaseInfoEndpoint(ctx: GatewayContext): (s: Scoped) => Promise<HttpReply> {
  return async (s) => {
    const info = await ctx.store.request<Record<string, unknown>>({ db: s.db });
    return fromStore(info, 200, (value) => ({ ...value, db_name: s.publicDb }));
  };
}
