/**
 * Moving a kiosk to another village (a hall closed, a machine reassigned). Its data is wiped only after the
 * hub has confirmed every case, file and refusal, and a crash at any point leaves either the old village's
 * data or the new, never an empty kiosk:
 *   1. sync now; refuse if anything is not on the hub;
 *   2. enroll with the new village's code (a new kiosk id, so a new database beside the old one);
 *   3. open the new database and pull the new village;
 *   4. keep the new enrollment — the one switch, atomic in the shell's secret store;
 *   5. at the next start, remove the database of the kiosk id that is no longer current.
 * A marker in the preferences names both ids; the start-up step reads it whatever happened in between.
 */
import type { KioskEnrollment } from '../../core/api/enrollment.js';
import { err, ok, type Result } from '../../core/result.js';
import type { EnrollError } from './enroll.js';
import type { KioskSecrets } from './key-store.js';
import type { KioskData } from './kiosk-data.js';

export const MOVE_MARKER = 'cunban.kiosk-move';

export type MoveError =
  | EnrollError
  | { readonly code: 'move.syncFailed'; readonly reason: string }
  | { readonly code: 'move.unpushed'; readonly cases: number; readonly files: number; readonly refused: number };

interface MoveMarker {
  readonly from: string;
  readonly to: string;
}

type Marker = Pick<Storage, 'getItem' | 'setItem'>;

export interface MoveOptions {
  readonly current: KioskData;
  readonly hub: string;
  readonly code: string;
  readonly appVersion: string;
  readonly secrets: KioskSecrets;
  readonly marker: Marker;
  /** Opens (and starts syncing) the data of a fresh enrollment: the shell's `openData`. */
  readonly open: (enrollment: KioskEnrollment) => Promise<KioskData>;
}

export async function moveKiosk(options: MoveOptions): Promise<Result<KioskEnrollment, MoveError>> {
  const { current } = options;
  const pushed = await current.sync.syncNow();
  if (!pushed.ok) return err({ code: 'move.syncFailed', reason: pushed.error.reason });
  const state = current.sync.state();
  const waiting = { cases: state.pendingOutbound, files: state.pendingFiles ?? 0, refused: state.refused.length };
  if (waiting.cases + waiting.files + waiting.refused > 0) return err({ code: 'move.unpushed', ...waiting });

  const enrolled = await options.secrets.enroll(options.hub, options.code, options.appVersion);
  if (!enrolled.ok) return enrolled;
  const marker: MoveMarker = { from: current.enrollment.kioskId, to: enrolled.value.kioskId };
  options.marker.setItem(MOVE_MARKER, JSON.stringify(marker));
  const next = await options.open(enrolled.value);
  const pulled = await next.sync.syncNow();
  await next.close();
  if (!pulled.ok) return err({ code: 'move.syncFailed', reason: pulled.error.reason });
  await options.secrets.save(enrolled.value);
  return ok(enrolled.value);
}

/**
 * At start-up, before the kiosk's data is opened: finish a move (remove the old village's database) or undo
 * one a crash interrupted before its switch (remove the half-filled new one). Nothing to do without a marker.
 */
export async function settleInterruptedMove(marker: Marker, currentKioskId: string, removeData: (kioskId: string) => Promise<void>): Promise<void> {
  const text = marker.getItem(MOVE_MARKER);
  if (!text) return;
  const move = JSON.parse(text) as MoveMarker;
  await removeData(currentKioskId === move.to ? move.from : move.to);
  marker.setItem(MOVE_MARKER, '');
}
