/**
 * The sync indicator: what really happened with the hub (never "synced" because a request started),
 * how many cases and files wait to go up, when it last worked, and "sync now" with its real result.
 */
import { useState } from 'react';
import type { SyncOutcome } from '../data/sync.js';
import { formatInstant } from '../ui/format.js';
import { useObservable } from '../ui/hooks.js';
import { useI18n } from '../ui/i18n.js';
import { useSession } from './session.js';

export function SyncIndicator() {
  const { data } = useSession();
  const { t, locale } = useI18n();
  const state = useObservable(data.sync.state$, data.sync.state());
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<SyncOutcome>();
  const last = [state.lastPushAt, state.lastPullAt].filter((at): at is string => at !== undefined).sort().at(-1);

  // The hub's own reason is English for technicians; the clerk reads what it means for the counter.
  const failureReason = (status: number) =>
    status === 401 ? t('sync.status.credentialRevoked') : status === 0 ? t('sync.status.hubUnreachable') : t('sync.hubError', { status });
  const syncNow = async () => {
    setRunning(true);
    setOutcome(undefined);
    setOutcome(await data.sync.syncNow());
    setRunning(false);
  };
  return (
    <section className={`sync sync-${state.status}`} aria-label={t('sync.label')}>
      <p className="sync-status" role="status" data-status={state.status}>
        <span className="sync-dot" aria-hidden="true" /> {t(`sync.status.${state.status}`)}
      </p>
      <p className="sync-pending">
        {t('sync.pending', { cases: state.pendingOutbound, files: state.pendingFiles ?? 0 })}
        {' · '}
        {last ? t('sync.last', { at: formatInstant(locale, last) }) : t('sync.never')}
      </p>
      {state.refused.length > 0 ? <p className="sync-refused">{t('sync.refused', { count: state.refused.length })}</p> : null}
      <button type="button" onClick={() => void syncNow()} disabled={running}>
        {running ? t('sync.running') : t('sync.now')}
      </button>
      {outcome ? (
        <p className={outcome.ok ? 'sync-result ok' : 'sync-result failed'} role="status">
          {outcome.ok ? t('sync.done') : t('sync.failed', { reason: failureReason(outcome.error.status) })}
        </p>
      ) : null}
    </section>
  );
}
