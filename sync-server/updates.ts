/**
 * Kiosk updates from the county hub: `/updates/<file>` serves what electron-builder produced (the
 * `latest.yml` / `latest-linux.yml` feeds, installers, blockmaps) from the updates folder, for
 * electron-updater's generic provider — so halls update over the county network, without the internet.
 * Public like any download (installers carry no secret), GET only, behind the same path guard as the apps,
 * streamed, with single byte ranges so an interrupted download resumes and differential updates work.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { failure, reply, type HttpReply, type Route } from './http/kit.js';
import { resolveInside } from './static-apps.js';

const TYPES: Readonly<Record<string, string>> = { '.yml': 'text/yaml; charset=utf-8', '.json': 'application/json' };

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` for a file of `size` bytes: the inclusive range, or null when unsatisfiable. */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | null | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  const [first, last] = [match[1] ?? '', match[2] ?? ''];
  const start = first === '' ? Math.max(0, size - Number(last)) : Number(first);
  const end = first === '' || last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return start <= end && start < size ? { start, end } : null;
}

export function updateRoutes(options: { readonly updatesDir: string }): Route[] {
  const serve = async (requestPath: string, range: string | undefined): Promise<HttpReply> => {
    const file = resolveInside(options.updatesDir, requestPath);
    const info = file ? await stat(file).catch(() => undefined) : undefined;
    if (!file || !info?.isFile() || requestPath === '') return failure(404, 'not_found', 'No such update file on this hub.');
    const feed = extname(file) === '.yml';
    const headers = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      // The feed says which version is current: always revalidated. Installers never change under one name.
      'cache-control': feed ? 'no-cache' : 'public, max-age=86400',
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
    };
    const wanted = byteRange(range, info.size);
    if (wanted === null) return failure(416, 'range_not_satisfiable', `This file has ${String(info.size)} bytes.`, { 'content-range': `bytes */${String(info.size)}` });
    if (wanted === undefined) return reply(200, createReadStream(file), { ...headers, 'content-length': String(info.size) });
    return reply(206, createReadStream(file, wanted), {
      ...headers,
      'content-length': String(wanted.end - wanted.start + 1),
      'content-range': `bytes ${String(wanted.start)}-${String(wanted.end)}/${String(info.size)}`,
    });
  };
  return [
    {
      method: 'GET',
      pattern: /^\/updates\/(?<path>[^?#]*)$/,
      handle: (context) => serve(context.params.path ?? '', context.req.headers.range),
    },
  ];
}
