/** Pieces of a case that the kiosk and the console show alike. */
import type { CaseState } from '../../core/case/state.js';
import { useI18n } from './i18n.js';

/** The item and number as the heading, and where the case stands (and at which level) under it. */
export function CaseHeading({ state }: { readonly state: CaseState }) {
  const { t, pick } = useI18n();
  return (
    <>
      <h1>
        {pick(state.item.name)} <span className="code">{state.caseNumber}</span>
      </h1>
      <p className={`status status-${state.status}`} data-testid="case-status">
        {t(`status.${state.status}`)}
        {state.status === 'forwarded' ? ` · ${t('case.heldBy', { level: t(`level.${state.currentLevel}`) })}` : ''}
      </p>
      {state.decision?.reason ? <p>{t('case.rejectedBecause', { reason: state.decision.reason })}</p> : null}
    </>
  );
}

/** The columns of every list of cases. */
export function CaseTableHead() {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        <th>{t('receipt.caseNumber')}</th>
        <th>{t('receipt.item')}</th>
        <th>{t('receipt.applicant')}</th>
        <th>{t('receipt.status')}</th>
        <th>{t('receipt.acceptedOn')}</th>
        <th>{t('receipt.dueOn')}</th>
      </tr>
    </thead>
  );
}
