/**
 * The kiosk tells the hub what only it knows — cases and files not yet pushed, refusals it still shows,
 * its app version — so the county's fleet view can see a kiosk falling behind before a resident does.
 * Sent shortly after those figures change and every few minutes while the line is up; a report that
 * fails is simply sent again next time. Never personal data: counts and a version.
 */
import type { Observable, Subscription } from 'rxjs';
import type { KioskStatusReport } from '../../core/api/fleet.js';
import type { SyncState } from './sync-state.js';

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export interface StatusReportOptions {
  readonly state$: Observable<SyncState>;
  /** The hub's `…/api/kiosk/status`. */
  readonly url: string;
  /** Absent in the Electron shell: main adds the credential. */
  readonly authorization?: string;
  readonly appVersion: string;
  readonly fetch: Fetch;
  /** The pause between a change and its report (a busy sync changes the figures many times). */
  readonly settleMs?: number;
  readonly everyMs?: number;
}

export function reportOf(state: SyncState, appVersion: string): KioskStatusReport {
  return { appVersion, pendingCases: state.pendingOutbound, pendingFiles: state.pendingFiles ?? 0, refused: state.refused.length };
}

export function startStatusReports(options: StatusReportOptions): { stop(): Promise<void> } {
  let latest: KioskStatusReport | undefined;
  let lastSent = '';
  let reachable = false;
  let sending: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const send = (force: boolean) => {
    const report = latest;
    if (!report || !reachable) return;
    const body = JSON.stringify(report);
    if (!force && body === lastSent) return;
    sending = sending.then(async () => {
      try {
        const response = await options.fetch(options.url, {
          method: 'PUT',
          headers: { ...(options.authorization ? { authorization: options.authorization } : {}), 'content-type': 'application/json' },
          body,
        });
        if (response.ok) lastSent = body;
      } catch {
        // Unreachable hub: the sync indicator says so; this report goes with the next one.
      }
    });
  };
  const subscription: Subscription = options.state$.subscribe((state) => {
    latest = reportOf(state, options.appVersion);
    // Tried even when the last request failed: uploads may fail where a small report gets through.
    reachable = state.status !== 'offline' && state.status !== 'credentialRevoked';
    // At most one report per pause, with the latest figures: the state changes with every long poll.
    timer ??= setTimeout(() => {
      timer = undefined;
      send(false);
    }, options.settleMs ?? 2000);
  });
  const interval = setInterval(
    () => {
      send(true);
    },
    options.everyMs ?? 5 * 60_000,
  );

  return {
    async stop() {
      subscription.unsubscribe();
      clearTimeout(timer);
      clearInterval(interval);
      await sending;
    },
  };
}
