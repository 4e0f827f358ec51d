/**
 * The page's share of each slot, counted where every hub process sees it: one document per village, day
 * and slot (`slot:<village>:<date>:<start>` in the admin-only meta database) listing the codes booked
 * online into it. A booking adds its code with the document's revision, so of two hub processes taking
 * the last place at once one gets CouchDB's 409, reads again and finds the slot full — never both.
 *
 * The code is listed before the appointment is written; if the hub dies between the two, the place would
 * stay taken. So when a slot looks full, each code older than a minute is checked against its
 * appointment, and one with no appointment, or a cancelled one (a clerk may cancel at the counter), gives
 * its place back.
 */
import type { Appointment } from '../../core/appointment/appointment.js';
import { appointmentIdOf, holdsPlace } from '../../core/appointment/appointment.js';
import { err, ok, type Result } from '../../core/result.js';
import { DB, hallDb } from '../store/names.js';
import type { Store, StoreFailure } from '../store/store.js';

export interface SlotKey {
  readonly village: string;
  readonly date: string;
  readonly start: string;
}

interface Booked {
  readonly code: string;
  /** A keyed hash of the phone: one booking per phone and slot. */
  readonly phoneKey: string;
  readonly at: string;
}

interface SlotDoc {
  readonly _id: string;
  readonly _rev?: string;
  readonly booked: readonly Booked[];
}

export type Reservation = 'reserved' | 'full' | 'alreadyBooked';

const ATTEMPTS = 8;
/** A code listed this long without its appointment was left by a booking that never finished. */
const UNFINISHED_MS = 60_000;

export const slotDocId = (slot: SlotKey) => `slot:${slot.village}:${slot.date}:${slot.start}`;

export function slotLedger(store: Store, now: () => Date) {
  async function read(id: string): Promise<Result<SlotDoc, StoreFailure>> {
    const found = await store.getDoc<SlotDoc>(DB.meta, id);
    if (found.ok) return ok(found.value);
    return found.error.status === 404 ? ok({ _id: id, booked: [] }) : found;
  }

  /** The codes of `booked` that still hold their place. */
  async function stillHolding(village: string, booked: readonly Booked[]): Promise<Result<Booked[], StoreFailure>> {
    const cutoff = now().getTime() - UNFINISHED_MS;
    const listed = await store.request<{ rows: { key: string; doc?: Appointment | null }[] }>({
      db: store.dbName(hallDb(village)),
      path: '_all_docs',
      method: 'POST',
      qs: { include_docs: true },
      body: { keys: booked.map((entry) => appointmentIdOf(entry.code)) },
    });
    if (!listed.ok) return listed;
    const docs = new Map(listed.value.rows.map((row) => [row.key, row.doc ?? undefined]));
    return ok(
      booked.filter((entry) => {
        const doc = docs.get(appointmentIdOf(entry.code));
        return doc ? holdsPlace(doc) : Date.parse(entry.at) > cutoff;
      }),
    );
  }

  /** Take one of `share` places of the slot for `code`, or say why not. */
  async function reserve(slot: SlotKey, entry: Omit<Booked, 'at'>, share: number): Promise<Result<Reservation, StoreFailure>> {
    const id = slotDocId(slot);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const current = await read(id);
      if (!current.ok) return current;
      let booked = [...current.value.booked];
      if (booked.some((other) => other.phoneKey === entry.phoneKey)) {
        const holding = await stillHolding(slot.village, booked);
        if (!holding.ok) return holding;
        if (holding.value.some((other) => other.phoneKey === entry.phoneKey)) return ok('alreadyBooked');
        booked = holding.value;
      }
      if (booked.length >= share) {
        const holding = await stillHolding(slot.village, booked);
        if (!holding.ok) return holding;
        if (holding.value.length >= share) return ok('full');
        booked = holding.value;
      }
      const written = await store.putDoc(DB.meta, { ...current.value, booked: [...booked, { ...entry, at: now().toISOString() }] });
      if (written.ok) return ok('reserved');
      if (written.error.status !== 409) return written;
    }
    return err({ status: 503, error: 'slot_busy', reason: 'Many bookings for this slot at once: try again.' });
  }

  /** Give the place of `code` back (a cancellation on the page, or a booking that failed after reserving). */
  async function release(slot: SlotKey, code: string): Promise<Result<void, StoreFailure>> {
    const id = slotDocId(slot);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const current = await read(id);
      if (!current.ok) return current;
      if (!current.value.booked.some((entry) => entry.code === code)) return ok(undefined);
      const written = await store.putDoc(DB.meta, { ...current.value, booked: current.value.booked.filter((entry) => entry.code !== code) });
      if (written.ok) return ok(undefined);
      if (written.error.status !== 409) return written;
    }
    return err({ status: 503, error: 'slot_busy', reason: 'Many bookings for this slot at once: try again.' });
  }

  /** Places taken online in each slot of the village from `fromDate` to `toDate` (inclusive), by `<date>:<start>`. */
  async function taken(village: string, fromDate: string, toDate: string): Promise<Result<Map<string, number>, StoreFailure>> {
    const prefix = `slot:${village}:`;
    const listed = await store.request<{ rows: { id: string; doc?: SlotDoc | null }[] }>({
      db: store.dbName(DB.meta),
      path: '_all_docs',
      qs: { include_docs: true, startkey: `${prefix}${fromDate}`, endkey: `${prefix}${toDate}:\ufff0` },
    });
    if (!listed.ok) return listed;
    return ok(new Map(listed.value.rows.map((row) => [row.id.slice(prefix.length), row.doc?.booked.length ?? 0])));
  }

  return { reserve, release, taken };
}
