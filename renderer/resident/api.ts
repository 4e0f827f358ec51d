/**
 * The residents' page's client for the hub that served it: the case lookup, booking a visit, appeals and the
 * village's disclosure board (with objections to a line of it and the open service figures), answers
 * in the body (never the URL). Answers are `{ok, value} | {ok: false, error}`: the hub's code, `unavailable`
 * for anything else it said, or `offline` when the phone could not reach it. Relative to the page, so it
 * works wherever the hub is mounted behind a proxy.
 */
// Types only: core/appeal/appeal.ts is built on zod, which the page must not carry.
import type { RaiseAppealRequest, ResidentAppealView } from '../../core/appeal/appeal.js';
import type { BoardPublication, ObjectionRequest } from '../../core/disclosure/publication.js';
import type { ServiceFigures } from '../../core/disclosure/service-figures.js';
import type { BookingRequest, BookingView, CancelRequest, HallDirectory, HallView } from '../../core/resident/booking.js';
import type { ResidentCaseView } from '../../core/resident/lookup.js';
import { err, ok, type Result } from '../../core/result.js';

export interface ResidentError {
  /**
   * The hub's code: `lookup.*` for the case lookup; `booking.*`, `appointment.*` and `hall.unknown` for
   * bookings; `appeal.*`, `booking.phone` and `hall.unknown` for appeals, and `board.*` besides for an
   * objection; `booking.tooMany` and `hall.unknown` for a board; otherwise `unavailable` (the store, the key ring, a malformed request), or `offline`.
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
  /** A village's board: the publications on display, newest first, and its service figures of the last twelve months. */
  board(village: string): Promise<Result<VillageBoard, ResidentError>>;
  /** The village's publications whose period of display is over, the latest ended first. */
  boardArchive(village: string): Promise<Result<BoardArchive, ResidentError>>;
  /** An objection to one line (`row`, from 1) of a publication on display: raised as an appeal to the town, answered by its code. */
  object(village: string, publication: string, request: ObjectionRequest): Promise<Result<ResidentAppealView, ResidentError>>;
  /** Where the county's service figures are downloaded from, as open data. */
  openDataUrl(format: 'csv' | 'json'): string;
}

/** The village a board is of, by its names. */
export interface BoardPlace {
  readonly village: string;
  readonly villageName: string;
  readonly townName: string;
}

export interface VillageBoard extends BoardPlace {
  readonly publications: readonly BoardPublication[];
  /** By month, the months with a case accepted or decided only. */
  readonly figures: readonly ServiceFigures[];
}

export interface BoardArchive extends BoardPlace {
  readonly publications: readonly BoardPublication[];
}

export interface OpenAppealRequest {
  readonly code: string;
  readonly phone?: string;
}

const LOOKUP_CODES = ['lookup.'];
const BOOKING_CODES = ['booking.', 'appointment.', 'hall.'];
const APPEAL_CODES = ['appeal.', 'booking.', 'hall.'];
const BOARD_CODES = ['booking.', 'hall.'];
const OBJECTION_CODES = [...APPEAL_CODES, 'board.'];

export function residentApi(pageUrl: string): ResidentApi {
  const address = (path: string) => new URL(`../api/resident/${path}`, pageUrl).toString();
  const boardPath = (village: string) => `board/${encodeURIComponent(village)}`;

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
    board: (village) => call(boardPath(village), undefined, BOARD_CODES),
    boardArchive: (village) => call(`${boardPath(village)}/archive`, undefined, BOARD_CODES),
    object: (village, publication, request) => call(`${boardPath(village)}/${encodeURIComponent(publication)}/objections`, request, OBJECTION_CODES),
    openDataUrl: (format) => new URL(`../api/open/service-figures.${format}`, pageUrl).toString(),
  };
}
