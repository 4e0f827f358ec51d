/**
 * A small HTTP toolkit over node:http: routes, bounded JSON bodies, replies in CouchDB's own
 * `{error, reason}` shape, gzip for slow village links, CORS for the kiosk's origins.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import Negotiator from 'negotiator';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import { err, ok, type Result } from '../../core/result.js';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

export interface HttpReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export const reply = (status: number, body: unknown, headers?: Record<string, string>): HttpReply => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});
export const failure = (status: number, error: string, reason: string, headers?: Record<string, string>) => reply(status, { error, reason }, headers);

/**
 * The body of a reply that may take long (a long poll with CouchDB's `heartbeat`): if `heartbeatMs` pass
 * without the answer, the status line goes out and then a newline every `heartbeatMs` until it comes,
 * so a reverse proxy does not cut the request for silence. JSON readers skip the newlines. An error that
 * comes after the status line went out ends the connection: the client retries, as after any cut.
 */
export class Heartbeating {
  constructor(
    readonly heartbeatMs: number,
    readonly answer: Promise<HttpReply>,
  ) {}
}

/** A 400 naming each field a core/ schema refused, and why. */
export const invalidInput = (issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]) =>
  failure(400, 'bad_request', issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`).join('; '));

export interface RouteContext {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  /** Aborted when the client goes away, so long polls upstream stop too. */
  readonly signal: AbortSignal;
  /** Read and parse a JSON body of at most `limit` bytes. */
  json(limit: number): Promise<Result<unknown, HttpReply>>;
  /** Read a binary body of at most `limit` bytes. */
  bytes(limit: number): Promise<Result<Buffer, HttpReply>>;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | '*';
  readonly pattern: RegExp;
  /** The route as logs and metrics name it; by default its pattern with each named group as `:name`. */
  readonly label?: (params: Readonly<Record<string, string>>) => string;
  handle(context: RouteContext): Promise<HttpReply>;
}

const labels = new WeakMap<RegExp, string>();

/**
 * `/^\/api\/review\/cases\/(?<caseNumber>[^/]+)\/events$/` → `/api/review/cases/:caseNumber/events`: a
 * bounded name for a route, so what a caller put in the path (a case number, anything) is never logged.
 */
export function routeLabel(pattern: RegExp): string {
  // Worked out once per route, not once per request.
  const known = labels.get(pattern);
  if (known !== undefined) return known;
  let label = '';
  const source = pattern.source.replace(/^\^/, '').replace(/\$$/, '');
  for (let i = 0; i < source.length; i++) {
    const group = /^\(\?<([A-Za-z]\w*)>/.exec(source.slice(i));
    if (group) {
      label += `:${group[1] ?? ''}`;
      let depth = 0;
      for (; i < source.length; i++) {
        if (source[i] === '\\') i++;
        else if (source[i] === '(') depth++;
        else if (source[i] === ')' && --depth === 0) break;
      }
    } else if (source[i] === '\\') {
      label += source[++i] ?? '';
    } else if (!'?'.includes(source[i] ?? '')) {
      label += source[i] ?? '';
    }
  }
  labels.set(pattern, label);
  return label;
}

/** What the router tells its observer after each answer (the request log, the metrics). */
export interface Answered {
  readonly req: IncomingMessage;
  readonly requestId: string;
  readonly method: string;
  /** The route's label, `unmatched` when none matched. */
  readonly route: string;
  readonly status: number;
  readonly ms: number;
  /** The `error` code of a failure reply. */
  readonly error?: string;
}

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

async function readBytes(req: IncomingMessage, limit: number): Promise<Result<Buffer, HttpReply>> {
  const declared = Number(req.headers['content-length'] ?? '0');
  const tooLarge = failure(413, 'too_large', `The request body is larger than ${Math.round(limit / 1024)} KB.`);
  if (declared > limit) return err(tooLarge);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return err(tooLarge);
    chunks.push(chunk as Buffer);
  }
  return ok(Buffer.concat(chunks));
}

/** Content codings a JSON body may come in (`GET /api/compat` says so to kiosks): a push over a slow line, gzipped. */
export const REQUEST_ENCODINGS = ['gzip'] as const;

/**
 * The body as sent, decoded: gzip within `limit` bytes once inflated (a small body that inflates past it is
 * refused as too large, not inflated into memory), identity as it is, any other coding refused.
 */
async function decodedBody(req: IncomingMessage, body: Buffer, limit: number): Promise<Result<Buffer, HttpReply>> {
  const coding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (coding === 'identity') return ok(body);
  if (coding !== 'gzip') return err(failure(415, 'unsupported_media_type', `A request body may be gzip or identity, not ${coding.slice(0, 40)}.`));
  try {
    return ok(await gunzip(body, { maxOutputLength: limit }));
  } catch (error) {
    if (error instanceof RangeError) return err(failure(413, 'too_large', `The request body inflates to more than ${Math.round(limit / 1024)} KB.`));
    return err(failure(400, 'bad_request', 'The request body is not valid gzip.'));
  }
}

async function readJson(req: IncomingMessage, limit: number): Promise<Result<unknown, HttpReply>> {
  const sent = await readBytes(req, limit);
  if (!sent.ok) return sent;
  const bytes = await decodedBody(req, sent.value, limit);
  if (!bytes.ok) return bytes;
  const text = bytes.value.toString('utf8');
  if (text.trim() === '') return err(failure(400, 'bad_request', 'The request body is empty; JSON was expected.'));
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return err(failure(400, 'bad_request', 'The request body is not valid JSON.'));
  }
  // Nothing we accept nests deeply; a deep value would overflow the stack of whatever walks it next (the store did).
  if (nestingDepth(value) > MAX_JSON_DEPTH) return err(failure(400, 'bad_request', `The JSON nests deeper than ${String(MAX_JSON_DEPTH)} levels.`));
  // Half a surrogate pair (JSON can escape one, "\ud800") is no text: CouchDB cannot store it and answered 500.
  if (/\\u[dD][89a-fA-F]/.test(text) && holdsLoneSurrogate(value))
    return err(failure(400, 'bad_request', 'The request holds text that is not valid Unicode (half a surrogate pair).'));
  return ok(value);
}

/** Whether any string of a parsed JSON value, key or value, holds a lone surrogate; walked without recursion. */
function holdsLoneSurrogate(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (/\p{Cs}/u.test(item)) return true;
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) stack.push(key, child);
    }
  }
  return false;
}

export const MAX_JSON_DEPTH = 64;

/** How deep a parsed JSON value nests, counted without recursion (so a deep value cannot overflow this either). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A JSON object (not an array, not null): what every write route takes. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ServeOptions {
  readonly corsOrigins: readonly string[];
  /** Called once per request, after its answer went out (or the client left). */
  readonly onAnswered?: (answered: Answered) => void;
}

function corsHeaders(req: IncomingMessage, options: ServeOptions): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin || !options.corsOrigins.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-headers': 'authorization, content-type, content-encoding, accept',
    'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

async function sendHeartbeating(req: IncomingMessage, res: ServerResponse, body: Heartbeating, extra: Record<string, string>): Promise<void> {
  const line = { started: false };
  const beat = setInterval(() => {
    if (res.destroyed) return;
    if (!line.started) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', ...extra });
      line.started = true;
    }
    res.write('\n');
  }, body.heartbeatMs);
  const answer = await body.answer.finally(() => {
    clearInterval(beat);
  });
  if (!line.started) {
    await send(req, res, answer, extra);
    return;
  }
  if (answer.status >= 400) {
    res.destroy();
    return;
  }
  res.end(`${JSON.stringify(answer.body)}\n`);
}

/** Whether the client takes gzip, by its Accept-Encoding with q-values (`gzip;q=0` is a no). */
const acceptsGzip = (req: IncomingMessage) => new Negotiator(req).encoding(['gzip', 'identity']) === 'gzip';

async function send(req: IncomingMessage, res: ServerResponse, result: HttpReply, extra: Record<string, string>) {
  if (result.body instanceof Heartbeating) {
    await sendHeartbeating(req, res, result.body, extra);
    return;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store', ...extra, ...result.headers };
  // A stream (a large file: an installer) goes out as it is read, never whole in memory; the route sets its length.
  if (result.body instanceof Readable) {
    res.writeHead(result.status, headers);
    if (req.method === 'HEAD') {
      result.body.destroy();
      res.end();
      return;
    }
    await pipeline(result.body, res).catch(() => undefined); // the kiosk went away mid-download: it resumes with a Range
    return;
  }
  // A Buffer body is sent as it is (files); anything else as JSON.
  let payload: Buffer = Buffer.isBuffer(result.body) ? result.body : Buffer.from(result.body === undefined ? '' : `${JSON.stringify(result.body)}\n`);
  if (payload.length > 1024 && acceptsGzip(req)) {
    payload = await gzip(payload);
    headers['content-encoding'] = 'gzip';
    headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : 'Accept-Encoding';
  }
  headers['content-length'] = String(payload.length);
  res.writeHead(result.status, headers);
  res.end(req.method === 'HEAD' ? undefined : payload);
}

/**
 * The request's path and query. Parsed as a path of this hub, never as a URL of its own: `new URL('//x', base)`
 * reads `//x` as another host (and throws for a host like `//9007199254740992`), which once made such a
 * path a 500.
 */
export function requestUrl(target: string | undefined): URL | undefined {
  if (!target?.startsWith('/')) return undefined;
  try {
    return new URL(`http://hub.invalid${target}`);
  } catch {
    return undefined;
  }
}

/**
 * The request handler for a list of routes. Unexpected exceptions become a 500 and are logged (by route,
 * never by the path a caller sent), never a crash. Every answer carries an `x-request-id`, which the
 * request log names too, so a clerk's screenshot leads to the log line.
 */
export function router(routes: readonly Route[], options: ServeOptions, log: (message: string) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = randomUUID();
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const headers = { ...corsHeaders(req, options), 'x-request-id': requestId };
    void (async () => {
      let result: HttpReply;
      let route = 'unmatched';
      try {
        const url = requestUrl(req.url);
        if (!url) {
          result = failure(400, 'bad_request', 'The request target must be a path starting with a single /.');
        } else if (req.method === 'OPTIONS') {
          result = reply(204, undefined);
        } else {
          ({ result, route } = await dispatch(routes, req, url, controller.signal));
        }
      } catch (error) {
        log(`unhandled error in ${req.method ?? '?'} ${route} (request ${requestId}): ${String(error)}`);
        result = failure(500, 'internal_error', 'The county hub could not handle this request.');
      }
      if (!res.headersSent && !res.destroyed) await send(req, res, result, headers);
      const body = result.body as { error?: unknown } | undefined;
      options.onAnswered?.({
        req,
        requestId,
        method: req.method ?? '?',
        route,
        status: res.headersSent ? res.statusCode : result.status,
        ms: performance.now() - started,
        ...(typeof body?.error === 'string' ? { error: body.error } : {}),
      });
    })();
  };
}

/**
 * Routes match the normalised, still-encoded path (so `%2F` inside a document id never acts as a
 * separator), and each captured parameter is decoded on its own.
 */
async function dispatch(routes: readonly Route[], req: IncomingMessage, url: URL, signal: AbortSignal): Promise<{ result: HttpReply; route: string }> {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.pattern.exec(url.pathname);
    if (!match) continue;
    pathMatched = true;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (route.method !== '*' && route.method !== method) continue;
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(match.groups ?? {})) {
      try {
        params[name] = decodeURIComponent(value);
      } catch {
        return { result: failure(400, 'bad_request', 'The request path is not valid percent-encoding.'), route: routeLabel(route.pattern) };
      }
    }
    const result = await route.handle({ req, url, params, signal, json: (limit) => readJson(req, limit), bytes: (limit) => readBytes(req, limit) });
    return { result, route: route.label?.(params) ?? routeLabel(route.pattern) };
  }
  const result = pathMatched ? failure(405, 'method_not_allowed', `${req.method ?? ''} is not allowed here.`) : failure(404, 'not_found', 'missing');
  return { result, route: 'unmatched' };
}
