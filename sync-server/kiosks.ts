/**
 * Kiosks and their enrollment. Everything lives in the store (stateless hub processes): codes are
 * kept as hashes, single use is guaranteed by CouchDB's revision check (two hubs racing on one code:
 * one gets a conflict), and kiosk numbers are reserved by creating a document whose id is the number.
 *
 * A kiosk number is the numbering identity of case numbers, never used twice in a village. Every
 * enrollment — a new kiosk, or one re-enrolled after a lost disk or credential — and every kiosk database
 * that starts without a numbering lease (a wiped one) gets a number no kiosk of the village ever had. So
 * uniqueness never depends on a device remembering what it issued; the kiosk keeps every number it held,
 * so the cases it numbered under an earlier one are still accepted as its own. A hub restored from a
 * backup forgets the numbers it granted since: the restore sets numbers aside in each village
 * (`reserveNumbersAfterRestore`), and a kiosk re-enrolled in place claims back those it numbered under.
 */
import { canonicalJson } from '../core/canonical-json.js';
import { recordableVersion } from '../core/fleet-policy.js';
import { noteActor } from './http/actor.js';
import { normalizeEnrollmentCode, type EnrollContinuation } from '../core/api/enrollment.js';
import type { KioskStatusReport, KioskView } from '../core/api/fleet.js';
import { MAX_KIOSK_NUMBER } from '../core/case/number.js';
import { err, ok, type Result } from '../core/result.js';
import { failure, type HttpReply, type RouteContext } from './http/kit.js';
import { newEnrollmentCode, newSecret, sameHash, sha256 } from './secrets.js';
import { DB } from './store/names.js';
import type { Store, StoreFailure } from './store/store.js';

export const DEFAULT_CODE_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface EnrollmentCodeDoc {
  readonly _id: string;
  readonly _rev?: string;
  readonly type: 'enrollmentCode';
  readonly village: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt?: string;
  readonly kioskId?: string;
  /** Set when the code re-enrolls an existing kiosk (a new credential and a new number, same id) rather than a new one. */
  readonly forKiosk?: string;
}

/** A kiosk as stored: what the console's fleet view shows (core's `KioskView`), and its hashed credential. */
export interface KioskDoc extends Omit<KioskView, 'refused'> {
  readonly _id: string;
  readonly _rev?: string;
  readonly type: 'kiosk';
  readonly secretHash: string;
  /** Every kiosk number it was granted, the current (`kioskNumber`) last; absent before 0.2.0. */
  readonly numbers?: readonly number[];
}

/** The numbers whose cases are this kiosk's own. */
export const numbersOf = (kiosk: Pick<KioskDoc, 'kioskNumber' | 'numbers'>): readonly number[] => kiosk.numbers ?? [kiosk.kioskNumber];

/** A kiosk may be granted this many numbers in all: a village has 99, and a kiosk asking for more is broken. */
export const MAX_NUMBERS_PER_KIOSK = 10;

const codeId = (code: string) => `enroll:${sha256(code)}`;
const kioskDocId = (kioskId: string) => `kiosk:${kioskId}`;
export const kioskIdFor = (village: string, kioskNumber: number) => `kiosk-${village}-${String(kioskNumber).padStart(2, '0')}`;

/**
 * A one-time code for a new kiosk of `village` — or, with `forKiosk`, for re-enrolling that kiosk
 * (after a revocation, a lost credential or disk, a hub restored from a backup): it keeps its id and its
 * numbers and gets a new one, so the cases it numbered while cut off are still its own.
 */
export async function issueEnrollmentCode(
  store: Store,
  village: string,
  now: Date,
  lifetimeMs = DEFAULT_CODE_LIFETIME_MS,
  forKiosk?: string,
): Promise<Result<{ code: string; expiresAt: string }, StoreFailure>> {
  const code = newEnrollmentCode();
  const expiresAt = new Date(now.getTime() + lifetimeMs).toISOString();
  const doc: EnrollmentCodeDoc = {
    _id: codeId(code),
    type: 'enrollmentCode',
    village,
    createdAt: now.toISOString(),
    expiresAt,
    ...(forKiosk ? { forKiosk } : {}),
  };
  const put = await store.putDoc(DB.kiosks, doc);
  return put.ok ? ok({ code, expiresAt }) : put;
}

