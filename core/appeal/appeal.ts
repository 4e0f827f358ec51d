/**
 * An appeal or suggestion (诉求与建议, issue 18 §4): what a resident tells the government, at the counter or
 * on the residents' page — a category, the text, the village, and a phone number or nothing (anonymous).
 * It is routed by category to the level that answers it first (`firstLevelOf`); each level can reply, pass
 * it on up, or close it with an answer, within time limits in working days by the county's calendar.
 *
 * Like a case, an appeal is its raising plus an append-only set of events merged by their union, so what the
 * village records at an offline kiosk and what the town answers in the console both survive any order of
 * sync. Its state is a pure function of the events (`appealState`). Stored as `appeal:<code>` in the
 * village's hall database.
 */
import { z } from 'zod';
import { addWorkingDays, type Deadline, type WorkingCalendar } from '../calendar.js';
import type { Catalog } from '../catalog/schema.js';
import { sectorCodeSchema } from '../catalog/schema.js';
import { eventIdSchema, instantSchema } from '../case/events.js';
import { lookupCodeSchema } from '../case/lookup-code.js';
import { maskedPhoneSchema, sealedValueSchema } from '../case/sealed.js';
import { villageCodeSchema } from '../divisions/code.js';
import { compareLevels, LEVELS, type Level } from '../level.js';
import { localDateOf, type LocalDate } from '../local-date.js';
import { objectionSchema, type Objection } from '../disclosure/publication.js';
import { personalNumberIn } from '../personal-numbers.js';

export { personalNumberIn } from '../personal-numbers.js';

/** Beside the catalog's sectors: the village's own affairs (a well, a road, the accounts), and anything else. */
export const OWN_CATEGORIES = ['villageAffairs', 'other'] as const;
export const appealCategorySchema = z.union([z.enum(OWN_CATEGORIES), sectorCodeSchema]);
export type AppealCategory = z.infer<typeof appealCategorySchema>;

/** Working days to a first reply, and to the appeal's close, unless the county sets others. */
export const FIRST_REPLY_WORKING_DAYS = 5;
export const CLOSE_WORKING_DAYS = 15;
export const MAX_APPEAL_TEXT = 2000;

const textSchema = z.string().trim().min(1).max(MAX_APPEAL_TEXT);

export const APPEAL_EVENT_TYPES = ['replied', 'passedOn', 'closed'] as const;
export type AppealEventType = (typeof APPEAL_EVENT_TYPES)[number];

export const appealEventSchema = z.object({
  id: eventIdSchema,
  type: z.enum(APPEAL_EVENT_TYPES),
  at: instantSchema,
  /** Who answered: a level, with the office's and the person's names as the console and kiosk show them. */
  by: z.object({ level: z.enum(LEVELS), name: z.string().trim().min(1).max(64) }),
  /** The answer (replied, closed) or why it goes up (passedOn): read by the resident. */
  text: textSchema,
  /** For `passedOn`: the level that answers now, above the one passing it. */
  to: z.enum(LEVELS).optional(),
});
export type AppealEvent = z.infer<typeof appealEventSchema>;

export const appealSchema = z.looseObject({
  kind: z.literal('cunban.appeal'),
  schemaVersion: z.literal(1),
  village: villageCodeSchema,
  code: lookupCodeSchema,
  category: appealCategorySchema,
  text: textSchema,
  /** Absent: anonymous. The phone sealed with the village key, and its mask. */
  phone: sealedValueSchema.optional(),
  phoneMasked: maskedPhoneSchema.optional(),
  channel: z.enum(['online', 'counter']),
  raisedAt: instantSchema,
  /** The level that answers first (`firstLevelOf`), fixed when it is raised. */
  level: z.enum(LEVELS),
  events: z.array(appealEventSchema).max(64),
  /** An objection to a line of a publication on the board (issue 19 §1): which one; it goes to the town that approved it. */
  objection: objectionSchema.optional(),
});
export type Appeal = z.infer<typeof appealSchema>;

