/**
 * "My booking" (我的预约): the booking's code and the phone it was made with open it; a booked visit can be
 * cancelled, after one question in place. Not ui/confirm.tsx: its "取消"/"Cancel" for "no" beside a
 * "cancel the booking" would read as the same thing to an elderly resident, so the answers here say it.
 */
import { useState } from 'react';
import type { BookingView } from '../../core/resident/booking.js';
import { Alert } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { ResidentApi, ResidentError } from './api.js';
import { BookingCard, bookingErrorText, CodeAndPhoneForm, type CodePlace } from './booking-parts.js';

const PLACES: Readonly<Record<string, CodePlace>> = { 'appointment.code': 'code', 'booking.phone': 'phone' };

export function MyBooking({ api }: { readonly api: ResidentApi }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<CodePlace, ResidentError>>>({});
  const [found, setFound] = useState<BookingView>();
  const [asking, setAsking] = useState(false);
  const [cancelled, setCancelled] = useState(false);

  const fail = (error: ResidentError) => {
    setProblems({ [PLACES[error.code] ?? 'form']: error });
  };

  const open = async () => {
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

  const problem = (place: CodePlace) => {
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
      <CodeAndPhoneForm
        codeLabel={t('resident.book.code')}
        codeHint={t('resident.book.mine.codeHint')}
        code={code}
        onCode={setCode}
        phoneLabel={t('resident.book.mine.phone')}
        phone={phone}
        onPhone={setPhone}
        problem={problem}
        busy={busy}
        submit={t('resident.book.mine.submit')}
        onSubmit={() => void open()}
      />
    </section>
  );
}
