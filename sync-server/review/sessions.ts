/**
 * Reviewer sessions for the console. A session is a random token in an HttpOnly, SameSite=Strict
 * cookie; the store keeps only its hash (in the users database, admin-only), so any hub process can
 * check it. Requests that change anything must also echo the session's CSRF token in a header.
 * A session slides: it ends after two idle hours, renewed by the reviewer's own requests (not by the
 * console's background refreshes, which say so in `x-cunban-background`), and in any case twelve hours
 * after sign-in (OWASP's session management: an idle and an absolute timeout).
 * Five failed sign-ins for one name within fifteen minutes lock that name until the oldest of them is
 * fifteen minutes old, on every hub process: failures are counted in the store (../attempts.ts), and a
 * sixth attempt, even one sent in parallel with the five, is refused before its password is checked.
 */
import type { IncomingMessage } from 'node:http';
import { BACKGROUND_HEADER, CSRF_HEADER, SESSION_COOKIE, type ReviewerView, type SessionView } from '../../core/api/review.js';
import { err, ok, type Result } from '../../core/result.js';
import { noteActor } from '../http/actor.js';
import { failure, type HttpReply } from '../http/kit.js';
import { attemptLedger } from '../attempts.js';
import { newSecret, sameHash, sha256, type PasswordCheckPool } from '../secrets.js';
import { DB } from '../store/names.js';
import type { Store } from '../store/store.js';
import type { ReviewerDoc } from '../users.js';

/** A session unused this long ends (a console left open in an empty office). */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
/** However busy, a session ends this long after sign-in: a long working day. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** A session's end is moved on at most this often: one store write per reviewer per few minutes, not per request. */
const RENEW_EVERY_MS = 5 * 60 * 1000;
export const MAX_SIGN_IN_FAILURES = 5;
export const SIGN_IN_LOCK_MS = 15 * 60 * 1000;

interface SessionDoc {
  readonly _id: string;
  readonly _rev?: string;
  readonly type: 'session';
  readonly name: string;
  readonly csrf: string;
  /** When the session ends unless renewed: idle time runs out. */
  readonly expiresAt: string;
  /** When it ends however it is used; absent on sessions from before sliding, which end at `expiresAt`. */
  readonly endsBy?: string;
}

export interface Reviewer extends ReviewerView {
  readonly csrf: string;
  readonly sessionId: string;
}

const sessionDocId = (token: string) => `session:${sha256(token)}`;
export const SIGN_IN_ATTEMPTS = { kind: 'signin', max: MAX_SIGN_IN_FAILURES, windowMs: SIGN_IN_LOCK_MS } as const;
const viewOf = (doc: ReviewerDoc): ReviewerView => ({
  name: doc.name,
  ...(doc.displayName ? { displayName: doc.displayName } : {}),
  role: doc.role,
  ...(doc.town ? { town: doc.town } : {}),
});

