/** The review queue's query, as the console sends it and the hub checks it. */
import { z } from 'zod';
import { CASE_STATUSES } from '../case/state.js';
import { itemCodeSchema, sectorCodeSchema } from '../catalog/schema.js';
import { townCodeSchema, villageCodeSchema } from '../divisions/code.js';
import { localDateSchema } from '../local-date-schema.js';

export const MAX_QUEUE_PAGE_SIZE = 100;

export const queueQuerySchema = z.strictObject({
  /** County reviewers may narrow to one town; a town reviewer's scope is always their town. */
  town: townCodeSchema.optional(),
  village: villageCodeSchema.optional(),
  sector: sectorCodeSchema.optional(),
  item: itemCodeSchema.optional(),
  status: z.enum(CASE_STATUSES).optional(),
  /** Open cases (the default) or closed ones. */
  state: z.enum(['open', 'closed']).default('open'),
  /** `mine`: only cases held at the reviewer's own level now. */
  held: z.enum(['mine', 'any']).default('any'),
  overdue: z.enum(['true', 'false']).optional(),
  from: localDateSchema.optional(),
  to: localDateSchema.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_QUEUE_PAGE_SIZE).default(25),
});
export type QueueQuery = z.infer<typeof queueQuerySchema>;
