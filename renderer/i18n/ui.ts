/** Screen messages (zh-CN first, English too), filled like core/'s: `{name}` from params. */
import { fillPlaceholders, type Locale, type MessageParams } from '../../core/i18n/translate.js';
import { uiEn } from './en.js';
import { uiZhCN, type UiKey, type UiMessages } from './zh-CN.js';

export type { UiKey } from './zh-CN.js';

export const UI_MESSAGES: Readonly<Record<Locale, UiMessages>> = { 'zh-CN': uiZhCN, en: uiEn };

export function isUiKey(key: string): key is UiKey {
  return Object.hasOwn(uiZhCN, key);
}

export function translateUi(locale: Locale, key: UiKey, params: MessageParams = {}): string {
  return fillPlaceholders(UI_MESSAGES[locale][key], params);
}
