/** Pieces of a case that the kiosk and the console show alike. */
import type { CaseState, Return } from '../../core/case/state.js';
import { useActorName, type CasePlace } from './case-timeline.js';
import { formatInstant } from './format.js';
import { useI18n, type I18n } from './i18n.js';

/** A material of the case's item by its id, named in the screen's language (its id, if the item has none such). */
export const materialNamer =
  (item: CaseState['item'], pick: I18n['pick']) =>
  (id: string): string => {
    const material = item.materials.find((m) => m.id === id);
    return material ? pick(material.name) : id;
  };

/** The item and number as the heading, and where the case stands (and at which level) under it. */
export function CaseHeading({ state, place }: { readonly state: CaseState; readonly place?: CasePlace | undefined }) {
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
      {state.status === 'awaitingMaterials' && state.returned ? <ReturnNotice state={state} returned={state.returned} place={place} /> : null}
    </>
  );
}

/** Why the case came back and what it waits for, at the top of the case, where the clerk starts reading. */
export function ReturnNotice({ state, returned, place }: { readonly state: CaseState; readonly returned: Return; readonly place?: CasePlace | undefined }) {
  const { t, pick, locale } = useI18n();
  const who = useActorName(place)({ id: '', name: returned.actorName, level: returned.level });
  // What is still outstanding: a material supplied since the return is no longer asked for.
  const names = state.outstandingMaterials.map(materialNamer(state.item, pick));
  return (
    <div className="return-notice" role="note" data-testid="return-notice">
      <strong>{t('case.returned', { who, at: formatInstant(locale, returned.at) })}</strong>
      <p>{t('case.returnedNeeds', { materials: names.join('、') })}</p>
      <p>{t('case.returnedReason', { reason: returned.reason })}</p>
    </div>
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
