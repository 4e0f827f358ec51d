/**
 * A date field that speaks the app's language whatever the computer's: the browser's own date input shows
 * `mm/dd/yyyy` and English month names on an English system. The date shows as the screens write dates
 * (2026年11月30日), and a calendar (react-day-picker, in the app's locale, weeks from Monday) opens to pick
 * one. The value is a `YYYY-MM-DD` calendar date, '' for none.
 */
import { lazy, Suspense, useId, useState } from 'react';
import { parseLocalDate } from '../../core/local-date.js';
import { formatDate } from './format.js';
import { useI18n } from './i18n.js';

const Calendar = lazy(() => import('./calendar.js'));

/** The calendar date a picked day stands for (DayPicker hands out local midnights). */
const dateText = (day: Date) => `${String(day.getFullYear())}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;

/** The local midnight DayPicker shows for a calendar date. */
const dayOf = (value: string): Date | undefined => {
  const date = parseLocalDate(value);
  if (!date) return undefined;
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(year, month - 1, day);
};

export function DateField(props: { readonly label: string; readonly value: string; readonly onChange: (value: string) => void }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const id = useId();
  const selected = dayOf(props.value);
  return (
    <div className="field date-field">
      <span id={`${id}-label`}>{props.label}</span>
      <div className="date-field-row">
        <button
          type="button"
          aria-labelledby={`${id}-label ${id}-value`}
          aria-expanded={open}
          aria-controls={`${id}-calendar`}
          onClick={() => {
            setOpen(!open);
          }}
        >
          <span id={`${id}-value`}>{selected ? formatDate(locale, props.value) : t('date.none')}</span>
        </button>
        {selected ? (
          <button
            type="button"
            className="link"
            onClick={() => {
              props.onChange('');
            }}
            aria-label={t('date.clearLabel', { label: props.label })}
          >
            {t('date.clear')}
          </button>
        ) : null}
      </div>
      {open ? (
        <div id={`${id}-calendar`} className="date-popover" role="dialog" aria-label={props.label}>
          <Suspense fallback={<p role="status">{t('boot.loading')}</p>}>
            <Calendar
              locale={locale}
              selected={selected}
              onSelect={(day) => {
                props.onChange(day ? dateText(day) : '');
                setOpen(false);
              }}
            />
          </Suspense>
        </div>
      ) : null}
    </div>
  );
}
