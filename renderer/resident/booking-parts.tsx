/**
 * What the page's sections share: a booking as the resident reads it (the code large, to keep for
 * cancelling), days in plain words, every refusal of the hub as a sentence in the resident's language, a
 * labelled list to choose from (a town, a village), a list that did not load with a button to ask again, the
 * choice of a town and village with what the section reads of it (`useHallChoice`, `HallPicker`), and the
 * form that opens something kept by its code and a phone (`CodeAndPhoneForm`).
 */
import { useCallback, useEffect, useId, useRef, useState, type SyntheticEvent } from 'react';
import { formatLookupCode } from '../../core/case/lookup-code-format.js';
import type { Locale } from '../../core/i18n/translate.js';
import type { BookingView, HallDirectory } from '../../core/resident/booking.js';
import type { Result } from '../../core/result.js';
import { isUiKey } from '../i18n/ui.js';
import { Alert, Field } from '../ui/form.js';
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

export type HallDirectoryState = ReturnType<typeof useHallDirectory>;

/** A town and village chosen from the directory, and what the section read of that village (its hall, its board). */
export interface HallChoice<T> {
  readonly directory: HallDirectoryState;
  readonly town: string;
  /** The village's code, or empty. */
  readonly village: string;
  /** What was read of the chosen village; kept while it is read again. */
  readonly read: T | undefined;
  readonly readError: ResidentError | undefined;
  readonly chooseTown: (name: string) => void;
  readonly chooseVillage: (code: string) => void;
  /** Read the chosen village's again: after a failure, or when what it showed may have changed. */
  readonly reread: () => void;
}

/**
 * The choice of a town and then a village, and `read` of the village chosen. Only the latest village asked
 * for may answer: a slow answer for a village chosen before is dropped. `onRead` sees each answer taken;
 * `onChoose` each change of village (to none when the town changes), for the section to forget what it held.
 */
export function useHallChoice<T>(
  directory: HallDirectoryState,
  read: (village: string) => Promise<Result<T, ResidentError>>,
  options: { readonly onRead?: (value: T) => void; readonly onChoose?: (village: string) => void } = {},
): HallChoice<T> {
  const [town, setTown] = useState('');
  const [village, setVillage] = useState('');
  const [value, setValue] = useState<T>();
  const [readError, setReadError] = useState<ResidentError>();
  const asked = useRef('');

  const load = async (code: string) => {
    asked.current = code;
    setReadError(undefined);
    const answered = await read(code);
    if (asked.current !== code) return;
    if (!answered.ok) {
      setReadError(answered.error);
      return;
    }
    setValue(answered.value);
    options.onRead?.(answered.value);
  };

  const chooseVillage = (code: string) => {
    setVillage(code);
    setValue(undefined);
    options.onChoose?.(code);
    if (code) void load(code);
    else asked.current = '';
  };

  return {
    directory,
    town,
    village,
    read: value,
    readError,
    chooseTown: (name) => {
      setTown(name);
      chooseVillage('');
    },
    chooseVillage,
    reread: () => {
      if (village) void load(village);
    },
  };
}

/**
 * The town, then the village, as `useHallChoice` holds them: the directory loading (or a button to ask again),
 * and, once a village is chosen, what is read of it loading (or a button to ask again).
 */
export function HallPicker<T>({ choice }: { readonly choice: HallChoice<T> }) {
  const { t } = useI18n();
  const { directory, error, reload } = choice.directory;
  const villages = directory?.towns.find((candidate) => candidate.name === choice.town)?.villages ?? [];
  return (
    <>
      {directory ? (
        <Select
          label={t('resident.book.town')}
          value={choice.town}
          options={directory.towns.map((candidate) => [candidate.name, candidate.name])}
          onChange={choice.chooseTown}
        />
      ) : error ? (
        <Retry error={error} onRetry={() => void reload()} />
      ) : (
        <p className="loading">{t('boot.loading')}</p>
      )}
      {choice.town ? (
        <Select
          label={t('resident.book.village')}
          value={choice.village}
          options={villages.map((candidate) => [candidate.code12, candidate.name])}
          onChange={choice.chooseVillage}
        />
      ) : null}
      {choice.village && choice.read === undefined ? (
        choice.readError ? (
          <Retry error={choice.readError} onRetry={choice.reread} />
        ) : (
          <p className="loading">{t('boot.loading')}</p>
        )
      ) : null}
    </>
  );
}

/** Where a code-and-phone form says what is wrong: at the field it is about, else above the button. */
export type CodePlace = 'code' | 'phone' | 'form';

/**
 * The form that opens something the resident keeps by its code (a booking, a concern) and a mobile number:
 * the code as printed (two groups of four, small letters taken), the phone, each with its error below it.
 */
export function CodeAndPhoneForm(props: {
  readonly codeLabel: string;
  readonly codeHint: string;
  readonly code: string;
  readonly onCode: (code: string) => void;
  readonly phoneLabel: string;
  readonly phoneHint?: string | undefined;
  readonly phone: string;
  readonly onPhone: (phone: string) => void;
  /** Each place's sentence, if something is wrong there. */
  readonly problem: (place: CodePlace) => string | undefined;
  readonly busy: boolean;
  readonly submit: string;
  readonly onSubmit: () => void;
}) {
  const { t } = useI18n();
  const formProblem = props.problem('form');
  return (
    <form
      onSubmit={(event: SyntheticEvent) => {
        event.preventDefault();
        if (!props.busy) props.onSubmit();
      }}
      noValidate
    >
      <Field
        label={props.codeLabel}
        hint={props.codeHint}
        value={props.code}
        onChange={props.onCode}
        error={props.problem('code')}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={32}
      />
      <MobileField label={props.phoneLabel} hint={props.phoneHint} value={props.phone} onChange={props.onPhone} error={props.problem('phone')} />
      {formProblem ? <Alert>{formProblem}</Alert> : null}
      <button type="submit" className="primary" disabled={props.busy}>
        {props.busy ? t('resident.follow.busy') : props.submit}
      </button>
    </form>
  );
}

/** A mobile number field as every form of the page asks for one: a phone's keyboard, the browser's own number offered. */
export function MobileField(props: {
  readonly label: string;
  readonly hint?: string | undefined;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error: string | undefined;
}) {
  return <Field {...props} type="tel" inputMode="tel" autoComplete="tel" maxLength={32} />;
}
