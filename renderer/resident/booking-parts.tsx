/**
 * What the page's sections share: a booking as the resident reads it (the code large, to keep for
 * cancelling), days in plain words, every refusal of the hub as a sentence in the resident's language, a
 * labelled list to choose from (a town, a village) and a list that did not load with a button to ask again.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { formatLookupCode } from '../../core/case/lookup-code-format.js';
import type { Locale } from '../../core/i18n/translate.js';
import type { BookingView, HallDirectory } from '../../core/resident/booking.js';
import { isUiKey } from '../i18n/ui.js';
import { Alert } from '../ui/form.js';
import { formatDate } from '../ui/format.js';
import { useI18n, type I18n } from '../ui/i18n.js';
import type { ResidentApi, ResidentError } from './api.js';

/** A day as a resident reads it: `11月27日 星期五`, `Fri 27 Nov`, or with the year for a booking kept. */
export function dayText(t: I18n['t'], locale: Locale, date: string, withYear = false): string {
  const full = formatDate(locale, date);
  const shown = withYear ? full : full.replace(/^\d{4}年/, '').replace(/ \d{4}$/, '');
  // The weekday's name from the phone's own locale data: a date at midnight UTC is that day in UTC.
  const weekday = new Intl.DateTimeFormat(locale, { weekday: locale === 'zh-CN' ? 'long' : 'short', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
  return t('resident.book.dayLabel', { date: shown, weekday });
}

/** How long to wait, from a `Retry-After`: minutes, or hours past an hour and a half. */
export function waitText(t: I18n['t'], seconds = 60): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes <= 90 ? t('resident.book.minutes', { n: minutes }) : t('resident.book.hours', { n: Math.ceil(minutes / 60) });
}

/** The page's own checks, before anything is sent, beside the hub's codes. */
export type LocalCheck = 'nameMissing' | 'itemMissing' | 'slotMissing';

/**
 * A refusal as a sentence: `booking.full`, `appointment.notFound`, `hall.unknown`, a local check, by the
 * last part of its code (`resident.book.error.full`); anything else the hub said, as "cannot answer now".
 */
export function bookingErrorText(t: I18n['t'], error: ResidentError): string {
  const key = error.code === 'offline' ? 'resident.lookup.offline' : `resident.book.error.${error.code.slice(error.code.indexOf('.') + 1)}`;
  return t(isUiKey(key) ? key : 'resident.book.error.unavailable', { wait: waitText(t, error.retryAfterSeconds) });
}

/** One booking: its state, the code to keep, and when, where and what. The name masked, never the phone. */
export function BookingCard({ view }: { readonly view: BookingView }) {
  const { town } = view;
  const { t, pick, locale } = useI18n();
  return (
    <article className="booking-card" data-status={view.status}>
      <p className={`status-line booking-${view.status}`} data-testid="booking-status">
        {t(`resident.book.status.${view.status}`)}
      </p>
      <p className="booking-code-label">{t('resident.book.code')}</p>
      <p className="booking-code" data-testid="booking-code">
        {formatLookupCode(view.code)}
      </p>
      {view.status === 'booked' ? <p className="keep-code">{t('resident.book.keepCode')}</p> : null}
      <dl>
        <dt>{t('resident.book.when')}</dt>
        <dd>{t('resident.book.whenValue', { date: dayText(t, locale, view.date, true), start: view.start, end: view.end })}</dd>
        <dt>{t('resident.book.where')}</dt>
        <dd>{town ? t('resident.case.hall', { town, village: view.village }) : t('resident.book.hallOf', { village: view.village })}</dd>
        <dt>{t('resident.book.item')}</dt>
        <dd>{pick(view.item)}</dd>
        <dt>{t('resident.book.who')}</dt>
        <dd data-testid="booking-name">{view.nameMasked}</dd>
      </dl>
    </article>
  );
}

/** A labelled choice of a list, "choose…" first; its error below it, announced, as a Field's. */
export function Select(props: {
  readonly label: string;
  readonly value: string;
  readonly options: readonly (readonly [value: string, text: string])[];
  readonly onChange: (value: string) => void;
  /** Instead of "choose…", when the list is empty. */
  readonly empty?: string | undefined;
  readonly error?: string | undefined;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className={props.error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(event) => {
          props.onChange(event.target.value);
        }}
      >
        <option value="">{props.empty ?? t('resident.book.choose')}</option>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {props.error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A list that did not load: why, and a button to ask again. */
export function Retry({ error, onRetry }: { readonly error: ResidentError; readonly onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <>
      <Alert>{bookingErrorText(t, error)}</Alert>
      <button type="button" onClick={onRetry}>
        {t('resident.book.retry')}
      </button>
    </>
  );
}

/** The county's towns and villages, asked for once when a section opens; `reload` after a failure. */
export function useHallDirectory(api: ResidentApi) {
  const [directory, setDirectory] = useState<HallDirectory>();
  const [error, setError] = useState<ResidentError>();
  const reload = useCallback(async () => {
    setError(undefined);
    const answered = await api.halls();
    if (answered.ok) setDirectory(answered.value);
    else setError(answered.error);
  }, [api]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { directory, error, reload };
}
