/**
 * `GET /api/health`: the hub's state and versions, for the kiosk's diagnostics and monitoring.
 * Kiosks and hubs of different versions exchange these bodies: each side ignores fields it does not
 * know (core/compat.ts), so a version may add optional fields but never remove or change one.
 */
import { z } from 'zod';

export const healthResponseSchema = z.object({
  ok: z.boolean(),
  /** The county the hub serves (its 12-digit code), once provisioned: an administrator's check that an address reaches the right county. */
  county: z.string().optional(),
  store: z.object({
    kind: z.enum(['embedded', 'couchdb']),
    status: z.enum(['up', 'down']),
    /** What the store reports about itself, e.g. "CouchDB 3.5.0" or "PouchDB Server 4.2.0". */
    vendor: z.string().optional(),
  }),
  versions: z.object({
    hub: z.string(),
    caseSchema: z.number().int(),
    catalogSchema: z.number().int(),
    /** The provisioning migrations applied to the store. */
    storeSchema: z.number().int(),
  }),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
