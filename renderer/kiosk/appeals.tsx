/**
 * The village's appeals and suggestions at the counter (issue 18 §4): a resident's concern raised for them
 * by the clerk — offline too — with the code to give them; the village's appeals with who holds each and its
 * due dates, overdue marked; and the village's answer to those it holds (reply, pass on to the town, close).
 * The town's and county's answers arrive by sync.
 */
import { useId, useMemo, useState, type SyntheticEvent } from 'react';
import { appealOverdue, appealState, OWN_CATEGORIES, type Appeal, type AppealCategory, type AppealEvent } from '../../core/appeal/appeal.js';
import { formatLookupCode } from '../../core/case/lookup-code.js';
import type { AppealError } from '../data/hall.js';
import { ConfirmButton } from '../ui/confirm.js';
import { Alert, Field } from '../ui/form.js';
import { formatDate, formatInstant } from '../ui/format.js';
import { useObservable } from '../ui/hooks.js';
import { useI18n } from '../ui/i18n.js';
import { useActorName } from '../ui/case-timeline.js';
import { useSession } from './session.js';

/** A category's name: the village's own, other, or a sector of the county's catalog. */
function useCategoryName(): (category: AppealCategory) => string {
  const { t, pick } = useI18n();
  const { county } = useSession();
  return (category) => {
    if (category === 'villageAffairs') return t('appeals.category.villageAffairs');
    if (category === 'other') return t('appeals.category.other');
    const sector = county.catalog?.sectors.find((candidate) => candidate.code === category);
    return sector ? pick(sector.name) : category;
  };
}

export function Appeals() {
  const { t } = useI18n();
  const { data } = useSession();
  const appeals$ = useMemo(() => data.hall.appeals$(), [data]);
  const appeals = useObservable(appeals$, undefined);
  return (
    <section className="appeals">
      <h1>{t('appeals.title')}</h1>
      <RaiseAppealForm />
      <h2>{t('appeals.listTitle')}</h2>
      {appeals === undefined ? <p className="loading">{t('boot.loading')}</p> : null}
      {appeals?.length === 0 ? <p>{t('appeals.none')}</p> : null}
      {appeals?.map((appeal) => (
        <AppealItem key={appeal.code} appeal={appeal} />
      ))}
    </section>
  );
}

function RaiseAppealForm() {
  const { t, pick, describe } = useI18n();
  const { data, county } = useSession();
  const [category, setCategory] = useState<AppealCategory>('villageAffairs');
  const [text, setText] = useState('');
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<AppealError>();
  const [raised, setRaised] = useState<Appeal>();
  const formId = useId();
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!county.catalog) return;
    const result = await data.hall.raiseAppeal({ category, text, phone }, county.catalog);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(undefined);
    setRaised(result.value);
    setText('');
    setPhone('');
  };
  const textError = error?.code.startsWith('kioskAppeal.text') ? describe(error) : undefined;
  const phoneError = error?.code === 'hall.badPhone' ? describe(error) : undefined;
  return (
    <form className="raise-appeal" onSubmit={(event) => void submit(event)} noValidate>
      <h2>{t('appeals.raiseTitle')}</h2>
      <p className="hint">{t('appeals.raiseHint')}</p>
      <label className="field">
        <span>{t('appeals.category')}</span>
        <select
          value={category}
          onChange={(event) => {
            setCategory(event.target.value);
          }}
        >
          <option value={OWN_CATEGORIES[0]}>{t('appeals.category.villageAffairs')}</option>
          {(county.catalog?.sectors ?? []).map((sector) => (
            <option key={sector.code} value={sector.code}>
              {pick(sector.name)}
            </option>
          ))}
          <option value={OWN_CATEGORIES[1]}>{t('appeals.category.other')}</option>
        </select>
      </label>
      <div className={`field${textError ? ' field-invalid' : ''}`}>
        <label htmlFor={`${formId}-text`}>{t('appeals.text')}</label>
        <textarea
          id={`${formId}-text`}
          value={text}
          rows={4}
          maxLength={2000}
          aria-invalid={textError ? true : undefined}
          aria-describedby={textError ? `${formId}-text-error` : undefined}
          onChange={(event) => {
            setText(event.target.value);
          }}
        />
        {textError ? (
          <p className="field-error" id={`${formId}-text-error`}>
            {textError}
          </p>
        ) : null}
      </div>
      <Field label={t('appeals.phone')} value={phone} onChange={setPhone} inputMode="tel" autoComplete="off" hint={t('appeals.phoneHint')} error={phoneError} />
      {raised ? <Alert tone="success">{t('appeals.raised', { code: formatLookupCode(raised.code), level: t(`level.${raised.level}`) })}</Alert> : null}
      <button type="submit" className="primary" disabled={!county.catalog}>
        {t('appeals.raise')}
      </button>
    </form>
  );
}

