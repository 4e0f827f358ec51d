/**
 * The keys that encrypt each kiosk database at rest (the page's renderer/data/at-rest.ts), one per kiosk id,
 * made on first use and kept in a sealed file (sealed-file.ts: the OS keychain). A stolen disk without the
 * keychain yields no resident's name; the page asks for its database's key when it opens it.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ShellResult } from '../core/api/shell.js';
import { storageKeySchema } from '../core/api/shell.js';
import { ok } from '../core/result.js';
import { sealedFile, type SafeStorageLike } from './sealed-file.js';

export interface StorageKeyVault {
  /** The storage key of this kiosk id's database, made and kept now if it has none. */
  keyFor(kioskId: string): Promise<ShellResult<string>>;
}

const keysSchema = z.record(z.string(), storageKeySchema);

export function storageKeyVault(options: { readonly safeStorage: SafeStorageLike; readonly file: string }): StorageKeyVault {
  const sealed = sealedFile(options.safeStorage, options.file);
  // One at a time: two first asks for one kiosk id must not make two keys.
  let queue: Promise<unknown> = Promise.resolve();
  const keyFor = async (kioskId: string): Promise<ShellResult<string>> => {
    const text = await sealed.read();
    if (!text.ok) return text;
    const parsed = keysSchema.safeParse(text.value === null ? {} : JSON.parse(text.value));
    // A damaged file would lose every database's key: refuse rather than make new ones over it.
    if (!parsed.success)
      return {
        ok: false,
        error: { code: 'shell.secretsUnavailable', message: 'The kiosk’s storage keys file is damaged: restore it from the machine’s backup.' },
      };
    const known = parsed.data[kioskId];
    if (known) return ok(known);
    const key = randomBytes(32).toString('base64url');
    const written = await sealed.write(JSON.stringify({ ...parsed.data, [kioskId]: key }));
    return written.ok ? ok(key) : written;
  };
  return {
    keyFor(kioskId) {
      const answer = queue.then(() => keyFor(kioskId));
      queue = answer.catch(() => undefined);
      return answer;
    },
  };
}
