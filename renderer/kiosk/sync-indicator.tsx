/**
 * The sync indicator: what really happened with the hub (never "synced" because a request started),
 * how many cases and files wait to go up, when it last worked, and "sync now" with its real result —
 * shown only while it is still the latest news: a failure goes once the line is back or a sync has worked
 * since, a success once the status has changed, so the screen never holds two verdicts that disagree.
 */
import { useState } from 'react';
import type { SyncOutcome } from '../data/sync.js';
import type { SyncState } from '../data/sync-state.js';
import { formatInstant } from '../ui/format.js';
import { useObservable } from '../ui/hooks.js';
import { useI18n } from '../ui/i18n.js';
import { useSession } from './session.js';

/** What "sync now" answered, and the state it answered in. */
interface PressedOutcome {
  readonly result: SyncOutcome;
  readonly status: SyncState['status'];
  readonly last: string | undefined;
}

const lastSyncOf = (state: SyncState) =>
  [state.lastPushAt, state.lastPullAt]
    .filter((at): at is string => at !== undefined)
    .sort()
    .at(-1);

export function SyncIndicator() {
  const { data } = useSession();
  const { t, locale } = useI18n();
  const state = useObservable(data.sync.state$, data.sync.state());
  const [running, setRunning] = useState(false);
  const [pressed, setPressed] = useState<PressedOutcome>();
  const last = lastSyncOf(state);
  const outcome = pressed && pressed.status === state.status && (pressed.result.ok || pressed.last === last) ? pressed.result : undefined;

  // The hub's own reason is English for technicians; the clerk reads what it means for the counter.
  const failureReason = (status: number) =>
    status === 401 ? t('sync.status.credentialRevoked') : status === 0 ? t('sync.status.hubUnreachable') : t('sync.hubError', { status });
  const syncNow = async () => {
    setRunning(true);
    setPressed(undefined);
    const result = await data.sync.syncNow();
    const now = data.sync.state();
    setPressed({ result, status: now.status, last: lastSyncOf(now) });
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
