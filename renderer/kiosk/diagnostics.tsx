/**
 * The technician's diagnostics, behind the technician PIN (in the Electron shell; browser mode has no
 * kiosk to lock): can the hub be reached and how fast, when the kiosk last pushed and pulled, what is
 * waiting or refused, storage, versions, the recent sync errors — and a bundle of it to carry away, with
 * no personal data in it (core's diagnosticBundle).
 */
import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import type { ShellResult } from '../../core/api/shell.js';
import { hubBaseOf } from '../../core/api/enrollment.js';
import { diagnosticBundle, type DiagnosticFacts } from '../../core/diagnostics.js';
import { collectDiagnostics } from '../data/diagnostics.js';
import type { KioskData } from '../data/kiosk-data.js';
import { moveKiosk } from '../data/move-kiosk.js';
import { reEnrollKiosk } from '../data/re-enroll.js';
import { formatInstant } from '../ui/format.js';
import { useObservable } from '../ui/hooks.js';
import { Alert, Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { KioskShell } from './shell.js';
import { VersionNotice } from './version-notice.js';

export function Diagnostics(props: { readonly data: KioskData; readonly shell: KioskShell; readonly onClose: () => void }) {
  const { t } = useI18n();
  const [unlocked, setUnlocked] = useState(props.shell.technician === undefined);
  return (
    <main className="diagnostics">
      <h1>{t('diagnostics.title')}</h1>
      <button type="button" onClick={props.onClose}>
        {t('diagnostics.close')}
      </button>
      {unlocked ? (
        <Report data={props.data} shell={props.shell} />
      ) : (
        <TechnicianPin
          shell={props.shell}
          onUnlocked={() => {
            setUnlocked(true);
          }}
        />
      )}
      {unlocked ? <ReEnrollKiosk data={props.data} shell={props.shell} /> : null}
      {unlocked ? <MoveKiosk data={props.data} shell={props.shell} /> : null}
      {unlocked && props.shell.technician ? <LeaveKioskMode technician={props.shell.technician} /> : null}
    </main>
  );
}

function TechnicianPin({ shell, onUnlocked }: { readonly shell: KioskShell; readonly onUnlocked: () => void }) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<string>();
  const [firstTime, setFirstTime] = useState<boolean>();
  const technician = shell.technician;
  useEffect(() => {
    void technician?.hasTechnicianPin().then((answer) => {
      setFirstTime(answer.ok && !answer.value);
    });
  }, [technician]);
  if (!technician || firstTime === undefined) return null;
  const answer = (result: ShellResult<null>) => {
    setPin('');
    if (result.ok) onUnlocked();
    else if (result.error.code === 'shell.noPin') setFirstTime(true);
    else
      setProblem(
        t(`diagnostics.${result.error.code === 'shell.pinLocked' ? 'pinLocked' : result.error.code === 'shell.badRequest' ? 'pinShape' : 'wrongPin'}`),
      );
  };
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setProblem(undefined);
    answer(firstTime ? await technician.setTechnicianPin(pin) : await technician.checkTechnicianPin(pin));
  };
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      {firstTime ? <p>{t('diagnostics.setPinIntro')}</p> : null}
      <Field
        label={firstTime ? t('diagnostics.newPin') : t('diagnostics.pin')}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        autoFocus
        value={pin}
        onChange={setPin}
        error={problem}
      />
      <button type="submit" className="primary">
        {firstTime ? t('diagnostics.setPin') : t('diagnostics.open')}
      </button>
    </form>
  );
}

