/**
 * Says, at the counter and in diagnostics, what versions mean for this kiosk (data/compat-state.ts):
 * that the county asks for an update — the counter keeps working and syncing meanwhile — and that it
 * keeps documents a newer version wrote without being able to show them. Nothing when neither is so.
 */
import type { CompatState } from '../data/compat-state.js';
import { Alert } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';

export function VersionNotice({ compat }: { readonly compat: CompatState }) {
  const { t } = useI18n();
  const due = compat.updateRequired;
  if (!due && compat.unreadable === 0) return null;
  return (
    <div className="version-notice" data-testid="version-notice">
      {due ? <Alert tone="info">{t('version.updateRequired', { current: due.current, minimum: due.minimum })}</Alert> : null}
      {compat.unreadable > 0 ? <Alert tone="info">{t('version.unreadable', { count: compat.unreadable })}</Alert> : null}
    </div>
  );
}
