/**
 * Main's keys of the kiosk databases at rest (electron/storage-keys.ts): one per kiosk id, made once, kept
 * under the keychain, never remade over a file it cannot read — that would lose every resident's data.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storageKeySchema } from '../../core/api/shell.js';
import { storageKeyVault } from '../../electron/storage-keys.js';
import { fakeKeychain } from '../support/shell-main.js';

const dir = mkdtempSync(join(tmpdir(), 'cunban-storage-keys-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("main's storage keys", () => {
  it('makes one key per kiosk id, once — also when asked twice at once — and keeps it under the keychain', async () => {
    const file = join(dir, 'keys.bin');
    const vault = storageKeyVault({ safeStorage: fakeKeychain(), file });
    const [a, again] = await Promise.all([vault.keyFor('kiosk-422822100202-01'), vault.keyFor('kiosk-422822100202-01')]);
    const b = await vault.keyFor('kiosk-422822100202-02');
    expect(a.ok && storageKeySchema.safeParse(a.value).success).toBe(true);
    expect(again).toEqual(a);
    expect(b.ok && a.ok && b.value !== a.value).toBe(true);
    // Another start of the shell reads the same keys; the file holds none of them in the clear.
    expect(await storageKeyVault({ safeStorage: fakeKeychain(), file }).keyFor('kiosk-422822100202-01')).toEqual(a);
    expect(a.ok && readFileSync(file).toString('latin1').includes(a.value)).toBe(false);
  });

  it("refuses without the keychain (Linux's built-in password is none), and never makes new keys over a damaged file", async () => {
    expect(await storageKeyVault({ safeStorage: fakeKeychain(false), file: join(dir, 'none.bin') }).keyFor('kiosk-422822100202-01')).toMatchObject({
      ok: false,
      error: { code: 'shell.secretsUnavailable' },
    });
    // Linux with no keyring: safeStorage "encrypts" with a password built into Chromium. No keychain, then.
    const builtInPassword = { ...fakeKeychain(), getSelectedStorageBackend: () => 'basic_text' };
    expect(await storageKeyVault({ safeStorage: builtInPassword, file: join(dir, 'basic.bin') }).keyFor('kiosk-422822100202-01')).toMatchObject({
      ok: false,
      error: { code: 'shell.secretsUnavailable' },
    });
    expect(
      (
        await storageKeyVault({
          safeStorage: { ...fakeKeychain(), getSelectedStorageBackend: () => 'gnome_libsecret' },
          file: join(dir, 'libsecret.bin'),
        }).keyFor('kiosk-422822100202-01')
      ).ok,
    ).toBe(true);
    const damaged = join(dir, 'damaged.bin');
    writeFileSync(damaged, fakeKeychain().encryptString(JSON.stringify({ 'kiosk-422822100202-01': 'short' })));
    expect(await storageKeyVault({ safeStorage: fakeKeychain(), file: damaged }).keyFor('kiosk-422822100202-02')).toMatchObject({
      ok: false,
      error: { code: 'shell.secretsUnavailable' },
    });
    expect(fakeKeychain().decryptString(readFileSync(damaged))).toContain('short');
  });
});
