/** Publishing and withdrawing notices from the review console: the request the hub checks, the list it answers. */
import { z } from 'zod';
import { townCodeSchema } from '../divisions/code.js';
import { localDateSchema } from '../local-date-schema.js';
import type { Notice } from '../notice.js';

const text = (max: number) => z.string().trim().min(1, 'required').max(max);

export const publishNoticeRequestSchema = z.strictObject({
  title: z.strictObject({ zh: text(100), en: text(200).optional() }),
  body: z.strictObject({ zh: text(2000), en: text(4000).optional() }),
  expiresOn: localDateSchema.optional(),
  /** County reviewers: one town's villages only. A town reviewer's notice is always for their own town. */
  town: townCodeSchema.optional(),
});
/** What the console sends (dates as typed; the hub parses them). */
export type PublishNoticeRequest = z.input<typeof publishNoticeRequestSchema>;

/** A notice as `GET /api/review/notices` lists it: its id (`notice:…`) and content. */
export type NoticeView = Notice & { readonly id: string };
