/**
 * First run: enroll this kiosk with the county hub by its address and the technician's enrollment
 * code. (The full wizard — QR by camera, progress, replacement, moving — is the shell's, issue 7.)
 */
import { useState, type SyntheticEvent } from 'react';
import { readEnrollmentInput, type EnrollResponse } from '../../core/api/enrollment.js';
import { enrollWithHub, type EnrollError } from '../data/enroll.js';
import { Alert, Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { KioskShell } from './shell.js';

/** Errors shown under the field they are about; any other shows above the button. */
const HUB_ERRORS: readonly EnrollError['code'][] = ['enroll.hubUrl', 'enroll.hubUnreachable'];
const CODE_ERRORS: readonly EnrollError['code'][] = ['enroll.codeFormat', 'enroll.codeUnknown', 'enroll.codeUsed', 'enroll.codeExpired'];

export function Setup(props: { readonly shell: KioskShell; readonly onEnrolled: (enrollment: EnrollResponse) => Promise<unknown> }) {
  const { t, describe } = useI18n();
  const [hub, setHub] = useState(() => (location.protocol.startsWith('http') ? `${location.origin}/` : ''));
  const [code, setCode] = useState('');
  const [error, setError] = useState<EnrollError>();
  const [busy, setBusy] = useState(false);
  const [storeProblem, setStoreProblem] = useState<string>();

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    // A scanned QR ticket brings the hub's address with the code: both fields show what was read.
    const input = readEnrollmentInput(code);
    if (input.hub !== undefined) setHub(input.hub);
    setCode(input.code);
    const enrolled = await enrollWithHub(input.hub ?? hub, input.code, props.shell.appVersion);
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

  const fieldError = (codes: readonly EnrollError['code'][]) => (error && codes.includes(error.code) ? describe(error) : undefined);
  const hubError = fieldError(HUB_ERRORS);
  const codeError = fieldError(CODE_ERRORS);
  return (
    <main className="setup">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field label={t('setup.hubUrl')} value={hub} onChange={setHub} inputMode="url" autoComplete="off" error={hubError} />
        <Field
          label={t('setup.code')}
          value={code}
          onChange={setCode}
          autoFocus
          autoComplete="off"
          hint={t('setup.codeHint')}
          error={codeError}
        />
        {error && !hubError && !codeError ? (
          <Alert>{describe(error)}</Alert>
        ) : null}
        {storeProblem ? <Alert>{t('setup.secretsUnavailable', { reason: storeProblem })}</Alert> : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('setup.enrolling') : t('setup.enroll')}
        </button>
      </form>
    </main>
  );
}
