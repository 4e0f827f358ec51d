/**
 * A deliberate, audited reveal of a full number — a case's ID number, an appeal's phone: the reviewer says
 * why, the hub writes the audit entry before it answers, and the number is shown on this screen only, never
 * stored by the browser (leaving the screen forgets it).
 */
import { useState, type SyntheticEvent } from 'react';
import type { Result } from '../../core/result.js';
import { Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { ApiError } from './api.js';
import { apiErrorText } from './api-error.js';

export function Reveal(props: {
  /** Ask the hub for the number, giving the reason. */
  readonly reveal: (reason: string) => Promise<Result<string, ApiError>>;
  /** An example of a reason, under the box. */
  readonly hint?: string;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [number, setNumber] = useState<string>();
  const [error, setError] = useState<ApiError>();
  if (number)
    return (
      <strong className="revealed" data-testid="revealed">
        {number}
      </strong>
    );
  if (!asking)
    return (
      <button
        type="button"
        onClick={() => {
          setAsking(true);
        }}
      >
        {t('console.reveal')}
      </button>
    );
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const answer = await props.reveal(reason);
    if (answer.ok) setNumber(answer.value);
    else setError(answer.error);
  };
  return (
    <form className="reveal" onSubmit={(event) => void submit(event)} noValidate>
      <Field
        label={t('console.revealReason')}
        value={reason}
        onChange={setReason}
        autoFocus
        autoComplete="off"
        hint={props.hint ?? t('console.revealHint')}
        error={error ? apiErrorText(t, error) : undefined}
      />
      <button type="submit" className="primary">
        {t('console.revealConfirm')}
      </button>
    </form>
  );
}
