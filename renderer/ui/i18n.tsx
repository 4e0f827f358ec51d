/**
 * The screens' language: every string a person reads comes from here. Domain messages (core/i18n)
 * and screen messages (renderer/i18n) share one `t`; errors become sentences through `describe`.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { describeError, type CodedError } from '../../core/i18n/describe.js';
import { isMessageKey, translate, type Locale, type MessageParams } from '../../core/i18n/translate.js';
import type { MessageKey } from '../../core/i18n/zh-CN.js';
import type { LocalizedText } from '../../core/localized.js';
import { isUiKey, translateUi, type UiKey } from '../i18n/ui.js';

export type TextKey = UiKey | MessageKey;

export interface I18n {
  readonly locale: Locale;
  readonly t: (key: TextKey, params?: MessageParams) => string;
  /** A typed error as a sentence: core/'s codes and the screens' own. */
  readonly describe: (error: CodedError) => string;
  /** The text of county data (item names, materials, notices) in this language. */
  readonly pick: (text: LocalizedText) => string;
}

export function makeI18n(locale: Locale): I18n {
  return {
    locale,
    pick: (text) => (locale === 'zh-CN' ? text.zh : text.en),
    t: (key, params) => (isUiKey(key) ? translateUi(locale, key, params) : translate(locale, key, params)),
    describe(error) {
      if (isMessageKey(error.code)) return describeError(error, locale);
      if (isUiKey(error.code)) {
        const params = Object.fromEntries(
          Object.entries(error).filter((entry): entry is [string, string | number] => typeof entry[1] === 'string' || typeof entry[1] === 'number'),
        );
        return translateUi(locale, error.code, params);
      }
      return translateUi(locale, 'error.unexpected', { code: error.code });
    },
  };
}

const I18nContext = createContext<I18n>(makeI18n('zh-CN'));

export function I18nProvider({ locale, children }: { readonly locale: Locale; readonly children: ReactNode }) {
  const value = useMemo(() => makeI18n(locale), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);
