/**
 * What every route of the residents' page shares: public and unauthenticated, so answers are never cached,
 * bodies are JSON only (another site's page cannot post a form, text/plain needing no preflight, from its
 * visitors' browsers), and a miss takes a fixed least time so its timing tells nothing.
 */
import { failure, type HttpReply, type RouteContext } from '../http/kit.js';

export const NO_STORE = { 'cache-control': 'no-store, private' };

/** The least time a miss takes: reading a large document must not tell a guesser which ones exist. */
export const MISS_FLOOR_MS = 60;

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, Math.max(0, ms)));

/** A 415 unless the request's body is JSON. */
export function refuseNonJson(context: RouteContext, what: string): HttpReply | undefined {
  if (/^application\/json\b/i.test(context.req.headers['content-type'] ?? '')) return undefined;
  return failure(415, 'unsupported_media_type', `Send the ${what} as application/json.`, NO_STORE);
}

/** A 429 with when to come back. */
export const limited = (
  code: string,
  retryAfterSeconds: number,
  reason = 'Too many wrong answers: try again later, or ask at the village service hall.',
): HttpReply => failure(429, code, reason, { ...NO_STORE, 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });

/** `reply`, never cached (for answers made elsewhere, such as the key ring's 503). */
export const noStore = (reply: HttpReply): HttpReply => ({ ...reply, headers: { ...reply.headers, ...NO_STORE } });

export const unavailable = () => failure(503, 'store_unavailable', 'The county hub cannot answer just now: try again shortly.', NO_STORE);

/**
 * A read kept for `ttlMs` by this process, per key: a public page's reads (the county's data, a village's
 * publications) are shared by everyone asking within that time. A failed read is not kept.
 */
export function cachedReads<T extends { readonly ok: boolean }>(ttlMs: number, read: (key: string) => Promise<T>): (key?: string) => Promise<T> {
  const held = new Map<string, { at: number; value: Promise<T> }>();
  return (key = '') => {
    const found = held.get(key);
    if (found && Date.now() - found.at <= ttlMs) return found.value;
    const value = read(key);
    held.set(key, { at: Date.now(), value });
    // Bounded: a stale entry is dropped when it is next asked for, and the map never outgrows the villages asked about.
    void value.then((result) => {
      if (!result.ok && held.get(key)?.value === value) held.delete(key);
    });
    return value;
  };
}