export function sessionCookie(token: string, secure: boolean, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${String(maxAgeSeconds)}${secure ? '; Secure' : ''}`;
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export type SignInError =
  | { readonly code: 'signIn.wrong' }
  | { readonly code: 'signIn.locked'; readonly retryAfterSeconds: number }
  /** Too many password checks queued on this process: nothing was checked. */
  | { readonly code: 'signIn.busy' }
  | { readonly code: 'store' };

/**
 * `attemptKey` is what the name's tries are counted under: its keyed hash (keyring.ts, attemptKeyHasher),
 * never the name as typed.
 */
export async function signIn(
  store: Store,
  passwords: PasswordCheckPool,
  request: { readonly name: string; readonly password: string; readonly attemptKey: string },
  now: Date,
): Promise<Result<{ token: string; session: SessionView }, SignInError>> {
  const { name, password, attemptKey } = request;
  const attempts = attemptLedger(store, SIGN_IN_ATTEMPTS);
  const verdict = await attempts.begin(attemptKey, now);
  if (!verdict.ok) return err({ code: 'store' });
  if (!verdict.value.allowed) return err({ code: 'signIn.locked', retryAfterSeconds: Math.ceil(verdict.value.retryAfterMs / 1000) });
  const { attempt } = verdict.value;
  const user = await store.getDoc<ReviewerDoc>(DB.users, `user:${name}`);
  if (!user.ok && user.error.status !== 404) {
    await attempts.withdraw(attempt);
    return err({ code: 'store' });
  }
  // The same slow check whether or not the name exists, so timing does not tell which names do.
  const valid = await passwords.verify(password, user.ok ? user.value.passwordHash : DUMMY_HASH);
  if (valid === 'busy') {
    await attempts.withdraw(attempt);
    return err({ code: 'signIn.busy' });
  }
  // A failure is already counted: its attempt stays.
  if (!user.ok || !valid) return err({ code: 'signIn.wrong' });
  const cleared = await attempts.clear(attemptKey, attempt);
  if (!cleared.ok) return err({ code: 'store' });
  const token = newSecret();
  const csrf = newSecret();
  const session: SessionDoc = {
    _id: sessionDocId(token),
    type: 'session',
    name,
    csrf,
    expiresAt: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
    endsBy: new Date(now.getTime() + SESSION_MAX_MS).toISOString(),
  };
  const saved = await store.putDoc(DB.users, session);
  if (!saved.ok) return err({ code: 'store' });
  return ok({ token, session: { reviewer: viewOf(user.value), csrf } });
}

// A well-formed scrypt hash that no password matches, checked when the name is unknown.
const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const unauthorized = () => failure(401, 'unauthorized', 'Sign in to the review console.');

/**
 * The reviewer behind a request, or the reply to send instead. Unsafe methods also need the session's
 * CSRF token in `x-cunban-csrf`: a cross-site form cannot read it, and SameSite=Strict keeps the cookie
 * off cross-site requests in the first place.
 */
export async function authenticateReviewer(store: Store, req: IncomingMessage, now: Date): Promise<Result<Reviewer, HttpReply>> {
  const token = cookieValue(req, SESSION_COOKIE);
  if (!token) return err(unauthorized());
  const session = await store.getDoc<SessionDoc>(DB.users, sessionDocId(token));
  if (!session.ok) return err(session.error.status === 404 ? unauthorized() : failure(503, 'store_unavailable', session.error.reason));
  if (Date.parse(session.value.expiresAt) <= now.getTime()) return err(unauthorized());
  const user = await store.getDoc<ReviewerDoc>(DB.users, `user:${session.value.name}`);
  if (!user.ok) return err(unauthorized());
  noteActor(req, { reviewer: user.value.name });
  const safe = req.method === 'GET' || req.method === 'HEAD';
  const sent = req.headers[CSRF_HEADER];
  if (!safe && (typeof sent !== 'string' || !sameHash(sent, session.value.csrf))) {
    return err(failure(403, 'csrf', `Send the session's token in the ${CSRF_HEADER} header.`));
  }
  // The console's own refreshes, and images a page shows by itself (a scan's thumbnail), keep nobody signed in.
  const background = req.headers[BACKGROUND_HEADER] !== undefined || req.headers['sec-fetch-dest'] === 'image';
  if (!background) await renew(store, session.value, now);
  return ok({ ...viewOf(user.value), csrf: session.value.csrf, sessionId: session.value._id });
}

/**
 * The session's idle time started again, up to its absolute end. At most once every few minutes; a renewal
 * lost to a parallel one (409) or to the store is no matter: the session stays valid as it was.
 */
async function renew(store: Store, session: SessionDoc & { readonly _rev?: string }, now: Date): Promise<void> {
  const endsBy = Date.parse(session.endsBy ?? session.expiresAt);
  const renewed = Math.min(now.getTime() + SESSION_IDLE_MS, endsBy);
  if (renewed - Date.parse(session.expiresAt) < RENEW_EVERY_MS) return;
  await store.putDoc(DB.users, { ...session, expiresAt: new Date(renewed).toISOString() });
}

/** Ends the session now; a renewal written at the same moment (409) is read again and ended too. */
export async function signOut(store: Store, sessionId: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const session = await store.getDoc<SessionDoc>(DB.users, sessionId);
    if (!session.ok) return;
    const ended = await store.putDoc(DB.users, { ...session.value, expiresAt: new Date(0).toISOString() });
    if (ended.ok || ended.error.status !== 409) return;
  }
}
