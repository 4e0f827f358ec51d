/**
 * A small secret file: encrypted with Electron's safeStorage (the OS keychain: DPAPI on Windows, libsecret on
 * Linux), readable only by this user, and replaced atomically (a crash leaves the old file or the new, never
 * half of one). `safeStorage` is injected, so this is tested under Node.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { ShellResult } from '../core/api/shell.js';
import { err, ok } from '../core/result.js';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /**
   * Linux only (Electron's safeStorage): `basic_text` when no keyring is there, and safeStorage then encrypts
   * with a password built into Chromium — no protection at all. Treated as no keychain.
   */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export interface SealedFile {
  /** The file's text; null when there is no file yet. */
  read(): Promise<ShellResult<string | null>>;
  write(text: string): Promise<ShellResult<null>>;
}

const unavailable = () =>
  err({
    code: 'shell.secretsUnavailable' as const,
    message:
      'The system keychain is not available, so the kiosk cannot keep its secrets safely. Sign in to the desktop session (on Linux: install and unlock the keyring), then start Cunban again.',
  });

/** Whether safeStorage really encrypts with the OS keychain (not Linux's built-in password). */
const keychainThere = (safeStorage: SafeStorageLike) => safeStorage.isEncryptionAvailable() && safeStorage.getSelectedStorageBackend?.() !== 'basic_text';

export function sealedFile(safeStorage: SafeStorageLike, file: string): SealedFile {
  return {
    async read() {
      const encrypted = await readFile(file).catch((error: unknown) =>
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : Promise.reject(error as Error),
      );
      if (encrypted === null) return ok(null);
      if (!keychainThere(safeStorage)) return unavailable();
      return ok(safeStorage.decryptString(encrypted));
    },
    async write(text) {
      if (!keychainThere(safeStorage)) return unavailable();
      const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temporary, safeStorage.encryptString(text), { mode: 0o600 });
      await rename(temporary, file);
      return ok(null);
    },
  };
}
