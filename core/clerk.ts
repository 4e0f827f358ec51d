/**
 * Clerk accounts of one kiosk (name + PIN): the rules for a new PIN and for locking out guessing.
 * The kiosk stores only a salted PBKDF2 hash; these rules are the same in every shell.
 */
export const PIN_MIN = 4;
export const PIN_MAX = 8;
export const MAX_PIN_FAILURES = 5;
export const PIN_LOCKOUT_MINUTES = 5;

export type ClerkError =
  | { readonly code: 'clerk.nameEmpty' }
  | { readonly code: 'clerk.nameTaken'; readonly name: string }
  | { readonly code: 'clerk.pinFormat'; readonly min: number; readonly max: number }
  | { readonly code: 'clerk.pinWeak' }
  | { readonly code: 'clerk.pinMismatch' }
  | { readonly code: 'clerk.unknown' }
  | { readonly code: 'clerk.pinWrong'; readonly attemptsLeft: number }
  | { readonly code: 'clerk.lockedOut'; readonly minutes: number };

/** A PIN a clerk may choose: digits only, not one digit repeated, not a straight run (1234, 9876). */
export function checkNewPin(pin: string, confirmation: string): ClerkError | undefined {
  if (!new RegExp(`^\\d{${PIN_MIN},${PIN_MAX}}$`).test(pin)) return { code: 'clerk.pinFormat', min: PIN_MIN, max: PIN_MAX };
  const digits = Array.from(pin, (ch) => Number(ch));
  const steps = new Set(digits.slice(1).map((d, i) => d - (digits[i] ?? 0)));
  if (steps.size === 1 && [0, 1, -1].includes([...steps][0] ?? 2)) return { code: 'clerk.pinWeak' };
  if (pin !== confirmation) return { code: 'clerk.pinMismatch' };
  return undefined;
}

export interface PinAttempts {
  readonly failures: number;
  /** ISO instant; while in the future, no PIN is checked at all. */
  readonly lockedUntil?: string;
}

/** Whole minutes (at least 1) until a locked-out clerk may try again, or 0. */
export function lockoutMinutesLeft(attempts: PinAttempts | undefined, now: Date): number {
  if (!attempts?.lockedUntil) return 0;
  const ms = Date.parse(attempts.lockedUntil) - now.getTime();
  return ms > 0 ? Math.ceil(ms / 60_000) : 0;
}

/** The attempts after one more wrong PIN: the fifth in a row locks the account for five minutes. */
export function afterWrongPin(attempts: PinAttempts | undefined, now: Date): PinAttempts {
  const failures = (attempts?.lockedUntil && lockoutMinutesLeft(attempts, now) === 0 ? 0 : (attempts?.failures ?? 0)) + 1;
  if (failures < MAX_PIN_FAILURES) return { failures };
  return { failures, lockedUntil: new Date(now.getTime() + PIN_LOCKOUT_MINUTES * 60_000).toISOString() };
}
