/**
 * Issuing case numbers at this kiosk: village, today's date (CST), the kiosk number of this database's
 * numbering lease, and the next sequence of the day. Uniqueness never rests on the device alone:
 * - the lease's kiosk number comes from the hub, which never grants a number twice in a village — at
 *   enrollment (a new kiosk, or a re-enrolled one on a new disk), or when a database starts without a
 *   lease (a wiped disk under a kept credential). Such a database asks the hub before it numbers
 *   anything; offline it refuses, saying so, rather than guess;
 * - within the lease, the day's counter never goes below the highest number already on the device, and
 *   a clock set back before the lease or before the last day numbered is refused, not trusted.
 * A database restored from a backup is the one case left to the hub's last wall: the gateway refuses a
 * second registration under a number it already holds, and the kiosk offers to register it again.
 */
import { numberLeaseSchema, type KioskEnrollment, type NumberLease } from '../../core/api/enrollment.js';
import { isEventOf, kioskActorPrefix, type CaseEvent } from '../../core/case/events.js';
import { formatCaseNumber, parseCaseNumber, type CaseNumberError } from '../../core/case/number.js';
import { localDateOf, type LocalDate } from '../../core/local-date.js';
import { err, ok, type Result } from '../../core/result.js';
import type { KioskDatabase } from './kiosk-database.js';
import { serialQueue } from './serial.js';
import { isQuotaError, STORAGE_FULL, type StorageFull } from './storage-health.js';

interface Sequence {
  readonly date: LocalDate;
  readonly last: number;
}

const SEQUENCE = 'case-sequence';
const LEASE = 'numbering-lease';

export type NumberingError =
  | CaseNumberError
  | StorageFull
  /** No lease yet and the hub could not be asked: connect once before registering. */
  | { readonly code: 'caseNumber.noLease' }
  /** No lease yet, and the hub is too old to grant one: the kiosk must be enrolled again (or the hub updated). */
  | { readonly code: 'caseNumber.hubCannotLease' }
  /** The computer's clock is before a day this kiosk already numbered (or its lease began): fix the clock. */
  | { readonly code: 'caseNumber.clockBehind'; readonly date: LocalDate };

export interface CaseNumbers {
  next(): Promise<Result<string, NumberingError>>;
  /** Ask the hub for a lease now if this database has none (at start, while the line is up); one ask at a time. */
  ensureLease(): Promise<boolean>;
  /** The kiosk number this database numbers under, once it has a lease. */
  kioskNumber(): Promise<number | undefined>;
  /**
   * Every kiosk number this database numbered cases under (its lease's, and those of the cases this kiosk
   * registered): what it tells a hub when it re-enrolls in place, so the cases stay its own.
   */
  numberedUnder(kioskId: string): Promise<number[]>;
}

export interface NumberingOptions {
  readonly enrollment: Pick<KioskEnrollment, 'village' | 'kioskNumber'>;
  /** The enrollment came from the hub just now, for this database: its kiosk number is this database's lease. */
  readonly freshEnrollment?: boolean;
  /**
   * Ask the hub for a new lease (`POST /api/kiosk/number`): the lease, `unsupported` from a hub before
   * 0.2.0 (it has no such route), undefined when it cannot be reached.
   */
  readonly requestLease: () => Promise<NumberLease | 'unsupported' | undefined>;
  readonly now?: () => Date;
}

// Local documents come back deeply read-only, which loses the LocalDate brand: they are what was written.
const readLease = async (db: KioskDatabase) => (await db.getLocal<NumberLease>(LEASE))?.toJSON().data as NumberLease | undefined;
const readSequence = async (db: KioskDatabase) => (await db.getLocal<Sequence>(SEQUENCE))?.toJSON().data as Sequence | undefined;

/**
 * Make sure this database has a numbering lease, as far as it can without the network: the fresh
 * enrollment's number, or — for a database that numbered before leases were kept (Cunban 0.1.0) — the
 * number it numbered under. Otherwise the lease is asked of the hub at the first registration.
 */