/** A hub address and an enrollment code, and what to do with them: the problem to show, or nothing once done. */
function HubCodeForm(props: {
  readonly data: KioskData;
  readonly title: string;
  readonly intro: string;
  readonly codeLabel: string;
  readonly submit: string;
  readonly busy: string;
  readonly act: (hub: string, code: string) => Promise<string | undefined>;
}) {
  const { t } = useI18n();
  const [hub, setHub] = useState(() => hubBaseOf(props.data.enrollment.villageSyncUrl));
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    const outcome = await props.act(hub, code);
    setBusy(false);
    setProblem(outcome);
  };
  return (
    <form className="leave-kiosk" onSubmit={(event) => void submit(event)} noValidate>
      <h2>{props.title}</h2>
      <p className="hint">{props.intro}</p>
      <Field label={t('setup.hubUrl')} value={hub} onChange={setHub} inputMode="url" autoComplete="off" />
      <Field label={props.codeLabel} value={code} onChange={setCode} autoComplete="off" />
      {problem ? <Alert>{problem}</Alert> : null}
      <button type="submit" disabled={busy}>
        {busy ? props.busy : props.submit}
      </button>
    </form>
  );
}

/** Move this kiosk to another village: only once everything is on the hub (data/move-kiosk.ts), then start again. */
function MoveKiosk({ data, shell }: { readonly data: KioskData; readonly shell: KioskShell }) {
  const { t, describe } = useI18n();
  const act = async (hub: string, code: string) => {
    const moved = await moveKiosk({
      current: data,
      hub,
      code,
      appVersion: shell.appVersion,
      secrets: shell.secrets,
      marker: shell.preferences,
      open: (enrollment) => shell.openData(enrollment, { fresh: true }),
    });
    if (moved.ok) {
      // Start again as the new village's kiosk: the old village's data is removed as it starts.
      window.location.reload();
      return undefined;
    }
    const error = moved.error;
    return error.code === 'move.unpushed'
      ? t('move.unpushed', { cases: error.cases, files: error.files, refused: error.refused })
      : error.code === 'move.syncFailed'
        ? t('move.syncFailed', { reason: error.reason })
        : describe(error);
  };
  return (
    <HubCodeForm
      data={data}
      title={t('move.title')}
      intro={t('move.intro', { village: data.enrollment.villageName })}
      codeLabel={t('move.code')}
      submit={t('move.submit')}
      busy={t('move.moving')}
      act={act}
    />
  );
}

/**
 * Re-enroll this kiosk in place, keeping its id, its data and its unsent cases (data/re-enroll.ts): its
 * credential was revoked, or the hub was restored from a backup taken before it was enrolled.
 */
function ReEnrollKiosk({ data, shell }: { readonly data: KioskData; readonly shell: KioskShell }) {
  const { t, describe } = useI18n();
  const act = async (hub: string, code: string) => {
    const enrolled = await reEnrollKiosk({
      current: data,
      hub,
      code,
      appVersion: shell.appVersion,
      secrets: shell.secrets,
      open: (enrollment) => shell.openData(enrollment, { fresh: true }),
    });
    if (!enrolled.ok) return describe(enrolled.error);
    // Start again with the new credential and number; this database and its cases stay.
    window.location.reload();
    return undefined;
  };
  return (
    <HubCodeForm
      data={data}
      title={t('reEnroll.title')}
      intro={t('reEnroll.intro', { kioskId: data.enrollment.kioskId })}
      codeLabel={t('reEnroll.code')}
      submit={t('reEnroll.submit')}
      busy={t('reEnroll.enrolling')}
      act={act}
    />
  );
}

/** Maintenance: the window leaves fullscreen kiosk mode (the PIN is checked again by main). */
function LeaveKioskMode({ technician }: { readonly technician: NonNullable<KioskShell['technician']> }) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const result = await technician.leaveKioskMode(pin);
    setPin('');
    setOutcome(result.ok ? { ok: true, text: t('diagnostics.leftKioskMode') } : { ok: false, text: t('diagnostics.wrongPin') });
  };
  return (
    <form className="leave-kiosk" onSubmit={(event) => void submit(event)} noValidate>
      <h2>{t('diagnostics.leaveKioskMode')}</h2>
      <Field label={t('diagnostics.pin')} type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={setPin} />
      <button type="submit">{t('diagnostics.leaveKioskMode')}</button>
      {outcome ? <Alert tone={outcome.ok ? 'success' : 'error'}>{outcome.text}</Alert> : null}
    </form>
  );
}