export type EnrollError =
  | { readonly code: 'enroll.codeUnknown' }
  | { readonly code: 'enroll.codeUsed' }
  | { readonly code: 'enroll.codeExpired' }
  | { readonly code: 'enroll.villageFull' }
  | { readonly code: 'enroll.numbersExhausted' }
  /** The code is not for the kiosk that asks to continue with it; the code is not spent. */
  | { readonly code: 'enroll.otherKiosk' }
  /** Another enrollment of the same kiosk won the race; the code is not spent. */
  | { readonly code: 'enroll.kioskBusy' }
  | { readonly code: 'enroll.store'; readonly failure: StoreFailure };

/** A kiosk number's reservation: held by a kiosk, or set aside by a restore (`reservedBy`) until one claims it. */
export interface NumberReservation {
  readonly _id: string;
  readonly _rev?: string;
  readonly type: 'kioskNumber';
  readonly kioskId?: string;
  readonly reservedBy?: 'restore';
  readonly reservedAt?: string;
}

const reservationId = (village: string, n: number) => `kiosknumber:${village}:${String(n).padStart(2, '0')}`;
/** The number a kiosk id names (`kiosk-<village>-<nn>`), and its village. */
const idParts = (kioskId: string) => ({ village: kioskId.slice(6, 18), number: Number(kioskId.slice(19)) });

export interface Enrollment {
  readonly kiosk: KioskDoc;
  /** Shown once, to the kiosk; only its hash is kept. */
  readonly secret: string;
}

async function reserveKioskNumber(store: Store, village: string, kioskId: (n: number) => string): Promise<Result<number, EnrollError>> {
  for (let n = 1; n <= MAX_KIOSK_NUMBER; n++) {
    const reserved = await store.putDoc<NumberReservation>(DB.kiosks, { _id: reservationId(village, n), type: 'kioskNumber', kioskId: kioskId(n) });
    if (reserved.ok) return ok(n);
    if (reserved.error.status !== 409) return err({ code: 'enroll.store', failure: reserved.error });
  }
  return err({ code: 'enroll.villageFull' });
}

export async function enrollKiosk(
  store: Store,
  typedCode: string,
  now: Date,
  appVersion?: string,
  continuing?: EnrollContinuation,
): Promise<Result<Enrollment, EnrollError>> {
  const code = normalizeEnrollmentCode(typedCode);
  const found = await store.getDoc<EnrollmentCodeDoc>(DB.kiosks, codeId(code));
  if (!found.ok) return err(found.error.status === 404 ? { code: 'enroll.codeUnknown' } : { code: 'enroll.store', failure: found.error });
  const codeDoc = found.value;
  if (codeDoc.usedAt) return err({ code: 'enroll.codeUsed' });
  if (Date.parse(codeDoc.expiresAt) <= now.getTime()) return err({ code: 'enroll.codeExpired' });
  // A kiosk continuing in place takes only a code for itself, checked before the code is spent.
  if (continuing && codeDoc.forKiosk !== continuing.kioskId) return err({ code: 'enroll.otherKiosk' });
  let predecessor: KioskDoc | undefined;
  if (codeDoc.forKiosk) {
    const existing = await findReEnrollable(store, codeDoc.forKiosk);
    if (!existing.ok)
      return existing.error.code === 'kiosk.store' ? err({ code: 'enroll.store', failure: existing.error.failure }) : err({ code: 'enroll.codeUnknown' });
    predecessor = existing.value;
    // A kiosk the restored hub forgot is only ever that kiosk, continuing in place: a new disk enrolls as a new kiosk.
    if (!predecessor._rev && !continuing) return err({ code: 'enroll.otherKiosk' });
    // Refused before the code is spent, as every refusal the kiosk can do nothing about.
    if (numbersOf(predecessor).length >= MAX_NUMBERS_PER_KIOSK) return err({ code: 'enroll.numbersExhausted' });
  }

  // Claim the code first: of two hubs racing on it, exactly one write succeeds.
  const claimed = await store.putDoc(DB.kiosks, { ...codeDoc, usedAt: now.toISOString() });
  if (!claimed.ok) {
    return err(claimed.error.status === 409 ? { code: 'enroll.codeUsed' } : { code: 'enroll.store', failure: claimed.error });
  }
  const secret = newSecret();
  const numbered = predecessor ? await continueKiosk(store, predecessor, continuing?.numbers ?? []) : await newKiosk(store, codeDoc.village);
  if (!numbered.ok) return numbered;
  const kiosk: KioskDoc = { ...numbered.value, secretHash: sha256(secret), enrolledAt: now.toISOString(), ...(appVersion ? { appVersion } : {}) };
  const saved = await store.putDoc(DB.kiosks, kiosk);
  if (!saved.ok) {
    if (saved.error.status !== 409) return err({ code: 'enroll.store', failure: saved.error });
    // Another enrollment of this kiosk was written first: this code stays usable (its number is spent, never reused).
    await store.putDoc(DB.kiosks, { ...codeDoc, _rev: claimed.value.rev });
    return err({ code: 'enroll.kioskBusy' });
  }
  await store.putDoc(DB.kiosks, { ...codeDoc, _rev: claimed.value.rev, usedAt: now.toISOString(), kioskId: kiosk.kioskId });
  return ok({ kiosk: { ...kiosk, _rev: saved.value.rev }, secret });
}

