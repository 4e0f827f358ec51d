/**
 * Attaching scans or photos of one material: each file is checked the moment it is picked (type by its
 * bytes, size), so a wrong file is refused at the counter with the limit, before anything is written.
 */
import { useState } from 'react';
import { checkFileBytes } from '../data/files.js';
import { useI18n } from '../ui/i18n.js';
import type { AttachedScan } from './intake-form.js';

export function ScanPicker(props: { readonly scans: readonly AttachedScan[]; readonly onAdd: (scans: AttachedScan[]) => void }) {
  const { t, describe } = useI18n();
  const [error, setError] = useState<string>();
  const add = async (list: FileList | null) => {
    const picked: AttachedScan[] = [];
    for (const file of list ?? []) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const checked = checkFileBytes(bytes);
      if (!checked.ok) {
        setError(`${file.name}: ${describe(checked.error)}`);
        return;
      }
      picked.push({ name: file.name, bytes });
    }
    setError(undefined);
    props.onAdd(picked);
  };
  return (
    <>
      {/* The browser's own file button speaks the computer's language ("Choose Files"): it is hidden, and this label is the button. */}
      <label className="attach button-like">
        {t('newCase.attach')}
        <input
          type="file"
          className="visually-hidden"
          accept="image/jpeg,image/png,application/pdf"
          multiple
          onChange={(event) => void add(event.target.files)}
        />
      </label>
      {props.scans.length === 0 ? <span className="scan-none">{t('newCase.noFileChosen')}</span> : null}
      {props.scans.map((scan) => (
        <span key={scan.name} className="scan-name">
          {scan.name}
        </span>
      ))}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
