/**
 * "My booking" (我的预约): the booking's code and the phone it was made with open it; a booked visit can be
 * cancelled, after one question in place. Not ui/confirm.tsx: its "取消"/"Cancel" for "no" beside a
 * "cancel the booking" would read as the same thing to an elderly resident, so the answers here say it.
 */
import { useState, type SyntheticEvent } from 'react';
import type { BookingView } from '../../core/resident/booking.js';
import { Alert, Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { ResidentApi, ResidentError } from './api.js';
import { BookingCard, bookingErrorText } from './booking-parts.js';

type Place = 'code' | 'phone' | 'form';

const PLACES: Readonly<Record<string, Place>> = { 'appointment.code': 'code', 'booking.phone': 'phone' };

export function MyBooking({ api }: { readonly api: ResidentApi }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<Place, ResidentError>>>({});
  const [found, setFound] = useState<BookingView>();
  const [asking, setAsking] = useState(false);
  const [cancelled, setCancelled] = useState(false);

  const fail = (error: ResidentError) => {
    setProblems({ [PLACES[error.code] ?? 'form']: error });
  };

  const open = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (busy) return;
    const local = {
      ...(code.trim() ? {} : { code: { code: 'appointment.code' } }),
      ...(phone.trim() ? {} : { phone: { code: 'booking.phone' } }),
    };
    setProblems(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    const answered = await api.openBooking({ code, phone });
    setBusy(false);
    if (answered.ok) setFound(answered.value);
    else fail(answered.error);
  };

  const cancel = async (view: BookingView) => {
    setAsking(false);
    setBusy(true);
    setProblems({});
    const answered = await api.cancelBooking({ code: view.code, phone });
    setBusy(false);
    if (answered.ok) {
      setFound(answered.value);
      setCancelled(answered.value.status === 'cancelled');
    } else fail(answered.error);
  };

  const problem = (place: Place) => {
    const error = problems[place];
    return error ? bookingErrorText(t, error) : undefined;
  };

  if (found) {
    return (
      <section className="my-booking">
        <h2>{t('resident.book.mine.title')}</h2>
        {cancelled ? <Alert tone="success">{t('resident.book.mine.cancelled')}</Alert> : null}
        <BookingCard view={found} />
        {problems.form ? <Alert>{problem('form')}</Alert> : null}
        {found.status === 'booked' && !asking ? (
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => {
              setAsking(true);
            }}
          >
            {t('resident.book.mine.cancel')}
          </button>
        ) : null}
        {found.status === 'booked' && asking ? (
          <div className="confirm" role="alertdialog" aria-label={t('resident.book.mine.cancelQuestion')}>
            <p>{t('resident.book.mine.cancelQuestion')}</p>
            <button type="button" className="primary" autoFocus onClick={() => void cancel(found)}>
              {t('resident.book.mine.cancelYes')}
            </button>
            <button
              type="button"
              onClick={() => {
                setAsking(false);
              }}
            >
              {t('resident.book.mine.cancelNo')}
            </button>
          </div>
        ) : null}
        <button
          type="button"
          onClick={() => {
            setFound(undefined);
            setCancelled(false);
            setAsking(false);
            setProblems({});
            setCode('');
          }}
        >
          {t('resident.book.mine.again')}
        </button>
      </section>
    );
  }
  return (
    <section className="my-booking">
      <h2>{t('resident.book.mine.title')}</h2>
      <form onSubmit={(event) => void open(event)} noValidate>
        <Field
          label={t('resident.book.code')}
          hint={t('resident.book.mine.codeHint')}
          value={code}
          onChange={setCode}
          error={problem('code')}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={32}
        />
        <Field
          label={t('resident.book.mine.phone')}
          value={phone}
          onChange={setPhone}
          error={problem('phone')}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          maxLength={32}
        />
        {problems.form ? <Alert>{problem('form')}</Alert> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('resident.follow.busy') : t('resident.book.mine.submit')}
        </button>
      </form>
    </section>
  );
}
