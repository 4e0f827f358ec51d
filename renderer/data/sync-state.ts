/**
 * What the counter's sync indicator shows, derived from the real outcome of every request in both
 * directions — never "synced" because a request was merely started.
 */
import type { HubRequestError } from './hub-fetch.js';

export type SyncStatus =
  | 'connecting'
  | 'online'
  | 'offline'
  | 'hubUnreachable'
  | 'credentialRevoked'
  | 'hubRefusedDocuments';

export interface RefusedDocument {
  readonly id: string;
  readonly reason: string;
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
  if (lastOutcome !== undefined && lastOutcome !== 'ok') return 'hubUnreachable';
  if (state.refused.length > 0) return 'hubRefusedDocuments';
  return lastOutcome === 'ok' ? 'online' : 'connecting';
}
