/**
 * The query parameters the gateway passes on to the store: only those an endpoint takes, each checked
 * against CouchDB's grammar first and refused with a 400 naming it otherwise. The store must never see
 * a value it chokes on: Apache CouchDB 3.5 answers `_changes?limit=[]` with a 500 (`badarg`), which the
 * fuzzing found. Parameters the gateway does not know (`cunban_compat`, a client's own) are left out.
 */
import { failure, type HttpReply } from './http/kit.js';

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false };
type Parse = (text: string) => Parsed;

const good = (value: unknown): Parsed => ({ ok: true, value });
const bad: Parsed = { ok: false };

const boolean: Parse = (text) => (text === 'true' || text === 'false' ? good(text) : bad);
/** A count or a number of milliseconds: digits only, of a sane size. */
const count: Parse = (text) => (/^\d{1,9}$/.test(text) ? good(text) : bad);
const oneOf =
  (...values: string[]): Parse =>
  (text) =>
    values.includes(text) ? good(text) : bad;
/** A JSON value, decoded (nano encodes it again). */
const json =
  (accept: (value: unknown) => boolean): Parse =>
  (text) => {
    try {
      const value = JSON.parse(text) as unknown;
      return accept(value) ? good(value) : bad;
    } catch {
      return bad;
    }
  };
const isKey = (value: unknown) => typeof value === 'string' || typeof value === 'number' || value === null || Array.isArray(value);
const REV = /^\d{1,9}-[0-9a-f]{1,64}$/;
/** `now`, or a sequence: an integer (the embedded store), or CouchDB's opaque `<n>-<base64url>`. */
const since: Parse = (text) => (text === 'now' || /^\d{1,15}(-[A-Za-z0-9_-]{1,4096})?$/.test(text) ? good(text) : bad);

export const CHANGES_PARAMS = {
  since,
  limit: count,
  feed: oneOf('normal', 'longpoll'),
  timeout: count,
  heartbeat: (text: string) => (text === 'true' ? good(text) : count(text)),
  include_docs: boolean,
  style: oneOf('main_only', 'all_docs'),
  descending: boolean,
  seq_interval: count,
  conflicts: boolean,
} satisfies Record<string, Parse>;

export const ALL_DOCS_PARAMS = {
  keys: json((value) => Array.isArray(value) && value.every((key) => typeof key === 'string')),
  key: json(isKey),
  startkey: json(isKey),
  endkey: json(isKey),
  start_key: json(isKey),
  end_key: json(isKey),
  include_docs: boolean,
  limit: count,
  skip: count,
  descending: boolean,
  conflicts: boolean,
  update_seq: boolean,
} satisfies Record<string, Parse>;

export const BULK_GET_PARAMS = { revs: boolean, latest: boolean } satisfies Record<string, Parse>;

export const DOC_PARAMS = {
  rev: (text: string) => (REV.test(text) ? good(text) : bad),
  revs: boolean,
  open_revs: (text: string) =>
    text === 'all' ? good(text) : json((value) => Array.isArray(value) && value.every((rev) => typeof rev === 'string' && REV.test(rev)))(text),
  latest: boolean,
  revs_info: boolean,
  conflicts: boolean,
} satisfies Record<string, Parse>;

export type Query = Record<string, unknown>;

/** The endpoint's parameters from the URL, checked; or the 400 that names the first bad one. */
export function queryOf(url: URL, grammar: Readonly<Record<string, Parse>>): { ok: true; qs: Query } | { ok: false; reply: HttpReply } {
  const qs: Query = {};
  for (const [key, text] of url.searchParams) {
    if (!Object.hasOwn(grammar, key)) continue;
    const parsed = (grammar[key] as Parse)(text);
    if (!parsed.ok) return { ok: false, reply: failure(400, 'bad_request', `Query parameter ${key} is not valid here: ${JSON.stringify(text.slice(0, 80))}.`) };
    qs[key] = parsed.value;
  }
  return { ok: true, qs };
}

/** A query parameter given in a POST body (CouchDB takes `_all_docs`' options there too), checked the same way. */
export function bodyParam(grammar: Readonly<Record<string, Parse>>, key: string, value: unknown): Parsed {
  if (!Object.hasOwn(grammar, key) || (typeof value !== 'boolean' && typeof value !== 'number')) return bad;
  return (grammar[key] as Parse)(String(value));
}