function Report({ data, shell }: { readonly data: KioskData; readonly shell: KioskShell }) {
  const { t, locale } = useI18n();
  const compat = useObservable(data.compat$, undefined);
  const [facts, setFacts] = useState<DiagnosticFacts>();
  const [saved, setSaved] = useState<string>();
  const refresh = useCallback(async () => {
    setFacts(await collectDiagnostics(data, { appVersion: shell.appVersion, secretsProtectedAtRest: shell.secrets.protectedAtRest }));
  }, [data, shell]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  if (!facts) return <p role="status">{t('boot.loading')}</p>;
  const when = (at: string | undefined) => (at ? formatInstant(locale, at) : '—');
  const mb = (bytes: number | undefined) => (bytes === undefined ? '—' : `${(bytes / 1_048_576).toFixed(1)} MB`);

  const exportBundle = async () => {
    const bundle = diagnosticBundle(facts);
    if (shell.saveDiagnosticBundle) {
      const result = await shell.saveDiagnosticBundle(bundle);
      setSaved(result.ok ? t('diagnostics.saved', { path: result.value.path }) : undefined);
      return;
    }
    // Browser mode: the page downloads it.
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([bundle.content], { type: 'application/json' }));
    link.download = bundle.fileName;
    link.click();
    URL.revokeObjectURL(link.href);
    setSaved(t('diagnostics.saved', { path: bundle.fileName }));
  };

  const rows: [string, string][] = [
    [
      t('diagnostics.hub'),
      facts.hub.reachable ? t('diagnostics.hubReachable', { ms: facts.hub.latencyMs ?? 0, status: facts.hub.status }) : t('diagnostics.hubUnreachable'),
    ],
    [t('diagnostics.lastPush'), when(facts.sync.lastPushAt)],
    [t('diagnostics.lastPull'), when(facts.sync.lastPullAt)],
    [t('diagnostics.pending'), t('diagnostics.pendingValue', { cases: facts.sync.pendingCases, files: facts.sync.pendingFiles })],
    [t('diagnostics.refused'), String(facts.sync.refused.length)],
    [t('diagnostics.storage'), `${mb(facts.storage.usageBytes)} / ${mb(facts.storage.quotaBytes)}`],
    [
      t('diagnostics.versions'),
      t('diagnostics.versionsValue', {
        app: facts.versions.app,
        catalog: facts.versions.catalog ?? '—',
        schema: facts.versions.caseSchema,
        hub: facts.hub.hubVersion ?? '—',
      }),
    ],
    [t('diagnostics.minimumVersion'), facts.versions.minimum ?? t('diagnostics.noMinimum')],
    [t('diagnostics.secrets'), facts.secretsProtectedAtRest ? t('diagnostics.secretsProtected') : t('diagnostics.secretsUnprotected')],
  ];
  return (
    <>
      {compat ? <VersionNotice compat={compat} /> : null}
      <table className="facts-table" data-testid="diagnostics">
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('diagnostics.recentErrors')}</h2>
      {facts.sync.recentErrors.length === 0 ? <p className="empty">{t('diagnostics.noErrors')}</p> : null}
      <ul className="recent-errors">
        {facts.sync.recentErrors.map((error) => (
          <li key={`${error.at}-${error.code}`}>
            {when(error.at)} — {String(error.status)} {error.code}: <span lang="en">{error.reason}</span>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" onClick={() => void refresh()}>
          {t('diagnostics.refresh')}
        </button>
        <button type="button" className="primary" onClick={() => void exportBundle()}>
          {t('diagnostics.export')}
        </button>
      </div>
      {saved ? <Alert tone="success">{saved}</Alert> : null}
    </>
  );
}
