/**
 * What the kiosk window may do beyond showing our pages: nothing, by default. Navigation stays on our
 * origin, new windows are never opened, and of all permissions only the camera is granted — to our own
 * page, for reading an enrollment QR code and scanning documents.
 */
import { isAppUrl } from './app-origin.js';

/** `will-navigate` / `will-redirect`: allowed only within our own origin. */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/** Permissions a feature needs, by name: the camera (Electron's `media` with video only). */
export function permissionAllowed(permission: string, requestingUrl: string, details: { readonly mediaTypes?: readonly string[] } = {}): boolean {
  if (!isAppUrl(requestingUrl)) return false;
  if (permission !== 'media') return false;
  const types = details.mediaTypes ?? [];
  return types.length > 0 && types.every((type) => type === 'video');
}

/** The permission *check* (synchronous queries such as `navigator.permissions`): the same rule, no media types known. */
export function permissionCheckAllowed(permission: string, requestingOrigin: string, mediaType?: string): boolean {
  return permissionAllowed(permission, requestingOrigin, mediaType ? { mediaTypes: [mediaType] } : {});
}