/** A new kiosk of `village`, under the first number no kiosk of the village ever had. */
async function newKiosk(store: Store, village: string): Promise<Result<KioskDoc, EnrollError>> {
  const number = await reserveKioskNumber(store, village, (n) => kioskIdFor(village, n));
  if (!number.ok) return number;
  const kioskId = kioskIdFor(village, number.value);
  return ok({ _id: kioskDocId(kioskId), type: 'kiosk', kioskId, village, kioskNumber: number.value, numbers: [number.value], secretHash: '', enrolledAt: '' });
}

/**
 * A re-enrolled kiosk, lifted from any revocation: the numbers it held, those its database says it
 * numbered under that no other kiosk holds (a hub restored from a backup forgot them), and a new one —
 * the re-enrolled kiosk may be a new machine that remembers nothing it numbered.
 */
async function continueKiosk(store: Store, kiosk: KioskDoc, numberedUnder: readonly number[]): Promise<Result<KioskDoc, EnrollError>> {
  const { revokedAt: _lifted, ...rest } = kiosk;
  const held = numbersOf(kiosk);
  const wanted = [...new Set([...(kiosk._rev ? [] : [idParts(kiosk.kioskId).number]), ...numberedUnder])].filter(
    (n) => Number.isInteger(n) && n >= 1 && n <= MAX_KIOSK_NUMBER && !held.includes(n),
  );
  // Room is kept for the new number.
  const room = MAX_NUMBERS_PER_KIOSK - held.length - 1;
  const reclaimed: number[] = [];
  for (const n of wanted) {
    if (reclaimed.length >= room) break;
    const mine = await claimNumber(store, kiosk.village, kiosk.kioskId, n);
    if (!mine.ok) return err({ code: 'enroll.store', failure: mine.error });
    if (mine.value) reclaimed.push(n);
  }
  const granted = await grantNumber(store, { ...rest, numbers: [...held, ...reclaimed] });
  return granted.ok ? ok({ ...rest, ...granted.value }) : granted;
}

/**
 * Make kiosk number `n` of `village` this kiosk's: true if it is (already, or now — it was free, or set
 * aside by a restore and unclaimed), false if another kiosk holds it.
 */
