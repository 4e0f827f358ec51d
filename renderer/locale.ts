/**
 * Which language the screens speak: the clerk's saved choice, else the browser's preference,
 * else Chinese. Any zh-* preference means Simplified Chinese here; anything unknown falls back.
 */
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../core/i18n/translate.js';

export function pickLocale(saved: string | null | undefined, preferred: readonly string[]): Locale {
  const known = (tag: string): Locale | undefined => {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    return LOCALES.find((locale) => locale.toLowerCase() === lower || lower.startsWith(`${locale.toLowerCase()}-`));
  };
  if (saved) {
    const choice = known(saved);
    if (choice) return choice;
  }
  for (const tag of preferred) {
    const choice = known(tag);
    if (choice) return choice;
  }
  return DEFAULT_LOCALE;
}
