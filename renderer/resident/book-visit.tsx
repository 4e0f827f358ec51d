/**
 * "Book a visit" (预约办事): the town and village, the service, a day and a time with places left (a full
 * time shown, not offered), then a name and a mobile number — never an ID number. The answer is the
 * booking's code, shown large, to cancel with. A time that fills up meanwhile is said so, with the places
 * read again.
 */
import { useId, useState, type SyntheticEvent } from 'react';
import type { BookingView, HallView } from '../../core/resident/booking.js';
import { Alert, Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { ResidentApi, ResidentError } from './api.js';
import { BookingCard, bookingErrorText, dayText, HallPicker, MobileField, Select, useHallChoice, useHallDirectory, type LocalCheck } from './booking-parts.js';

/** Where the page says what is wrong: at the field it is about, else above the button (a time among them: the list is read again). */
type Place = 'item' | 'name' | 'phone' | 'form';
type Problems = Partial<Record<Place, ResidentError | { readonly code: LocalCheck }>>;

const PLACES: Readonly<Record<string, Place>> = { 'booking.name': 'name', 'booking.phone': 'phone', 'booking.item': 'item' };

export function BookVisit({ api }: { readonly api: ResidentApi }) {
  const { t, pick, locale } = useI18n();
  const ids = useId();
  const [filter, setFilter] = useState('');
  const [itemCode, setItemCode] = useState('');
  const [when, setWhen] = useState({ date: '', start: '' });
  const { date, start } = when;
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Problems>({});
  const [booked, setBooked] = useState<BookingView>();
  const choice = useHallChoice(useHallDirectory(api), (code) => api.hall(code), {
    // Keep the day and time chosen while they are still offered with a place left.
    onRead: ({ days }: HallView) => {
      setWhen((chosen) => {
        const day = days.find((candidate) => candidate.date === chosen.date);
        if (!day) return { date: '', start: '' };
        return day.slots.some((slot) => slot.start === chosen.start && slot.free > 0) ? chosen : { date: chosen.date, start: '' };
      });
    },
    onChoose: () => {
      setWhen({ date: '', start: '' });
      setProblems({});
    },
  });
  const { village, read: hall } = choice;

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (busy || !hall) return;
    const local: Problems = {
      ...(itemCode ? {} : { item: { code: 'itemMissing' } }),
      ...(date && start ? {} : { form: { code: 'slotMissing' } }),
      ...(name.trim() ? {} : { name: { code: 'nameMissing' } }),
      ...(phone.trim() ? {} : { phone: { code: 'booking.phone' } }),
    };
    setProblems(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    const answered = await api.book({ village, itemCode, date, start, name: name.trim(), phone });
    setBusy(false);
    if (answered.ok) {
      setBooked(answered.value);
      setWhen({ date, start: '' });
      choice.reread();
      return;
    }
    const { code } = answered.error;
    setProblems({ [PLACES[code] ?? 'form']: answered.error });
    // The places changed meanwhile (or the hours did): read them again, so what is offered is true.
    if (code === 'booking.full' || code === 'booking.slot' || code === 'booking.closed') choice.reread();
  };

  const problem = (place: Place) => {
    const found = problems[place];
    return found ? bookingErrorText(t, found) : undefined;
  };

  if (booked) {
    return (
      <section className="book-visit">
        <h2>{t('resident.book.title')}</h2>
        <BookingCard view={booked} />
        <button
          type="button"
          onClick={() => {
            setBooked(undefined);
          }}
        >
          {t('resident.book.another')}
        </button>
      </section>
    );
  }

  const words = filter.trim().toLowerCase();
  const items = (hall?.items ?? []).filter(
    (item) => !words || item.code === itemCode || `${item.name.zh} ${item.name.en} ${item.code}`.toLowerCase().includes(words),
  );
  const day = hall?.days.find((candidate) => candidate.date === date);
  const hallName = hall ? t('resident.case.hall', { town: hall.village.town, village: hall.village.name }) : '';

  return (
    <section className="book-visit">
      <h2>{t('resident.book.title')}</h2>
      <p className="hint">{t('resident.book.intro')}</p>
      <HallPicker choice={choice} />
      {hall && !hall.booking ? <Alert tone="info">{t('resident.book.noBooking', { hall: hallName })}</Alert> : null}
      {hall?.booking && hall.days.length === 0 ? <Alert tone="info">{t('resident.book.noDays')}</Alert> : null}
      {hall?.booking && hall.days.length > 0 ? (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Field label={t('resident.book.filter')} hint={t('resident.book.filterHint')} value={filter} onChange={setFilter} type="search" autoComplete="off" />
          <Select
            label={t('resident.book.item')}
            value={itemCode}
            options={items.map((item) => [item.code, pick(item.name)])}
            onChange={setItemCode}
            empty={items.length > 0 ? undefined : t('resident.book.noItems')}
            error={problem('item')}
          />
          <fieldset className="choices">
            <legend>{t('resident.book.day')}</legend>
            {hall.days.map((candidate) => (
              <label key={candidate.date} className={candidate.date === date ? 'choice-chip chosen' : 'choice-chip'}>
                <input
                  type="radio"
                  name={`${ids}-day`}
                  value={candidate.date}
                  checked={candidate.date === date}
                  onChange={() => {
                    setWhen({ date: candidate.date, start: '' });
                  }}
                />
                {dayText(t, locale, candidate.date)}
              </label>
            ))}
          </fieldset>
          {day ? (
            <fieldset className="choices">
              <legend>{t('resident.book.time')}</legend>
              {day.slots.map((slot) => {
                const full = slot.free <= 0;
                const chosen = slot.start === start;
                return (
                  <label key={slot.start} className={`choice-chip${chosen ? ' chosen' : ''}${full ? ' full' : ''}`}>
                    <input
                      type="radio"
                      name={`${ids}-slot`}
                      value={slot.start}
                      checked={chosen}
                      disabled={full}
                      onChange={() => {
                        setWhen({ date, start: slot.start });
                        setProblems(({ form: _, ...others }) => others);
                      }}
                    />
                    {full
                      ? t('resident.book.slotFull', { start: slot.start, end: slot.end })
                      : t('resident.book.slotFree', { start: slot.start, end: slot.end, free: slot.free })}
                  </label>
                );
              })}
            </fieldset>
          ) : null}
          <Field
            label={t('resident.book.name')}
            hint={t('resident.book.nameHint')}
            value={name}
            onChange={setName}
            error={problem('name')}
            autoComplete="name"
            maxLength={64}
          />
          <MobileField label={t('resident.book.phone')} hint={t('resident.book.phoneHint')} value={phone} onChange={setPhone} error={problem('phone')} />
          {problems.form ? <Alert>{problem('form')}</Alert> : null}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('resident.book.busy') : t('resident.book.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
