/**
 * The kiosk's clerk accounts, kept in the local database (never synced): a name and a salted
 * PBKDF2-SHA-256 hash of the PIN. Sign-in works with no network; five wrong PINs in a row lock the
 * account for five minutes, and the lock survives a reload.
 */
import { afterWrongPin, checkNewPin, lockoutMinutesLeft, MAX_PIN_FAILURES, type ClerkError, type PinAttempts } from '../../core/clerk.js';
import { err, ok, type Result } from '../../core/result.js';
import type { KioskDatabase } from './kiosk-database.js';
import { serialQueue } from './serial.js';
import { isQuotaError, STORAGE_FULL, type StorageFull } from './storage-health.js';

/** A full disk refuses new accounts; a right PIN still signs in, and wrong ones still count towards the lockout. */
export type ClerkAccountError = ClerkError | StorageFull;

export interface Clerk {
  readonly id: string;
  readonly name: string;
}

interface ClerkRecord extends Clerk {
  readonly salt: string;
  readonly hash: string;
  readonly iterations: number;
}

interface ClerkBook {
  readonly clerks: readonly ClerkRecord[];
  readonly attempts: Readonly<Record<string, PinAttempts>>;
}

export interface ClerkAccounts {
  list(): Promise<Clerk[]>;
  add(name: string, pin: string, confirmation: string): Promise<Result<Clerk, ClerkAccountError>>;
  /** Check a PIN; wrong ones count towards the lockout. */
  verify(clerkId: string, pin: string): Promise<Result<Clerk, ClerkAccountError>>;
}

const BOOK = 'clerks';
const ITERATIONS = 210_000;

const hex = (bytes: ArrayBuffer | Uint8Array) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

async function hashPin(pin: string, salt: string, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new TextEncoder().encode(salt), iterations }, key, 256);
  return hex(bits);
}

export function clerkAccounts(db: KioskDatabase, now: () => Date = () => new Date()): ClerkAccounts {
  // Wrong PINs that a full disk would not take: still counted, here, so the lockout holds until a restart.
  let unsaved: ClerkBook | undefined;
  const read = async (): Promise<ClerkBook> => unsaved ?? (await db.getLocal<ClerkBook>(BOOK))?.toJSON().data ?? { clerks: [], attempts: {} };
  const serial = serialQueue();
  type Outcome = Result<Clerk, ClerkAccountError>;
  const update = (change: (book: ClerkBook) => Promise<{ book?: ClerkBook; result: Outcome }>, onFullDisk: 'refuse' | 'keepInMemory'): Promise<Outcome> =>
    serial(async () => {
      const { book, result } = await change(await read());
      try {
        if (book) await db.upsertLocal(BOOK, book);
        unsaved = undefined;
      } catch (error) {
        if (!isQuotaError(error)) throw error;
        if (onFullDisk === 'refuse') return err(STORAGE_FULL);
        unsaved = book;
      }
      return result;
    });
  const publicClerk = ({ id, name }: ClerkRecord): Clerk => ({ id, name });

  return {
    async list() {
      return (await read()).clerks.map(publicClerk);
    },

    add(name, pin, confirmation) {
      return update(async (book) => {
        const trimmed = name.trim();
        if (trimmed === '') return { result: err({ code: 'clerk.nameEmpty' }) };
        if (book.clerks.some((clerk) => clerk.name === trimmed)) return { result: err({ code: 'clerk.nameTaken', name: trimmed }) };
        const refused = checkNewPin(pin, confirmation);
        if (refused) return { result: err(refused) };
        const salt = hex(crypto.getRandomValues(new Uint8Array(16)));
        const record: ClerkRecord = {
          // Short, stable and never reused: it becomes part of the actor id on every event the clerk writes.
          id: `c${String(book.clerks.length + 1)}`,
          name: trimmed,
          salt,
          iterations: ITERATIONS,
          hash: await hashPin(pin, salt, ITERATIONS),
        };
        return { book: { ...book, clerks: [...book.clerks, record] }, result: ok(publicClerk(record)) };
      }, 'refuse');
    },

    verify(clerkId, pin) {
      return update(async (book) => {
        const record = book.clerks.find((clerk) => clerk.id === clerkId);
        if (!record) return { result: err({ code: 'clerk.unknown' }) };
        const attempts = book.attempts[clerkId];
        const minutes = lockoutMinutesLeft(attempts, now());
        if (minutes > 0) return { result: err({ code: 'clerk.lockedOut', minutes }) };
        if ((await hashPin(pin, record.salt, record.iterations)) === record.hash) {
          if (!attempts) return { result: ok(publicClerk(record)) };
          const { [clerkId]: _cleared, ...others } = book.attempts;
          return { book: { ...book, attempts: others }, result: ok(publicClerk(record)) };
        }
        const next = afterWrongPin(attempts, now());
        const result: Result<Clerk, ClerkError> = next.lockedUntil
          ? err({ code: 'clerk.lockedOut', minutes: lockoutMinutesLeft(next, now()) })
          : err({ code: 'clerk.pinWrong', attemptsLeft: MAX_PIN_FAILURES - next.failures });
        return { book: { ...book, attempts: { ...book.attempts, [clerkId]: next } }, result };
      }, 'keepInMemory');
    },
  };
}
