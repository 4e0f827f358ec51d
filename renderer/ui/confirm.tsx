/**
 * A button for a decision that cannot be taken back (approve, reject, withdraw): the first press asks, in
 * place, what will happen — with the text that goes with it — and only "yes" acts. Nothing is written by
 * the first press, so a slip of the finger at a busy counter costs nothing.
 */
import { useState } from 'react';
import { useI18n } from './i18n.js';

export interface ConfirmButtonProps {
  /** What the button does, as on the button (批准). */
  readonly action: string;
  /** The note or reason that will be saved with it, repeated in the question; none if empty. */
  readonly text?: string;
  /** Checked before asking (a reason typed?) and again at "yes" (it may have been cleared meanwhile); false stops. */
  readonly ready?: () => boolean;
  readonly onConfirm: () => void;
  readonly className?: string;
  readonly disabled?: boolean;
}

export function ConfirmButton({ action, text, ready, onConfirm, className, disabled }: ConfirmButtonProps) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className={className}
        disabled={disabled}
        onClick={() => {
          if (!ready || ready()) setAsking(true);
        }}
      >
        {action}
      </button>
    );
  }
  const saved = text?.trim();
  return (
    <div className="confirm" role="alertdialog" aria-label={t('confirm.question', { action })}>
      <p>{t('confirm.question', { action })}</p>
      {saved ? <p className="confirm-text">{t('confirm.withText', { text: saved })}</p> : null}
      <button
        type="button"
        className="primary"
        autoFocus
        onClick={() => {
          setAsking(false);
          if (!ready || ready()) onConfirm();
        }}
      >
        {t('confirm.yes', { action })}
      </button>
      <button
        type="button"
        onClick={() => {
          setAsking(false);
        }}
      >
        {t('confirm.no')}
      </button>
    </div>
  );
}
