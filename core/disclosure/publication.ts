/**
 * A publication of village affairs (村务公开, issue 19 §1): a list or notice a village clerk prepares, a town
 * reviewer approves, and the board shows for its period of public display (公示期) — then it leaves the board
 * and stays in the archive. Two people, both recorded: the clerk's `submitted` and the town's `approved`.
 *
 * What is published is fixed when it is prepared (its table, title and period); afterwards only events are added
 * — submitted, withdrawn by the village, approved or returned by the town — merged by their union like a case's,
 * so an offline kiosk's withdrawal and the town's approval both survive any order of sync. Its standing is a
 * pure function of the events and the clock (`publicationState`). Stored as `publication:<id>` in the village's
 * hall database.
 *
 * Leaking is made impossible on the way in: every cell is passed through the cell guard (no ID, phone or bank
 * card numbers, no door-level addresses) and a name column holds masked names only (`maskPublishedName`).
 */
import { z } from 'zod';
import { eventIdSchema, instantSchema } from '../case/events.js';
import { villageCodeSchema } from '../divisions/code.js';
import { localDateSchema } from '../local-date-schema.js';
import { cellProblem, refusedCells, type CellProblem } from './cell-guard.js';

export const PUBLICATION_CATEGORIES = ['allowanceRecipients', 'subsidiesPaid', 'villageFinances', 'decisions', 'other'] as const;
export type PublicationCategory = (typeof PUBLICATION_CATEGORIES)[number];