async function claimNumber(store: Store, village: string, kioskId: string, n: number): Promise<Result<boolean, StoreFailure>> {
  for (;;) {
    const found = await store.getDoc<NumberReservation>(DB.kiosks, reservationId(village, n));
    if (!found.ok && found.error.status !== 404) return found;
    const current = found.ok ? found.value : undefined;
    if (current?.kioskId === kioskId) return ok(true);
    if (current && (current.reservedBy !== 'restore' || current.kioskId)) return ok(false);
    const put = await store.putDoc<NumberReservation>(DB.kiosks, { ...(current ?? { _id: reservationId(village, n), type: 'kioskNumber' }), kioskId });
    if (put.ok) return ok(true);
    if (put.error.status !== 409) return put;
  }
}

export type ReEnrollableError = { readonly code: 'kiosk.unknown' } | { readonly code: 'kiosk.store'; readonly failure: StoreFailure };

/**
 * The kiosk `enroll --kiosk` may re-enroll: one the hub knows, or one a hub restored from a backup has
 * forgotten — enrolled after the backup, so its number was set aside by the restore — returned
 * as a new document (no `_rev`) that keeps its id, so the kiosk's database and its cases stay its own.
 */
export async function findReEnrollable(store: Store, kioskId: string): Promise<Result<KioskDoc, ReEnrollableError>> {
  const found = await store.getDoc<KioskDoc>(DB.kiosks, kioskDocId(kioskId));
  if (found.ok) return found;
  if (found.error.status !== 404) return err({ code: 'kiosk.store', failure: found.error });
  const { village, number } = idParts(kioskId);
  if (!/^\d{12}$/.test(village) || !(number >= 1 && number <= MAX_KIOSK_NUMBER)) return err({ code: 'kiosk.unknown' });
  const reservation = await store.getDoc<NumberReservation>(DB.kiosks, reservationId(village, number));
  if (!reservation.ok && reservation.error.status !== 404) return err({ code: 'kiosk.store', failure: reservation.error });
  // A number never granted is a typo, not a forgotten kiosk: only one set aside by a restore (or claimed by this id) is.
  const forgotten = reservation.ok && ((reservation.value.reservedBy === 'restore' && !reservation.value.kioskId) || reservation.value.kioskId === kioskId);
  if (!forgotten) return err({ code: 'kiosk.unknown' });
  return ok({ _id: kioskDocId(kioskId), type: 'kiosk', kioskId, village, kioskNumber: number, numbers: [], secretHash: '', enrolledAt: '' });
}

/** A fresh number for `kiosk`, reserved for good: its number and numbers once it is written. */
async function grantNumber(store: Store, kiosk: KioskDoc): Promise<Result<Pick<KioskDoc, 'kioskNumber' | 'numbers'>, EnrollError>> {
  const held = numbersOf(kiosk);
  if (held.length >= MAX_NUMBERS_PER_KIOSK) return err({ code: 'enroll.numbersExhausted' });
  const number = await reserveKioskNumber(store, kiosk.village, () => kiosk.kioskId);
  return number.ok ? ok({ kioskNumber: number.value, numbers: [...held, number.value] }) : number;
}

/** How many kiosk numbers a restore sets aside in each village, unless told otherwise. */
export const RESTORE_NUMBER_MARGIN = 5;

/** Every kiosk number reservation in the store (none if its database does not exist yet). */
export async function numberReservations(store: Store): Promise<Result<NumberReservation[], StoreFailure>> {
  const found = await store.docsWithPrefix<NumberReservation>(DB.kiosks, 'kiosknumber:');
  if (!found.ok && found.error.status === 404) return ok([]);
  return found;
}

const villageOf = (reservation: NumberReservation) => reservation._id.split(':')[1] ?? '';
const numberOf = (reservation: NumberReservation) => Number(reservation._id.split(':')[2] ?? '0');

/**
 * After a restore from a backup: the restored hub has forgotten the numbers it granted since, and must never
 * grant one again. Sets aside every number the store held before the restore (`before`, when known) that the
 * backup lacks; and in each village, as a hub grants the lowest free number, the `margin` lowest numbers free
 * in the backup — those kiosks enrolled after it would have got. No new kiosk gets a number set aside; a kiosk
 * that numbered under one claims it when it is re-enrolled in place (`continueKiosk`). Each run sets `margin`
 * more aside per village (of 99): run it once per restore. Returns how many it set aside.
 */
