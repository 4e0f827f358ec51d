/**
 * The kiosk's stored data does not open with its storage key (data/at-rest.ts, `SealBroken`): the key was
 * lost and made anew, or the disk damaged. Nothing is read as something else; the clerk is told what it
 * means, and a technician — with the technician PIN in the Electron shell — may remove the data that cannot
 * be read, so the kiosk pulls its village again and numbers under a new number. Unsent cases in it are lost:
 * the screen says so before anything is removed.
 */
import { useState, type SyntheticEvent } from 'react';
import type { KioskEnrollment } from '../../core/api/enrollment.js';
import { Alert, Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { KioskShell } from './shell.js';

export function UnreadableData({
  shell,
  enrollment,
  onRemoved,
}: {
  readonly shell: KioskShell;
  readonly enrollment: KioskEnrollment;
  readonly onRemoved: () => void;
}) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const technician = shell.technician;
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setProblem(undefined);
    if (technician) {
      const checked = await technician.checkTechnicianPin(pin);
      setPin('');
      if (!checked.ok) {
        setProblem(t(checked.error.code === 'shell.pinLocked' ? 'diagnostics.pinLocked' : 'diagnostics.wrongPin'));
        return;
      }
    }
    setBusy(true);
    await shell.removeData(enrollment.kioskId);
    onRemoved();
  };
  return (
    <main className="diagnostics">
      <Alert>{t('boot.unreadable')}</Alert>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h2>{t('boot.removeUnreadable')}</h2>
        <p className="hint">{t('boot.removeUnreadableHint', { village: enrollment.villageName })}</p>
        {technician ? (
          <Field label={t('diagnostics.pin')} type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={setPin} error={problem} />
        ) : null}
        <button type="submit" disabled={busy}>
          {t('boot.removeUnreadable')}
        </button>
      </form>
    </main>
  );
}
