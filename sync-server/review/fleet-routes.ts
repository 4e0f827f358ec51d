/**
 * The console's fleet and quarantine: the kiosks of the reviewer's area with their last contact and
 * refusals, enrollment codes, revocation (county reviewers), and the documents the gateway refused,
 * which a reviewer resolves with a note. Scope as everywhere: a town reviewer sees their town only.
 */
import {
  issueCodeRequestSchema,
  resolveQuarantineRequestSchema,
  type Area,
  type AreaVillage,
  type KioskView,
  type QuarantineView,
} from '../../core/api/fleet.js';
import type { HubConfig } from '../config.js';
import { kioskFacingUrl } from '../config.js';
import { enrollmentTicket } from '../demo.js';
import { updateRequired } from '../../core/fleet-policy.js';
import { readFleetPolicy } from '../fleet-policy.js';
import { failure, reply, type Route } from '../http/kit.js';
import { listKiosks, revokeKiosk, type KioskDoc } from '../kiosks.js';
import { readCountyData } from '../provision.js';
import { openRefusalCounts } from '../records.js';
import { DB } from '../store/names.js';
import type { Store } from '../store/store.js';
import { countyDivisions, mayReview, villagesInScope } from './scope.js';
import { authenticateReviewer } from './sessions.js';

/** A refused document as the quarantine database keeps it (records.ts writes it): the console's view, keyed by `_id`. */
type QuarantineDoc = Omit<QuarantineView, 'id'> & { readonly _id: string; readonly _rev: string };

const CODE_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** `updateRequired` for a kiosk of `appVersion` (absent when none was ever reported: it must be updated too). */
function fleetMinimumFor(appVersion: string | undefined, minimum: string | undefined): Pick<KioskView, 'updateRequired'> {
  const due = updateRequired(appVersion ?? '', minimum);
  return due ? { updateRequired: { minimum: due.minimum } } : {};
}

