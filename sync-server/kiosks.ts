/**
 * Kiosks and their enrollment. Everything lives in the store (stateless hub processes): codes are
 * kept as hashes, single use is guaranteed by CouchDB's revision check (two hubs racing on one code:
 * one gets a conflict), and kiosk numbers are reserved by creating a document whose id is the number.
 *
 * A kiosk number is the numbering identity of case numbers, never used twice in a village. Every
 * enrollment — a new kiosk, or one re-enrolled after a lost disk or credential — and every kiosk database
 * that starts without a numbering lease (a wiped one) gets a number no kiosk of the village ever had. So
 * uniqueness never depends on a device remembering what it issued; the kiosk keeps every number it held,
 * so the cases it numbered under an earlier one are still accepted as its own.
 */
import { recordableVersion } from '../core/fleet-policy.js';
import { noteActor } from './http/actor.js';
import { normalizeEnrollmentCode } from '../core/api/enrollment.js';
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
  /** Set when the code re-enrolls an existing kiosk (new credential, same number) rather than a new one. */
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
 * (after a revocation or a lost credential): it keeps its id and number, so the cases it numbered
 * while cut off are still its own.
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
  | { readonly code: 'enroll.store'; readonly failure: StoreFailure };

export interface Enrollment {
  readonly kiosk: KioskDoc;
  /** Shown once, to the kiosk; only its hash is kept. */
  readonly secret: string;
}

