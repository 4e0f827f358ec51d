/**
 * The hall's appointments at the counter (issue 18 §3): a day's bookings — from the residents' page and the
 * counter alike — with what to do for each (begin the case, mark a no-show, cancel for a caller); booking a
 * visit for a caller within the counter's share; and the hall's hours. All of it offline: what changes
 * syncs with the hub when the line is up.
 */
import { useMemo, useState, type SyntheticEvent } from 'react';
import { appointmentStatus, type Appointment } from '../../core/appointment/appointment.js';
import { placesLeft } from '../../core/appointment/places.js';
import type { HallSchedule } from '../../core/appointment/schedule.js';
import { addDays, type LocalDate } from '../../core/local-date.js';
import { formatLookupCode } from '../../core/case/lookup-code.js';
import type { HallError } from '../data/hall.js';
import { ConfirmButton } from '../ui/confirm.js';
import { Alert, Field } from '../ui/form.js';
import { formatDate } from '../ui/format.js';
import { useObservable } from '../ui/hooks.js';
import { useI18n } from '../ui/i18n.js';
import { useSession } from './session.js';

/** How many days ahead the counter books and lists (as the residents' page offers). */
const DAYS_AHEAD = 14;

/** Today and the working days ahead, by the county's calendar (every day when it has not come yet). */
function daysAhead(today: LocalDate, isWorkingDay: ((date: LocalDate) => boolean) | undefined): LocalDate[] {
  const days: LocalDate[] = [];
  for (let offset = 0; offset <= DAYS_AHEAD; offset += 1) {
    const date = addDays(today, offset);
    if (!isWorkingDay || isWorkingDay(date)) days.push(date);
  }
  return days;
}

export function Appointments(props: {
  readonly onBeginCase: (appointment: Appointment) => void;
  /** A new case is half typed: beginning one from a booking replaces it, so the clerk is asked first. */
  readonly draftInProgress: boolean;
}) {
  const { t, locale } = useI18n();
  const { data, county, today } = useSession();
  const calendar = county.calendar;
  const days = useMemo(() => daysAhead(today, calendar ? (date) => calendar.isWorkingDay(date) : undefined), [today, calendar]);
  const [day, setDay] = useState<LocalDate>(today);
  const schedule$ = useMemo(() => data.hall.schedule$(), [data]);
  const schedule = useObservable(schedule$, undefined);
  // Open while the hours are not set; then as the clerk leaves it (saving must not fold away its own answer).
  const [settingsOpen, setSettingsOpen] = useState<boolean>();
  return (
    <section className="appointments">
      <h1>{t('appointments.title')}</h1>
      <label className="field">
        <span>{t('appointments.listDay')}</span>
        <select
          value={day}
          onChange={(event) => {
            setDay(event.target.value as LocalDate);
          }}
        >
          {[today, ...days.filter((d) => d !== today)].map((date) => (
            <option key={date} value={date}>
              {date === today ? t('appointments.today', { date: formatDate(locale, date) }) : formatDate(locale, date)}
            </option>
          ))}
        </select>
      </label>
      <DayList day={day} onBeginCase={props.onBeginCase} draftInProgress={props.draftInProgress} />
      {schedule ? <CounterBookingForm days={days} schedule={schedule} /> : <Alert tone="info">{t('appointments.noSchedule')}</Alert>}
      <details
        className="schedule-settings"
        open={settingsOpen ?? !schedule}
        onToggle={(event) => {
          setSettingsOpen(event.currentTarget.open);
        }}
      >
        <summary>{t('appointments.settings')}</summary>
        <ScheduleForm
          schedule={schedule}
          onSaved={() => {
            setSettingsOpen(true);
          }}
        />
      </details>
    </section>
  );
}

