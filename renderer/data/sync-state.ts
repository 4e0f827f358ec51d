/**
 * What the counter's sync indicator shows, derived from the real outcome of every request in both
 * directions — never "synced" because a request was merely started, and never "unreachable" when the
 * hub answered with an error.
 */
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import type { HubEvent, HubRequestError } from './hub-fetch.js';

export type SyncStatus =
  | 'connecting'
  | 'online'
  | 'offline'
  | 'hubUnreachable'
  /** The hub answered, with an error (its store down, a request too large, too many requests). */
  | 'hubError'
  | 'credentialRevoked'
  | 'hubRefusedDocuments';

export interface RefusedDocument {
  readonly id: string;
  readonly reason: string;
  /** What kind of refusal, where the hub says (e.g. `case.clash`). */
  readonly code?: string;
  readonly at: string;
}

export interface SyncState {
  readonly status: SyncStatus;
  /** Local cases holding events the hub has not confirmed yet. */
  readonly pendingOutbound: number;
  /** Materials files not yet confirmed whole by the hub. */
  readonly pendingFiles?: number;
  readonly lastPushAt?: string;
  readonly lastPullAt?: string;
  readonly lastError?: { readonly status: number; readonly code: string; readonly reason: string; readonly at: string };
  /** Documents the hub refused: kept on the kiosk, shown with the hub's reason. */
  readonly refused: readonly RefusedDocument[];
  /** The last few failed requests, newest last (the technician's diagnostics). */
  readonly recentErrors?: readonly NonNullable<SyncState['lastError']>[];
}

export const RECENT_ERRORS_KEPT = 20;

export const initialSyncState: SyncState = { status: 'connecting', pendingOutbound: 0, refused: [] };

/** The status a set of facts adds up to; the most serious wins. */
export function deriveStatus(state: Omit<SyncState, 'status'>, browserOnline: boolean, lastOutcome: 'ok' | HubRequestError | undefined): SyncStatus {
  if (lastOutcome !== undefined && lastOutcome !== 'ok' && lastOutcome.status === 401) return 'credentialRevoked';
  if (!browserOnline) return 'offline';
  if (lastOutcome !== undefined && lastOutcome !== 'ok') return lastOutcome.status === 0 ? 'hubUnreachable' : 'hubError';
  if (state.refused.length > 0) return 'hubRefusedDocuments';
  return lastOutcome === 'ok' ? 'online' : 'connecting';
}

export type SyncFacts = Omit<SyncState, 'status'>;

/**
 * The sync state as it happens: the facts, the latest outcome of a request, and every outcome the hub
 * fetch reports as an event (sync now waits on these rather than polling).
 */
export interface SyncStateHolder {
  readonly state$: Observable<SyncState>;
  readonly events$: Observable<HubEvent>;
  state(): SyncState;
  facts(): SyncFacts;
  /** Change some facts and publish. */
  update(patch: Partial<SyncFacts>): void;
  /** Record an outcome the hub fetch reported; returns nothing, publishes the new state. */
  record(event: HubEvent, at: string): void;
  /** Publish again (the browser's online state changed). */
  publish(): void;
  complete(): void;
}

export function syncStateHolder(initial: Partial<SyncFacts>, browserOnline: () => boolean): SyncStateHolder {
  let facts: SyncFacts = { ...initialSyncState, ...initial };
  let lastOutcome: 'ok' | HubRequestError | undefined;
  const state$ = new BehaviorSubject<SyncState>({ ...facts, status: deriveStatus(facts, browserOnline(), lastOutcome) });
  const events$ = new Subject<HubEvent>();
  const publish = () => {
    state$.next({ ...facts, status: deriveStatus(facts, browserOnline(), lastOutcome) });
  };
  return {
    state$: state$.asObservable(),
    events$: events$.asObservable(),
    state: () => state$.value,
    facts: () => facts,
    update(patch) {
      facts = { ...facts, ...patch };
      publish();
    },
    record(event, at) {
      switch (event.kind) {
        case 'failed': {
          lastOutcome = event.error;
          const lastError = { status: event.error.status, code: event.error.code, reason: event.error.reason, at };
          facts = { ...facts, lastError, recentErrors: [...(facts.recentErrors ?? []), lastError].slice(-RECENT_ERRORS_KEPT) };
          break;
        }
        case 'pulled':
          lastOutcome = 'ok';
          facts = { ...facts, lastPullAt: at };
          break;
        case 'pushed':
          lastOutcome = 'ok';
          facts = { ...facts, lastPushAt: at };
          break;
        case 'refused':
        case 'held':
          break;
      }
      publish();
      events$.next(event);
    },
    publish,
    complete() {
      state$.complete();
      events$.complete();
    },
  };
}
