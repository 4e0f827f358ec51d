/**
 * Calendar dates as 'YYYY-MM-DD' strings in China Standard Time (UTC+8, no daylight saving).
 * Deadlines are counted in local working days, so every instant is first turned into its CST date.
 */
export type LocalDate = string & { readonly __brand: 'LocalDate' };

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** True for a real Gregorian date: month 1–12, day within the month, leap years respected. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function parseLocalDate(text: string): LocalDate | undefined {
  const match = LOCAL_DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(year, month, day) ? (text as LocalDate) : undefined;
}

/** The CST calendar date of an ISO instant such as '2026-11-26T01:30:00.000Z'. */
export function localDateOf(instant: string): LocalDate {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO instant: ${instant}`);
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10) as LocalDate;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const ms = Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS;
  return new Date(ms).toISOString().slice(0, 10) as LocalDate;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(`${date}T00:00:00.000Z`).getUTCDay();
}

/** Dates compare correctly as strings because the format is fixed-width. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An instant as people in China read it on a terminal: '2026-11-27 09:30 (UTC+8)'. */
export function chinaTime(instant: string): string {
  return `${isoInChina(instant).slice(0, 16).replace('T', ' ')} (UTC+8)`;
}

/** An instant as ISO 8601 with China's offset, for machines and people alike: '2026-11-27T09:30:00+08:00'. */
export function isoInChina(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO instant: ${instant}`);
  return `${new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}
