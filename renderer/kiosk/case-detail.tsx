/**
 * One case: where it stands, its materials, every event with who did what (including events that
 * could not take effect after a merge), and the actions core/'s rules allow the village now.
 */
import { useState, type SyntheticEvent } from 'react';
import type { EventDraft } from '../../core/case/append.js';
import { foldCase } from '../../core/case/fold.js';
import { allowedEventTypes } from '../../core/case/rules.js';
import type { CaseState } from '../../core/case/state.js';
import type { CodedError } from '../../core/i18n/describe.js';
import { err } from '../../core/result.js';
import { CaseHeading, materialNamer } from '../ui/case-parts.js';
import { CaseTimeline, type CasePlace } from '../ui/case-timeline.js';
import { ConfirmButton } from '../ui/confirm.js';
import { DecisionText } from '../ui/decision-text.js';
import { formatDate } from '../ui/format.js';
import { Alert } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import { dueOf } from './case-filters.js';
import type { AttachedScan } from './intake-form.js';
import { attachScans } from './register.js';
import { ScanPicker } from './scan-picker.js';
import { newEventId, useSession } from './session.js';

/** The case's village, town and county by name, from the county's division table. */
const placeOf = (found: { village: { name: string }; town: { name: string }; county: { name: string } } | undefined): CasePlace | undefined =>
  found ? { village: found.village.name, town: found.town.name, county: found.county.name } : undefined;

export function CaseDetail({ caseNumber }: { readonly caseNumber: string }) {
  const { cases, county, go } = useSession();
  const { t, describe, locale, pick } = useI18n();
  const doc = cases?.find((candidate) => candidate.caseNumber === caseNumber);
  if (!doc) return cases === undefined ? <p role="status">{t('boot.loading')}</p> : <Alert>{t('case.notFound')}</Alert>;
  const view = foldCase(doc.events);
  if (!view.ok) return <Alert>{describe(view.error)}</Alert>;
  const { state, timeline } = view.value;
  const place = placeOf(county.divisions?.village(state.village));
  const due = dueOf(doc, county.calendar);
  const materialName = materialNamer(state.item, pick);

  return (
    <section className="case-detail">
      <CaseHeading state={state} place={place} />
      <dl className="facts">
        <dt>{t('receipt.applicant')}</dt>
        <dd>
          {state.applicant.name} {state.applicant.idNumberMasked} {state.applicant.phoneMasked ?? ''}
        </dd>
        {state.proxy ? (
          <>
            <dt>{t('receipt.proxy')}</dt>
            <dd>
              {state.proxy.name} {state.proxy.idNumberMasked} ({state.proxy.relation})
            </dd>
          </>
        ) : null}
        <dt>{t('receipt.acceptedOn')}</dt>
        <dd>{formatDate(locale, state.acceptedOn)}</dd>
        <dt>{t('receipt.dueOn')}</dt>
        <dd>{due ? formatDate(locale, due.dueOn) : t('newCase.due.noLimit')}</dd>
      </dl>
      <h2>{t('case.materials')}</h2>
      <ul className="materials">
        {state.item.materials.map((material) => (
          <li key={material.id} className={`material-${state.materials[material.id] ?? 'unchecked'}`}>
            {pick(material.name)}: {t(`material.${state.materials[material.id] ?? 'unchecked'}`)}
          </li>
        ))}
      </ul>
      <CaseActions caseNumber={caseNumber} state={state} materialName={materialName} />
      <button
        type="button"
        onClick={() => {
          go({ name: 'receipt', caseNumber });
        }}
      >
        {t('case.reprint')}
      </button>
      <CaseTimeline timeline={timeline} materialName={materialName} place={place} />
    </section>
  );
}

