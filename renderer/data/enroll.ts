/** Enrolling this kiosk with the county hub: one request, its answer checked against core/'s schema. */
import {
  ENROLL_ERRORS,
  ENROLLMENT_CODE_PATTERN,
  enrollResponseSchema,
  normalizeEnrollmentCode,
  type EnrollErrorCode,
  type EnrollResponse,
} from '../../core/api/enrollment.js';
import { err, ok, type Result } from '../../core/result.js';

export type EnrollError =
  | { readonly code: EnrollErrorCode }
  | { readonly code: 'enroll.hubUrl' }
  | { readonly code: 'enroll.codeFormat' }
  | { readonly code: 'enroll.hubUnreachable'; readonly hub: string }
  | { readonly code: 'enroll.hubAnswer'; readonly status: number };

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
  fetch: typeof globalThis.fetch = globalThis.fetch,
): Promise<Result<EnrollResponse, EnrollError>> {
  const hub = normalizeHubUrl(hubTyped);
  if (!hub) return err({ code: 'enroll.hubUrl' });
  const code = normalizeEnrollmentCode(codeTyped);
  if (!ENROLLMENT_CODE_PATTERN.test(code)) return err({ code: 'enroll.codeFormat' });
  let response: Response;
  try {
    response = await fetch(`${hub}api/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, appVersion }),
    });
  } catch {
    return err({ code: 'enroll.hubUnreachable', hub });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) {
    const parsed = enrollResponseSchema.safeParse(body);
    return parsed.success ? ok(parsed.data) : err({ code: 'enroll.hubAnswer', status: response.status });
  }
  const known = ENROLL_ERRORS.find((candidate) => (body as { error?: unknown } | undefined)?.error === candidate);
  return err(known ? { code: known } : { code: 'enroll.hubAnswer', status: response.status });
}
