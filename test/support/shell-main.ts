/**
 * The Electron side for tests that run without Electron: main's real handlers (sender check, zod schemas)
 * behind the real preload bridge, called as our page's main frame would call them; and a keychain stand-in.
 */
import type { CunbanBridge } from '../../core/api/shell.js';
import { SHELL_CHANNEL_NAMES, type ShellChannel } from '../../core/api/shell-channels.js';
import { bridgeOf } from '../../electron/bridge.js';
import type { SafeStorageLike } from '../../electron/enrollment-vault.js';
import type { IpcSender } from '../../electron/ipc.js';

/** A stand-in for the OS keychain: reversible, but never plain text on disk. */
export const fakeKeychain = (available = true): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain) => Buffer.from(Buffer.from(plain).map((byte) => byte ^ 0x5a)),
  decryptString: (encrypted) => Buffer.from(encrypted.map((byte) => byte ^ 0x5a)).toString(),
});

type Handler = (event: IpcSender, argument: unknown) => Promise<unknown>;
const page: IpcSender = { senderFrame: { url: 'app://cunban/index.html', parent: null } };

/** `window.cunban` wired to these handlers (from `validatedHandler`); a channel without one rejects. */
export function bridgeToMain(handlers: Partial<Record<ShellChannel, Handler>>, appVersion = '0.1.0-test'): CunbanBridge {
  const byName = new Map<string, Handler | undefined>(
    Object.entries(handlers).map(([channel, handler]) => [SHELL_CHANNEL_NAMES[channel as ShellChannel], handler]),
  );
  return bridgeOf((channel, argument) => byName.get(channel)?.(page, argument) ?? Promise.reject(new Error(channel)), appVersion);
}
