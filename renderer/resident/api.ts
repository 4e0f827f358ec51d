/**
 * The residents' page's client for the hub that served it: the case lookup, booking a visit and appeals, answers
 * in the body (never the URL). Answers are `{ok, value} | {ok: false, error}`: the hub's code, `unavailable`
 * for anything else it said, or `offline` when the phone could not reach it. Relative to the page, so it
 * works wherever the hub is mounted behind a proxy.
 */
// Types only: core/appeal/appeal.ts is built on zod, which the page must not carry.
import type { RaiseAppealRequest, ResidentAppealView } from '../../core/appeal/appeal.js';
import type { BookingRequest, BookingView, CancelRequest, HallDirectory, HallView } from '../../core/resident/booking.js';
import type { ResidentCaseView } from '../../core/resident/lookup.js';
import { err, ok, type Result } from '../../core/result.js';

export interface ResidentError {
  /**
   * The hub's code: `lookup.*` for the case lookup; `booking.*`, `appointment.*` and `hall.unknown` for
   * bookings; `appeal.*`, `booking.phone` and `hall.unknown` for appeals; otherwise `unavailable` (the store, the key ring, a malformed request), or `offline`.
   */
  readonly code: string;
  /** From `Retry-After`, for the limits. */
  readonly retryAfterSeconds?: number;
}

/** The case lookup's errors: `lookup.notFound`, `lookup.caseNumber`, `lookup.answer`, `lookup.tooManyTries`, `lookup.caseLocked`, `unavailable`, `offline`. */
export type LookupError = ResidentError;

export interface ResidentApi {
  lookup(caseNumber: string, answer: string): Promise<Result<ResidentCaseView, LookupError>>;
  /** The county's towns and villages, to choose a hall from. */
  halls(): Promise<Result<HallDirectory, ResidentError>>;
  /** One hall's service items and, for the days ahead, each slot's places left online. */
  hall(village: string): Promise<Result<HallView, ResidentError>>;
  book(request: BookingRequest): Promise<Result<BookingView, ResidentError>>;
  /** A booking by its code and the phone it was made with. */
  openBooking(request: CancelRequest): Promise<Result<BookingView, ResidentError>>;
  cancelBooking(request: CancelRequest): Promise<Result<BookingView, ResidentError>>;
  /** Raise an appeal or suggestion: with a phone, or anonymously (no `phone`). */
  raiseAppeal(request: RaiseAppealRequest): Promise<Result<ResidentAppealView, ResidentError>>;
  /** An appeal and its answers by its code, and the phone it was raised with (none for an anonymous one). */
  openAppeal(request: OpenAppealRequest): Promise<Result<ResidentAppealView, ResidentError>>;
}

export interface OpenAppealRequest {
  readonly code: string;
  readonly phone?: string;
}

const LOOKUP_CODES = ['lookup.'];
const BOOKING_CODES = ['booking.', 'appointment.', 'hall.'];
const APPEAL_CODES = ['appeal.', 'booking.', 'hall.'];

export function residentApi(pageUrl: string): ResidentApi {
  const address = (path: string) => new URL(`../api/resident/${path}`, pageUrl).toString();

  /** One call; an error code the page knows by one of `prefixes`, else `unavailable`. */
  async function call<T>(path: string, body: unknown, prefixes: readonly string[]): Promise<Result<T, ResidentError>> {
    let response: Response;
    try {
      response = await fetch(
        address(path),
        body === undefined
          ? { cache: 'no-store' }
          : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), cache: 'no-store' },
      );
    } catch {
      return err({ code: 'offline' });
    }
    if (response.ok) {
      try {
        return ok((await response.json()) as T);
      } catch {
        // A cut answer (the signal dropped mid-way) is the connection's fault, not the hub's.
        return err({ code: 'offline' });
      }
    }
    const answer = (await response.json().catch(() => ({}))) as { error?: unknown };
    const code = typeof answer.error === 'string' && prefixes.some((prefix) => (answer.error as string).startsWith(prefix)) ? answer.error : 'unavailable';
    const retryAfter = Number(response.headers.get('retry-after'));
    return err({ code, ...(retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) });
  }

  return {
    lookup: (caseNumber, answer) => call('lookup', { caseNumber, answer }, LOOKUP_CODES),
    halls: () => call('halls', undefined, BOOKING_CODES),
    hall: (village) => call(`halls/${encodeURIComponent(village)}`, undefined, BOOKING_CODES),
    book: (request) => call('appointments', request, BOOKING_CODES),
    openBooking: (request) => call('appointments/open', request, BOOKING_CODES),
    cancelBooking: (request) => call('appointments/cancel', request, BOOKING_CODES),
    raiseAppeal: (request) => call('appeals', request, APPEAL_CODES),
    openAppeal: (request) => call('appeals/open', request, APPEAL_CODES),
  };
}
