/**
 * Enrolling a kiosk: the technician runs `cunban-hub enroll --village CODE12`, types the code (or scans
 * the QR code) in the kiosk's setup wizard, and the hub answers with everything the kiosk needs to sync.
 * Kiosks and hubs of different versions exchange these bodies: each side ignores fields it does not
 * know (core/compat.ts), so a version may add optional fields but never remove or change one.
 */
import { z } from 'zod';
import { villageCodeSchema } from '../divisions/code.js';
import { localDateSchema } from '../local-date-schema.js';

/** 12 characters of Crockford base32 in groups of four, e.g. `K7QX-4M2P-9TRW`: easy to read aloud and type. */
export const ENROLLMENT_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** Accepts what a technician types: lower case, spaces or no dashes, and the letters people confuse (O→0, I/L→1). */
export function normalizeEnrollmentCode(typed: string): string {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return plain.length === 12 ? `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}` : plain;
}

/** A kiosk id: `kiosk-<village12>-<nn>`. */
export const kioskIdSchema = z.string().regex(/^kiosk-\d{12}-\d{2}$/);

/**
 * An enrolled kiosk re-enrolling in place (its credential refused: revoked, or unknown to a hub restored
 * from a backup): its id — the code must be one for it — and the kiosk numbers its database numbered under.
 */
export const enrollContinuationSchema = z.object({
  kioskId: kioskIdSchema,
  numbers: z.array(z.number().int().min(1).max(99)).max(99),
});
export type EnrollContinuation = z.infer<typeof enrollContinuationSchema>;

export const enrollRequestSchema = z.object({
  code: z.string().max(64),
  /** The kiosk's app version, recorded for the fleet view. */
  appVersion: z.string().max(32).optional(),
  continuing: enrollContinuationSchema.optional(),
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

/**
 * The county's data keys, delivered once at enrollment and kept by the kiosk shell's secret store:
 * AES-256-GCM keys by id (the newest seals, all unseal) and the HMAC key of the ID-number blind index.
 */
export const dataKeyRingSchema = z.object({
  current: z.string().min(1),
  keys: z
    .array(z.object({ kid: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), key: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }))
    .min(1)
    // One key per id: with two, sealing would take one and a check the other.
    .refine((keys) => new Set(keys.map((key) => key.kid)).size === keys.length, 'each key id once'),
  blindIndexKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type DataKeyRing = z.infer<typeof dataKeyRingSchema>;

export const enrollResponseSchema = z.object({
  kioskId: z.string(),
  /** 1–99 within the village; part of every case number the kiosk issues. */
  kioskNumber: z.number().int().min(1).max(99),
  village: villageCodeSchema,
  villageName: z.string(),
  townName: z.string(),
  /** The village database through the gateway; ends with `/` as RxDB's CouchDB replication requires. */
  villageSyncUrl: z.url(),
  catalogSyncUrl: z.url(),
  /** The exact `authorization` header value to send with every sync request. */
  authorization: z.string(),
  dataKeys: dataKeyRingSchema,
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/** The hub's own address, from a kiosk's village sync URL (`<hub>/sync/<db>/`): `https://hub.example/`. */
export const hubBaseOf = (villageSyncUrl: string): string => villageSyncUrl.replace(/sync\/[^/]+\/?$/, '');

/**
 * An enrollment as the kiosk's page holds it. In the Electron shell the credential and the data keys stay
 * in main (electron/enrollment-service.ts): the page gets this without them, seals through main, and main
 * adds the credential to its requests. In browser mode the page holds the whole enrollment.
 */
export const kioskEnrollmentSchema = enrollResponseSchema.partial({ authorization: true, dataKeys: true });
export type KioskEnrollment = z.infer<typeof kioskEnrollmentSchema>;

/** The enrollment without its secrets: what main lets the page see. */
export function publicEnrollment(enrollment: KioskEnrollment): KioskEnrollment {
  const { authorization: _authorization, dataKeys: _keys, ...rest } = enrollment;
  return rest;
}

/**
 * A numbering lease (`POST /api/kiosk/number`): the kiosk number a kiosk database issues case numbers
 * under, granted by the hub — at enrollment, or for a database that starts without one — and the hub's
 * date then: case numbers dated before it would mean the kiosk's clock is wrong.
 */
export const numberLeaseSchema = z.object({
  kioskNumber: z.number().int().min(1).max(99),
  leasedOn: localDateSchema,
});
export type NumberLease = z.infer<typeof numberLeaseSchema>;

export const ENROLL_ERRORS = [
  'enroll.codeUnknown',
  'enroll.codeUsed',
  'enroll.codeExpired',
  'enroll.villageFull',
  /** The kiosk was re-enrolled (or wiped) too often: enroll it as a new kiosk. */
  'enroll.numbersExhausted',
  'enroll.rateLimited',
  /** A kiosk re-enrolling in place was given a code for another kiosk (or a new one); the code is not spent. */
  'enroll.otherKiosk',
  /** The same kiosk was being enrolled with another code at the same moment; this code is not spent. */
  'enroll.kioskBusy',
] as const;
export type EnrollErrorCode = (typeof ENROLL_ERRORS)[number];

/** What the QR code printed or shown by `cunban-hub enroll` holds. */
export const enrollmentQrSchema = z.object({
  v: z.literal(1),
  hub: z.url(),
  code: z.string().regex(ENROLLMENT_CODE_PATTERN),
});
export type EnrollmentQr = z.infer<typeof enrollmentQrSchema>;

/**
 * What the technician put in the code field: a typed code, or — from a handheld scanner, which types what
 * it reads — the whole QR ticket, which also names the hub.
 */
export function readEnrollmentInput(typed: string): { readonly code: string; readonly hub?: string } {
  const text = typed.trim();
  if (!text.startsWith('{')) return { code: text };
  try {
    const ticket = enrollmentQrSchema.safeParse(JSON.parse(text));
    return ticket.success ? { code: ticket.data.code, hub: ticket.data.hub } : { code: text };
  } catch {
    return { code: text };
  }
}
