/**
 * Malformed requests against a running hub — the gateway, enrollment, files, updates, the apps and the
 * review API — from a seeded generator, so a finding can be replayed: bad JSON, wrong types, huge bodies,
 * path tricks (`..`, encoded slashes and dots, NUL, overlong UTF-8), abused headers and credentials.
 * Each answer is recorded by status; any 5xx, or a request the hub never answers, is a finding.
 */

export interface FuzzTarget {
  readonly base: string;
  readonly village: string;
  readonly caseNumber: string;
  readonly kioskAuthorization: string;
  readonly reviewer: { readonly cookie: string; readonly csrf: string };
}

export interface FuzzFinding {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The start of what the hub answered (or the client's error). */
  readonly body: string;
  /** The start of what was sent, and the request's place in the run, to replay it. */
  readonly sent: string;
  readonly index: number;
}

export interface FuzzReport {
  readonly requests: number;
  readonly byStatus: Readonly<Record<string, number>>;
  /** Every 5xx answer and every request that got no answer at all (status 0). */
  readonly findings: readonly FuzzFinding[];
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATH_TRICKS = [
  '..',
  '%2e%2e',
  '%2E%2E%2F',
  '..%2f',
  '%252e%252e',
  '%c0%ae%c0%ae',
  '..\\',
  '%5c',
  '%00',
  '.%00.',
  '//',
  '%2f',
  '~',
  '%ff',
  '%',
  '%zz',
  '\u202e',
  '😀',
];
const HUGE = 9 * 1024 * 1024;
/** HTTP header values are bytes 0x20–0x7e here: anything else the client itself refuses to send. */
const headerSafe = (text: string) => text.replace(/[^\x20-\x7e]/g, '').slice(0, 200);

interface Draft {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

export function fuzzRequests(target: FuzzTarget, count: number, seed = 1): Draft[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const chance = (p: number) => next() < p;
  const db = `village_${target.village}`;
  const junkValue = (depth = 0): unknown =>
    pick<() => unknown>([
      () => null,
      () => -1,
      () => Number.POSITIVE_INFINITY,
      () => Number.MAX_SAFE_INTEGER + 2,
      () => true,
      () => '',
      () => 'x'.repeat(Math.floor(next() * 5000)),
      () => '422822198001010015',
      () => '<script>alert(1)</script>',
      () => '../'.repeat(8) + 'etc/passwd',
      () => '\u0000\ud800',
      () => (depth > 3 ? [] : Array.from({ length: Math.floor(next() * 4) }, () => junkValue(depth + 1))),
      () =>
        depth > 3
          ? {}
          : {
              _id: junkValue(depth + 1),
              __proto__: { admin: true },
              constructor: { prototype: {} },
              [pick(['docs', 'code', 'name', 'type', 'keys', 'new_edits', 'events', 'reason', 'size'])]: junkValue(depth + 1),
            },
    ])();
  const body = (): string | Uint8Array<ArrayBuffer> =>
    pick<() => string | Uint8Array<ArrayBuffer>>([
      () => JSON.stringify(junkValue()),
      () => '{',
      () => '{"docs": [',
      () => '[]',
      () => 'null',
      () => '\u0000\u0001',
      () => `{"docs": ${JSON.stringify(Array.from({ length: 3 }, () => junkValue()))}}`,
      () => `{"docs": [${'{"_id":"x"},'.repeat(1200)}{"_id":"y"}]}`,
      () => '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
      () => new Uint8Array(HUGE).fill(0x7b),
      () => Uint8Array.from({ length: 512 }, () => Math.floor(next() * 256)),
      () => JSON.stringify({ code: junkValue(), appVersion: junkValue() }),
      () => JSON.stringify({ name: junkValue(), password: junkValue() }),
      () =>
        JSON.stringify({
          type: pick(['approved', 'rejected', 'returnedForMaterials', 'forwarded', 'note', 'created']),
          reason: junkValue(),
          missing: junkValue(),
          to: junkValue(),
          text: junkValue(),
        }),
    ])();
  // Lone surrogates cannot be percent-encoded at all; the rest of a junk value can.
  const trick = () => (chance(0.5) ? pick(PATH_TRICKS) : encodeURIComponent(String(junkValue()).replace(/[\ud800-\udfff]/g, '')).slice(0, 200));
  const paths = [
    () => `/sync/${db}/`,
    () => `/sync/${db}/_bulk_docs`,
    () =>
      `/sync/${db}/_changes?since=${trick()}&limit=${pick(['-1', '1e9', 'x', '[]'])}&feed=${pick(['longpoll', 'continuous', 'eventsource', 'normal'])}&timeout=${pick(['1', '-5', '9999999999'])}`,
    () => `/sync/${db}/_all_docs?keys=${trick()}&include_docs=${pick(['true', '1', '{}'])}`,
    () => `/sync/${db}/_bulk_get?revs=${trick()}`,
    () => `/sync/${db}/_revs_diff`,
    () => `/sync/${db}/_local/${trick()}`,
    () => `/sync/${db}/${trick()}`,
    () => `/sync/${trick()}/_all_docs`,
    () => `/sync/${db}/_design/cunban`,
    () => `/sync/${db}/_security`,
    () => `/sync/cunban_catalog/${trick()}`,
    () => `/sync/_all_dbs`,
    () => '/api/enroll',
    () => '/api/kiosk/status',
    () => `/api/health?${trick()}`,
    () => `/files/${target.village}/${target.caseNumber}/${'a'.repeat(64)}`,
    () => `/files/${target.village}/${trick()}/${trick()}`,
    () => `/files/${target.village}/${target.caseNumber}/${'b'.repeat(64)}/chunks/${pick(['0', '99999', '-1', 'x'])}`,
    () => `/updates/${trick()}`,
    () => `/kiosk/${trick()}`,
    () => `/console/${trick()}/${trick()}`,
    () => '/api/session',
    () => `/api/review/queue?${pick(['page', 'pageSize', 'town', 'village', 'status', 'from', 'state', 'held', 'extra'])}=${trick()}`,
    () => `/api/review/cases/${trick()}`,
    () => `/api/review/cases/${target.caseNumber}/events`,
    () => `/api/review/cases/${target.caseNumber}/reveal`,
    () => `/api/review/cases/${target.caseNumber}/files/${trick()}`,
    () => `/api/review/export.csv?${trick()}=${trick()}`,
    () => `/api/review/dashboard?town=${trick()}`,
    () => '/api/review/notices',
    () => `/api/review/notices/${trick()}`,
    () => '/api/review/kiosks/enroll',
    () => `/api/review/kiosks/${trick()}/revoke`,
    () => `/api/review/quarantine/${trick()}/resolve`,
    () => `/${trick()}`,
  ];
  const drafts: Draft[] = [];
  for (let i = 0; i < count; i++) {
    const headers: Record<string, string> = {};
    const auth = next();
    if (auth < 0.35) headers.authorization = target.kioskAuthorization;
    else if (auth < 0.45)
      headers.authorization = pick(['Basic', 'Basic !!!', `Basic ${btoa('kiosk-x:y')}`, `Bearer ${'a'.repeat(8000)}`, 'Basic '.padEnd(6000, '=')]);
    if (chance(0.35)) {
      headers.cookie = chance(0.8)
        ? target.reviewer.cookie
        : pick(['cunban_session=', 'cunban_session=%%%', `cunban_session=${'x'.repeat(4000)}`, 'a=b; cunban_session=1; cunban_session=2']);
      if (chance(0.8)) headers['x-cunban-csrf'] = chance(0.7) ? target.reviewer.csrf : headerSafe(String(junkValue()));
    }
    if (chance(0.2))
      headers['content-type'] = pick(['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', '']);
    if (chance(0.1)) headers.range = pick(['bytes=0-', 'bytes=-1', 'bytes=999999999-', 'bytes=1-0', 'items=0-1']);
    if (chance(0.1)) headers.origin = pick(['app://cunban', 'https://evil.example', 'null']);
    if (chance(0.05)) headers['accept-encoding'] = 'gzip, deflate, br, x'.repeat(100);
    const method = pick(['GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']);
    const draft: Draft = { method, path: pick(paths)(), headers };
    if (method !== 'GET' && method !== 'HEAD' && chance(0.9)) draft.body = body();
    drafts.push(draft);
  }
  return drafts;
}

export async function fuzzHub(target: FuzzTarget, count: number, options: { seed?: number; concurrency?: number } = {}): Promise<FuzzReport> {
  const drafts = fuzzRequests(target, count, options.seed ?? 1);
  const byStatus: Record<string, number> = {};
  const findings: FuzzFinding[] = [];
  let index = 0;
  const worker = async () => {
    while (index < drafts.length) {
      const at = index++;
      const draft = drafts[at];
      if (!draft) break;
      const attempt = async (): Promise<{ status: number; text: string }> => {
        try {
          const response = await fetch(`${target.base}${draft.path}`, {
            method: draft.method,
            headers: draft.headers,
            ...(draft.body === undefined ? {} : { body: draft.body }),
            // Longer than the hub's own long-poll limit (55 s): a poll that lasts that long is not a hang.
            signal: AbortSignal.timeout(70_000),
          });
          const text = response.status >= 500 ? (await response.text()).slice(0, 300) : '';
          if (response.status < 500) await response.body?.cancel();
          return { status: response.status, text };
        } catch (error) {
          const cause = (error as { cause?: { message?: string } }).cause?.message ?? '';
          return { status: 0, text: `${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause})` : ''}` };
        }
      };
      // A kept-alive connection the hub closed (after refusing a 9 MB body, say) can fail the next request on
      // it before it is sent: that request is tried once more, and only a second failure is a finding.
      let { status, text } = await attempt();
      if (status === 0 && !text.startsWith('The operation was aborted')) ({ status, text } = await attempt());
      byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
      if (status === 0 || status >= 500) {
        const sent = typeof draft.body === 'string' ? draft.body.slice(0, 300) : draft.body ? `<${String(draft.body.length)} bytes>` : '';
        findings.push({ method: draft.method, path: draft.path.slice(0, 200), status, body: text, sent, index: at });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return { requests: drafts.length, byStatus, findings: findings.sort((a, b) => a.index - b.index) };
}
