/**
 * One case for a reviewer: where it stands, its materials and history, the decisions core/'s rules
 * allow at the reviewer's level now, and a deliberate, audited reveal of the full ID number (shown on
 * this screen only, never stored by the browser).
 */
import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import type { CaseFileView } from '../../core/api/files.js';
import type { ReviewAction, ReviewerView } from '../../core/api/review.js';
import { foldCase } from '../../core/case/fold.js';
import { allowedEventTypes } from '../../core/case/rules.js';
import { CaseHeading } from '../ui/case-parts.js';
import { CaseTimeline } from '../ui/case-timeline.js';
import { Alert, Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { ApiError, ReviewApi, ReviewCase } from './api.js';
import { useLoaded } from './use-loaded.js';
import { apiErrorText } from './console-root.js';

export function ReviewCaseView(props: { readonly api: ReviewApi; readonly reviewer: ReviewerView; readonly caseNumber: string; readonly onBack: () => void }) {
  const { api, caseNumber } = props;
  const { t, pick } = useI18n();
  const [doc, setDoc] = useState<ReviewCase>();
  const [error, setError] = useState<ApiError>();
  const load = useCallback(async () => {
    const answer = await api.case(caseNumber);
    if (answer.ok) setDoc(answer.value);
    else setError(answer.error);
  }, [api, caseNumber]);
  useEffect(() => {
    void load();
  }, [load]);
  const files = useLoaded(useCallback(() => api.caseFiles(caseNumber), [api, caseNumber]));
  // A scan the kiosk is still uploading appears here once it is whole.
  const uploading = files.value?.some((file) => !file.complete) ?? false;
  const reloadFiles = files.reload;
  useEffect(() => {
    if (!uploading) return;
    const timer = setTimeout(reloadFiles, 3000);
    return () => {
      clearTimeout(timer);
    };
  }, [uploading, reloadFiles, files.value]);

  if (!doc) return error ? <Alert>{apiErrorText(t, error)}</Alert> : <p role="status">{t('boot.loading')}</p>;
  // The review view has no sealed values; folding needs only the events' rules-relevant fields.
  const view = foldCase(doc.events);
  if (!view.ok) return <Alert>{t('case.history.noCreatedEvent')}</Alert>;
  const { state, timeline } = view.value;
  const materialName = (id: string) => {
    const material = state.item.materials.find((m) => m.id === id);
    return material ? pick(material.name) : id;
  };

  return (
    <section className="case-detail">
      <button type="button" onClick={props.onBack}>{t('console.backToQueue')}</button>
      <CaseHeading state={state} />
      <dl className="facts">
        <dt>{t('receipt.applicant')}</dt>
        <dd>
          {state.applicant.name} {state.applicant.idNumberMasked} <Reveal api={api} caseNumber={caseNumber} />
        </dd>
      </dl>
      <h2>{t('case.materials')}</h2>
      <ul className="materials">
        {state.item.materials.map((material) => (
          <li key={material.id} data-material={material.id}>
            {pick(material.name)}: {t(`material.${state.materials[material.id] ?? 'unchecked'}`)}
            <MaterialFiles api={api} caseNumber={caseNumber} files={files.value?.filter((file) => file.materialId === material.id) ?? []} />
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
          return answer.ok ? undefined : answer.error;
        }}
      />
      <CaseTimeline timeline={timeline} materialName={materialName} />
    </section>
  );
}

/** A material's scans: images as thumbnails, each opening whole in a new tab; still uploading says so. */
function MaterialFiles({ api, caseNumber, files }: { readonly api: ReviewApi; readonly caseNumber: string; readonly files: readonly CaseFileView[] }) {
  const { t } = useI18n();
  if (files.length === 0) return null;
  return (
    <ul className="material-files">
      {files.map((file, index) => {
        const label = t('console.file', { n: index + 1, type: file.contentType === 'application/pdf' ? 'PDF' : file.contentType === 'image/png' ? 'PNG' : 'JPEG', kb: Math.ceil(file.size / 1024) });
        if (!file.complete) return <li key={file.sha256}>{label} — {t('console.fileUploading')}</li>;
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
  const act = async (action: ReviewAction) => {
    setProblem(undefined);
    const error = await props.onAct(action);
    if (error) {
      setProblem(apiErrorText(t, error));
      return;
    }
    setDone(t(`event.${action.type}`));
    setText('');
    setMissing([]);
  };
  const withReason = (then: (reason: string) => ReviewAction) => (event: SyntheticEvent) => {
    event.preventDefault();
    if (text.trim() === '') setProblem(t('form.textRequired'));
    else void act(then(text.trim()));
  };
  return (
    <section className="case-actions" aria-label={t('case.actions')}>
      <h2>{t('case.actions')}</h2>
      {problem ? <Alert>{problem}</Alert> : null}
      {done ? <Alert tone="success">{t('case.recorded', { action: done })}</Alert> : null}
      <div className="action-buttons">
        {props.allowed.has('approved') ? <button type="button" className="primary" onClick={() => void act({ type: 'approved' })}>{t('event.approved')}</button> : null}
        {props.allowed.has('forwarded') ? <button type="button" className="primary" onClick={() => void act({ type: 'forwarded', to: 'county' })}>{t('console.forwardToCounty')}</button> : null}
      </div>
      {props.allowed.has('returnedForMaterials') ? (
        <fieldset>
          <legend>{t('event.returnedForMaterials')}</legend>
          {props.materials.map((id) => (
            <label key={id} className="choice">
              <input type="checkbox" checked={missing.includes(id)} onChange={(event) => { setMissing(event.target.checked ? [...missing, id] : missing.filter((m) => m !== id)); }} />
              {props.materialName(id)}
            </label>
          ))}
        </fieldset>
      ) : null}
      <label className="field">
        {t('case.textLabel')}
        <textarea value={text} rows={2} onChange={(event) => { setText(event.target.value); }} />
      </label>
      <div className="action-buttons">
        {props.allowed.has('returnedForMaterials') ? (
          <button type="button" disabled={missing.length === 0} onClick={withReason((reason) => ({ type: 'returnedForMaterials', missing, reason }))}>{t('console.returnForMaterials')}</button>
        ) : null}
        {props.allowed.has('rejected') ? <button type="button" onClick={withReason((reason) => ({ type: 'rejected', reason }))}>{t('event.rejected')}</button> : null}
        <button type="button" onClick={withReason((note) => ({ type: 'note', text: note }))}>{t('case.action.note')}</button>
      </div>
    </section>
  );
}

function Reveal(props: { readonly api: ReviewApi; readonly caseNumber: string }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [number, setNumber] = useState<string>();
  const [error, setError] = useState<ApiError>();
  if (number) return <strong className="revealed" data-testid="revealed">{number}</strong>;
  if (!asking) return <button type="button" onClick={() => { setAsking(true); }}>{t('console.reveal')}</button>;
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const answer = await props.api.reveal(props.caseNumber, reason);
    if (answer.ok) setNumber(answer.value.idNumber);
    else setError(answer.error);
  };
  return (
    <form className="reveal" onSubmit={(event) => void submit(event)} noValidate>
      <Field label={t('console.revealReason')} value={reason} onChange={setReason} autoFocus autoComplete="off" hint={t('console.revealHint')} error={error ? apiErrorText(t, error) : undefined} />
      <button type="submit" className="primary">{t('console.revealConfirm')}</button>
    </form>
  );
}
