/**
 * `/api/session`: a reviewer signs in, asks who is signed in, signs out. Sign-ins are braked per client
 * address in this process (a spray of guesses over many names), locked per name across all hub
 * processes (sessions.ts), and their password checks are queued in a bounded pool (secrets.ts).
 */
import { signInRequestSchema } from '../../core/api/review.js';
import type { HubConfig } from '../config.js';
import type { ClientOf } from '../http/client.js';
import { failure, reply, type Route } from '../http/kit.js';
import type { Throttle } from '../http/throttle.js';
import type { PasswordCheckPool } from '../secrets.js';
import type { Store } from '../store/store.js';
import { authenticateReviewer, sessionCookie, signIn, signOut, SESSION_MAX_MS, SIGN_IN_ATTEMPTS } from './sessions.js';
import { attemptKeyHasher, keyRingUnavailable, type HeldKeyRing } from '../keyring.js';

export interface SessionRouteOptions {
  readonly config: HubConfig;
  readonly store: Store;
  readonly now: () => Date;
  readonly client: ClientOf;
  readonly passwords: PasswordCheckPool;
  /** The county key ring: tries are counted under a keyed hash of the name. */
  readonly keyRing: HeldKeyRing;
  /** Sign-in attempts per client address. */
  readonly throttle: Throttle;
}

const retryAfter = (seconds: number) => ({ 'retry-after': String(seconds) });

export function sessionRoutes(options: SessionRouteOptions): Route[] {
  const { config, store, now, client } = options;
  return [
    {
      method: 'POST',
      pattern: /^\/api\/session$/,
      async handle(context) {
        const braked = await options.throttle.take(client.address(context.req));
        if (!braked.allowed) {
          return failure(429, 'signIn.throttled', 'Too many sign-ins from this address; wait a minute.', retryAfter(braked.retryAfterSeconds));
        }
        const body = await context.json(4096);
        if (!body.ok) return body.error;
        const request = signInRequestSchema.safeParse(body.value);
        if (!request.success) return failure(400, 'bad_request', 'Expected {"name": "...", "password": "..."}.');
        const ring = await options.keyRing();
        if (!ring.ok) return keyRingUnavailable();
        const attemptKey = attemptKeyHasher(ring.value)(SIGN_IN_ATTEMPTS.kind, request.data.name);
        const signedIn = await signIn(store, options.passwords, { ...request.data, attemptKey }, now());
        if (!signedIn.ok) {
          const error = signedIn.error;
          switch (error.code) {
            case 'signIn.locked':
              return failure(429, 'signIn.locked', 'Too many failed sign-ins for this name; try again later.', retryAfter(error.retryAfterSeconds));
            case 'signIn.busy':
              return failure(503, 'signIn.busy', 'The hub is checking other sign-ins; try again in a few seconds.', retryAfter(5));
            case 'store':
              return failure(503, 'store_unavailable', 'The store is not answering.');
            case 'signIn.wrong':
              return failure(401, 'signIn.wrong', 'Wrong name or password.');
          }
        }
        const secure = config.publicUrl?.protocol === 'https:' || client.secure(context.req);
        return reply(200, signedIn.value.session, { 'set-cookie': sessionCookie(signedIn.value.token, secure, SESSION_MAX_MS / 1000) });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/session$/,
      async handle(context) {
        const reviewer = await authenticateReviewer(store, context.req, now());
        // "Nobody is signed in" is an answer here, not an error: 204, so the console's first look is quiet.
        if (!reviewer.ok) return reviewer.error.status === 401 ? reply(204, undefined) : reviewer.error;
        const { csrf, sessionId: _session, ...view } = reviewer.value;
        return reply(200, { reviewer: view, csrf });
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/session$/,
      async handle(context) {
        const reviewer = await authenticateReviewer(store, context.req, now());
        if (!reviewer.ok) return reviewer.error;
        await signOut(store, reviewer.value.sessionId);
        return reply(204, undefined, { 'set-cookie': sessionCookie('', false, 0) });
      },
    },
  ];
}
