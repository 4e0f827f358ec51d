/**
 * The technician PIN that opens diagnostics and leaves kiosk mode: kept by main as a scrypt hash in the
 * app's data folder, five wrong tries lock it for 15 minutes (the lock survives a restart), and changing it
 * needs the current one checked within the last five minutes — except the very first time.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { ShellResult } from '../core/api/shell.js';
import { err, ok } from '../core/result.js';

const MAX_TRIES = 5;
const LOCK_MS = 15 * 60_000;
const CHANGE_WINDOW_MS = 5 * 60_000;

interface PinRecord {
  readonly salt: string;
  readonly hash: string;
  readonly failures: number;
  readonly lockedUntil?: number;
}

const hashOf = (pin: string, salt: string) => scryptSync(pin, Buffer.from(salt, 'base64'), 32).toString('base64');

export interface TechnicianPin {
  isSet(): Promise<boolean>;
  check(pin: string): Promise<ShellResult<null>>;
  set(pin: string): Promise<ShellResult<null>>;
}

export function technicianPin(options: { readonly file: string; readonly now?: () => number }): TechnicianPin {
  const now = options.now ?? Date.now;
  let checkedAt: number | undefined;
  const read = async (): Promise<PinRecord | undefined> => {
    const text = await readFile(options.file, 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as PinRecord);
  };
  const write = async (record: PinRecord) => {
    const temporary = `${options.file}.tmp`;
    await writeFile(temporary, JSON.stringify(record), { mode: 0o600 });
    await rename(temporary, options.file);
  };
  return {
    isSet: async () => (await read()) !== undefined,
    async check(pin) {
      const record = await read();
      if (!record) return err({ code: 'shell.noPin', message: 'No technician PIN is set on this kiosk yet.' });
      if (record.lockedUntil !== undefined && record.lockedUntil > now()) {
        return err({
          code: 'shell.pinLocked',
          message: `Too many wrong PINs; try again in ${String(Math.ceil((record.lockedUntil - now()) / 60_000))} minutes.`,
        });
      }
      const right = timingSafeEqual(Buffer.from(hashOf(pin, record.salt)), Buffer.from(record.hash));
      if (right) {
        checkedAt = now();
        if (record.failures > 0) await write({ salt: record.salt, hash: record.hash, failures: 0 });
        return ok(null);
      }
      const failures = record.failures + 1;
      await write({ ...record, failures: failures >= MAX_TRIES ? 0 : failures, ...(failures >= MAX_TRIES ? { lockedUntil: now() + LOCK_MS } : {}) });
      return err({ code: 'shell.wrongPin', message: 'Wrong technician PIN.' });
    },
    async set(pin) {
      const record = await read();
      if (record && (checkedAt === undefined || now() - checkedAt > CHANGE_WINDOW_MS)) {
        return err({ code: 'shell.wrongPin', message: 'Enter the current technician PIN first.' });
      }
      const salt = randomBytes(16).toString('base64');
      await write({ salt, hash: hashOf(pin, salt), failures: 0 });
      return ok(null);
    },
  };
}
