/**
 * Opening a resident's own document on the public page by its code (an appointment's, an appeal's) and the
 * phone given with it. Hostile by assumption, as the case lookup: every miss — no such code, a wrong phone, a
 * phone where none was given — is one 404 that never comes sooner than MISS_FLOOR_MS; wrong tries are counted
 * in the store per code (five a day, then the code is locked even against the right phone) and per address
 * (thirty in fifteen minutes), after a burst brake per address. A right answer does not forgive earlier ones.
 * A document raised without a phone (an anonymous appeal) opens with its code alone: 40 bits, not guessed.
 */
import { timingSafeEqual } from 'node:crypto';
import type { SealedValue } from '../../core/case/sealed.js';
import { parseMobileNumber, parseAppointmentCode } from '../../core/resident/booking.js';
import { attemptLedger, type AttemptPolicy } from '../attempts.js';
import type { ClientOf } from '../http/client.js';
import { failure, type HttpReply, type RouteContext } from '../http/kit.js';
import type { Throttle } from '../http/throttle.js';
import { attemptKeyHasher, keyRingUnavailable, unsealOnHub, type HeldKeyRing } from '../keyring.js';
import { hallDb } from '../store/names.js';
import type { Store, StoredDoc } from '../store/store.js';
import { villageOfCode, type CodeKind } from './code-index.js';
import { limited, MISS_FLOOR_MS, NO_STORE, noStore, refuseNonJson, sleep, unavailable } from './public-kit.js';

/** Wrong phones for one code: five a day. */
export const codeAttempts = (kind: CodeKind): AttemptPolicy => ({ kind: `${kind}-code`, max: 5, windowMs: 24 * 60 * 60 * 1000 });
/** Misses from one address: thirty in fifteen minutes. */
export const addressAttempts = (kind: CodeKind): AttemptPolicy => ({ kind: `${kind}-address`, max: 30, windowMs: 15 * 60 * 1000 });

export interface CodeDoorOptions {
  readonly store: Store;
  readonly client: ClientOf;
  readonly keyRing: HeldKeyRing;
  readonly throttle: Throttle;
  readonly now: () => Date;
}

export type Opened<T> = { readonly ok: true; readonly doc: T & StoredDoc } | { readonly ok: false; readonly reply: HttpReply };

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `open(context)`: the document of `kind` the body's `{code, phone}` opens, or the reply that says no. */
export function codeDoor<T extends { readonly phone?: SealedValue | undefined }>(options: CodeDoorOptions, kind: CodeKind, idOf: (code: string) => string) {
  const { store, now } = options;
  const perCode = attemptLedger(store, codeAttempts(kind));
  const perAddress = attemptLedger(store, addressAttempts(kind));
  const notFound = () => failure(404, `${kind}.notFound`, `No ${kind} matches this code and phone.`, NO_STORE);

  return async function open(context: RouteContext): Promise<Opened<T>> {
    const started = Date.now();
    const fail = (reply: HttpReply): Opened<T> => ({ ok: false, reply });
    const nonJson = refuseNonJson(context, 'request');
    if (nonJson) return fail(nonJson);
    const body = await context.json(2 * 1024);
    if (!body.ok) return fail(body.error);
    const request = body.value as { code?: unknown; phone?: unknown } | null;
    if (typeof request !== 'object' || request === null || typeof request.code !== 'string' || !['string', 'undefined'].includes(typeof request.phone)) {
      return fail(failure(400, 'bad_request', 'Expected {"code": "…", "phone": "…"}.', NO_STORE));
    }
    const code = parseAppointmentCode(request.code.slice(0, 64));
    if (!code) return fail(failure(400, `${kind}.code`, 'A code is 8 letters and digits, as it was given.', NO_STORE));
    const typedPhone = typeof request.phone === 'string' && request.phone.trim() !== '' ? request.phone.slice(0, 64) : undefined;
    const phone = typedPhone === undefined ? undefined : parseMobileNumber(typedPhone);
    if (typedPhone !== undefined && !phone) return fail(failure(400, 'booking.phone', 'Type an 11-digit mobile number.', NO_STORE));

    const ring = await options.keyRing();
    if (!ring.ok) return fail(noStore(keyRingUnavailable()));
    const hash = attemptKeyHasher(ring.value);
    const addressKey = hash(addressAttempts(kind).kind, options.client.address(context.req));
    const braked = await options.throttle.take(addressKey);
    if (!braked.allowed) return fail(limited(`${kind}.tooManyTries`, braked.retryAfterSeconds));
    const byAddress = await perAddress.begin(addressKey, now());
    if (!byAddress.ok) return fail(unavailable());
    if (!byAddress.value.allowed) return fail(limited(`${kind}.tooManyTries`, byAddress.value.retryAfterMs / 1000));
    const byCode = await perCode.begin(hash(codeAttempts(kind).kind, code), now());
    if (!byCode.ok) return fail(unavailable());
    if (!byCode.value.allowed) return fail(limited(`${kind}.tooManyTries`, byCode.value.retryAfterMs / 1000));

    const village = await villageOfCode(store, kind, code);
    const stored = village.ok && village.value ? await store.getDoc<T>(hallDb(village.value), idOf(code)) : undefined;
    if (!village.ok || (stored && !stored.ok && stored.error.status !== 404)) return fail(unavailable());
    const doc = stored?.ok ? stored.value : undefined;
    const storedPhone = doc?.phone ? unsealOnHub(ring.value, 'phone', doc.phone) : undefined;
    // Given with a phone: that phone, and no other, opens it; given without: the code alone, and no phone.
    const opens = doc !== undefined && (doc.phone ? storedPhone !== undefined && phone !== undefined && sameText(storedPhone, phone) : phone === undefined);
    if (!doc || !opens) {
      await sleep(MISS_FLOOR_MS - (Date.now() - started));
      return fail(notFound());
    }
    await perAddress.withdraw(byAddress.value.attempt);
    await perCode.withdraw(byCode.value.attempt);
    return { ok: true, doc };
  };
}
