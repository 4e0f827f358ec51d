/** The hub's own API: kiosk enrollment, a kiosk's report of itself, and health. Bodies are checked against core/'s schemas. */
import type { IncomingMessage } from 'node:http';
import { enrollRequestSchema, type EnrollErrorCode, type EnrollResponse, type NumberLease } from '../core/api/enrollment.js';
import { kioskStatusReportSchema } from '../core/api/fleet.js';
import type { HealthResponse } from '../core/api/health.js';
import { CASE_DOCUMENT_SCHEMA_VERSION } from '../core/case/document.js';
import { findPlaintextIdNumbers } from '../core/case/sealed.js';
import { CATALOG_SCHEMA_VERSION } from '../core/catalog/schema.js';
import { COMPAT_LEVEL, READS, type CompatInfo } from '../core/compat.js';
import { indexDivisions } from '../core/divisions/table.js';
import { translate } from '../core/i18n/translate.js';
import { localDateOf } from '../core/local-date.js';
import { recordableVersion } from '../core/fleet-policy.js';
import { CUNBAN_VERSION } from '../core/version.js';
import { attemptLedger } from './attempts.js';
import type { HubConfig } from './config.js';
import type { ClientOf } from './http/client.js';
import type { Throttle } from './http/throttle.js';
import { MAX_DOC_BYTES } from './case-writes.js';
import { failure, invalidInput, MAX_BODY_BYTES, REQUEST_ENCODINGS, reply, type HttpReply, type Route } from './http/kit.js';
import { readFleetPolicy } from './fleet-policy.js';
import { attemptKeyHasher, keyRingUnavailable, villageKeyRing, type HeldKeyRing } from './keyring.js';
import { authenticateRequest, authorizationHeader, enrollKiosk, leaseKioskNumber, recordKioskStatus } from './kiosks.js';
import { readCountyData, STORE_SCHEMA_VERSION } from './provision.js';
import { DB, villageDb } from './store/names.js';
import type { Store } from './store/store.js';

/** Ten wrong codes from one client address within fifteen minutes, on any hub process, stop its tries. */
export const ENROLL_ATTEMPTS = { kind: 'enroll', max: 10, windowMs: 15 * 60 * 1000 } as const;

export interface ApiOptions {
  readonly config: HubConfig;
  readonly store: Store;
  readonly client: ClientOf;
  /** The county key ring, checked against the store (keyring.ts, checkedKeyRing). */
  readonly keyRing: HeldKeyRing;
  /** Enrollment tries per client address, in this process (a burst brake; the lock is ENROLL_ATTEMPTS). */
  readonly enrollThrottle: Throttle;
  readonly storeStatus: () => 'up' | 'down';
  readonly now: () => Date;
}

/** Where kiosks reach this hub: the configured public URL, else the Host the kiosk itself used. */
function publicBase(config: HubConfig, client: ClientOf, req: IncomingMessage): string {
  if (config.publicUrl) return config.publicUrl.toString().replace(/\/?$/, '/');
  const host = req.headers.host ?? '';
  const safeHost = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? host : `127.0.0.1:${config.port}`;
  const proto = client.secure(req) ? 'https' : 'http';
  return `${proto}://${safeHost}/`;
}

const enrollFailure = (status: number, code: EnrollErrorCode, minutes = 15): HttpReply => failure(status, code, translate('en', code, { minutes }));

/** A try refused for a while: how long, in the reason and in `Retry-After`. */
const rateLimited = (retryAfterSeconds: number): HttpReply =>
  failure(429, 'enroll.rateLimited', translate('en', 'enroll.rateLimited', { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) }), {
    'retry-after': String(Math.ceil(retryAfterSeconds)),
  });