export const APPEAL_ID_PREFIX = 'appeal:';
export const appealIdOf = (code: string) => `${APPEAL_ID_PREFIX}${code}`;

/**
 * The level that answers an appeal of `category` first: the village for its own affairs and anything else;
 * for a sector of the catalog, the level that decides most of its service items (ties go up), so that an
 * unpaid subsidy reaches the office that pays it.
 */
export function firstLevelOf(category: AppealCategory, catalog: Pick<Catalog, 'items'>): Level {
  if ((OWN_CATEGORIES as readonly string[]).includes(category)) return 'village';
  const counts = new Map<Level, number>();
  for (const item of catalog.items) if (item.sector === category) counts.set(item.decidingLevel, (counts.get(item.decidingLevel) ?? 0) + 1);
  let best: Level = 'town';
  let most = 0;
  for (const level of LEVELS) {
    const count = counts.get(level) ?? 0;
    if (count >= most && count > 0) {
      best = level;
      most = count;
    }
  }
  return best;
}

export type AppealStatus = 'open' | 'replied' | 'closed';

export interface AppealState {
  readonly status: AppealStatus;
  /** The level that answers it now. */
  readonly heldBy: Level;
  readonly raisedOn: LocalDate;
  readonly firstReplyAt?: string;
  readonly closedAt?: string;
  readonly firstReplyDue: Deadline;
  readonly closeDue: Deadline;
}

const byTimeThenId = (a: AppealEvent, b: AppealEvent) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at < b.at ? -1 : 1);

/** What an appeal is now, the same whatever order its events arrived in. */
export function appealState(appeal: Pick<Appeal, 'raisedAt' | 'level' | 'events'>, calendar: WorkingCalendar): AppealState {
  const events = [...appeal.events].sort(byTimeThenId);
  // It goes only up: the highest level it was passed to holds it.
  const heldBy = events.reduce<Level>(
    (level, event) => (event.type === 'passedOn' && event.to && compareLevels(event.to, level) > 0 ? event.to : level),
    appeal.level,
  );
  const firstReply = events.find((event) => event.type === 'replied' || event.type === 'closed');
  const closed = events.find((event) => event.type === 'closed');
  const raisedOn = localDateOf(appeal.raisedAt);
  return {
    status: closed ? 'closed' : firstReply ? 'replied' : 'open',
    heldBy,
    raisedOn,
    ...(firstReply ? { firstReplyAt: firstReply.at } : {}),
    ...(closed ? { closedAt: closed.at } : {}),
    firstReplyDue: addWorkingDays(raisedOn, FIRST_REPLY_WORKING_DAYS, calendar),
    closeDue: addWorkingDays(raisedOn, CLOSE_WORKING_DAYS, calendar),
  };
}

/** Whether an appeal is past a time limit on `today`: no first reply by its due date, or not closed by its. */
export function appealOverdue(state: AppealState, today: LocalDate): boolean {
  if (state.status === 'closed') return false;
  if (state.status === 'open' && today > state.firstReplyDue.dueOn) return true;
  return today > state.closeDue.dueOn;
}

/** Two copies of one appeal merged: the union of their events by id, in time order. */
export function mergeAppeals(a: Appeal, b: Appeal): Appeal {
  const events = new Map<string, AppealEvent>();
  for (const event of [...a.events, ...b.events]) if (!events.has(event.id)) events.set(event.id, event);
  return { ...a, events: [...events.values()].sort(byTimeThenId) };
}

/** Why `event` may not be recorded now by `level`, or undefined. */
export function refuseAppealEvent(appeal: Appeal, event: Pick<AppealEvent, 'type' | 'to' | 'by'>, calendar: WorkingCalendar): string | undefined {
  const state = appealState(appeal, calendar);
  if (state.status === 'closed') return 'This appeal is closed.';
  if (event.by.level !== state.heldBy) return `This appeal is answered by the ${state.heldBy} now.`;
  if (event.type === 'passedOn' && !(event.to && compareLevels(event.to, state.heldBy) > 0)) return 'An appeal is passed on to a level above.';
  return undefined;
}