/** What a column holds: masked names, free text, an amount of money (yuan), or a count (people in a household). */
export const COLUMN_ROLES = ['name', 'text', 'amount', 'count'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

export const MAX_ROWS = 1000;
export const MAX_COLUMNS = 12;
export const MAX_CELL = 200;
export const MAX_DISPLAY_DAYS = 60;
export const MAX_TITLE = 80;
export const MAX_NOTE = 2000;
const DAY_MS = 24 * 60 * 60 * 1000;

export const publicationIdSchema = z.string().regex(/^[a-z0-9-]{8,40}$/, 'publication id is 8–40 lower-case letters, digits or dashes');
export const PUBLICATION_ID_PREFIX = 'publication:';
export const publicationDocIdOf = (id: string) => `${PUBLICATION_ID_PREFIX}${id}`;

const columnSchema = z.object({ label: z.string().trim().min(1).max(32), role: z.enum(COLUMN_ROLES) });
export type PublicationColumn = z.infer<typeof columnSchema>;

const sourceSchema = z.discriminatedUnion('from', [
  /** Generated from the village's approved cases of one service item decided in a period. */
  z.object({ from: z.literal('cases'), itemCode: z.string().min(1).max(32), fromDate: localDateSchema, toDate: localDateSchema }),
  /** Imported from a county's spreadsheet, exported as CSV. */
  z.object({ from: z.literal('file'), fileName: z.string().max(120) }),
  z.object({ from: z.literal('typed') }),
]);
export type PublicationSource = z.infer<typeof sourceSchema>;

export const PUBLICATION_EVENT_TYPES = ['submitted', 'withdrawn', 'approved', 'returned'] as const;
export type PublicationEventType = (typeof PUBLICATION_EVENT_TYPES)[number];
/** Who records each event: the village prepares and may take back; the town decides. */
export const PUBLICATION_EVENT_LEVEL: Readonly<Record<PublicationEventType, 'village' | 'town'>> = {
  submitted: 'village',
  withdrawn: 'village',
  approved: 'town',
  returned: 'town',
};

const byNameSchema = z.object({ id: z.string().min(1).max(80), name: z.string().trim().min(1).max(64), level: z.enum(['village', 'town']) });

export const publicationEventSchema = z.object({
  id: eventIdSchema,
  type: z.enum(PUBLICATION_EVENT_TYPES),
  at: instantSchema,
  by: byNameSchema,
  /** Why it was returned or withdrawn: read by the clerk. */
  reason: z.string().trim().max(500).optional(),
});
export type PublicationEvent = z.infer<typeof publicationEventSchema>;

export const publicationSchema = z.looseObject({
  kind: z.literal('cunban.publication'),
  schemaVersion: z.literal(1),
  village: villageCodeSchema,
  /** Its own number, `pub-` and 16 hex digits (not `id`: that is the kiosk's key for every hall document). */
  publicationId: publicationIdSchema,
  category: z.enum(PUBLICATION_CATEGORIES),
  title: z.string().trim().min(1).max(MAX_TITLE),
  note: z.string().max(MAX_NOTE).optional(),
  source: sourceSchema,
  columns: z.array(columnSchema).max(MAX_COLUMNS),
  rows: z.array(z.array(z.string().max(MAX_CELL)).max(MAX_COLUMNS)).max(MAX_ROWS),
  /** The period of public display, in days from the town's approval. */
  displayDays: z.number().int().min(1).max(MAX_DISPLAY_DAYS),
  preparedAt: instantSchema,
  events: z.array(publicationEventSchema).max(32),
});
export type Publication = z.infer<typeof publicationSchema>;

export function parsePublication(doc: unknown): Publication | undefined {
  const parsed = publicationSchema.safeParse(doc);
  return parsed.success ? parsed.data : undefined;
}

/** The surnames of two characters common enough to keep whole (欧阳*, not 欧*). */
const COMPOUND_SURNAMES = new Set(
  '欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 澹台 公冶 端木 申屠 太史 闻人 呼延 南宫 西门 万俟 独孤'.split(' '),
);
const GRAPHEMES = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * A name as a disclosure list publishes it: the surname and one star (张*, 欧阳*), whatever the given name's
 * length, so the list tells neither the given name nor how long it is. A name already masked so is kept.
 * Empty for an empty cell.
 */
export function maskPublishedName(name: string): string {
  const typed = name.trim();
  const bare = typed.replace(/\*+$/u, '');
  const chars = Array.from(GRAPHEMES.segment(bare), (part) => part.segment);
  if (chars.length === 0) return typed === '' ? '' : '*';
  // Masked already (张*, 欧阳*): the part before the star is the surname.
  if (bare !== typed && (chars.length === 1 || COMPOUND_SURNAMES.has(bare))) return `${bare}*`;
  const two = chars.slice(0, 2).join('');
  const surname = chars.length > 2 && COMPOUND_SURNAMES.has(two) ? two : (chars[0] ?? '');
  return `${surname}*`;
}

/** Whether a cell of a name column is masked as `maskPublishedName` masks. */
export const isMaskedName = (cell: string) => cell === '' || (cell.endsWith('*') && maskPublishedName(cell) === cell);

/** A column's role guessed from its heading, as counties' spreadsheets head them. */
export function columnRoleOf(label: string): ColumnRole {
  const text = label.trim().toLowerCase();
  if (/姓名|名字|户主|申请人|收款人|领取人|救助对象|对象|^name$|recipient/u.test(text)) return 'name';
  if (/金额|元|补贴|款|amount|yuan/u.test(text)) return 'amount';
  if (/人数|人口|户.*人|household|people|size/u.test(text)) return 'count';
  return 'text';
}

export type TableProblem =
  | { readonly code: 'publication.cell'; readonly row: number; readonly column: number; readonly problem: CellProblem }
  | { readonly code: 'publication.heading'; readonly column: number; readonly problem: CellProblem }
  | { readonly code: 'publication.unmaskedName'; readonly row: number; readonly column: number }
  | { readonly code: 'publication.notANumber'; readonly row: number; readonly column: number }
  | { readonly code: 'publication.emptyNumber'; readonly row: number; readonly column: number }
  | { readonly code: 'publication.rowWidth'; readonly row: number }
  | { readonly code: 'publication.tooLarge' }
  | { readonly code: 'publication.empty' };

const AMOUNT = /^\d{1,9}(?:\.\d{1,2})?$/;
const COUNT = /^\d{1,2}$/;

/**
 * Everything wrong with a table that is to be published, in reading order; rows and columns count from 1, as a
 * spreadsheet shows them (row 1 is the first line under the headings). Empty when it may be submitted.
 */
export function tableProblems(columns: readonly PublicationColumn[], rows: readonly (readonly string[])[]): TableProblem[] {
  if (columns.length === 0) return [{ code: 'publication.empty' }];
  if (columns.length > MAX_COLUMNS || rows.length > MAX_ROWS) return [{ code: 'publication.tooLarge' }];
  const problems: TableProblem[] = [];
  columns.forEach((column, c) => {
    const problem = cellProblem(column.label);
    if (problem) problems.push({ code: 'publication.heading', column: c + 1, problem });
  });
  const guarded = new Map(refusedCells(rows).map((refusal) => [`${String(refusal.row)}:${String(refusal.column)}`, refusal.problem]));
  rows.forEach((cells, r) => {
    if (cells.length !== columns.length) {
      problems.push({ code: 'publication.rowWidth', row: r + 1 });
      return;
    }
    cells.forEach((cell, c) => {
      const at = { row: r + 1, column: c + 1 };
      const problem = guarded.get(`${String(at.row)}:${String(at.column)}`);
      // A column headed as names holds masked names, whatever role it was declared with.
      const column = columns[c];
      const role = column && columnRoleOf(column.label) === 'name' ? 'name' : column?.role;
      if (problem) problems.push({ code: 'publication.cell', ...at, problem });
      else if (role === 'name' && !isMaskedName(cell)) problems.push({ code: 'publication.unmaskedName', ...at });
      else if (role === 'amount' || role === 'count') {
        // A list of amounts with one left blank tells residents nothing about that line: every one is filled in.
        const number = cell.normalize('NFKC').trim();
        if (number === '') problems.push({ code: 'publication.emptyNumber', ...at });
        else if (!(role === 'amount' ? AMOUNT : COUNT).test(number)) problems.push({ code: 'publication.notANumber', ...at });
      }
    });
  });
  return problems;
}

/** Whether free text of a publication (its title, its note) holds a personal number or a door-level address. */
export const textProblem = (text: string): CellProblem | undefined => cellProblem(text);

/**
 * A spreadsheet's table as it will be published: the first row the headings, each column's role guessed from its
 * heading, names masked on the way in, blank lines dropped and short lines padded. The cell guard runs after
 * (`tableProblems`): nothing else is changed silently.
 */
export function tableFromSheet(sheet: readonly (readonly string[])[]): { columns: PublicationColumn[]; rows: string[][] } {
  const [headings = [], ...lines] = sheet;
  const columns = headings.map((label) => ({ label: label.trim().slice(0, 32) || '—', role: columnRoleOf(label) }));
  const rows = lines
    .filter((line) => line.some((cell) => cell.trim() !== ''))
    .map((line) => {
      const cells = columns.map((column, c) => {
        const cell = (line[c] ?? '').trim();
        if (column.role === 'name') return maskPublishedName(cell);
        // Full-width digits (６２０) as a spreadsheet may hold them: the number they are.
        return column.role === 'amount' || column.role === 'count' ? cell.normalize('NFKC') : cell;
      });
      // A line longer than the headings keeps its extra cells, so the guard sees them and says where.
      return line.length > columns.length ? [...cells, ...line.slice(columns.length).map((cell) => cell.trim())] : cells;
    });
  return { columns, rows };
}

export type PublicationStatus = 'awaitingApproval' | 'returned' | 'withdrawn' | 'onDisplay' | 'ended';

export interface PublicationState {
  readonly status: PublicationStatus;
  readonly submittedBy?: PublicationEvent['by'];
  readonly approvedBy?: PublicationEvent['by'];
  /** Set by the approval: shown from then for `displayDays` days. */
  readonly displayFrom?: string;
  readonly displayUntil?: string;
  readonly returnedReason?: string;
}

const byTimeThenId = (a: PublicationEvent, b: PublicationEvent) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at < b.at ? -1 : 1);

