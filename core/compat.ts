/**
 * The compatibility rule (docs/COMPATIBILITY.md) in code. A county always runs several kiosk versions
 * at once, and a hub may be older or newer than its kiosks, so every reader of a synced document asks
 * here first whether it can read it:
 *
 * - every document carries `kind` and `schemaVersion`, the major version of its kind's schema (a
 *   notice written before 0.2.0 carries none and is version 1);
 * - within a major version a change only adds (optional fields, event types that change nothing
 *   derived, new kinds), so a reader of the same major keeps what it does not know and passes it on;
 * - a newer major, or a kind this version has never heard of, is kept as it is and not interpreted.
 */

/** The document kinds this version of Cunban reads, with the major version of each. */
export const READS = {
  'cunban.case': 1,
  'cunban.catalog': 1,
  'cunban.divisionTable': 1,
  'cunban.workingCalendar': 1,
  'cunban.notice': 1,
  'cunban.fleetPolicy': 1,
  'cunban.hallSchedule': 1,
  'cunban.appointment': 1,
  'cunban.appeal': 1,
  'cunban.publication': 1,
} as const satisfies Record<string, number>;
export type DocumentKind = keyof typeof READS;

/**
 * What a reader that follows this rule sends with its reads of the sync gateway
 * (`?cunban_compat=1`): the hub then serves it every document. A query parameter, not a header:
 * an older hub ignores parameters it does not know, but refuses a browser's request with a header
 * its CORS rules do not name.
 */
export const COMPAT_PARAM = 'cunban_compat';
export const COMPAT_LEVEL = 1;

/**
 * The case event types of Cunban 0.1.0, the last version before this rule. It refuses or fails on
 * anything else, so the hub holds a case with other events back from such a kiosk. Frozen: new
 * event types are added to core/case/events.ts, never here.
 */
export const LEGACY_EVENT_TYPES: ReadonlySet<string> = new Set([
  'created',
  'materialsChecked',
  'materialsMissing',
  'returnedForMaterials',
  'materialsSupplied',
  'forwarded',
  'approved',
  'rejected',
  'resultHandedOver',
  'withdrawn',
  'note',
]);

/**
 * `GET /api/compat`: what a hub reads, so that a kiosk newer than its hub writes only what the hub can
 * take and holds the rest (a hub without this route is 0.1.0: it reads case documents of version 1).
 */
export interface CompatInfo {
  readonly hub: string;
  /** The version of this rule the hub follows. */
  readonly compat: number;
  readonly reads: Readonly<Record<string, number>>;
  readonly minimumKioskVersion?: string;
  /** What one sync request and one case may carry, in bytes: a kiosk sends its pushes in parts within them. */
  readonly limits: { readonly requestBytes: number; readonly documentBytes: number };
  /**
   * Content codings the hub takes on a JSON request body (as RFC 7694's Accept-Encoding in a response says);
   * a kiosk gzips its pushes to a hub that lists `gzip`. Hubs before 0.3.1 leave it out: identity only.
   */
  readonly requestEncodings?: readonly string[];
}

export interface DocumentVersion {
  readonly kind?: string;
  /** 1 for a document that carries no version (written before versions were carried). */
  readonly major: number;
}

const asRecord = (doc: unknown): Record<string, unknown> | undefined =>
  typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;

export function documentVersion(doc: unknown): DocumentVersion {
  const record = asRecord(doc);
  const kind = typeof record?.kind === 'string' ? record.kind : undefined;
  const version = record?.schemaVersion;
  const major = typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : 1;
  return kind === undefined ? { major } : { kind, major };
}

export type Readability =
  | { readonly readable: true; readonly kind: DocumentKind; readonly major: number }
  /** A kind this version does not know: kept, passed on, never shown or edited. */
  | { readonly readable: false; readonly reason: 'unknownKind'; readonly kind?: string; readonly major: number }
  /** A kind this version knows, in a newer major version: kept as it is; an update is needed to use it. */
  | { readonly readable: false; readonly reason: 'newerVersion'; readonly kind: DocumentKind; readonly major: number; readonly reads: number };

const isKnownKind = (kind: string | undefined): kind is DocumentKind => kind !== undefined && Object.hasOwn(READS, kind);

/** Whether this version can read `doc` — the question every reader of a synced document asks first. */
export function readability(doc: unknown): Readability {
  const { kind, major } = documentVersion(doc);
  if (!isKnownKind(kind)) return { readable: false, reason: 'unknownKind', ...(kind === undefined ? {} : { kind }), major };
  const reads = READS[kind];
  return major > reads ? { readable: false, reason: 'newerVersion', kind, major, reads } : { readable: true, kind, major };
}

/** Top-level fields of `doc` that are neither storage metadata (`_…`) nor in `known`: a newer writer's. */
export function unknownFields(doc: object, known: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_') && !known.has(key)));
}
