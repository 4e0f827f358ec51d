/**
 * `POST /api/resident/lookup` — the public page's "follow my case" (core/resident/lookup.ts). Public and
 * unauthenticated, so hostile by assumption:
 * - the answer travels in the body, never the URL (no case number and phone digits in proxy logs);
 * - a case that does not exist, a case with no phone on record and a wrong answer get the same 404 and
 *   count the same, so trying numbers tells nothing about which cases exist;
 * - wrong answers are counted in the store (attempts.ts: every hub process sees one count) per case —
 *   five a day, so four phone digits are not guessed by patience; a right answer does not wipe them — and
 *   per client address; a burst brake per address in this process comes first, so a flood costs the store
 *   nothing; a miss takes at least MISS_FLOOR_MS, so its time says nothing of which cases exist;
 * - JSON bodies only, so another site's page cannot post guesses from its visitors' browsers;
 * - the reply is the resident view only, never cached.
 * A stranger who knows a case number can lock its phone answer (a number dated after today cannot be
 * locked in advance); the receipt's lookup code still opens it, and the counter needs no lookup at all.
 */
import { timingSafeEqual } from 'node:crypto';
import { workingCalendar } from '../../core/calendar.js';
import { documentDeadline } from '../../core/case/deadline.js';
import { parseCaseDocument, type CaseDocument } from '../../core/case/document.js';
import { foldCase } from '../../core/case/fold.js';
import { parseCaseNumber } from '../../core/case/number.js';
import type { CaseState } from '../../core/case/state.js';
import { indexDivisions } from '../../core/divisions/table.js';
import { compareDates, localDateOf } from '../../core/local-date.js';
import { parseLookupAnswer, phoneTailOf, residentCaseView, residentLookupRequestSchema, type LookupAnswer } from '../../core/resident/lookup.js';
import { attemptLedger } from '../attempts.js';
import type { ClientOf } from '../http/client.js';
import { failure, reply, type HttpReply, type Route } from '../http/kit.js';
import type { Throttle } from '../http/throttle.js';
import { attemptKeyHasher, keyRingUnavailable, type HeldKeyRing } from '../keyring.js';
import { readCountyData } from '../provision.js';
import { villageDb } from '../store/names.js';
import type { Store } from '../store/store.js';
import { limited, MISS_FLOOR_MS, NO_STORE, noStore, refuseNonJson, sleep, unavailable } from './public-kit.js';

/** Wrong answers for one case, on any hub process: five a day. */
export const LOOKUP_CASE_ATTEMPTS = { kind: 'lookup-case', max: 5, windowMs: 24 * 60 * 60 * 1000 } as const;
/** Wrong answers from one client address (a village's shared mobile address among them): thirty in fifteen minutes. */
export const LOOKUP_ADDRESS_ATTEMPTS = { kind: 'lookup-address', max: 30, windowMs: 15 * 60 * 1000 } as const;

/** The burst brake in each process: lookups, right or wrong, per client address. */
export const LOOKUPS_PER_ADDRESS = { points: 20, seconds: 60 } as const;

export interface ResidentLookupOptions {
  readonly store: Store;
  readonly client: ClientOf;
  /** Hashes what residents type before it is counted (attempts are never stored as typed). */
  readonly keyRing: HeldKeyRing;
  /** Lookups per client address in this process, right or wrong. */
  readonly throttle: Throttle;
  readonly now: () => Date;
}

/** The one answer for every miss: no such case, no phone on record, a wrong answer. */
const notFound = () => failure(404, 'lookup.notFound', 'No case matches this number and answer.', NO_STORE);

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Whether the answer opens this case: its lookup code, or the last four digits of a phone on it. */
function answerOpens(answer: LookupAnswer, state: CaseState): boolean {
  if (answer.kind === 'code') return state.lookupCode !== undefined && sameText(answer.code, state.lookupCode);
  const tails = [state.applicant.phoneMasked, state.proxy?.phoneMasked].map(phoneTailOf);
  // Every tail compared, so the time taken says nothing about which one matched.
  return tails.map((tail) => tail !== undefined && sameText(answer.digits, tail)).includes(true);
}