export function fleetRoutes(options: { readonly config: HubConfig; readonly store: Store; readonly now: () => Date }): Route[] {
  const { store, now, config } = options;
  const area = countyDivisions(store);
  const signedIn = async (req: Parameters<typeof authenticateReviewer>[1]) => {
    const reviewer = await authenticateReviewer(store, req, now());
    const index = await area();
    if (!reviewer.ok) return reviewer;
    if (!index) return { ok: false as const, error: failure(503, 'no_county_data', 'The hub has no county data yet.') };
    return { ok: true as const, value: { reviewer: reviewer.value, index } };
  };
  const quarantineView = (doc: QuarantineDoc): QuarantineView => ({
    id: doc._id,
    kioskId: doc.kioskId,
    village: doc.village,
    docId: doc.docId,
    reason: doc.reason,
    ...(doc.code ? { code: doc.code } : {}),
    at: doc.at,
    ...(doc.resolvedAt ? { resolvedAt: doc.resolvedAt, resolvedBy: doc.resolvedBy ?? '', note: doc.note ?? '' } : {}),
  });

  return [
    {
      method: 'GET',
      pattern: /^\/api\/review\/area$/,
      async handle(context) {
        const s = await signedIn(context.req);
        if (!s.ok) return s.error;
        const villages: AreaVillage[] = villagesInScope(s.value.reviewer, s.value.index).flatMap((code12) => {
          const place = s.value.index.village(code12);
          return place ? [{ code12, name: place.village.name, townName: place.town.name }] : [];
        });
        const county = await readCountyData(store);
        const sectors = county.ok ? county.value.catalog.sectors.map(({ code, name }) => ({ code, name })) : [];
        const area: Area = { countyName: s.value.index.table.county.name, villages, sectors };
        return reply(200, area);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/review\/kiosks$/,
      async handle(context) {
        const s = await signedIn(context.req);
        if (!s.ok) return s.error;
        const kiosks = await listKiosks(store);
        const open = await openRefusalCounts(store);
        const policy = await readFleetPolicy(store);
        if (!kiosks.ok || !open.ok || !policy.ok) return failure(503, 'store_unavailable', 'The store is not answering.');
        const minimum = policy.value?.minimumKioskVersion;
        const view = kiosks.value
          .filter((kiosk) => mayReview(s.value.reviewer, kiosk.village, s.value.index))
          .map(({ kioskId, village, kioskNumber, enrolledAt, appVersion, revokedAt, lastSeenAt, lastPushAt, lastPullAt, reported }: KioskDoc): KioskView => ({
            kioskId,
            village,
            kioskNumber,
            enrolledAt,
            ...(appVersion ? { appVersion } : {}),
            ...(reported ? { reported } : {}),
            ...(revokedAt ? { revokedAt } : {}),
            ...(lastSeenAt ? { lastSeenAt } : {}),
            ...(lastPushAt ? { lastPushAt } : {}),
            ...(lastPullAt ? { lastPullAt } : {}),
            refused: open.value.get(kioskId) ?? 0,
            ...fleetMinimumFor(appVersion, minimum),
          }));
        return reply(200, view);
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/review\/kiosks\/enroll$/,
      async handle(context) {
        const s = await signedIn(context.req);
        if (!s.ok) return s.error;
        const body = await context.json(1024);
        if (!body.ok) return body.error;
        const request = issueCodeRequestSchema.safeParse(body.value);
        if (!request.success) return failure(400, 'bad_request', 'Expected {"village": "<12-digit village code>"}.');
        if (!mayReview(s.value.reviewer, request.data.village, s.value.index)) return failure(404, 'not_found', 'That village is not in your area.');
        const ticket = await enrollmentTicket(store, request.data.village, kioskFacingUrl(config), CODE_LIFETIME_MS);
        if (!ticket.ok) return failure(503, ticket.error.code, ticket.error.message);
        return reply(201, ticket.value);
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/review\/kiosks\/(?<kioskId>[^/]+)\/revoke$/,
      async handle(context) {
        const s = await signedIn(context.req);
        if (!s.ok) return s.error;
        if (s.value.reviewer.role !== 'county') return failure(403, 'forbidden', 'Only county reviewers revoke kiosks.');
        const revoked = await revokeKiosk(store, context.params.kioskId ?? '', now());
        if (!revoked.ok)
          return revoked.error.code === 'kiosk.unknown'
            ? failure(404, 'not_found', 'No such kiosk.')
            : failure(503, 'store_unavailable', revoked.error.failure.reason);
        return reply(200, { kioskId: revoked.value.kioskId, revokedAt: revoked.value.revokedAt });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/review\/quarantine$/,
      async handle(context) {
        const s = await signedIn(context.req);
        if (!s.ok) return s.error;
        const docs = await store.docsWithPrefix<QuarantineDoc>(DB.quarantine, 'q:');
        if (!docs.ok) return failure(503, 'store_unavailable', docs.error.reason);
        const inScope = docs.value.filter((doc) => mayReview(s.value.reviewer, doc.village, s.value.index));
        return reply(
          200,
          inScope.map(quarantineView).sort((a, b) => b.at.localeCompare(a.at)),
        );
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/review\/quarantine\/(?<id>[^/]+)\/resolve$/,
      async handle(context) {
        const s = await signedIn(context.req);
        if (!s.ok) return s.error;
        const body = await context.json(2048);
        if (!body.ok) return body.error;
        const request = resolveQuarantineRequestSchema.safeParse(body.value);
        if (!request.success) return failure(400, 'bad_request', 'Say what was done (a note is required).');
        const id = context.params.id ?? '';
        const found = id.startsWith('q:') ? await store.getDoc<QuarantineDoc>(DB.quarantine, id) : undefined;
        if (!found) return failure(404, 'not_found', 'No such refused document in your area.');
        if (!found.ok || !mayReview(s.value.reviewer, found.value.village, s.value.index))
          return failure(404, 'not_found', 'No such refused document in your area.');
        const resolved = { ...found.value, resolvedAt: now().toISOString(), resolvedBy: s.value.reviewer.name, note: request.data.note };
        const saved = await store.putDoc(DB.quarantine, resolved);
        if (!saved.ok) return failure(saved.error.status === 409 ? 409 : 503, 'conflict', 'Someone else changed it; reload.');
        return reply(200, quarantineView({ ...resolved, _rev: saved.value.rev }));
      },
    },
  ];
}
