import { z } from 'zod';

export const healthResponseSchema = z.strictObject({
  ok: z.boolean(),
  store: z.strictObject({
    kind: z.enum(['embedded', 'couchdb']),
    status: z.enum(['up', 'down']),
    /** What the store reports about itself, e.g. "CouchDB 3.5.0" or "PouchDB Server 4.2.0". */
    vendor: z.string().optional(),
  }),
  versions: z.strictObject({
    hub: z.string(),
    caseSchema: z.number().int(),
    catalogSchema: z.number().int(),
    /** The provisioning migrations applied to the store. */
    storeSchema: z.number().int(),
  }),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