function DayList(props: { readonly day: LocalDate; readonly onBeginCase: (appointment: Appointment) => void; readonly draftInProgress: boolean }) {
  const { t, pick } = useI18n();
  const { data, county, clerk } = useSession();
  const list$ = useMemo(() => data.hall.appointmentsOn$(props.day), [data, props.day]);
  const list = useObservable(list$, undefined);
  const [error, setError] = useState<HallError>();
  const { describe } = useI18n();
  if (!list) return <p className="loading">{t('boot.loading')}</p>;
  if (list.length === 0) return <p>{t('appointments.none')}</p>;
  const itemName = (code: string) => {
    const item = county.catalog?.items.find((candidate) => candidate.code === code);
    return item ? pick(item.name) : code;
  };
  const record = async (appointment: Appointment, type: 'missed' | 'cancelled') => {
    const recorded = await data.hall.record(appointment.code, type, clerk.name);
    setError(recorded.ok ? undefined : recorded.error);
  };
  return (
    <div className="table-scroll">
      {error ? <Alert>{describe(error)}</Alert> : null}
      <table className="cases appointment-list">
        <thead>
          <tr>
            <th>{t('appointments.time')}</th>
            <th>{t('appointments.item')}</th>
            <th>{t('appointments.name')}</th>
            <th>{t('appointments.phone')}</th>
            <th>{t('appointments.channel')}</th>
            <th>{t('appointments.status')}</th>
            <th>{t('appointments.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((appointment) => {
            const status = appointmentStatus(appointment);
            return (
              <tr key={appointment.code} data-appointment={appointment.code}>
                <td>
                  {appointment.start}–{appointment.end}
                </td>
                <td>{itemName(appointment.itemCode)}</td>
                <td>{appointment.name}</td>
                <td>{appointment.phoneMasked ?? '—'}</td>
                <td>{t(appointment.channel === 'online' ? 'appointments.channel.online' : 'appointments.channel.counter')}</td>
                <td>{t(`appointments.status.${status}`)}</td>
                <td className="action-buttons">
                  {status === 'booked' ? (
                    <>
                      {props.draftInProgress ? (
                        <ConfirmButton
                          className="primary"
                          action={t('appointments.begin')}
                          text={t('appointments.beginReplaces')}
                          onConfirm={() => {
                            props.onBeginCase(appointment);
                          }}
                        />
                      ) : (
                        <button
                          type="button"
                          className="primary"
                          onClick={() => {
                            props.onBeginCase(appointment);
                          }}
                        >
                          {t('appointments.begin')}
                        </button>
                      )}
                      <button type="button" onClick={() => void record(appointment, 'missed')}>
                        {t('appointments.missed')}
                      </button>
                      <ConfirmButton action={t('appointments.cancel')} onConfirm={() => void record(appointment, 'cancelled')} />
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function CounterBookingForm(props: { readonly days: readonly LocalDate[]; readonly schedule: HallSchedule }) {
  const { t, pick, locale, describe } = useI18n();
  const { data, county } = useSession();
  const { today } = useSession();
  const [date, setDate] = useState<LocalDate>(props.days[0] ?? today);
  const [start, setStart] = useState('');
  const [itemCode, setItemCode] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<HallError>();
  const [booked, setBooked] = useState<Appointment>();
  const calendar = county.calendar;
  const schedule = props.schedule;
  // The places follow the day's bookings as they change, here or by sync.
  const list$ = useMemo(() => data.hall.appointmentsOn$(date), [data, date]);
  const list = useObservable(list$, undefined);
  const places = list && calendar ? placesLeft(schedule, date, calendar, list, 'counter') : [];

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!calendar) return;
    const result = await data.hall.bookAtCounter({ date, start, itemCode, name, phone }, calendar);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(undefined);
    setBooked(result.value);
    setName('');
    setPhone('');
  };
  const nameError = error?.code === 'hall.badName' ? describe(error) : undefined;
  const phoneError = error?.code === 'hall.badPhone' ? describe(error) : undefined;
  return (
    <form className="counter-booking" onSubmit={(event) => void submit(event)} noValidate>
      <h2>{t('appointments.bookTitle')}</h2>
      <p className="hint">{t('appointments.bookHint', { counter: schedule.counterVisits, total: schedule.visitsPerSlot })}</p>
      <label className="field">
        <span>{t('appointments.day')}</span>
        <select
          value={date}
          onChange={(event) => {
            setDate(event.target.value as LocalDate);
            setStart('');
          }}
        >
          {props.days.map((d) => (
            <option key={d} value={d}>
              {formatDate(locale, d)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('appointments.time')}</span>
        <select
          value={start}
          onChange={(event) => {
            setStart(event.target.value);
          }}
        >
          <option value="">{t('appointments.chooseTime')}</option>
          {places.map((slot) => (
            <option key={slot.start} value={slot.start} disabled={slot.free === 0}>
              {slot.start}–{slot.end} {slot.free === 0 ? t('appointments.full') : t('appointments.free', { count: slot.free })}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('appointments.item')}</span>
        <select
          value={itemCode}
          onChange={(event) => {
            setItemCode(event.target.value);
          }}
        >
          <option value="">{t('appointments.chooseItem')}</option>
          {(county.catalog?.items ?? []).map((item) => (
            <option key={item.code} value={item.code}>
              {pick(item.name)}
            </option>
          ))}
        </select>
      </label>
      <Field label={t('appointments.name')} value={name} onChange={setName} autoComplete="off" error={nameError} />
      <Field label={t('appointments.phoneOptional')} value={phone} onChange={setPhone} inputMode="tel" autoComplete="off" error={phoneError} />
      {error && !nameError && !phoneError ? <Alert>{describe(error)}</Alert> : null}
      {booked ? (
        <Alert tone="success">
          {t('appointments.booked', { code: formatLookupCode(booked.code), date: formatDate(locale, booked.date), start: booked.start })}
        </Alert>
      ) : null}
      <button type="submit" className="primary" disabled={!start || !itemCode}>
        {t('appointments.book')}
      </button>
    </form>
  );
}

/** `08:30-11:30, 14:00-17:00` ⇄ the schedule's periods. */
const periodsText = (schedule: HallSchedule | undefined) =>
  schedule ? schedule.periods.map((p) => `${p.from}-${p.to}`).join(', ') : '08:30-11:30, 14:00-17:00';
function parsePeriods(text: string): { from: string; to: string }[] {
  return text
    .split(/[,，;；\s]+/)
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const [from = '', to = ''] = part.normalize('NFKC').split(/[-–~至到]/);
      return { from: from.trim().padStart(5, '0'), to: to.trim().padStart(5, '0') };
    });
}

function ScheduleForm(props: { readonly schedule: HallSchedule | undefined; readonly onSaved: () => void }) {
  const { t, describe } = useI18n();
  const { data } = useSession();
  const [periods, setPeriods] = useState(periodsText(props.schedule));
  const [slotMinutes, setSlotMinutes] = useState(String(props.schedule?.slotMinutes ?? 30));
  const [visitsPerSlot, setVisitsPerSlot] = useState(String(props.schedule?.visitsPerSlot ?? 4));
  const [counterVisits, setCounterVisits] = useState(String(props.schedule?.counterVisits ?? 1));
  const [outcome, setOutcome] = useState<{ ok: true } | { ok: false; error: HallError }>();
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const saved = await data.hall.setSchedule({
      periods: parsePeriods(periods),
      slotMinutes: Number(slotMinutes),
      visitsPerSlot: Number(visitsPerSlot),
      counterVisits: Number(counterVisits),
    });
    setOutcome(saved.ok ? { ok: true } : saved);
    if (saved.ok) props.onSaved();
  };
  return (
    <form className="schedule-form" onSubmit={(event) => void submit(event)} noValidate>
      <Field label={t('appointments.periods')} value={periods} onChange={setPeriods} hint={t('appointments.periodsHint')} />
      <Field label={t('appointments.slotMinutes')} value={slotMinutes} onChange={setSlotMinutes} inputMode="numeric" />
      <Field label={t('appointments.visitsPerSlot')} value={visitsPerSlot} onChange={setVisitsPerSlot} inputMode="numeric" />
      <Field
        label={t('appointments.counterVisits')}
        value={counterVisits}
        onChange={setCounterVisits}
        inputMode="numeric"
        hint={t('appointments.counterVisitsHint')}
      />
      {outcome && !outcome.ok ? <Alert>{describe(outcome.error)}</Alert> : null}
      {outcome?.ok ? <Alert tone="success">{t('appointments.saved')}</Alert> : null}
      <button type="submit" className="primary">
        {t('appointments.save')}
      </button>
    </form>
  );
}
