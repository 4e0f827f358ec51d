/**
 * The browser apps, served by the hub: the kiosk's screens at /kiosk/ (browser mode; the Electron shell
 * loads the same build from app://), the review console at /console/ and the residents' page at /r/
 * (short, for a receipt's QR code). Static files only, each app
 * from its own directory, behind a path-traversal guard and a strict Content-Security-Policy: scripts
 * and styles from this origin only, no inline script, no framing, and network access to this hub alone.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { appContentType } from '../core/content-types.js';
import { failure, reply, type HttpReply, type Route } from './http/kit.js';

/** Where `npm run build:apps` writes the apps, one folder each. */
export const DEFAULT_APPS_DIR = resolve(import.meta.dirname, '../dist');
export type AppName = 'kiosk' | 'console' | 'resident';

/** Where each app is mounted on the hub. */
export const APP_PATHS: Readonly<Record<AppName, string>> = { kiosk: 'kiosk', console: 'console', resident: 'r' };

export function appContentSecurityPolicy(extraConnect: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${extraConnect.map((origin) => ` ${origin}`).join('')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The file under `root` that a request path names, or undefined when the path tries to leave it
 * (`..`, encoded separators, NUL) — checked after decoding and resolving, not by pattern alone.
 */
export function resolveInside(root: string, requestPath: string): string | undefined {
  if (requestPath.includes('\0') || requestPath.includes('\\')) return undefined;
  const base = resolve(root);
  const target = resolve(base, `.${sep}${requestPath === '' ? 'index.html' : requestPath}`);
  return target.startsWith(base + sep) ? target : undefined;
}

export function appRoutes(app: AppName, options: { readonly appsDir: string; readonly publicOrigin?: string }): Route[] {
  const csp = appContentSecurityPolicy(options.publicOrigin ? [options.publicOrigin] : []);
  const dir = resolve(options.appsDir, app);
  const serve = async (requestPath: string): Promise<HttpReply> => {
    const file = resolveInside(dir, requestPath);
    if (!file) return failure(404, 'not_found', 'No such file.');
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      if (requestPath === '') {
        return failure(503, 'app_not_built', `The ${app} is not built on this hub: run \`npm run build:apps\`.`);
      }
      return failure(404, 'not_found', 'No such file.');
    }
    const isIndex = file.endsWith(`${sep}index.html`);
    return reply(200, await readFile(file), {
      'content-type': appContentType(file),
      // Hashed asset names never change content; the page itself is always revalidated.
      'cache-control': isIndex ? 'no-cache' : 'public, max-age=31536000, immutable',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
  };
  const mount = APP_PATHS[app];
  return [
    { method: 'GET', pattern: new RegExp(`^/${mount}$`), handle: () => Promise.resolve(reply(308, undefined, { location: `/${mount}/` })) },
    { method: 'GET', pattern: new RegExp(`^/${mount}/(?<path>[^?#]*)$`), handle: (context) => serve(context.params.path ?? '') },
  ];
}
