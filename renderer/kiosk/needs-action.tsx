/**
 * The cases waiting on the village, each with why, at the top of the home screen: those the town or county
 * returned for materials (what and why), and those decided above whose result the resident has yet to
 * receive. A count alone is easy to miss; a returned case names itself.
 */
import type { CaseDocument } from '../../core/case/document.js';
import { foldCase } from '../../core/case/fold.js';
import type { CaseState, Return } from '../../core/case/state.js';
import { materialNamer } from '../ui/case-parts.js';
import { formatInstant } from '../ui/format.js';
import { useI18n } from '../ui/i18n.js';
import { useSession } from './session.js';

interface Waiting {
  readonly state: CaseState;
  /** Set for a case returned from above; otherwise it waits for its result to be handed over. */
  readonly returned?: Return;
}

/** The returned cases, newest return first, then the decided ones, newest decision first. */
export function casesNeedingAction(cases: readonly CaseDocument[]): Waiting[] {
  const waiting: Waiting[] = [];
  for (const doc of cases) {
    const { status } = doc.summary;
    if (status !== 'awaitingMaterials' && status !== 'approved' && status !== 'rejected') continue;
    const view = foldCase(doc.events);
    if (!view.ok) continue;
    const { state } = view.value;
    if (state.status === 'awaitingMaterials' && state.returned) waiting.push({ state, returned: state.returned });
    else if (state.decision && state.decision.level !== 'village') waiting.push({ state });
  }
  const at = (entry: Waiting) => entry.returned?.at ?? entry.state.decision?.at ?? '';
  return waiting.sort((a, b) => Number(b.returned !== undefined) - Number(a.returned !== undefined) || at(b).localeCompare(at(a)));
}

export function NeedsAction({ cases }: { readonly cases: readonly CaseDocument[] }) {
  const { go } = useSession();
  const { t, pick, locale } = useI18n();
  const waiting = casesNeedingAction(cases);
  if (waiting.length === 0) return null;
  return (
    <section className="needs-action" aria-labelledby="needs-action-title">
      <h2 id="needs-action-title">{t('home.needsAction', { count: waiting.length })}</h2>
      <ul>
        {waiting.map(({ state, returned }) => {
          // Still outstanding, not all the return named: some may have been brought since.
          const materials = returned && state.outstandingMaterials.map(materialNamer(state.item, pick));
          return (
            <li key={state.caseNumber} className={returned ? 'return-notice' : 'decided-notice'} data-case={state.caseNumber}>
              <button
                type="button"
                className="link"
                onClick={() => {
                  go({ name: 'case', caseNumber: state.caseNumber });
                }}
              >
                {state.applicant.name} · {pick(state.item.name)} · {state.caseNumber}
              </button>
              {returned && materials ? (
                <p>
                  {t('home.returned', {
                    level: t(`level.${returned.level}`),
                    at: formatInstant(locale, returned.at),
                    materials: materials.join('、'),
                    reason: returned.reason,
                  })}
                </p>
              ) : (
                <p>{t('home.toHandOver', { result: t(`status.${state.status}`) })}</p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
