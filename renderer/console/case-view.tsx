/**
 * One case for a reviewer: where it stands, its materials and history, the decisions core/'s rules
 * allow at the reviewer's level now, and a deliberate, audited reveal of the full ID number (reveal.tsx).
 */
import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import type { CaseFileView } from '../../core/api/files.js';
import type { Area } from '../../core/api/fleet.js';
import type { ReviewAction, ReviewerView } from '../../core/api/review.js';
import { foldCase } from '../../core/case/fold.js';
import { materialFiles, type MaterialFileRef } from '../../core/case/material-files.js';
import { allowedEventTypes } from '../../core/case/rules.js';
import { ok } from '../../core/result.js';
import { CaseHeading, materialNamer } from '../ui/case-parts.js';
import { CaseTimeline, type CasePlace } from '../ui/case-timeline.js';
import { ConfirmButton } from '../ui/confirm.js';
import { DecisionText } from '../ui/decision-text.js';
import { Alert } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { ApiError, Background, ReviewApi, ReviewCase } from './api.js';
import { useLoaded } from './use-loaded.js';
import { apiErrorText } from './api-error.js';
import { Reveal } from './reveal.js';

/** How often an open case is read again: what a kiosk or another reviewer did shows without reopening it. */
const CASE_REFRESH_MS = 5000;
/** The case's village, town and county by name, from the reviewer's area. */
function placeIn(area: Area | undefined, village: string): CasePlace | undefined {
  const found = area?.villages.find((candidate) => candidate.code12 === village);
  return area && found ? { village: found.name, town: found.townName, county: area.countyName } : undefined;
}

/** A case changes only by gaining events (its summary's time moves with them). */
const revisionOf = (doc: ReviewCase) => `${doc.summary.updatedAt}/${String(doc.events.length)}`;

export function ReviewCaseView(props: { readonly api: ReviewApi; readonly reviewer: ReviewerView; readonly caseNumber: string; readonly onBack: () => void }) {
  const { api, caseNumber } = props;
  const { t, pick } = useI18n();
  const [doc, setDoc] = useState<ReviewCase>();
  const [error, setError] = useState<ApiError>();
  const load = useCallback(
    async (options?: Background) => {
      const answer = await api.case(caseNumber, options);
      // A case only gains events: an answer with fewer than shown was read before a decision just made here.
      if (answer.ok)
        setDoc((shown) =>
          shown && (revisionOf(shown) === revisionOf(answer.value) || shown.events.length > answer.value.events.length) ? shown : answer.value,
        );
      else if (!options?.background) setError(answer.error);
    },
    [api, caseNumber],
  );
  const files = useLoaded(useCallback((options?: Background) => api.caseFiles(caseNumber, options), [api, caseNumber]));
  const area = useLoaded(useCallback(() => api.area(), [api]));
  const reloadFiles = files.reload;
  useEffect(() => {
    void load();
    const timer = setInterval(() => {
      void load({ background: true });
    }, CASE_REFRESH_MS);
    return () => {
      clearInterval(timer);
    };
  }, [load]);
  // A new revision may carry new scans (materials supplied); a scan still uploading appears once whole.
  const revision = doc ? revisionOf(doc) : undefined;
  const onHub = files.value;
  const uploading =
    onHub !== undefined &&
    (onHub.some((file) => !file.complete) ||
      (doc !== undefined && [...materialFiles(doc.events).values()].flat().some((ref) => !onHub.some((file) => file.sha256 === ref.sha256))));
  useEffect(() => {
    if (revision !== undefined) reloadFiles({ background: true });
  }, [revision, reloadFiles]);
  useEffect(() => {
    if (!uploading) return;
    const timer = setTimeout(() => {
      reloadFiles({ background: true });
    }, 3000);
    return () => {
      clearTimeout(timer);
    };
  }, [uploading, reloadFiles, files.value]);

  if (!doc) return error ? <Alert>{apiErrorText(t, error)}</Alert> : <p role="status">{t('boot.loading')}</p>;
  // The review view has no sealed values; folding needs only the events' rules-relevant fields.
  const view = foldCase(doc.events);
  if (!view.ok) return <Alert>{t('case.history.noCreatedEvent')}</Alert>;
  const { state, timeline } = view.value;
  const place = placeIn(area.value, state.village);
  const attached = materialFiles(doc.events);
  const materialName = materialNamer(state.item, pick);
  const filesOf = (materialId: string) => scansOf(materialId, attached, files.value ?? []);

  return (
    <section className="case-detail">
      <button type="button" onClick={props.onBack}>
        {t('console.backToQueue')}
      </button>
      <CaseHeading state={state} place={place} />
      <dl className="facts">
        <dt>{t('receipt.applicant')}</dt>
        <dd>
          {state.applicant.name} {state.applicant.idNumberMasked}{' '}
          <Reveal
            reveal={async (reason) => {
              const answer = await api.reveal(caseNumber, reason);
              return answer.ok ? ok(answer.value.idNumber) : answer;
            }}
          />
        </dd>
      </dl>
      <h2>{t('case.materials')}</h2>
      <ul className="materials">
        {state.item.materials.map((material) => (
          <li key={material.id} data-material={material.id}>
            {pick(material.name)}: {t(`material.${state.materials[material.id] ?? 'unchecked'}`)}
            <MaterialFiles api={api} caseNumber={caseNumber} files={filesOf(material.id)} />
          </li>
        ))}
      </ul>
      {files.error ? <Alert>{apiErrorText(t, files.error)}</Alert> : null}
      <Decisions
        allowed={new Set(allowedEventTypes(state, props.reviewer.role))}
        materials={state.item.materials.map((m) => m.id)}
        materialName={materialName}
        onAct={async (action) => {
          const answer = await api.act(caseNumber, action);
          if (answer.ok) setDoc(answer.value);
          // Refused because the case moved on: show it as it is now.
          else if (answer.error.status === 409) void load();
          return answer.ok ? undefined : answer.error;
        }}
      />
      <CaseTimeline timeline={timeline} materialName={materialName} place={place} />
    </section>
  );
}

