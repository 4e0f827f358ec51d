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

/**
 * Tries at a slot's document before giving up. Parallel bookings of one slot meet here: each retry waits a
 * random while that grows, so a crowd spreads out instead of colliding again at once (8 tries without a
 * wait answered 7 of 20 bookings for 20 places with 503).
 */
const ATTEMPTS = 40;
const backOff = (attempt: number) => new Promise((done) => setTimeout(done, Math.random() * Math.min(200, 10 * 2 ** Math.min(attempt, 5))));
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
      // Full is said before anything about the phone: a full slot must not tell who has a place in it.
      if (booked.length >= share || booked.some((other) => other.phoneKey === entry.phoneKey)) {
        const holding = await stillHolding(slot.village, booked);
        if (!holding.ok) return holding;
        booked = holding.value;
      }
      if (booked.length >= share) return ok('full');
      if (booked.some((other) => other.phoneKey === entry.phoneKey)) return ok('alreadyBooked');
      const written = await store.putDoc(DB.meta, { ...current.value, booked: [...booked, { ...entry, at: now().toISOString() }] });
      if (written.ok) return ok('reserved');
      if (written.error.status !== 409) return written;
      await backOff(attempt);
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
      await backOff(attempt);
    }
    return err({ status: 503, error: 'slot_busy', reason: 'Many bookings for this slot at once: try again.' });
  }

  /**
   * Places taken online in each slot of the village from `fromDate` to `toDate` (inclusive), by `<date>:<start>`.
   * A slot that looks full (`share` or more listed) is checked against its appointments, so a place a clerk
   * cancelled or a booking that died half-way left is offered again (the page offers no full slot to try).
   */
  async function taken(village: string, fromDate: string, toDate: string, share: number): Promise<Result<Map<string, number>, StoreFailure>> {
    const prefix = `slot:${village}:`;
    const listed = await store.request<{ rows: { id: string; doc?: SlotDoc | null }[] }>({
      db: store.dbName(DB.meta),
      path: '_all_docs',
      qs: { include_docs: true, startkey: `${prefix}${fromDate}`, endkey: `${prefix}${toDate}:\ufff0` },
    });
    if (!listed.ok) return listed;
    const counts = new Map<string, number>();
    for (const row of listed.value.rows) {
      let booked = row.doc?.booked ?? [];
      if (booked.length >= share) {
        const holding = await stillHolding(village, booked);
        if (!holding.ok) return holding;
        booked = holding.value;
      }
      counts.set(row.id.slice(prefix.length), booked.length);
    }
    return ok(counts);
  }

  return { reserve, release, taken };
}
