/**
 * The public keys a kiosk accepts updates signed by, built into main at packaging time from
 * `build/update-public-keys.pem` (one or more PEM blocks: the current key, and the next during a
 * rotation). main.cjs sits inside the asar whose integrity Electron checks, so the keys cannot be swapped
 * on disk. A build without the file accepts no update at all, and says so.
 */
declare const __CUNBAN_UPDATE_KEYS__: string | undefined;

/** The PEM blocks in `text`. */
export function pemBlocks(text: string): string[] {
  return text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
}

export const BUILT_IN_UPDATE_KEYS: readonly string[] = typeof __CUNBAN_UPDATE_KEYS__ === 'string' ? pemBlocks(__CUNBAN_UPDATE_KEYS__) : [];
