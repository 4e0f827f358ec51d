/**
 * Notices (通知公告) shown read-only on the kiosk's home screen: published from the review console by the
 * county (to every village, or one town's) or by a town (to its own villages), into the catalog database
 * as `notice:<id>`. Village-affairs disclosure must never show a full ID number, so a notice with one is
 * refused here (and by the hub's store), and screens mask anything that still looks like one.
 */
import { z } from 'zod';
import { parseDivisionCode, townCodeSchema } from './divisions/code.js';
import { localDateSchema, type LocalDate } from './local-date.js';
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
    /** Shown only in this town's villages; absent: in every village of the county. */
    town: townCodeSchema.optional(),
    /** Who published it, as the console names them (`业州镇 li-qiang`). */
    publishedBy: z.string().max(80).optional(),
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

/** The notices a village's counter shows today: its town's and the county's, not yet expired, newest first. */
export function noticesFor<N extends Notice>(notices: readonly N[], village: string, today: LocalDate): N[] {
  const town = parseDivisionCode(village)?.townCode12;
  return notices
    .filter((notice) => (!notice.town || notice.town === town) && (!notice.expiresOn || notice.expiresOn >= today))
    .sort((a, b) => (a.publishedOn < b.publishedOn ? 1 : a.publishedOn > b.publishedOn ? -1 : 0));
}
