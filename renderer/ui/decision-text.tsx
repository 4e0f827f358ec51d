/**
 * The one text box of a case's actions (备注或理由), on the kiosk and the console alike, with the line that says
 * what the text becomes: the note of an approval, forward or hand-over, the reason of a refusal or return.
 */
import { useId } from 'react';
import { useI18n } from './i18n.js';

export function DecisionText(props: { readonly value: string; readonly onChange: (value: string) => void }) {
  const { t } = useI18n();
  const hintId = useId();
  return (
    <>
      <label className="field">
        {t('case.textLabel')}
        <textarea
          value={props.value}
          rows={2}
          onChange={(event) => {
            props.onChange(event.target.value);
          }}
          aria-describedby={hintId}
        />
      </label>
      <p id={hintId} className="hint">
        {t('case.textHint')}
      </p>
    </>
  );
}
