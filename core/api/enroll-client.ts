/**
 * The enrollment exchange as data, for whichever side makes the request: the Electron shell's main (so the
 * page never sees the credential and keys) or the page in browser mode. Each brings its own fetch.
 */
import { err, ok, type Result } from '../result.js';
import {
  ENROLL_ERRORS,
  ENROLLMENT_CODE_PATTERN,
  enrollResponseSchema,
  normalizeEnrollmentCode,
  type EnrollContinuation,
  type EnrollErrorCode,
  type EnrollRequest,
  type EnrollResponse,
} from './enrollment.js';

export type EnrollError =
  | { readonly code: EnrollErrorCode }
  | { readonly code: 'enroll.hubUrl' }
  | { readonly code: 'enroll.codeFormat' }
  | { readonly code: 'enroll.hubUnreachable'; readonly hub: string }
  | { readonly code: 'enroll.hubAnswer'; readonly status: number };

export interface EnrollCall {
  readonly url: string;
  readonly init: { readonly method: 'POST'; readonly headers: Record<string, string>; readonly body: string };
}

/**
 * The request to enroll at `hub` (a normalised base URL ending in `/`) with what the technician typed;
 * `continuing` when an enrolled kiosk re-enrolls in place.
 */
export function enrollCall(hub: string, codeTyped: string, appVersion: string, continuing?: EnrollContinuation): Result<EnrollCall, EnrollError> {
  const code = normalizeEnrollmentCode(codeTyped);
  if (!ENROLLMENT_CODE_PATTERN.test(code)) return err({ code: 'enroll.codeFormat' });
  const body: EnrollRequest = { code, appVersion, ...(continuing ? { continuing } : {}) };
  return ok({ url: `${hub}api/enroll`, init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } });
}

/** The hub's answer to that request, checked against the schema. */
export function readEnrollAnswer(status: number, body: unknown): Result<EnrollResponse, EnrollError> {
  if (status >= 200 && status < 300) {
    const parsed = enrollResponseSchema.safeParse(body);
    return parsed.success ? ok(parsed.data) : err({ code: 'enroll.hubAnswer', status });
  }
  const known = ENROLL_ERRORS.find((candidate) => (body as { error?: unknown } | undefined)?.error === candidate);
  return err(known ? { code: known } : { code: 'enroll.hubAnswer', status });
}
