/**
 * `cunban-hub doctor`: a hub's configuration checked against its store and its surroundings, read only,
 * each finding in plain words with what to do. Run it on every hub machine after setting it up, after
 * an upgrade, and when something is wrong (README, "Running a county's hub").
 *
 * Each check is a small function returning findings; a check that cannot run because an earlier one
 * failed (no store, no schema) says so rather than adding noise.
 */
import { accessSync, constants, readFileSync, statfsSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { healthResponseSchema } from '../core/api/health.js';
import { CUNBAN_VERSION } from '../core/version.js';
import type { HubConfig } from './config.js';
import { portFree } from './http/port.js';
import { keyRingFingerprint, keyringFile, keyRingMode, keyRingStanding } from './keyring.js';
import { readCountyData, STORE_SCHEMA_VERSION } from './provision.js';
import { DB, hallDb, villageDb } from './store/names.js';
import type { Store } from './store/store.js';

export type FindingStatus = 'ok' | 'warn' | 'fail';

export interface Finding {
  /** What was checked: `store`, `store.admin`, `store.cluster`, `schema`, `keyring`, `clock`, `publicUrl`, `port`, `proxy`, `tls`, `disk`. */
  readonly check: string;
  readonly status: FindingStatus;
  /** In plain words; for `warn` and `fail`, what to do. */
  readonly message: string;
}

export interface DoctorOptions {
  /** This machine's clock (tests move it). */
  readonly now?: () => Date;
  /** Free space under which the data directory's disk is a failure, and a warning (bytes). */
  readonly diskFailBytes?: number;
  readonly diskWarnBytes?: number;
  /** How far this machine's clock may be from the store's (ms). */
  readonly clockSkewMs?: number;
  /** How long the public URL and the store may take to answer (ms). */
  readonly timeoutMs?: number;
}

/** Deadlines, the display period's end and the guarded-attempt windows are judged by the hub's clock. */
export const CLOCK_SKEW_LIMIT_MS = 30_000;
export const DISK_FAIL_BYTES = 512 * 1024 ** 2;
export const DISK_WARN_BYTES = 2 * 1024 ** 3;

const finding = (check: string, status: FindingStatus, message: string): Finding => ({ check, status, message });

/** Every check, in the order an operator fixes things: the store, its schema, the key ring, the network, the machine. */
export async function diagnoseHub(config: HubConfig, store: Store, storeUrl: URL, options: DoctorOptions = {}): Promise<Finding[]> {
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 5000;
  const findings: Finding[] = [];
  const reached = await storeFindings(store, storeUrl);
  findings.push(...reached);
  const blocked = reached.find((f) => f.status === 'fail');
  let county: string | undefined;
  if (!blocked) {
    const schema = await schemaFinding(store);
    findings.push(schema.finding);
    county = schema.county;
    findings.push(await keyRingFinding(store, config.dataDir));
    findings.push(await clockFinding(store, storeUrl, now, options.clockSkewMs ?? CLOCK_SKEW_LIMIT_MS, timeoutMs));
  } else {
    const why = blocked.check === 'store' ? 'the store did not answer' : "the store does not take these credentials as an admin's";
    findings.push(finding('schema', 'fail', `Not checked: ${why}.`), finding('keyring', 'fail', `Not checked: ${why}.`));
  }
  findings.push(await publicUrlFinding(config, county, timeoutMs), await portFinding(config, timeoutMs), ...proxyFindings(config), ...tlsFindings(config));
  findings.push(diskFinding(config.dataDir, options.diskFailBytes ?? DISK_FAIL_BYTES, options.diskWarnBytes ?? DISK_WARN_BYTES));
  return findings;
}

const basicAuth = (url: URL) => `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
const withoutCredentials = (url: URL) => `${url.protocol}//${url.host}${url.pathname}`;

/** A GET to the store with its admin credentials (fetch refuses them inside the URL). */
function storeGet(storeUrl: URL, path: string, timeoutMs: number): Promise<Response> {
  return fetch(new URL(path, withoutCredentials(storeUrl)), { headers: { authorization: basicAuth(storeUrl) }, signal: AbortSignal.timeout(timeoutMs) });
}

async function storeFindings(store: Store, storeUrl: URL): Promise<Finding[]> {
  const where = withoutCredentials(storeUrl);
  const ping = await store.ping();
  if (!ping.ok && (ping.error.status === 401 || ping.error.status === 403)) {
    return [
      finding('store', 'ok', `A store answers at ${where}.`),
      finding('store.admin', 'fail', `The store refuses COUCHDB_URL's name and password (${ping.error.reason}): give the URL a server admin's.`),
    ];
  }
  if (!ping.ok) {
    return [
      finding(
        'store',
        'fail',
        `The store at ${where} did not answer (${ping.error.reason}). Is CouchDB running, and is COUCHDB_URL (host, port, password) right?`,
      ),
    ];
  }
  const found = [
    store.kind === 'embedded'
      ? finding(
          'store',
          'warn',
          `The embedded store (${ping.value.vendor}), for a demo or a small county: a county in production sets COUCHDB_URL to its Apache CouchDB.`,
        )
      : finding('store', 'ok', `${ping.value.vendor} at ${where}.`),
  ];
  const session = await store.request<{ userCtx?: { name?: string | null; roles?: string[] } }>({ path: '_session' });
  const roles = session.ok ? (session.value.userCtx?.roles ?? []) : [];
  found.push(
    roles.includes('_admin')
      ? finding('store.admin', 'ok', `Signed in as ${session.ok ? String(session.value.userCtx?.name) : '?'}, a server admin.`)
      : finding(
          'store.admin',
          'fail',
          'The store does not take COUCHDB_URL’s credentials as a server admin: the hub creates databases and sets their security. Give the URL an admin’s name and password.',
        ),
  );
  if (store.kind === 'couchdb' && roles.includes('_admin')) found.push(await clusterFinding(store));
  return found;
}

/** A cluster node down is not an outage (n=3 keeps every document on each node), but it must be seen to. */
async function clusterFinding(store: Store): Promise<Finding> {
  const membership = await store.request<{ all_nodes?: string[]; cluster_nodes?: string[] }>({ path: '_membership' });
  if (!membership.ok) return finding('store.cluster', 'warn', `Could not read the cluster's membership (${membership.error.reason}).`);
  const up = membership.value.all_nodes ?? [];
  const members = membership.value.cluster_nodes ?? [];
  const down = members.filter((node) => !up.includes(node));
  if (down.length > 0) {
    return finding(
      'store.cluster',
      'warn',
      `${String(down.length)} of ${String(members.length)} CouchDB nodes not answering: ${down.join(', ')}. Writes go on while a majority answers; bring it back.`,
    );
  }
  return finding('store.cluster', 'ok', members.length > 1 ? `A cluster of ${String(members.length)} nodes, all answering.` : 'A single CouchDB node.');
}

/** The store's schema and county, and every village's databases; with the county's code when provisioned. */
async function schemaFinding(store: Store): Promise<{ readonly finding: Finding; readonly county?: string }> {
  const schema = (message: string) => ({ finding: finding('schema', 'fail', message) });
  const recorded = await store.getDoc<{ version?: number }>(DB.meta, 'store-schema');
  const version = recorded.ok ? recorded.value.version : undefined;
  if (version === undefined) return schema('The store has not been provisioned: run `cunban-hub init` (with the county’s files) on the first hub.');
  if (version > STORE_SCHEMA_VERSION) {
    return schema(
      `The store is at schema ${String(version)}, newer than this hub (${CUNBAN_VERSION}, schema ${String(STORE_SCHEMA_VERSION)}): upgrade this hub to the county's version.`,
    );
  }
  if (version < STORE_SCHEMA_VERSION) {
    return schema(`The store is at schema ${String(version)}; this hub needs ${String(STORE_SCHEMA_VERSION)}: run \`cunban-hub init\` once to upgrade it.`);
  }
  const county = await readCountyData(store);
  if (!county.ok) return schema('The store holds no county data: run `cunban-hub init --catalog … --divisions … --calendar …`.');
  const villages = county.value.divisions.towns.flatMap((town) => town.villages.map((village) => village.code12));
  const all = await store.request<string[]>({ path: '_all_dbs' });
  const present = new Set(all.ok ? all.value : []);
  const missing = villages.filter((village) => !present.has(store.dbName(villageDb(village))) || !present.has(store.dbName(hallDb(village))));
  if (missing.length > 0) {
    return schema(
      `${String(missing.length)} of ${String(villages.length)} villages have no databases (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}): run \`cunban-hub init\`.`,
    );
  }
  const { name, code12 } = county.value.divisions.county;
  return { finding: finding('schema', 'ok', `Store schema ${String(version)}, ${name}: ${String(villages.length)} villages provisioned.`), county: code12 };
}

async function keyRingFinding(store: Store, dataDir: string): Promise<Finding> {
  try {
    const standing = await keyRingStanding(store, dataDir);
    if (!standing.ok) {
      return finding(
        'keyring',
        'fail',
        standing.error.code === 'keyring.store' ? `The store did not answer: ${standing.error.failure.reason}` : standing.error.message,
      );
    }
    const fingerprint = keyRingFingerprint(standing.value.ring);
    if (!standing.value.county)
      return finding('keyring', 'fail', `${keyringFile(dataDir)} is not recorded in the store: run \`cunban-hub init\` on this machine.`);
    if (standing.value.unrecorded) {
      return finding('keyring', 'warn', `${keyringFile(dataDir)} holds a key the store has not recorded (a rotation?): \`cunban-hub keys show\` records it.`);
    }
    const mode = keyRingMode(dataDir);
    if (mode !== undefined && (mode & 0o077) !== 0) {
      return finding(
        'keyring',
        'fail',
        `${keyringFile(dataDir)} is open to other users (mode ${mode.toString(8)}): chmod 600 it, and ask who could have read it.`,
      );
    }
    return finding('keyring', 'ok', `${keyringFile(dataDir)}: fingerprint ${fingerprint}, the county's, with all its keys.`);
  } catch (error) {
    return finding('keyring', 'fail', (error as Error).message);
  }
}

async function clockFinding(store: Store, storeUrl: URL, now: () => Date, limitMs: number, timeoutMs: number): Promise<Finding> {
  if (store.kind === 'embedded') return finding('clock', 'ok', 'The embedded store runs on this machine, on its clock.');
  try {
    const sent = now().getTime();
    const answer = await storeGet(storeUrl, '', timeoutMs);
    const received = now().getTime();
    const stated = Date.parse(answer.headers.get('date') ?? '');
    if (Number.isNaN(stated)) return finding('clock', 'warn', 'The store did not say its time (no Date header).');
    // The Date header has whole seconds: the store's time lies in [stated, stated + 1 s).
    const skew = (sent + received) / 2 - (stated + 500);
    const seconds = Math.round(Math.abs(skew) / 1000);
    if (Math.abs(skew) > limitMs + 500 + (received - sent) / 2) {
      return finding(
        'clock',
        'fail',
        `This machine's clock is ${String(seconds)} s ${skew > 0 ? 'ahead of' : 'behind'} the store's: deadlines, display periods and sign-in locks depend on it. Turn on time sync (systemd-timesyncd or chrony) on both.`,
      );
    }
    return finding('clock', 'ok', `In step with the store's clock (within ${String(Math.max(1, seconds))} s).`);
  } catch (error) {
    return finding('clock', 'warn', `Could not read the store's time (${(error as Error).message}).`);
  }
}

async function publicUrlFinding(config: HubConfig, county: string | undefined, timeoutMs: number): Promise<Finding> {
  const url = config.publicUrl;
  if (!url) {
    return finding(
      'publicUrl',
      'warn',
      'CUNBAN_PUBLIC_URL is not set: kiosks are handed this machine’s own address at enrollment. Set it to the address behind your proxy (https://hub.<county>.example/).',
    );
  }
  const health = new URL('api/health', url);
  try {
    const answer = await fetch(health, { signal: AbortSignal.timeout(timeoutMs) });
    const parsed = healthResponseSchema.safeParse(jsonOrUndefined(await answer.text()));
    if (!parsed.success)
      return finding('publicUrl', 'fail', `${health.href} answered ${String(answer.status)}, not a Cunban hub's health: check the proxy's upstream.`);
    if (parsed.data.store.status === 'down') return finding('publicUrl', 'fail', `${url.href} is a Cunban hub whose store is down (${String(answer.status)}).`);
    if (county !== undefined && parsed.data.county !== undefined && parsed.data.county !== county) {
      return finding(
        'publicUrl',
        'fail',
        `${url.href} is answered by the hub of another county (${parsed.data.county}; this store's is ${county}): check the proxy's upstream and CUNBAN_PUBLIC_URL.`,
      );
    }
    if (parsed.data.versions.hub !== CUNBAN_VERSION) {
      return finding(
        'publicUrl',
        'warn',
        `${url.href} is answered by a hub of version ${parsed.data.versions.hub}, this one is ${CUNBAN_VERSION}: finish the upgrade on every hub.`,
      );
    }
    return finding('publicUrl', 'ok', `${url.href} answers as a Cunban hub ${parsed.data.versions.hub}, store ${parsed.data.store.status}.`);
  } catch (error) {
    return finding(
      'publicUrl',
      'fail',
      `${health.href} did not answer (${(error as Error).message}): is the hub running, and the proxy in front of it? Kiosks use this address.`,
    );
  }
}

/** The hub's port: free for it, or held by a Cunban hub already (this one, running) — not by another program. */
async function portFinding(config: HubConfig, timeoutMs: number): Promise<Finding> {
  const where = `${config.host}:${String(config.port)}`;
  if (config.port === 0) return finding('port', 'ok', 'Any free port (CUNBAN_HUB_PORT=0).');
  const free = await portFree(config.port, config.host);
  if (free) return finding('port', 'ok', `${where} is free for the hub.`);
  try {
    const answer = await fetch(`${config.tls ? 'https' : 'http'}://127.0.0.1:${String(config.port)}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    if (healthResponseSchema.safeParse(jsonOrUndefined(await answer.text())).success) return finding('port', 'ok', `A Cunban hub is listening on ${where}.`);
  } catch {
    // Not a hub: said below.
  }
  return finding('port', 'fail', `${where} is taken by another program: stop it, or give the hub another CUNBAN_HUB_PORT (and the proxy its upstream).`);
}

/** The hub's own certificate and key, read and paired as the hub will at start. */
function tlsFindings(config: HubConfig): Finding[] {
  if (!config.tls) return [];
  try {
    createSecureContext({ cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) });
    return [finding('tls', 'ok', `${config.tls.cert} and its key load.`)];
  } catch (error) {
    return [finding('tls', 'fail', `CUNBAN_TLS_CERT / CUNBAN_TLS_KEY do not load (${(error as Error).message}): the hub would not start.`)];
  }
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Behind an HTTPS proxy without CUNBAN_TRUST_PROXY every limit counts the proxy's address, one for the whole county. */
function proxyFindings(config: HubConfig): Finding[] {
  if (config.publicUrl?.protocol === 'https:' && !config.tls && config.trustProxy === undefined) {
    return [
      finding(
        'proxy',
        'warn',
        'The public URL is HTTPS but this hub speaks HTTP: behind a TLS proxy, set CUNBAN_TRUST_PROXY (its address, or 1), or every limit counts the proxy as one client.',
      ),
    ];
  }
  return [];
}

function diskFinding(dataDir: string, failBytes: number, warnBytes: number): Finding {
  try {
    accessSync(dataDir, constants.W_OK);
    const disk = statfsSync(dataDir);
    const free = disk.bavail * disk.bsize;
    const shown = `${(free / 1024 ** 3).toFixed(1)} GB free`;
    if (free < failBytes) return finding('disk', 'fail', `${dataDir}: only ${shown}. Free space now: the hub stops writing when the disk is full.`);
    if (free < warnBytes) return finding('disk', 'warn', `${dataDir}: ${shown}. Free space soon.`);
    return finding('disk', 'ok', `${dataDir}: ${shown}.`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return finding('disk', 'fail', `${dataDir} does not exist: make it (mode 0700, owned by the hub's user), or let systemd's StateDirectory do it.`);
    return finding('disk', 'fail', `${dataDir} cannot be written by this user (${code ?? (error as Error).message}).`);
  }
}
