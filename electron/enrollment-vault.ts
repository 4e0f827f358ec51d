/**
 * The kiosk's enrollment (its credential and the county's data keys) at rest: encrypted with Electron's
 * safeStorage (the OS keychain: DPAPI on Windows, libsecret on Linux) in a file only this user can read,
 * written atomically (a crash leaves the old file or the new, never half of one). The renderer receives it
 * over IPC to sync and seal, and never stores it. `safeStorage` and the file system are injected.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { enrollResponseSchema, type EnrollResponse } from '../core/api/enrollment.js';
import type { ShellResult } from '../core/api/shell.js';
import { err, ok } from '../core/result.js';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface EnrollmentVault {
  load(): Promise<ShellResult<EnrollResponse | null>>;
  save(enrollment: EnrollResponse): Promise<ShellResult<null>>;
}

const unavailable = () =>
  err({
    code: 'shell.secretsUnavailable' as const,
    message: 'The system keychain is not available, so the kiosk cannot keep its credential safely. Sign in to the desktop session (on Linux: install and unlock the keyring), then start Cunban again.',
  });

export function enrollmentVault(options: { readonly safeStorage: SafeStorageLike; readonly file: string }): EnrollmentVault {
  const { safeStorage, file } = options;
  return {
    async load() {
      const encrypted = await readFile(file).catch((error: unknown) => ((error as NodeJS.ErrnoException).code === 'ENOENT' ? null : Promise.reject(error as Error)));
      if (encrypted === null) return ok(null);
      if (!safeStorage.isEncryptionAvailable()) return unavailable();
      const parsed = enrollResponseSchema.safeParse(JSON.parse(safeStorage.decryptString(encrypted)));
      // A file that no longer decrypts to an enrollment is treated as none: the technician enrolls again.
      return ok(parsed.success ? parsed.data : null);
    },
    async save(enrollment) {
      if (!safeStorage.isEncryptionAvailable()) return unavailable();
      const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temporary, safeStorage.encryptString(JSON.stringify(enrollResponseSchema.parse(enrollment))), { mode: 0o600 });
      await rename(temporary, file);
      return ok(null);
    },
  };
}
