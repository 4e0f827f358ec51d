/** A town or county reviewer talking to the review API of a test hub, as the console does: cookie and CSRF token. */
import { CSRF_HEADER } from '../../core/api/review.js';
import type { TestHub } from './hub-harness.js';

export interface ReviewerSession {
  readonly cookie: string;
  readonly csrf: string;
}

export async function signInReviewer(hub: TestHub, name: string, password: string): Promise<ReviewerSession> {
  const response = await fetch(`${hub.base}/api/session`, { method: 'POST', body: JSON.stringify({ name, password }) });
  if (response.status !== 200) throw new Error(`sign-in as ${name} answered ${String(response.status)}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: ((await response.json()) as { csrf: string }).csrf };
}

/** A request as `session` (or nobody); `withCsrf: false` leaves the token out, as a forged form would. */
export function asReviewer(
  hub: TestHub,
  session: ReviewerSession | undefined,
  method: string,
  path: string,
  body?: unknown,
  withCsrf = true,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (session) headers.cookie = session.cookie;
  if (session && withCsrf) headers[CSRF_HEADER] = session.csrf;
  return fetch(`${hub.base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

/** The same request, its JSON answer parsed as the shape the caller expects. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export async function reviewerJson<T>(
  hub: TestHub,
  session: ReviewerSession | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await asReviewer(hub, session, method, path, body);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}