function AppealItem({ appeal }: { readonly appeal: Appeal }) {
  const { t, locale, describe } = useI18n();
  const { data, county, clerk, today } = useSession();
  const categoryName = useCategoryName();
  // Who answered, by the office they answer for (业州镇审核人 李强), as on a case's timeline.
  const actorName = useActorName({ village: data.enrollment.villageName, town: data.enrollment.townName, county: county.divisions?.table.county.name ?? '' });
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<AppealError>();
  const calendar = county.calendar;
  if (!calendar) return null;
  const state = appealState(appeal, calendar);
  const overdue = appealOverdue(state, today);
  const act = async (type: AppealEvent['type']) => {
    const result = await data.hall.answerAppeal(
      appeal.code,
      { type, text: answer, ...(type === 'passedOn' ? { to: 'town' as const } : {}) },
      clerk.name,
      calendar,
    );
    setError(result.ok ? undefined : result.error);
    if (result.ok) setAnswer('');
  };
  const mayAnswer = state.heldBy === 'village' && state.status !== 'closed';
  return (
    <article className={`appeal${overdue ? ' appeal-overdue' : ''}`} data-appeal={appeal.code}>
      <h3>
        {categoryName(appeal.category)} <span className="code">{formatLookupCode(appeal.code)}</span>
      </h3>
      <p className="appeal-facts">
        {t(`appeals.status.${state.status}`)} · {t('appeals.heldBy', { level: t(`level.${state.heldBy}`) })} ·{' '}
        {t('appeals.raisedOn', { date: formatDate(locale, state.raisedOn) })} ·{' '}
        {state.status === 'open'
          ? t('appeals.replyDue', { date: formatDate(locale, state.firstReplyDue.dueOn) })
          : t('appeals.closeDue', { date: formatDate(locale, state.closeDue.dueOn) })}
        {overdue ? <strong className="overdue-flag"> {t('appeals.overdue')}</strong> : null} · {appeal.phoneMasked ?? t('appeals.anonymous')}
      </p>
      {appeal.objection ? (
        <p className="appeal-objection">
          <strong>
            {t('appeals.objection', { title: appeal.objection.title, row: appeal.objection.row, line: (appeal.objection.line ?? []).join(' · ') })}
          </strong>
        </p>
      ) : null}
      <p className="appeal-text">{appeal.text}</p>
      {appeal.events.length > 0 ? (
        <ol className="timeline">
          {appeal.events.map((event) => (
            <li key={event.id}>
              <span className="when">{formatInstant(locale, event.at)}</span> {actorName({ id: '', ...event.by })}：{t(`appeals.event.${event.type}`)}
              {event.to ? ` → ${t(`level.${event.to}`)}` : ''} — {event.text}
            </li>
          ))}
        </ol>
      ) : null}
      {mayAnswer ? (
        <div className="appeal-answer">
          <label className="field">
            <span>{t('appeals.answer')}</span>
            <textarea
              value={answer}
              rows={2}
              maxLength={2000}
              onChange={(event) => {
                setAnswer(event.target.value);
              }}
            />
          </label>
          {error ? <Alert>{describe(error)}</Alert> : null}
          <div className="action-buttons">
            <button type="button" className="primary" onClick={() => void act('replied')}>
              {t('appeals.reply')}
            </button>
            <button type="button" onClick={() => void act('passedOn')}>
              {t('appeals.passOn')}
            </button>
            <ConfirmButton action={t('appeals.close')} text={answer} onConfirm={() => void act('closed')} />
          </div>
        </div>
      ) : null}
    </article>
  );
}
