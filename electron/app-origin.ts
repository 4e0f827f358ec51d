/**
 * The kiosk's own origin: the built renderer is served from `app://cunban/`, a privileged standard scheme
 * (secure, so WebCrypto and IndexedDB work; never `file://`). Everything else is somewhere else.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'cunban';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** True only for a well-formed URL of exactly our origin. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
