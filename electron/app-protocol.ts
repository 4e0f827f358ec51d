/**
 * The `app://cunban/` protocol handler's logic: GET only, a path guard (decode, resolve, then check the
 * result stays inside the renderer's folder), a content type per extension, and the kiosk's CSP on every
 * page. Main passes the answer to `protocol.handle`; this module never touches `electron`.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { appContentType } from '../core/content-types.js';
import { APP_HOST, APP_SCHEME } from './app-origin.js';

export interface AppResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
}

/**
 * The kiosk page's Content-Security-Policy. Before enrollment the technician types the hub's address, so
 * the page may reach any http(s) origin; once enrolled, only the county hub it enrolled with.
 */
export function kioskContentSecurityPolicy(hubOrigin: string | undefined): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' mediastream:",
    `connect-src 'self' ${hubOrigin ?? 'https: http:'}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The file a request names under `root`, or undefined when the path tries to leave it. */
export function appFilePath(root: string, requestUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  const base = resolve(root);
  const target = resolve(base, `.${sep}${path === '/' || path === '' ? 'index.html' : path}`);
  return target.startsWith(base + sep) ? target : undefined;
}

export async function answerAppRequest(root: string, request: { readonly method: string; readonly url: string }, csp: string): Promise<AppResponse> {
  const plain = { 'content-type': 'text/plain; charset=utf-8' };
  if (request.method !== 'GET') return { status: 405, headers: plain, body: Buffer.from('GET only') };
  const file = appFilePath(root, request.url);
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!file || !info?.isFile()) return { status: 404, headers: plain, body: Buffer.from('not found') };
  return {
    status: 200,
    headers: {
      'content-type': appContentType(file),
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
    },
    body: await readFile(file),
  };
}
