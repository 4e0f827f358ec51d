/**
 * The residents' page's client for the hub that served it: one lookup, the answer in the body (never the
 * URL). Answers are `{ok, value} | {ok: false, error}`: the hub's code, or `offline` when the phone could
 * not reach it. Relative to the page, so it works wherever the hub is mounted behind a proxy.
 */
import type { ResidentCaseView } from '../../core/resident/lookup.js';
import { err, ok, type Result } from '../../core/result.js';

export interface LookupError {
  /** `lookup.notFound`, `lookup.caseNumber`, `lookup.answer`, `lookup.tooManyTries`, `lookup.caseLocked`, `unavailable`, `offline`. */
  readonly code: string;
  /** From `Retry-After`, for the limits. */
  readonly retryAfterSeconds?: number;
}

export interface ResidentApi {
  lookup(caseNumber: string, answer: string): Promise<Result<ResidentCaseView, LookupError>>;
}

export function residentApi(pageUrl: string): ResidentApi {
  const endpoint = new URL('../api/resident/lookup', pageUrl).toString();
  return {
    async lookup(caseNumber, answer) {
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ caseNumber, answer }),
          cache: 'no-store',
        });
      } catch {
        return err({ code: 'offline' });
      }
      if (response.ok) return ok((await response.json()) as ResidentCaseView);
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      const retryAfter = Number(response.headers.get('retry-after'));
      return err({
        code: body.error?.startsWith('lookup.') ? body.error : 'unavailable',
        ...(retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
      });
    },
  };
}
