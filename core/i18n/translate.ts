import { en } from './en.js';
import { zhCN, type MessageKey, type Messages } from './zh-CN.js';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const MESSAGES: Readonly<Record<Locale, Messages>> = { 'zh-CN': zhCN, en };

export type MessageParams = Readonly<Record<string, string | number>>;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}

/** Fill `{name}` placeholders; a placeholder without a value stays visible rather than vanishing. */
export function fillPlaceholders(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

export function translate(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  return fillPlaceholders(MESSAGES[locale][key], params);
}
