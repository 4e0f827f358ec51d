/**
 * Kiosk updates from the county hub: `/updates/<file>` serves what electron-builder produced (the
 * `latest.yml` / `latest-linux.yml` feeds, installers, blockmaps) from the updates folder, for
 * electron-updater's generic provider — so halls update over the county network, without the internet.
 * Public like any download (installers carry no secret), GET only, behind the same path guard as the apps,
 * streamed, with byte ranges — one, so an interrupted download resumes, or many in a `multipart/byteranges`
 * answer, as electron-updater asks for a differential update.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { failure, reply, type HttpReply, type Route } from './http/kit.js';
import { resolveInside } from './static-apps.js';

const TYPES: Readonly<Record<string, string>> = { '.yml': 'text/yaml; charset=utf-8', '.json': 'application/json' };

export interface ByteRange {
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
}

/** More ranges than this in one request are answered with the whole file (no amplification by tiny ranges). */
const MAX_RANGES = 200;

/**
 * The byte ranges a `Range` header asks of a file of `size` bytes (RFC 9110 §14): `undefined` to send the
 * whole file — no header, a unit other than bytes, a header that does not parse, or too many ranges, all of
 * which a server ignores — `null` when none is satisfiable (416), else the satisfiable ranges in order.
 * electron-updater asks for many ranges at once for a differential update.
 */
export function byteRanges(header: string | undefined, size: number): ByteRange[] | null | undefined {
  const match = header === undefined ? null : /^bytes=(.+)$/.exec(header.trim());
  if (!match) return undefined;
  const specs = (match[1] ?? '').split(',').map((spec) => /^\s*(\d*)-(\d*)\s*$/.exec(spec));
  if (specs.length > MAX_RANGES || specs.some((spec) => !spec || (spec[1] === '' && spec[2] === ''))) return undefined;
  const ranges: ByteRange[] = [];
  for (const spec of specs) {
    const [first, last] = [spec?.[1] ?? '', spec?.[2] ?? ''];
    const start = first === '' ? Math.max(0, size - Number(last)) : Number(first);
    const end = first === '' || last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (first !== '' && last !== '' && Number(last) < Number(first)) return undefined;
    if (start <= end && start < size) ranges.push({ start, end });
  }
  return ranges.length > 0 ? ranges : null;
}

/** The parts of a `multipart/byteranges` answer: each range's part head, then its bytes; the closing line. */
function multipartBody(file: string, ranges: readonly ByteRange[], size: number, type: string, boundary: string): { body: Readable; length: number } {
  const heads = ranges.map((range, i) =>
    Buffer.from(
      `${i === 0 ? '' : '\r\n'}--${boundary}\r\ncontent-type: ${type}\r\ncontent-range: bytes ${String(range.start)}-${String(range.end)}/${String(size)}\r\n\r\n`,
    ),
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = heads.reduce((sum, head, i) => sum + head.length + ((ranges[i]?.end ?? 0) - (ranges[i]?.start ?? 0) + 1), tail.length);
  async function* parts() {
    for (const [i, range] of ranges.entries()) {
      yield heads[i] as Buffer;
      for await (const chunk of createReadStream(file, range)) yield chunk as Buffer;
    }
    yield tail;
  }
  return { body: Readable.from(parts()), length };
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
    const wanted = byteRanges(range, info.size);
    if (wanted === null)
      return failure(416, 'range_not_satisfiable', `This file has ${String(info.size)} bytes.`, { 'content-range': `bytes */${String(info.size)}` });
    if (wanted === undefined) return reply(200, createReadStream(file), { ...headers, 'content-length': String(info.size) });
    const [only] = wanted;
    if (wanted.length === 1 && only) {
      return reply(206, createReadStream(file, only), {
        ...headers,
        'content-length': String(only.end - only.start + 1),
        'content-range': `bytes ${String(only.start)}-${String(only.end)}/${String(info.size)}`,
      });
    }
    const boundary = `cunban-${randomBytes(12).toString('hex')}`;
    const multipart = multipartBody(file, wanted, info.size, headers['content-type'], boundary);
    return reply(206, multipart.body, { ...headers, 'content-type': `multipart/byteranges; boundary=${boundary}`, 'content-length': String(multipart.length) });
  };
  return [
    {
      method: 'GET',
      pattern: /^\/updates\/(?<path>[^?#]*)$/,
      handle: (context) => serve(context.params.path ?? '', context.req.headers.range),
    },
  ];
}