/**
 * Where a publication stands at `now`, the same whatever order its events arrived in. The first decision of the
 * town stands; a withdrawal by the village takes it off the board whenever it comes (an offline kiosk's
 * withdrawal and an approval made meanwhile: nothing is shown that the village took back).
 */
export function publicationState(publication: Pick<Publication, 'events' | 'displayDays'>, now: Date): PublicationState {
  const events = [...publication.events].sort(byTimeThenId);
  const submitted = events.find((event) => event.type === 'submitted');
  const decision = events.find((event) => event.type === 'approved' || event.type === 'returned');
  const withdrawn = events.find((event) => event.type === 'withdrawn');
  const base = { ...(submitted ? { submittedBy: submitted.by } : {}) };
  if (withdrawn) return { ...base, status: 'withdrawn', ...(withdrawn.reason ? { returnedReason: withdrawn.reason } : {}) };
  if (!decision) return { ...base, status: 'awaitingApproval' };
  if (decision.type === 'returned') return { ...base, status: 'returned', ...(decision.reason ? { returnedReason: decision.reason } : {}) };
  const displayUntil = new Date(Date.parse(decision.at) + publication.displayDays * DAY_MS).toISOString();
  return {
    ...base,
    status: now.toISOString() < displayUntil ? 'onDisplay' : 'ended',
    approvedBy: decision.by,
    displayFrom: decision.at,
    displayUntil,
  };
}

/** Whether a publication is on the board at `now`: approved by the town, not withdrawn, within its period. */
export const onBoard = (publication: Pick<Publication, 'events' | 'displayDays'>, now: Date) => publicationState(publication, now).status === 'onDisplay';

/** Whether it is in the public archive: it was shown and its period is over. */
export const inArchive = (publication: Pick<Publication, 'events' | 'displayDays'>, now: Date) => publicationState(publication, now).status === 'ended';

/** Two copies of one publication merged: the union of their events by id, in time order. */
export function mergePublications(a: Publication, b: Publication): Publication {
  const events = new Map<string, PublicationEvent>();
  for (const event of [...a.events, ...b.events]) if (!events.has(event.id)) events.set(event.id, event);
  return { ...a, events: [...events.values()].sort(byTimeThenId) };
}