export function parseAppeal(doc: unknown): Appeal | undefined {
  const parsed = appealSchema.safeParse(doc);
  return parsed.success ? parsed.data : undefined;
}

/** Where an appeal stands, with its due dates as dates: what every screen and answer lists of it. */
export function appealProgress(appeal: Pick<Appeal, 'raisedAt' | 'level' | 'events'>, calendar: WorkingCalendar) {
  const state = appealState(appeal, calendar);
  return {
    status: state.status,
    heldBy: state.heldBy,
    raisedOn: state.raisedOn,
    firstReplyDue: state.firstReplyDue.dueOn,
    closeDue: state.closeDue.dueOn,
  };
}

/**
 * Free text of an appeal or an answer as it will be stored: trimmed, otherwise as written (NFKC would turn
 * Chinese full-width punctuation into ASCII); or why not — empty, over MAX_APPEAL_TEXT characters, or holding
 * an ID or phone number, found in any width (`personalNumberIn` folds before it looks).
 */
export function checkAppealText(typed: string): { ok: true; text: string } | { ok: false; problem: 'empty' | 'tooLong' | 'idNumber' | 'phone' } {
  const text = typed.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  if (Array.from(text).length > MAX_APPEAL_TEXT) return { ok: false, problem: 'tooLong' };
  const number = personalNumberIn(text);
  return number ? { ok: false, problem: number } : { ok: true, text };
}

/** What the resident who raised an appeal reads of it: its progress and the answers, never who answered by name. */
export interface ResidentAppealView {
  readonly code: string;
  readonly village: string;
  readonly town: string;
  readonly category: AppealCategory;
  readonly text: string;
  readonly anonymous: boolean;
  readonly status: AppealStatus;
  readonly heldBy: Level;
  readonly raisedOn: LocalDate;
  readonly firstReplyDue: LocalDate;
  readonly closeDue: LocalDate;
  readonly answers: readonly { readonly at: string; readonly level: Level; readonly type: AppealEventType; readonly text: string; readonly to?: Level }[];
  readonly objection?: Objection;
}

export function residentAppealView(appeal: Appeal, calendar: WorkingCalendar, names: { readonly village: string; readonly town: string }): ResidentAppealView {
  return {
    code: appeal.code,
    village: names.village,
    town: names.town,
    category: appeal.category,
    text: appeal.text,
    anonymous: appeal.phone === undefined,
    ...appealProgress(appeal, calendar),
    answers: [...appeal.events]
      .sort(byTimeThenId)
      .map((event) => ({ at: event.at, level: event.by.level, type: event.type, text: event.text, ...(event.to ? { to: event.to } : {}) })),
    ...(appeal.objection ? { objection: appeal.objection } : {}),
  };
}

/** What the residents' page sends to raise an appeal; the hub judges the text and the phone, each with its own answer. */
export const raiseAppealRequestSchema = z.object({
  village: villageCodeSchema,
  category: z.string().max(32),
  text: z.string().max(MAX_APPEAL_TEXT * 2),
  phone: z.string().max(64).optional(),
});
export type RaiseAppealRequest = z.input<typeof raiseAppealRequestSchema>;

/** What the console sends to answer an appeal: reply, pass on (to a level above), or close — the text read by the resident. */
export const appealEventRequestSchema = z.strictObject({
  type: z.enum(APPEAL_EVENT_TYPES),
  // Characters are counted by checkAppealText (code points); here only a bound on what is read.
  text: z.string().max(MAX_APPEAL_TEXT * 2),
  to: z.enum(LEVELS).optional(),
});
export type AppealEventRequest = z.infer<typeof appealEventRequestSchema>;
