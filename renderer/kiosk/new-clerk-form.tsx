/** A new clerk's account at this kiosk: a name and a PIN typed twice, each refusal shown at its field. */
import { useState, type SyntheticEvent } from 'react';
import type { Clerk, ClerkAccountError } from '../data/clerks.js';
import type { KioskData } from '../data/kiosk-data.js';
import { Alert, Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';

export function NewClerkForm(props: { readonly data: KioskData; readonly onAdded: (clerk: Clerk) => void }) {
  const { t, describe } = useI18n();
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<ClerkAccountError>();
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const added = await props.data.clerks.add(name, pin, confirmation);
    if (!added.ok) {
      setError(added.error);
      return;
    }
    setName('');
    setPin('');
    setConfirmation('');
    setError(undefined);
    props.onAdded(added.value);
  };
  const nameError = error?.code === 'clerk.nameEmpty' || error?.code === 'clerk.nameTaken' ? describe(error) : undefined;
  const pinError = error?.code === 'clerk.pinFormat' || error?.code === 'clerk.pinWeak' ? describe(error) : undefined;
  const confirmError = error?.code === 'clerk.pinMismatch' ? describe(error) : undefined;
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Field label={t('clerk.name')} value={name} onChange={setName} autoFocus autoComplete="off" error={nameError} />
      <Field
        label={t('clerk.pin')}
        type="password"
        inputMode="numeric"
        autoComplete="new-password"
        value={pin}
        onChange={setPin}
        hint={t('clerk.pinHint')}
        error={pinError}
      />
      <Field
        label={t('clerk.pinAgain')}
        type="password"
        inputMode="numeric"
        autoComplete="new-password"
        value={confirmation}
        onChange={setConfirmation}
        error={confirmError}
      />
      {error && !nameError && !pinError && !confirmError ? <Alert>{describe(error)}</Alert> : null}
      <button type="submit" className="primary">
        {t('clerk.add')}
      </button>
    </form>
  );
}
