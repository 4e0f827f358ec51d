/**
 * Who a request was made by, as the request log names them: a kiosk id or a reviewer's account name —
 * never a resident. Noted by the authentication step, read when the answer is logged.
 */
import type { IncomingMessage } from 'node:http';

export type Actor = { readonly kiosk: string } | { readonly reviewer: string };

const actors = new WeakMap<IncomingMessage, Actor>();

export function noteActor(req: IncomingMessage, actor: Actor): void {
  actors.set(req, actor);
}

export const actorOf = (req: IncomingMessage): Actor | undefined => actors.get(req);