export function residentLookupRoutes(options: ResidentLookupOptions): Route[] {
  const { store, now } = options;
  const perCase = attemptLedger(store, LOOKUP_CASE_ATTEMPTS);
  const perAddress = attemptLedger(store, LOOKUP_ADDRESS_ATTEMPTS);

  /** The case's state, if it exists and reads. */
  async function readCase(village: string, caseNumber: string): Promise<{ doc: CaseDocument; state: CaseState } | 'absent' | 'unavailable'> {
    const stored = await store.getDoc<Record<string, unknown>>(villageDb(village), caseNumber);
    if (!stored.ok) return stored.error.status === 404 ? 'absent' : 'unavailable';
    const doc = parseCaseDocument(stored.value);
    const folded = doc.ok ? foldCase(doc.value.events) : undefined;
    return doc.ok && folded?.ok ? { doc: doc.value, state: folded.value.state } : 'absent';
  }

  /** The resident's view of a case they opened: its due date by the county's calendar, its places by name. */
  async function viewOf(found: { doc: CaseDocument; state: CaseState }): Promise<HttpReply> {
    const county = await readCountyData(store);
    if (!county.ok) return unavailable();
    const place = indexDivisions(county.value.divisions).village(found.state.village);
    const names = { village: place?.village.name ?? '', town: place?.town.name ?? '', county: place?.county.name ?? '' };
    return reply(200, residentCaseView(found.state, documentDeadline(found.doc, workingCalendar(county.value.calendar)), names), NO_STORE);
  }

  return [
    {
      method: 'POST',
      pattern: /^\/api\/resident\/lookup$/,
      async handle(context) {
        const started = Date.now();
        const nonJson = refuseNonJson(context, 'lookup');
        if (nonJson) return nonJson;
        const body = await context.json(2 * 1024);
        if (!body.ok) return body.error;
        const request = residentLookupRequestSchema.safeParse(body.value);
        if (!request.success) return failure(400, 'bad_request', 'Expected {"caseNumber": "…", "answer": "…"}.', NO_STORE);
        // A number or an answer that cannot be right is said so at once: it is no guess at any case.
        const number = parseCaseNumber(request.data.caseNumber);
        if (!number.ok) return failure(400, 'lookup.caseNumber', 'That is not a case number: check it against the receipt.', NO_STORE);
        const answer = parseLookupAnswer(request.data.answer);
        if (!answer) return failure(400, 'lookup.answer', 'Type the last four digits of the phone, or the receipt’s lookup code.', NO_STORE);

        const ring = await options.keyRing();
        if (!ring.ok) return noStore(keyRingUnavailable());
        const hash = attemptKeyHasher(ring.value);
        const addressKey = hash(LOOKUP_ADDRESS_ATTEMPTS.kind, options.client.address(context.req));
        const braked = await options.throttle.take(addressKey);
        if (!braked.allowed) return limited('lookup.tooManyTries', braked.retryAfterSeconds);
        const byAddress = await perAddress.begin(addressKey, now());
        if (!byAddress.ok) return unavailable();
        if (!byAddress.value.allowed) return limited('lookup.tooManyTries', byAddress.value.retryAfterMs / 1000);
        /** A miss, never sooner than MISS_FLOOR_MS after the request came: how long it took says nothing. */
        const miss = async () => {
          await sleep(MISS_FLOOR_MS - (Date.now() - started));
          return notFound();
        };
        // A number dated after today (China time) names no case yet: a miss, but no lock on the number, so
        // nobody can lock tomorrow's cases before they are registered.
        if (compareDates(number.value.date, localDateOf(now().toISOString())) > 0) return miss();

        const caseKey = hash(LOOKUP_CASE_ATTEMPTS.kind, number.value.caseNumber);
        const byCase = await perCase.begin(caseKey, now());
        if (!byCase.ok) {
          await perAddress.withdraw(byAddress.value.attempt);
          return unavailable();
        }
        const found = await readCase(number.value.village, number.value.caseNumber);
        if (found === 'unavailable') {
          await perAddress.withdraw(byAddress.value.attempt);
          if (byCase.value.allowed) await perCase.withdraw(byCase.value.attempt);
          return unavailable();
        }
        const opens = found !== 'absent' && answerOpens(answer, found.state);
        // A locked case still opens with its lookup code (40 bits are not guessed five at a time): a stranger
        // who locks a case by its number keeps out guesses at the phone, not the resident with the receipt.
        if (!byCase.value.allowed && !(opens && answer.kind === 'code')) {
          return limited('lookup.caseLocked', byCase.value.retryAfterMs / 1000);
        }
        if (!opens) return miss();
        // Right: this try does not count against the address or the case. Earlier wrong ones still count —
        // a guesser must not be forgiven each time the resident looks.
        await perAddress.withdraw(byAddress.value.attempt);
        if (byCase.value.allowed) await perCase.withdraw(byCase.value.attempt);
        return viewOf(found);
      },
    },
  ];
}