async function reserveKioskNumber(store: Store, village: string, kioskId: (n: number) => string): Promise<Result<number, EnrollError>> {
  for (let n = 1; n <= MAX_KIOSK_NUMBER; n++) {
    const reserved = await store.putDoc(DB.kiosks, { _id: `kiosknumber:${village}:${String(n).padStart(2, '0')}`, type: 'kioskNumber', kioskId: kioskId(n) });
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
): Promise<Result<Enrollment, EnrollError>> {
  const code = normalizeEnrollmentCode(typedCode);
  const found = await store.getDoc<EnrollmentCodeDoc>(DB.kiosks, codeId(code));
  if (!found.ok) return err(found.error.status === 404 ? { code: 'enroll.codeUnknown' } : { code: 'enroll.store', failure: found.error });
  const codeDoc = found.value;
  if (codeDoc.usedAt) return err({ code: 'enroll.codeUsed' });
  if (Date.parse(codeDoc.expiresAt) <= now.getTime()) return err({ code: 'enroll.codeExpired' });

  // Claim the code first: of two hubs racing on it, exactly one write succeeds.
  const claimed = await store.putDoc(DB.kiosks, { ...codeDoc, usedAt: now.toISOString() });
  if (!claimed.ok) {
    return err(claimed.error.status === 409 ? { code: 'enroll.codeUsed' } : { code: 'enroll.store', failure: claimed.error });
  }
  const secret = newSecret();
  let kiosk: KioskDoc;
  if (codeDoc.forKiosk) {
    const existing = await store.getDoc<KioskDoc>(DB.kiosks, kioskDocId(codeDoc.forKiosk));
    if (!existing.ok) return err(existing.error.status === 404 ? { code: 'enroll.codeUnknown' } : { code: 'enroll.store', failure: existing.error });
    const { revokedAt: _lifted, ...rest } = existing.value;
    // A new number too: the re-enrolled kiosk may be a new machine that remembers nothing it numbered.
    const granted = await grantNumber(store, existing.value);
    if (!granted.ok) return granted;
    kiosk = { ...rest, ...granted.value, secretHash: sha256(secret), enrolledAt: now.toISOString(), ...(appVersion ? { appVersion } : {}) };
  } else {
    const number = await reserveKioskNumber(store, codeDoc.village, (n) => kioskIdFor(codeDoc.village, n));
    if (!number.ok) return number;
    const kioskId = kioskIdFor(codeDoc.village, number.value);
    kiosk = {
      _id: kioskDocId(kioskId),
      type: 'kiosk',
      kioskId,
      village: codeDoc.village,
      kioskNumber: number.value,
      numbers: [number.value],
      secretHash: sha256(secret),
      enrolledAt: now.toISOString(),
      ...(appVersion ? { appVersion } : {}),
    };
  }
  const kioskId = kiosk.kioskId;
  const saved = await store.putDoc(DB.kiosks, kiosk);
  if (!saved.ok) return err({ code: 'enroll.store', failure: saved.error });
  await store.putDoc(DB.kiosks, { ...codeDoc, _rev: claimed.value.rev, usedAt: now.toISOString(), kioskId });
  return ok({ kiosk: { ...kiosk, _rev: saved.value.rev }, secret });
}

/** A fresh number for `kiosk`, reserved for good: its number and numbers once it is written. */
async function grantNumber(store: Store, kiosk: KioskDoc): Promise<Result<Pick<KioskDoc, 'kioskNumber' | 'numbers'>, EnrollError>> {
  const held = numbersOf(kiosk);
  if (held.length >= MAX_NUMBERS_PER_KIOSK) return err({ code: 'enroll.numbersExhausted' });
  const number = await reserveKioskNumber(store, kiosk.village, () => kiosk.kioskId);
  return number.ok ? ok({ kioskNumber: number.value, numbers: [...held, number.value] }) : number;
}

export type NumberLeaseError = { readonly code: 'kiosk.unknown' } | { readonly code: 'enroll.villageFull' } | { readonly code: 'enroll.numbersExhausted' } | { readonly code: 'kiosk.store'; readonly failure: StoreFailure };

/**
 * A new numbering lease for a kiosk database that has none (a wiped disk under a kept credential):
 * a number no kiosk of the village ever had. The number is reserved before the kiosk document is
 * written, so a lost race with another hub process wastes a number, never reuses one.
 */
export async function leaseKioskNumber(store: Store, kioskId: string): Promise<Result<number, NumberLeaseError>> {
  const found = await store.getDoc<KioskDoc>(DB.kiosks, kioskDocId(kioskId));
  if (!found.ok) return err(found.error.status === 404 ? { code: 'kiosk.unknown' } : { code: 'kiosk.store', failure: found.error });
  const granted = await grantNumber(store, found.value);
  if (!granted.ok) return granted.error.code === 'enroll.store' ? err({ code: 'kiosk.store', failure: granted.error.failure }) : err(granted.error as NumberLeaseError);
  const updated = await updateKiosk(store, kioskId, (kiosk) => ({ ...kiosk, kioskNumber: granted.value.kioskNumber, numbers: [...numbersOf(kiosk), granted.value.kioskNumber] }));
  return updated.ok ? ok(granted.value.kioskNumber) : updated;
}

export const authorizationHeader = (kioskId: string, secret: string) =>
  `Basic ${Buffer.from(`${kioskId}:${secret}`).toString('base64')}`;

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

/** Keep what the kiosk reported of itself (its version may have changed since enrollment; only a version is kept as one). */
export function recordKioskStatus(store: Store, kioskId: string, report: KioskStatusReport, now: Date): Promise<Result<KioskDoc, KioskUpdateError>> {
  const { appVersion: reported, ...counts } = report;
  const appVersion = recordableVersion(reported);
  return updateKiosk(store, kioskId, (kiosk) => ({ ...kiosk, ...(appVersion ? { appVersion } : {}), reported: { ...counts, at: now.toISOString() } }));
}

/** Record activity; best effort, and a conflict with another hub's update simply loses this one. */
export async function touchKiosk(
  store: Store,
  kiosk: KioskDoc,
  fields: Partial<Pick<KioskDoc, 'lastSeenAt' | 'lastPushAt' | 'lastPullAt'>>,
): Promise<void> {
  const current = await store.getDoc<KioskDoc>(DB.kiosks, kiosk._id);
  if (current.ok) await store.putDoc(DB.kiosks, { ...current.value, ...fields });
}