export async function adoptEnrollmentLease(db: KioskDatabase, options: NumberingOptions): Promise<void> {
  const today = localDateOf((options.now ?? (() => new Date()))().toISOString());
  const lease = await readLease(db);
  if (options.freshEnrollment && lease?.kioskNumber !== options.enrollment.kioskNumber) {
    await db.upsertLocal<NumberLease>(LEASE, { kioskNumber: options.enrollment.kioskNumber, leasedOn: today });
    return;
  }
  if (lease) return;
  const numberedBefore = await readSequence(db);
  if (numberedBefore) await db.upsertLocal<NumberLease>(LEASE, { kioskNumber: options.enrollment.kioskNumber, leasedOn: numberedBefore.date });
}

export function caseNumbers(db: KioskDatabase, options: NumberingOptions): CaseNumbers {
  const now = options.now ?? (() => new Date());
  const village = options.enrollment.village;
  const serial = serialQueue();
  const highestOnDevice = async (date: LocalDate, kioskNumber: number): Promise<number> => {
    const prefix = `${village}-${date.replaceAll('-', '')}-${String(kioskNumber).padStart(2, '0')}-`;
    const docs = await db.cases.find({ selector: { id: { $regex: `^${prefix}` } } }).exec();
    return Math.max(
      0,
      ...docs.map((doc) => {
        const parsed = parseCaseNumber(doc.id);
        return parsed.ok ? parsed.value.sequence : 0;
      }),
    );
  };
  const leased = async (): Promise<NumberLease | 'unsupported' | undefined> => {
    const lease = await readLease(db);
    if (lease) return lease;
    const granted = await options.requestLease();
    if (granted === undefined || granted === 'unsupported') return granted;
    await db.upsertLocal<NumberLease>(LEASE, granted);
    return granted;
  };
  return {
    kioskNumber: async () => (await readLease(db))?.kioskNumber,
    async numberedUnder(kioskId) {
      const numbers = new Set<number>();
      const lease = await readLease(db);
      if (lease) numbers.add(lease.kioskNumber);
      const prefix = kioskActorPrefix(kioskId);
      for (const doc of await db.cases.find({ selector: { village } }).exec()) {
        const created = doc.events.find((event) => isEventOf(event as CaseEvent, 'created')) as CaseEvent | undefined;
        const parsed = parseCaseNumber(doc.caseNumber);
        if (parsed.ok && created?.actor.id.startsWith(prefix)) numbers.add(parsed.value.kioskNumber);
      }
      return [...numbers].sort((a, b) => a - b);
    },
    ensureLease: () => serial(async () => typeof (await leased()) === 'object'),
    next() {
      return serial(async () => {
        try {
          const lease = await leased();
          if (lease === 'unsupported') return err({ code: 'caseNumber.hubCannotLease' });
          if (!lease) return err({ code: 'caseNumber.noLease' });
          const date = localDateOf(now().toISOString());
          const stored = await readSequence(db);
          const latest = stored && stored.date > lease.leasedOn ? stored.date : lease.leasedOn;
          if (date < latest) return err({ code: 'caseNumber.clockBehind', date: latest });
          const last = Math.max(stored?.date === date ? stored.last : 0, await highestOnDevice(date, lease.kioskNumber));
          const number = formatCaseNumber({ village, date, kioskNumber: lease.kioskNumber, sequence: last + 1 });
          if (!number.ok) return number;
          await db.upsertLocal<Sequence>(SEQUENCE, { date, last: last + 1 });
          return ok(number.value);
        } catch (error) {
          // A number not recorded is not issued: nothing can be saved under it on a full disk anyway.
          if (isQuotaError(error)) return err(STORAGE_FULL);
          throw error;
        }
      });
    },
  };
}

/** The hub's lease route, through the kiosk's hub fetch; undefined when it cannot be reached or refuses. */
export function leaseFromHub(
  hubBase: string,
  fetch: (input: string, init?: RequestInit) => Promise<Response>,
): () => Promise<NumberLease | 'unsupported' | undefined> {
  return async () => {
    try {
      const response = await fetch(new URL('api/kiosk/number', hubBase).href, { method: 'POST' });
      if (response.status === 404 || response.status === 405) return 'unsupported';
      const lease = numberLeaseSchema.safeParse(await response.json());
      return lease.success ? lease.data : undefined;
    } catch {
      return undefined;
    }
  };
}
