/**
 * Notices (通知公告) shown read-only on the kiosk's home screen: published from the review console by the
 * county (to every village, or one town's) or by a town (to its own villages), into the catalog database
 * as `notice:<id>`. Village-affairs disclosure must never show a full ID number, so a notice with one is
 * refused here (and by the hub's store), and screens mask anything that still looks like one.
 */
import { z } from 'zod';
import { parseDivisionCode, townCodeSchema } from './divisions/code.js';
import type { LocalDate } from './local-date.js';
import { localDateSchema } from './local-date-schema.js';
import { localizedTextSchema } from './localized.js';
import { parseDocument, type DataError } from './data-error.js';
import { err, type Result } from './result.js';
import { findPlaintextIdNumbers } from './case/sealed.js';

export const NOTICE_ID_PREFIX = 'notice:';

export const NOTICE_SCHEMA_VERSION = 1;

export const noticeSchema = z.object({
  kind: z.literal('cunban.notice'),
  /** Absent on notices published before 0.2.0, which are version 1 (core/compat.ts). */
  schemaVersion: z.literal(NOTICE_SCHEMA_VERSION).optional(),
  title: localizedTextSchema,
  body: localizedTextSchema,
  publishedOn: localDateSchema,
  /** Shown until this day inclusive; absent means until withdrawn. */
  expiresOn: localDateSchema.optional(),
  /** Shown only in this town's villages; absent: in every village of the county. */
  town: townCodeSchema.optional(),
  /** Who published it, as the console names them (`业州镇 li-qiang`). */
  publishedBy: z.string().max(80).optional(),
});
export type Notice = z.infer<typeof noticeSchema>;

/** A valid notice with no full ID number in any field — one a newer version added too: it is published as stored. */
export function parseNotice(input: unknown): Result<Notice, DataError> {
  const parsed = parseDocument(noticeSchema, 'notice', input);
  const leaks = findPlaintextIdNumbers(input).map((path) => ({
    path,
    within: [],
    field: path,
    detail: 'contains a resident ID number; publish masked numbers only',
  }));
  if (leaks.length === 0) return parsed;
  return err({ code: 'data.invalid', document: 'notice', problems: [...(parsed.ok ? [] : parsed.error.problems), ...leaks] });
}

/** The notices a village's counter shows today: its town's and the county's, not yet expired, newest first. */
export function noticesFor<N extends Notice>(notices: readonly N[], village: string, today: LocalDate): N[] {
  const town = parseDivisionCode(village)?.townCode12;
  return notices
    .filter((notice) => (!notice.town || notice.town === town) && (!notice.expiresOn || notice.expiresOn >= today))
    .sort((a, b) => (a.publishedOn < b.publishedOn ? 1 : a.publishedOn > b.publishedOn ? -1 : 0));
}
