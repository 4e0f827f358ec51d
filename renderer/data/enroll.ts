/** Enrolling this kiosk with the county hub from the page (browser mode): core's exchange over the page's fetch. */
import { enrollCall, readEnrollAnswer, type EnrollError } from '../../core/api/enroll-client.js';
import type { EnrollContinuation, EnrollResponse } from '../../core/api/enrollment.js';
import { err, type Result } from '../../core/result.js';

export type { EnrollError } from '../../core/api/enroll-client.js';

/** The hub's base URL from what a technician typed: http(s), ending in `/`. */
export function normalizeHubUrl(typed: string): string | undefined {
  try {
    const url = new URL(typed.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.toString().replace(/\/?$/, '/');
  } catch {
    return undefined;
  }
}

export async function enrollWithHub(
  hubTyped: string,
  codeTyped: string,
  appVersion: string,
  continuing?: EnrollContinuation,
  fetch: typeof globalThis.fetch = globalThis.fetch,
): Promise<Result<EnrollResponse, EnrollError>> {
  const hub = normalizeHubUrl(hubTyped);
  if (!hub) return err({ code: 'enroll.hubUrl' });
  const call = enrollCall(hub, codeTyped, appVersion, continuing);
  if (!call.ok) return call;
  let response: Response;
  try {
    response = await fetch(call.value.url, call.value.init);
  } catch {
    return err({ code: 'enroll.hubUnreachable', hub });
  }
  return readEnrollAnswer(response.status, await response.json().catch(() => undefined));
}
