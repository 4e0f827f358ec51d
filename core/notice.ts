/**
 * County notices (通知公告) shown read-only on the kiosk's home screen. Published by the county into the
 * catalog database as `notice:<id>`. Village-affairs disclosure must never show a full ID number, so a
 * notice with one is refused here, and screens mask anything that still looks like one.
 */
import { z } from 'zod';
import { localDateSchema } from './local-date.js';
import { localizedTextSchema } from './localized.js';
import { parseDocument, type DataError } from './data-error.js';
import type { Result } from './result.js';
import { findPlaintextIdNumbers } from './case/sealed.js';

export const NOTICE_ID_PREFIX = 'notice:';

export const noticeSchema = z
  .strictObject({
    kind: z.literal('cunban.notice'),
    title: localizedTextSchema,
    body: localizedTextSchema,
    publishedOn: localDateSchema,
    /** Shown until this day inclusive; absent means until withdrawn. */
    expiresOn: localDateSchema.optional(),
  })
  .superRefine((notice, ctx) => {
    for (const path of findPlaintextIdNumbers(notice)) {
      ctx.addIssue({ code: 'custom', path: path.split('.'), message: 'contains a resident ID number; publish masked numbers only' });
    }
  });
export type Notice = z.infer<typeof noticeSchema>;

export function parseNotice(input: unknown): Result<Notice, DataError> {
  return parseDocument(noticeSchema, 'notice', input);
}