/** The village's actions on a case, offered only when core/'s rules allow them now. */
function CaseActions(props: { readonly caseNumber: string; readonly state: CaseState; readonly materialName: (id: string) => string }) {
  const { data, actor } = useSession();
  const { t, describe } = useI18n();
  const { state, caseNumber } = props;
  const [text, setText] = useState('');
  const [supplied, setSupplied] = useState<string[]>([]);
  const [scans, setScans] = useState<Record<string, AttachedScan[]>>({});
  const [error, setError] = useState<CodedError>();
  const [done, setDone] = useState<string>();
  // One action at a time: a second press while the first is written would record it twice.
  const [busy, setBusy] = useState(false);
  const allowed = new Set(allowedEventTypes(state, 'village'));
  // What is typed goes with any action: a note where the action takes one, the reason where it needs one.
  const note = text.trim() === '' ? {} : { note: text.trim() };

  /** `usesText`: the action saved what was typed, which is then cleared — unless it was changed meanwhile. */
  const write = async (
    draft: { [K in EventDraft['type']]: Pick<Extract<EventDraft, { type: K }>, 'type' | 'payload'> }[EventDraft['type']],
    usesText = true,
  ) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    const sent = text;
    const written = await data.cases
      .append(caseNumber, { ...draft, id: newEventId(data.enrollment.kioskId), at: new Date().toISOString(), actor })
      .finally(() => {
        setBusy(false);
      });
    if (written.ok) {
      if (usesText) setText((typed) => (typed === sent ? '' : typed));
      setSupplied([]);
      setScans({});
      setDone(t(`event.${draft.type}`));
    } else {
      setError(written.error);
    }
  };
  const supply = async () => {
    // Scans only of the materials ticked as supplied; they are kept with the case before the event names them.
    const chosen = Object.fromEntries(Object.entries(scans).filter(([id]) => supplied.includes(id)));
    const files = await attachScans(data, caseNumber, chosen).catch(() => err({ code: 'files.saveFailed' }));
    if (!files.ok) {
      setError(files.error);
      return;
    }
    // The event has no note: what is typed stays, for the note the clerk may add next.
    await write({ type: 'materialsSupplied', payload: { supplied, ...(files.value.length > 0 ? { files: files.value } : {}) } }, false);
  };
  const reasonGiven = () => {
    if (text.trim() !== '') return true;
    setError({ code: 'form.textRequired' });
    return false;
  };
  const needsText = (event: SyntheticEvent, then: () => void) => {
    event.preventDefault();
    if (reasonGiven()) then();
  };

  return (
    <section className="case-actions" aria-label={t('case.actions')}>
      <h2>{t('case.actions')}</h2>
      {error ? <Alert>{describe(error)}</Alert> : null}
      {done ? <Alert tone="success">{t('case.recorded', { action: done })}</Alert> : null}
      {allowed.has('materialsSupplied') ? (
        <fieldset>
          <legend>{t('event.materialsSupplied')}</legend>
          {state.outstandingMaterials.map((id) => (
            <div key={id} className="supplied-material">
              <label className="choice">
                <input
                  type="checkbox"
                  checked={supplied.includes(id)}
                  onChange={(event) => {
                    setSupplied(event.target.checked ? [...supplied, id] : supplied.filter((s) => s !== id));
                  }}
                />
                {props.materialName(id)}
              </label>
              <ScanPicker
                scans={scans[id] ?? []}
                onAdd={(added) => {
                  setScans({ ...scans, [id]: [...(scans[id] ?? []), ...added] });
                  if (!supplied.includes(id)) setSupplied([...supplied, id]);
                }}
              />
            </div>
          ))}
          <button type="button" className="primary" disabled={busy || supplied.length === 0} onClick={() => void supply()}>
            {t('case.action.supplied')}
          </button>
        </fieldset>
      ) : null}
      <div className="action-buttons">
        {allowed.has('forwarded') ? (
          <button type="button" className="primary" disabled={busy} onClick={() => void write({ type: 'forwarded', payload: { to: 'town', ...note } })}>
            {t('case.action.forward')}
          </button>
        ) : null}
        {allowed.has('approved') ? (
          <ConfirmButton
            className="primary"
            disabled={busy}
            action={t('case.action.approve')}
            text={text}
            onConfirm={() => void write({ type: 'approved', payload: note })}
          />
        ) : null}
        {allowed.has('resultHandedOver') ? (
          // Handing over closes the case: asked once, like a decision.
          <ConfirmButton
            className="primary"
            disabled={busy}
            action={t('case.action.handOver')}
            text={text}
            onConfirm={() => void write({ type: 'resultHandedOver', payload: note })}
          />
        ) : null}
      </div>
      <form
        className="text-action"
        onSubmit={(event) => {
          needsText(event, () => void write({ type: 'note', payload: { text } }));
        }}
      >
        <DecisionText value={text} onChange={setText} />
        <div className="action-buttons">
          <button type="submit" disabled={busy}>
            {t('case.action.note')}
          </button>
          {allowed.has('rejected') ? (
            <ConfirmButton
              action={t('case.action.reject')}
              disabled={busy}
              text={text}
              ready={reasonGiven}
              onConfirm={() => void write({ type: 'rejected', payload: { reason: text } })}
            />
          ) : null}
          {allowed.has('withdrawn') ? (
            <ConfirmButton
              action={t('case.action.withdraw')}
              disabled={busy}
              text={text}
              ready={reasonGiven}
              onConfirm={() => void write({ type: 'withdrawn', payload: { reason: text } })}
            />
          ) : null}
        </div>
      </form>
    </section>
  );
}
