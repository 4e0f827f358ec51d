/**
 * First run: enroll this kiosk with the county hub by its address and the technician's enrollment
 * code. (The full wizard — QR by camera, progress, replacement, moving — is the shell's, issue 7.)
 */
import { lazy, Suspense, useCallback, useRef, useState, type SyntheticEvent } from 'react';
import { readEnrollmentInput, type KioskEnrollment } from '../../core/api/enrollment.js';
import type { EnrollError } from '../data/enroll.js';
import { Alert, Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { KioskShell } from './shell.js';

// The QR reader (jsQR) is loaded when the technician turns the camera on, not with every counter.
const CameraScan = lazy(async () => ({ default: (await import('./camera-scan.js')).CameraScan }));

/** Errors shown under the field they are about; any other shows above the button. */
const HUB_ERRORS: readonly EnrollError['code'][] = ['enroll.hubUrl', 'enroll.hubUnreachable'];
const CODE_ERRORS: readonly EnrollError['code'][] = ['enroll.codeFormat', 'enroll.codeUnknown', 'enroll.codeUsed', 'enroll.codeExpired'];

export function Setup(props: { readonly shell: KioskShell; readonly onEnrolled: (enrollment: KioskEnrollment) => Promise<unknown> }) {
  const { t, describe } = useI18n();
  const [hub, setHub] = useState(() => (location.protocol.startsWith('http') ? `${location.origin}/` : ''));
  const [code, setCode] = useState('');
  const [error, setError] = useState<EnrollError>();
  const [busy, setBusy] = useState(false);
  const [storeProblem, setStoreProblem] = useState<string>();

  const [camera, setCamera] = useState(false);

  /** Enroll with what was typed or scanned; a QR ticket brings the hub's address with the code, and both fields show what was read. */
  const enroll = async (typed: string) => {
    setBusy(true);
    setError(undefined);
    const input = readEnrollmentInput(typed);
    if (input.hub !== undefined) setHub(input.hub);
    setCode(input.code);
    const enrolled = await props.shell.secrets.enroll(input.hub ?? hub, input.code, props.shell.appVersion);
    if (enrolled.ok) {
      try {
        await props.shell.secrets.save(enrolled.value);
      } catch (failure) {
        // The shell could not keep the credential safely (no keychain): say why, enroll nothing.
        setStoreProblem(failure instanceof Error ? failure.message : String(failure));
        setBusy(false);
        return;
      }
      await props.onEnrolled(enrolled.value);
    } else {
      setError(enrolled.error);
      setBusy(false);
    }
  };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void enroll(code);
  };
  // The camera keeps running across renders; what it reads goes to the latest `enroll`.
  const latestEnroll = useRef(enroll);
  latestEnroll.current = enroll;
  const onScanned = useCallback((text: string) => {
    setCamera(false);
    void latestEnroll.current(text);
  }, []);

  const fieldError = (codes: readonly EnrollError['code'][]) => (error && codes.includes(error.code) ? describe(error) : undefined);
  const hubError = fieldError(HUB_ERRORS);
  const codeError = fieldError(CODE_ERRORS);
  return (
    <main className="setup">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <form onSubmit={submit} noValidate>
        <Field label={t('setup.hubUrl')} value={hub} onChange={setHub} inputMode="url" autoComplete="off" error={hubError} />
        <Field label={t('setup.code')} value={code} onChange={setCode} autoFocus autoComplete="off" hint={t('setup.codeHint')} error={codeError} />
        {error && !hubError && !codeError ? <Alert>{describe(error)}</Alert> : null}
        {storeProblem ? <Alert>{t('setup.secretsUnavailable', { reason: storeProblem })}</Alert> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('setup.enrolling') : t('setup.enroll')}
        </button>
        {camera ? null : (
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              setCamera(true);
            }}
          >
            {t('setup.scanWithCamera')}
          </button>
        )}
      </form>
      {camera ? (
        <Suspense fallback={<p role="status">{t('boot.loading')}</p>}>
          <CameraScan
            onRead={onScanned}
            onClose={() => {
              setCamera(false);
            }}
          />
        </Suspense>
      ) : null}
    </main>
  );
}
