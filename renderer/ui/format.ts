/** Dates and times as people in the hall read them, always in China Standard Time. */
import type { Locale } from '../../core/i18n/translate.js';
import { isoInChina, type LocalDate } from '../../core/local-date.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatDate(locale: Locale, date: LocalDate | string): string {
  const [year = '', month = '', day = ''] = date.split('-');
  if (locale === 'zh-CN') return `${year}年${String(Number(month))}月${String(Number(day))}日`;
  return `${String(Number(day))} ${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

/** An instant as CST date and time, e.g. 2026年11月26日 14:05. */
export function formatInstant(locale: Locale, instant: string): string {
  const cst = isoInChina(instant);
  return `${formatDate(locale, cst.slice(0, 10))} ${cst.slice(11, 16)}`;
}