export async function reserveNumbersAfterRestore(
  store: Store,
  villages: readonly string[],
  now: Date,
  margin = RESTORE_NUMBER_MARGIN,
  before: readonly NumberReservation[] = [],
): Promise<Result<number, StoreFailure>> {
  const known = await numberReservations(store);
  if (!known.ok) return known;
  const byId = new Map(known.value.map((doc) => [doc._id, doc]));
  const setAside = (village: string, n: number): NumberReservation => ({
    _id: reservationId(village, n),
    type: 'kioskNumber',
    reservedBy: 'restore',
    reservedAt: now.toISOString(),
  });
  const wanted = before.filter((doc) => !byId.has(doc._id)).map((doc) => setAside(villageOf(doc), numberOf(doc)));
  for (const doc of wanted) byId.set(doc._id, doc);
  for (const village of villages) {
    // The lowest free numbers: a kiosk enrolled after the backup got the lowest free then, skipping any set aside.
    let window = 0;
    for (let n = 1; n <= MAX_KIOSK_NUMBER && window < margin; n++) {
      if (byId.has(reservationId(village, n))) continue;
      window++;
      wanted.push(setAside(village, n));
    }
  }
  let reserved = 0;
  for (const doc of wanted) {
    const put = await store.putDoc<NumberReservation>(DB.kiosks, doc);
    if (put.ok) reserved++;
    else if (put.error.status !== 409) return put;
  }
  return ok(reserved);
}

export type NumberLeaseError =
  | { readonly code: 'kiosk.unknown' }
  | { readonly code: 'enroll.villageFull' }
  | { readonly code: 'enroll.numbersExhausted' }
  | { readonly code: 'kiosk.store'; readonly failure: StoreFailure };

/**
 * A new numbering lease for a kiosk database that has none (a wiped disk under a kept credential):
 * a number no kiosk of the village ever had. The number is reserved before the kiosk document is
 * written, so a lost race with another hub process wastes a number, never reuses one.
 */
export async function leaseKioskNumber(store: Store, kioskId: string): Promise<Result<number, NumberLeaseError>> {
  const found = await store.getDoc<KioskDoc>(DB.kiosks, kioskDocId(kioskId));
  if (!found.ok) return err(found.error.status === 404 ? { code: 'kiosk.unknown' } : { code: 'kiosk.store', failure: found.error });
  const granted = await grantNumber(store, found.value);
  if (!granted.ok)
    return granted.error.code === 'enroll.store' ? err({ code: 'kiosk.store', failure: granted.error.failure }) : err(granted.error as NumberLeaseError);
  const updated = await updateKiosk(store, kioskId, (kiosk) => ({
    ...kiosk,
    kioskNumber: granted.value.kioskNumber,
    numbers: [...numbersOf(kiosk), granted.value.kioskNumber],
  }));
  return updated.ok ? ok(granted.value.kioskNumber) : updated;
}

export const authorizationHeader = (kioskId: string, secret: string) => `Basic ${Buffer.from(`${kioskId}:${secret}`).toString('base64')}`;

export type KioskAuthError = 'missing' | 'invalid' | 'revoked' | 'store';

/** Check a request's credential against the store, every time: a revocation counts from the next request. */
export async function authenticateKiosk(
  store: Store,
  header: string | undefined,
): Promise<Result<KioskDoc, { reason: KioskAuthError; failure?: StoreFailure }>> {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!match) return err({ reason: 'missing' });
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [kioskId, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  if (colon < 1 || !/^kiosk-\d{12}-\d{2}$/.test(kioskId)) return err({ reason: 'invalid' });
  const found = await store.getDoc<KioskDoc>(DB.kiosks, kioskDocId(kioskId));
  if (!found.ok) return err(found.error.status === 404 ? { reason: 'invalid' } : { reason: 'store', failure: found.error });
  if (!sameHash(found.value.secretHash, sha256(secret))) return err({ reason: 'invalid' });
  if (found.value.revokedAt) return err({ reason: 'revoked' });
  return ok(found.value);
}

