/**
 * "Follow my case" (查询我的办件): the receipt's case number (filled in from the QR code's link) and the
 * phone's last four digits or the lookup code; the answer in plain words — what happens next, who has the
 * case, when it is due, what to bring and where. Nothing personal but the masked name.
 */
import { useState, type SyntheticEvent } from 'react';
import type { ResidentCaseView } from '../../core/resident/lookup.js';
import { Alert, Field } from '../ui/form.js';
import { formatDate } from '../ui/format.js';
import { useI18n, type I18n } from '../ui/i18n.js';
import type { LookupError, ResidentApi } from './api.js';

export function FollowCase(props: { readonly api: ResidentApi; readonly caseNumber: string }) {
  const { t } = useI18n();
  const [caseNumber, setCaseNumber] = useState(props.caseNumber);
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LookupError>();
  const [found, setFound] = useState<ResidentCaseView>();

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    const answered = await props.api.lookup(caseNumber, answer);
    setBusy(false);
    if (answered.ok) setFound(answered.value);
    else setError(answered.error);
  };

  if (found) {
    return (
      <section className="follow-case">
        <CaseProgress view={found} />
        <button
          type="button"
          onClick={() => {
            setFound(undefined);
            setAnswer('');
          }}
        >
          {t('resident.follow.again')}
        </button>
      </section>
    );
  }
  return (
    <section className="follow-case">
      <h2>{t('resident.follow.title')}</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label={t('resident.follow.caseNumber')}
          hint={t('resident.follow.caseNumberHint')}
          value={caseNumber}
          onChange={setCaseNumber}
          inputMode="text"
          autoComplete="off"
          spellCheck={false}
          required
        />
        <Field
          label={t('resident.follow.answer')}
          hint={t('resident.follow.answerHint')}
          value={answer}
          onChange={setAnswer}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={32}
          required
        />
        {error ? <Alert>{lookupErrorText(t, error)}</Alert> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('resident.follow.busy') : t('resident.follow.submit')}
        </button>
      </form>
    </section>
  );
}

function lookupErrorText(t: I18n['t'], error: LookupError): string {
  switch (error.code) {
    case 'lookup.notFound':
    case 'lookup.caseNumber':
    case 'lookup.answer':
    case 'lookup.caseLocked':
      return t(`resident.${error.code}`);
    case 'lookup.tooManyTries':
      return t('resident.lookup.tooManyTries', { minutes: Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60)) });
    case 'offline':
      return t('resident.lookup.offline');
    default:
      return t('resident.lookup.unavailable');
  }
}

/** One case's progress, as the resident reads it. */
export function CaseProgress({ view }: { readonly view: ResidentCaseView }) {
  const { t, pick, locale } = useI18n();
  const hall = t('resident.case.hall', { town: view.hall.town, village: view.hall.village });
  const next = {
    bringMaterials: t('resident.next.bringMaterials', { hall }),
    wait: t('resident.next.wait', { place: view.heldBy.name || t(`level.${view.heldBy.level}`) }),
    collectResult: t('resident.next.collectResult', { hall }),
    none: t('resident.next.none'),
  }[view.nextStep];
  return (
    <article className="case-progress" aria-label={view.caseNumber} data-status={view.status}>
      <p className={`status-line status-${view.status}`} data-testid="resident-status">
        {t(`status.${view.status}`)}
      </p>
      <p className="next-step" data-testid="resident-next-step">
        {next}
      </p>
      {view.missing.length > 0 ? (
        <>
          <h3>{t('resident.case.missing')}</h3>
          <ul className="missing" data-testid="resident-missing">
            {view.missing.map((material) => (
              <li key={material.zh}>{pick(material)}</li>
            ))}
          </ul>
        </>
      ) : null}
      <dl>
        <dt>{t('resident.case.item')}</dt>
        <dd>{pick(view.item.name)}</dd>
        <dt>{t('resident.case.applicant')}</dt>
        <dd data-testid="resident-applicant">{view.applicant}</dd>
        <dt>{t('receipt.caseNumber')}</dt>
        <dd className="case-number">{view.caseNumber}</dd>
        <dt>{t('resident.case.heldBy')}</dt>
        <dd>{view.heldBy.name || t(`level.${view.heldBy.level}`)}</dd>
        <dt>{t('resident.case.acceptedOn')}</dt>
        <dd>{formatDate(locale, view.acceptedOn)}</dd>
        {view.due ? (
          <>
            <dt>{t('resident.case.dueOn')}</dt>
            <dd data-testid="resident-due">
              {formatDate(locale, view.due.on)}
              {view.due.provisional ? ` ${t('resident.case.provisional')}` : ''}
            </dd>
          </>
        ) : null}
        {view.decision ? (
          <>
            <dt>{t('resident.case.status')}</dt>
            <dd>{t(`resident.decision.${view.decision.outcome}`, { level: t(`level.${view.decision.level}`) })}</dd>
          </>
        ) : null}
      </dl>
    </article>
  );
}
