/** The clerk's display choices — language and elder mode — kept across restarts. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Locale } from '../../core/i18n/translate.js';
import { pickLocale } from '../locale.js';
import { I18nProvider, useI18n } from './i18n.js';

export interface Display {
  readonly locale: Locale;
  readonly elder: boolean;
  readonly setLocale: (locale: Locale) => void;
  readonly setElder: (on: boolean) => void;
}

const DisplayContext = createContext<Display | undefined>(undefined);
const LOCALE_KEY = 'cunban.locale';
const ELDER_KEY = 'cunban.elderMode';

export function DisplayProvider(props: { readonly preferences: Pick<Storage, 'getItem' | 'setItem'>; readonly children: ReactNode }) {
  const { preferences } = props;
  // Chinese unless the clerk chose otherwise: the hall's language, whatever the machine's OS was set to.
  const [locale, setLocaleState] = useState<Locale>(() => pickLocale(preferences.getItem(LOCALE_KEY), []));
  const [elder, setElderState] = useState(() => preferences.getItem(ELDER_KEY) === 'on');
  const setLocale = useCallback(
    (next: Locale) => {
      preferences.setItem(LOCALE_KEY, next);
      setLocaleState(next);
    },
    [preferences],
  );
  const setElder = useCallback(
    (on: boolean) => {
      preferences.setItem(ELDER_KEY, on ? 'on' : 'off');
      setElderState(on);
    },
    [preferences],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.classList.toggle('elder', elder);
  }, [locale, elder]);
  return (
    <DisplayContext.Provider value={{ locale, elder, setLocale, setElder }}>
      <I18nProvider locale={locale}>{props.children}</I18nProvider>
    </DisplayContext.Provider>
  );
}

export function useDisplay(): Display {
  const display = useContext(DisplayContext);
  if (!display) throw new Error('useDisplay outside DisplayProvider');
  return display;
}

/** The button that switches the screens between Chinese and English, on every header. */
export function LanguageButton() {
  const display = useDisplay();
  const { t } = useI18n();
  return (
    <button
      type="button"
      onClick={() => {
        display.setLocale(display.locale === 'zh-CN' ? 'en' : 'zh-CN');
      }}
    >
      {t('display.otherLanguage')}
    </button>
  );
}

/** The button that switches large print (elder mode) on and off, on every header that offers it. */
export function ElderModeButton() {
  const display = useDisplay();
  const { t } = useI18n();
  return (
    <button
      type="button"
      aria-pressed={display.elder}
      onClick={() => {
        display.setElder(!display.elder);
      }}
    >
      {t('display.elderMode')}
    </button>
  );
}