/** The request's kiosk, or the answer to give: 401 (with `kiosk_revoked` for a revoked credential) or 503. */
export async function authenticateRequest(store: Store, context: RouteContext): Promise<Result<KioskDoc, HttpReply>> {
  const auth = await authenticateKiosk(store, context.req.headers.authorization);
  if (auth.ok) {
    noteActor(context.req, { kiosk: auth.value.kioskId });
    return auth;
  }
  const replies: Record<KioskAuthError, HttpReply> = {
    missing: failure(401, 'unauthorized', 'Send this kiosk’s credential from enrollment.'),
    invalid: failure(401, 'unauthorized', 'This kiosk credential is not known to the county hub.'),
    revoked: failure(401, 'kiosk_revoked', 'This kiosk’s credential has been revoked; enroll the kiosk again.'),
    store: failure(503, 'store_unavailable', auth.error.failure?.reason ?? 'The store is unavailable.'),
  };
  return err(replies[auth.error.reason]);
}

export function listKiosks(store: Store): Promise<Result<KioskDoc[], StoreFailure>> {
  return store.docsWithPrefix<KioskDoc>(DB.kiosks, 'kiosk:');
}

export type KioskUpdateError = { readonly code: 'kiosk.unknown' } | { readonly code: 'kiosk.store'; readonly failure: StoreFailure };

/** Change a kiosk's document, re-reading on a conflict with another hub process's write. */
async function updateKiosk(store: Store, kioskId: string, change: (kiosk: KioskDoc) => KioskDoc | undefined): Promise<Result<KioskDoc, KioskUpdateError>> {
  for (;;) {
    const found = await store.getDoc<KioskDoc>(DB.kiosks, kioskDocId(kioskId));
    if (!found.ok) return err(found.error.status === 404 ? { code: 'kiosk.unknown' } : { code: 'kiosk.store', failure: found.error });
    const changed = change(found.value);
    if (!changed) return ok(found.value);
    const saved = await store.putDoc(DB.kiosks, changed);
    if (saved.ok) return ok({ ...changed, _rev: saved.value.rev });
    if (saved.error.status !== 409) return err({ code: 'kiosk.store', failure: saved.error });
  }
}

export function revokeKiosk(store: Store, kioskId: string, now: Date): Promise<Result<KioskDoc, KioskUpdateError>> {
  return updateKiosk(store, kioskId, (kiosk) => (kiosk.revokedAt ? undefined : { ...kiosk, revokedAt: now.toISOString() }));
}

/** A report that says again what the last one said, within this time, is not written again. */
const SAME_REPORT_KEPT_MS = 60_000;

/**
 * Keep what the kiosk reported of itself (its version may have changed since enrollment; only a version is
 * kept as one). The same report again within a minute writes nothing: a kiosk reports after each push, and
 * with a county's kiosks at work those writes were a store write per case (npm run bench, the county at once).
 */
export function recordKioskStatus(store: Store, kioskId: string, report: KioskStatusReport, now: Date): Promise<Result<KioskDoc, KioskUpdateError>> {
  const { appVersion: reported, ...counts } = report;
  const appVersion = recordableVersion(reported);
  return updateKiosk(store, kioskId, (kiosk) => {
    const { at, ...before } = kiosk.reported ?? { at: '' };
    const unchanged = canonicalJson(before) === canonicalJson(counts) && (!appVersion || appVersion === kiosk.appVersion);
    if (unchanged && now.getTime() - Date.parse(at) < SAME_REPORT_KEPT_MS) return undefined;
    return { ...kiosk, ...(appVersion ? { appVersion } : {}), reported: { ...counts, at: now.toISOString() } };
  });
}

/** Record activity; best effort, and a conflict with another hub's update simply loses this one. */
export async function touchKiosk(store: Store, kiosk: KioskDoc, fields: Partial<Pick<KioskDoc, 'lastSeenAt' | 'lastPushAt' | 'lastPullAt'>>): Promise<void> {
  const current = await store.getDoc<KioskDoc>(DB.kiosks, kiosk._id);
  if (current.ok) await store.putDoc(DB.kiosks, { ...current.value, ...fields });
}