export function apiRoutes(options: ApiOptions): Route[] {
  const { config, store, now, client } = options;
  const attempts = attemptLedger(store, ENROLL_ATTEMPTS);

  return [
    {
      method: 'POST',
      pattern: /^\/api\/enroll$/,
      async handle(context) {
        const body = await context.json(16 * 1024);
        if (!body.ok) return body.error;
        const request = enrollRequestSchema.safeParse(body.value);
        if (!request.success) return failure(400, 'bad_request', 'Expected {"code": "XXXX-XXXX-XXXX"}.');
        // Before the code is spent: a hub that cannot give the kiosk its keys enrolls nobody.
        const ring = await options.keyRing();
        if (!ring.ok) return keyRingUnavailable();
        // Only a well-formed code is a try: braked in this process, then counted in the store.
        const address = attemptKeyHasher(ring.value)(ENROLL_ATTEMPTS.kind, client.address(context.req));
        const braked = await options.enrollThrottle.take(address);
        if (!braked.allowed) return rateLimited(braked.retryAfterSeconds);
        const verdict = await attempts.begin(address, now());
        if (!verdict.ok) return failure(503, 'store_unavailable', verdict.error.reason);
        if (!verdict.value.allowed) return rateLimited(verdict.value.retryAfterMs / 1000);
        const { attempt } = verdict.value;
        // Only a version is recorded as the kiosk's version: anything else a caller put there is dropped.
        const appVersion = recordableVersion(request.data.appVersion);
        const enrolled = await enrollKiosk(store, request.data.code, now(), appVersion, request.data.continuing);
        if (!enrolled.ok) {
          const error = enrolled.error;
          if (error.code === 'enroll.store') {
            await attempts.withdraw(attempt);
            return failure(503, 'store_unavailable', error.failure.reason);
          }
          const status = {
            'enroll.codeUnknown': 404,
            'enroll.codeUsed': 409,
            'enroll.codeExpired': 410,
            'enroll.villageFull': 409,
            'enroll.numbersExhausted': 409,
            'enroll.otherKiosk': 409,
            'enroll.kioskBusy': 409,
          }[error.code];
          return enrollFailure(status, error.code);
        }
        // A technician enrolling a hall's kiosks one after another is never locked out by typos before.
        await attempts.clear(address, attempt);
        const county = await readCountyData(store);
        const place = county.ok ? indexDivisions(county.value.divisions).village(enrolled.value.kiosk.village) : undefined;
        const base = publicBase(config, client, context.req);
        const { kiosk, secret } = enrolled.value;
        const response: EnrollResponse = {
          kioskId: kiosk.kioskId,
          kioskNumber: kiosk.kioskNumber,
          village: kiosk.village,
          villageName: place?.village.name ?? '',
          townName: place?.town.name ?? '',
          villageSyncUrl: `${base}sync/${villageDb(kiosk.village)}/`,
          catalogSyncUrl: `${base}sync/${DB.catalog}/`,
          authorization: authorizationHeader(kiosk.kioskId, secret),
          // The kiosk's own village's keys only, derived from the county's (keyring.ts).
          dataKeys: villageKeyRing(ring.value, kiosk.village),
        };
        return reply(201, response);
      },
    },
    {
      // What only the kiosk knows (cases and files not yet pushed, refusals it still shows, its version), for the fleet view.
      method: 'PUT',
      pattern: /^\/api\/kiosk\/status$/,
      async handle(context) {
        const kiosk = await authenticateRequest(store, context);
        if (!kiosk.ok) return kiosk.error;
        const body = await context.json(4 * 1024);
        if (!body.ok) return body.error;
        const report = kioskStatusReportSchema.safeParse(body.value);
        if (!report.success) return invalidInput(report.error.issues);
        // A newer kiosk's extra figures are ignored (core/compat.ts); a resident's number is never taken in.
        if (findPlaintextIdNumbers(body.value).length > 0) return failure(400, 'bad_request', 'A kiosk status holds counts and a version, never an ID number.');
        const recorded = await recordKioskStatus(store, kiosk.value.kioskId, report.data, now());
        if (!recorded.ok)
          return recorded.error.code === 'kiosk.store'
            ? failure(503, 'store_unavailable', recorded.error.failure.reason)
            : failure(404, 'not_found', 'No such kiosk.');
        return reply(204, undefined);
      },
    },
    {
      // A numbering lease for a kiosk database that starts without one (kiosks.ts, leaseKioskNumber).
      method: 'POST',
      pattern: /^\/api\/kiosk\/number$/,
      async handle(context) {
        const kiosk = await authenticateRequest(store, context);
        if (!kiosk.ok) return kiosk.error;
        const leased = await leaseKioskNumber(store, kiosk.value.kioskId);
        if (!leased.ok) {
          const error = leased.error;
          if (error.code === 'kiosk.store') return failure(503, 'store_unavailable', error.failure.reason);
          if (error.code === 'kiosk.unknown') return failure(404, 'not_found', 'No such kiosk.');
          return enrollFailure(409, error.code);
        }
        const lease: NumberLease = { kioskNumber: leased.value, leasedOn: localDateOf(now().toISOString()) };
        return reply(201, lease);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/compat$/,
      async handle() {
        const policy = await readFleetPolicy(store);
        if (!policy.ok) return failure(503, 'store_unavailable', policy.error.reason);
        const minimum = policy.value?.minimumKioskVersion;
        const info: CompatInfo = {
          hub: CUNBAN_VERSION,
          compat: COMPAT_LEVEL,
          reads: READS,
          ...(minimum ? { minimumKioskVersion: minimum } : {}),
          limits: { requestBytes: MAX_BODY_BYTES, documentBytes: MAX_DOC_BYTES },
          requestEncodings: REQUEST_ENCODINGS,
        };
        return reply(200, info);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/health$/,
      async handle() {
        const ping = await store.ping();
        const up = ping.ok && options.storeStatus() === 'up';
        const schema = up ? await store.getDoc<{ version: number; county?: string }>(DB.meta, 'store-schema') : undefined;
        const health: HealthResponse = {
          ok: up && schema?.ok === true && schema.value.version === STORE_SCHEMA_VERSION,
          ...(schema?.ok && schema.value.county ? { county: schema.value.county } : {}),
          store: { kind: store.kind, status: up ? 'up' : 'down', ...(ping.ok ? { vendor: ping.value.vendor } : {}) },
          versions: {
            hub: CUNBAN_VERSION,
            caseSchema: CASE_DOCUMENT_SCHEMA_VERSION,
            catalogSchema: CATALOG_SCHEMA_VERSION,
            storeSchema: schema?.ok ? schema.value.version : 0,
          },
        };
        return reply(up ? 200 : 503, health);
      },
    },
  ];
}