/**
 * A material's scans as the case attached them — the same bytes under every material they were attached
 * to — each with the hub's state of its upload (one not announced yet is still uploading); a file on the
 * hub that no event names yet (its event still on the way) shows under the material it was uploaded for.
 */
function scansOf(materialId: string, attached: ReadonlyMap<string, readonly MaterialFileRef[]>, onHub: readonly CaseFileView[]): CaseFileView[] {
  const named = new Set([...attached.values()].flat().map((ref) => ref.sha256));
  const refs = attached.get(materialId) ?? [];
  return [
    ...refs.map((ref) => {
      const held = onHub.find((file) => file.sha256 === ref.sha256);
      return held ? { ...held, materialId } : { ...ref, materialId, complete: false, uploadedAt: '' };
    }),
    ...onHub.filter((file) => file.materialId === materialId && !named.has(file.sha256)),
  ];
}

/** A material's scans: images as thumbnails, each opening whole in a new tab; still uploading says so. */
function MaterialFiles({ api, caseNumber, files }: { readonly api: ReviewApi; readonly caseNumber: string; readonly files: readonly CaseFileView[] }) {
  const { t } = useI18n();
  if (files.length === 0) return null;
  return (
    <ul className="material-files">
      {files.map((file, index) => {
        const label = t('console.file', {
          n: index + 1,
          type: file.contentType === 'application/pdf' ? 'PDF' : file.contentType === 'image/png' ? 'PNG' : 'JPEG',
          kb: Math.ceil(file.size / 1024),
        });
        if (!file.complete)
          return (
            <li key={file.sha256}>
              {label} — {t('console.fileUploading')}
            </li>
          );
        const url = api.fileUrl(caseNumber, file.sha256);
        return (
          <li key={file.sha256}>
            <a href={url} target="_blank" rel="noopener noreferrer">
              {file.contentType === 'application/pdf' ? null : <img src={url} alt="" className="file-thumbnail" />}
              {label}
            </a>
          </li>
        );
      })}
    </ul>
  );
}

function Decisions(props: {
  readonly allowed: ReadonlySet<string>;
  readonly materials: readonly string[];
  readonly materialName: (id: string) => string;
  readonly onAct: (action: ReviewAction) => Promise<ApiError | undefined>;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<string>();
  // One decision at a time: a second press while the first is on its way would record it twice.
  const [busy, setBusy] = useState(false);
  const act = async (action: ReviewAction) => {
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    const sent = text;
    const error = await props.onAct(action).finally(() => {
      setBusy(false);
    });
    if (error) {
      setProblem(apiErrorText(t, error));
      return;
    }
    setDone(t(`event.${action.type}`));
    // What was saved is cleared; what was typed while it went is kept.
    setText((typed) => (typed === sent ? '' : typed));
    setMissing([]);
  };
  const withReason = (then: (reason: string) => ReviewAction) => (event: SyntheticEvent) => {
    event.preventDefault();
    if (reasonGiven()) void act(then(text.trim()));
  };
  const reasonGiven = () => {
    if (text.trim() !== '') return true;
    setProblem(t('form.textRequired'));
    return false;
  };
  // What is typed goes with any decision: a note where the decision takes one, the reason where it needs one.
  const note = text.trim() === '' ? {} : { note: text.trim() };
  return (
    <section className="case-actions" aria-label={t('case.actions')}>
      <h2>{t('case.actions')}</h2>
      {problem ? <Alert>{problem}</Alert> : null}
      {done ? <Alert tone="success">{t('case.recorded', { action: done })}</Alert> : null}
      <div className="action-buttons">
        {props.allowed.has('approved') ? (
          <ConfirmButton
            className="primary"
            disabled={busy}
            action={t('case.action.approve')}
            text={text}
            onConfirm={() => void act({ type: 'approved', ...note })}
          />
        ) : null}
        {props.allowed.has('forwarded') ? (
          <button type="button" className="primary" disabled={busy} onClick={() => void act({ type: 'forwarded', to: 'county', ...note })}>
            {t('console.forwardToCounty')}
          </button>
        ) : null}
      </div>
      {props.allowed.has('returnedForMaterials') ? (
        <fieldset>
          <legend>{t('event.returnedForMaterials')}</legend>
          {props.materials.map((id) => (
            <label key={id} className="choice">
              <input
                type="checkbox"
                checked={missing.includes(id)}
                onChange={(event) => {
                  setMissing(event.target.checked ? [...missing, id] : missing.filter((m) => m !== id));
                }}
              />
              {props.materialName(id)}
            </label>
          ))}
        </fieldset>
      ) : null}
      <DecisionText value={text} onChange={setText} />
      <div className="action-buttons">
        {props.allowed.has('returnedForMaterials') ? (
          <button type="button" disabled={busy || missing.length === 0} onClick={withReason((reason) => ({ type: 'returnedForMaterials', missing, reason }))}>
            {t('console.returnForMaterials')}
          </button>
        ) : null}
        {props.allowed.has('rejected') ? (
          <ConfirmButton
            action={t('case.action.reject')}
            disabled={busy}
            text={text}
            ready={reasonGiven}
            onConfirm={() => void act({ type: 'rejected', reason: text.trim() })}
          />
        ) : null}
        <button type="button" disabled={busy} onClick={withReason((note) => ({ type: 'note', text: note }))}>
          {t('case.action.note')}
        </button>
      </div>
    </section>
  );
}