/** Why `event` may not be recorded now, or undefined: the village submits once and may withdraw; the town decides once. */
export function refusePublicationEvent(publication: Publication, event: Pick<PublicationEvent, 'type' | 'by'>, now: Date): string | undefined {
  if (event.by.level !== PUBLICATION_EVENT_LEVEL[event.type]) return `A publication is ${event.type} by the ${PUBLICATION_EVENT_LEVEL[event.type]}.`;
  const state = publicationState(publication, now);
  const submitted = publication.events.some((known) => known.type === 'submitted');
  if (event.type === 'submitted') return submitted ? 'This publication was submitted already.' : undefined;
  if (!submitted) return 'This publication was not submitted.';
  if (event.type === 'withdrawn') return state.status === 'withdrawn' ? 'This publication was withdrawn already.' : undefined;
  return state.status === 'awaitingApproval' ? undefined : `This publication is ${state.status} already.`;
}

/** What a public board shows of a publication: what was approved, and when it is shown; no one's account or id. */
export interface BoardPublication {
  readonly id: string;
  readonly category: PublicationCategory;
  readonly title: string;
  readonly note?: string;
  readonly columns: readonly PublicationColumn[];
  readonly rows: readonly (readonly string[])[];
  readonly displayFrom: string;
  readonly displayUntil: string;
}

export function boardPublicationOf(publication: Publication, now: Date): BoardPublication | undefined {
  const state = publicationState(publication, now);
  if (!state.displayFrom || !state.displayUntil || (state.status !== 'onDisplay' && state.status !== 'ended')) return undefined;
  return {
    id: publication.publicationId,
    category: publication.category,
    title: publication.title,
    ...(publication.note ? { note: publication.note } : {}),
    columns: publication.columns,
    rows: publication.rows,
    displayFrom: state.displayFrom,
    displayUntil: state.displayUntil,
  };
}

/** The publications on a board at `at`, newest approval first: the hub's public board and the hall's display alike. */
export function boardAt(publications: readonly Publication[], at: Date): BoardPublication[] {
  return publications
    .filter((publication) => onBoard(publication, at))
    .flatMap((publication) => boardPublicationOf(publication, at) ?? [])
    .sort((a, b) => b.displayFrom.localeCompare(a.displayFrom));
}

/** The archive at `at`: what was shown and whose period is over, the latest ended first. */
export function archiveAt(publications: readonly Publication[], at: Date): BoardPublication[] {
  return publications
    .filter((publication) => inArchive(publication, at))
    .flatMap((publication) => boardPublicationOf(publication, at) ?? [])
    .sort((a, b) => b.displayUntil.localeCompare(a.displayUntil));
}

/** An objection to one line of a publication, while it is on display: the page's request. */
export const objectionRequestSchema = z.object({
  row: z.number().int().min(1).max(MAX_ROWS),
  text: z.string().max(4000),
  phone: z.string().max(64).optional(),
});
export type ObjectionRequest = z.infer<typeof objectionRequestSchema>;

/** What an appeal raised as an objection records of the line it is about. */
export const objectionSchema = z.object({
  publication: publicationIdSchema,
  title: z.string().max(MAX_TITLE),
  row: z.number().int().min(1).max(MAX_ROWS),
  /** The line as it was published (public already: masked names, numbers), so whoever answers sees what is meant. */
  line: z.array(z.string().max(MAX_CELL)).max(MAX_COLUMNS).optional(),
});
export type Objection = z.infer<typeof objectionSchema>;

/** What the console sends to return a publication to its village: why, read by the clerk. */
export const publicationReturnRequestSchema = z.strictObject({ reason: z.string().trim().min(2).max(500) });

/** What the kiosk's preparation form sends to core to make a publication's fixed part. */
export const preparedPublicationSchema = z.object({
  category: z.enum(PUBLICATION_CATEGORIES),
  title: z.string().trim().min(1).max(MAX_TITLE),
  note: z.string().max(MAX_NOTE).optional(),
  displayDays: z.number().int().min(1).max(MAX_DISPLAY_DAYS),
  source: sourceSchema,
  columns: z.array(columnSchema).max(MAX_COLUMNS),
  rows: z.array(z.array(z.string().max(MAX_CELL))).max(MAX_ROWS),
});
export type PreparedPublication = z.infer<typeof preparedPublicationSchema>;

/** The table's problems and the free text's, together: what stops a publication from being submitted. */
export function preparedProblems(prepared: {
  readonly title: string;
  readonly note?: string | undefined;
  readonly columns: readonly PublicationColumn[];
  readonly rows: readonly (readonly string[])[];
}): (TableProblem | { code: 'publication.text'; field: 'title' | 'note'; problem: CellProblem })[] {
  const text = (['title', 'note'] as const).flatMap((field) => {
    const problem = textProblem(prepared[field] ?? '');
    return problem ? [{ code: 'publication.text' as const, field, problem }] : [];
  });
  return [...text, ...tableProblems(prepared.columns, prepared.rows)];
}
