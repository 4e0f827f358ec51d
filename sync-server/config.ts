/**
 * The hub's configuration comes from the environment and is validated at boot: a bad value stops
 * the hub with a message naming the variable, instead of failing later in some request.
 */
import { networkInterfaces } from 'node:os';
import { err, ok, type Result } from '../core/result.js';
import { compileTrust, type TrustProxy } from './http/client.js';

export interface HubConfig {
  readonly port: number;
  /** Address to listen on; 0.0.0.0 so village kiosks on the county network can reach it. */
  readonly host: string;
  readonly dataDir: string;
  /** Admin URL of an Apache CouchDB 3.x; absent means the embedded store under `dataDir`. */
  readonly couchdbUrl?: URL;
  /** Prefix for every database name, so several hubs or test runs can share one CouchDB. */
  readonly dbPrefix: string;
  /** How kiosks reach this hub, for the sync URLs handed out at enrollment; else taken from the request. */
  readonly publicUrl?: URL;
  /** Browser origins allowed to sync (the Electron kiosk's `app://cunban`, browser-mode kiosks). */
  readonly corsOrigins: readonly string[];
  /** The built browser apps (`kiosk/` served at /kiosk/, `console/` at /console/); default dist/. */
  readonly appsDir?: string;
  /** Kiosk updates (electron-builder's output: latest*.yml, installers, blockmaps) served at /updates/; default `<dataDir>/updates`. */
  readonly updatesDir?: string;
  /**
   * The read timeout of a reverse proxy in front of the hub, in ms (`CUNBAN_PROXY_READ_TIMEOUT`, seconds;
   * 60 by default): a kiosk's long poll ends before it, or keeps the line alive with heartbeats.
   */
  readonly proxyReadTimeoutMs?: number;
  /**
   * The reverse proxies whose `X-Forwarded-For` / `-Proto` to believe (`CUNBAN_TRUST_PROXY`): a number
   * of hops, or addresses and subnets. Absent: none, and limits key on the socket's address.
   */
  readonly trustProxy?: TrustProxy;
  /**
   * The hub's own TLS (`CUNBAN_TLS_CERT`, `CUNBAN_TLS_KEY`: PEM files, both or neither): the hub then speaks
   * only HTTPS. Without them, put a TLS proxy in front (README, "Security").
   */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** The least level the hub logs (`CUNBAN_LOG_LEVEL`): `info` (a line per request, the default), `warn`, `error`. */
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** The bearer token `GET /metrics` asks for (`CUNBAN_METRICS_TOKEN`); absent: loopback clients only. */
  readonly metricsToken?: string;
  /**
   * How many sync requests one kiosk may make a minute (`CUNBAN_KIOSK_REQUESTS_PER_MINUTE`; 3,000 by
   * default, counted over 6 s): far above a healthy sync, far below a runaway loop.
   */
  readonly kioskRequestsPerMinute?: number;
}

export interface ConfigError {
  readonly code: 'config.invalid';
  readonly variable: string;
  readonly message: string;
}

export const DEFAULT_HUB_PORT = 6084;
export const DEFAULT_DATA_DIR = '.cunban-data';
export const DEFAULT_CORS_ORIGINS = ['app://cunban'];
export const DEFAULT_PROXY_READ_TIMEOUT_MS = 60_000;
export const DEFAULT_KIOSK_REQUESTS_PER_MINUTE = 3000;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Every variable the hub reads, with what it sets: `cunban-hub --help` prints this list, and the loader
 * below can read no variable missing from it (its names are typed by this list).
 */
export const HUB_ENVIRONMENT = {
  CUNBAN_HUB_PORT: `the hub's port (${String(DEFAULT_HUB_PORT)})`,
  CUNBAN_HUB_HOST: 'the address it listens on (all interfaces)',
  CUNBAN_DATA_DIR: `its data directory: the county key ring, the embedded store (${DEFAULT_DATA_DIR})`,
  COUCHDB_URL: 'Apache CouchDB, with admin credentials (the embedded store when unset)',
  CUNBAN_DB_PREFIX: 'a prefix for every database name on CouchDB',
  CUNBAN_PUBLIC_URL: 'the address kiosks and browsers use, e.g. https://hub.jianshi.example/',
  CUNBAN_CORS_ORIGINS: `origins allowed to call the hub, comma-separated (${DEFAULT_CORS_ORIGINS.join(',')})`,
  CUNBAN_APPS_DIR: "where the built kiosk, console and residents' pages are served from (dist/)",
  CUNBAN_UPDATES_DIR: 'where signed kiosk updates are published (/updates/)',
  CUNBAN_PROXY_READ_TIMEOUT: `a reverse proxy's read timeout in seconds; long polls answer before it (${String(DEFAULT_PROXY_READ_TIMEOUT_MS / 1000)})`,
  CUNBAN_TRUST_PROXY: 'proxy hops (1) or proxy addresses whose X-Forwarded-For is believed',
  CUNBAN_TLS_CERT: 'a PEM certificate, to serve HTTPS itself (with CUNBAN_TLS_KEY)',
  CUNBAN_TLS_KEY: "the certificate's PEM private key",
  CUNBAN_LOG_LEVEL: 'debug, info, warn or error (info)',
  CUNBAN_METRICS_TOKEN: 'a bearer token that opens /metrics to more than this machine',
  CUNBAN_KIOSK_REQUESTS_PER_MINUTE: `requests a minute one kiosk may make (${String(DEFAULT_KIOSK_REQUESTS_PER_MINUTE)})`,
} as const;
export type HubVariable = keyof typeof HUB_ENVIRONMENT;

function parseUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

export function loadHubConfig(env: Env): Result<HubConfig, ConfigError> {
  const invalid = (variable: string, message: string) => err<ConfigError>({ code: 'config.invalid', variable, message });
  const value = (name: HubVariable) => env[name]?.trim() || undefined;

  const portText = value('CUNBAN_HUB_PORT') ?? String(DEFAULT_HUB_PORT);
  const port = Number(portText);
  // 0 asks the system for any free port; the hub reports the one it got.
  if (!/^\d+$/.test(portText) || port > 65535) {
    return invalid('CUNBAN_HUB_PORT', `expected a TCP port 0–65535, got "${portText}"`);
  }
  const host = value('CUNBAN_HUB_HOST') ?? '0.0.0.0';
  const dataDir = value('CUNBAN_DATA_DIR') ?? DEFAULT_DATA_DIR;

  const dbPrefix = value('CUNBAN_DB_PREFIX') ?? '';
  if (!/^([a-z][a-z0-9_]{0,40})?$/.test(dbPrefix)) {
    return invalid('CUNBAN_DB_PREFIX', 'expected lower-case letters, digits and _ starting with a letter, e.g. test1_');
  }

  const publicText = value('CUNBAN_PUBLIC_URL');
  // A base under a path ends with `/`: `https://example/hub` means `https://example/hub/`, as kiosks resolve against it.
  const publicUrl = publicText === undefined ? undefined : parseUrl(publicText.replace(/([^/])$/, '$1/'));
  if (publicText !== undefined && !publicUrl) {
    return invalid('CUNBAN_PUBLIC_URL', 'expected an http(s) URL such as https://hub.jianshi.example/');
  }

  const corsOrigins =
    value('CUNBAN_CORS_ORIGINS')
      ?.split(',')
      .map((origin) => origin.trim()) ?? DEFAULT_CORS_ORIGINS;
  const badOrigin = corsOrigins.find((origin) => !/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/.test(origin));
  if (badOrigin !== undefined) {
    return invalid('CUNBAN_CORS_ORIGINS', `"${badOrigin}" is not an origin (scheme://host[:port], no path)`);
  }

  const appsDir = value('CUNBAN_APPS_DIR');
  const updatesDir = value('CUNBAN_UPDATES_DIR');
  const proxyText = value('CUNBAN_PROXY_READ_TIMEOUT');
  const proxySeconds = proxyText === undefined ? undefined : Number(proxyText);
  if (proxySeconds !== undefined && !(Number.isInteger(proxySeconds) && proxySeconds >= 5 && proxySeconds <= 3600)) {
    return invalid('CUNBAN_PROXY_READ_TIMEOUT', `expected the proxy's read timeout in whole seconds, 5–3600, got "${proxyText ?? ''}"`);
  }
  const trustText = value('CUNBAN_TRUST_PROXY');
  const trustProxy = trustText === undefined ? undefined : parseTrustProxy(trustText);
  if (trustProxy instanceof Error) {
    return invalid(
      'CUNBAN_TRUST_PROXY',
      `expected a number of proxy hops (1) or the proxies' addresses and subnets (10.0.0.5, 10.1.0.0/16, loopback): ${trustProxy.message}`,
    );
  }
  const tlsCert = value('CUNBAN_TLS_CERT');
  const tlsKey = value('CUNBAN_TLS_KEY');
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    return invalid(tlsCert === undefined ? 'CUNBAN_TLS_CERT' : 'CUNBAN_TLS_KEY', 'give both CUNBAN_TLS_CERT and CUNBAN_TLS_KEY (PEM files), or neither');
  }
  const logLevel = value('CUNBAN_LOG_LEVEL') ?? 'info';
  if (!isLogLevel(logLevel)) return invalid('CUNBAN_LOG_LEVEL', `expected debug, info, warn or error, got "${logLevel}"`);
  const metricsToken = value('CUNBAN_METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16) {
    return invalid('CUNBAN_METRICS_TOKEN', 'expected at least 16 characters (a random token your Prometheus sends as a bearer token)');
  }
  const rateText = value('CUNBAN_KIOSK_REQUESTS_PER_MINUTE');
  const kioskRequestsPerMinute = rateText === undefined ? undefined : Number(rateText);
  if (
    kioskRequestsPerMinute !== undefined &&
    !(Number.isInteger(kioskRequestsPerMinute) && kioskRequestsPerMinute >= 60 && kioskRequestsPerMinute <= 1_000_000)
  ) {
    return invalid('CUNBAN_KIOSK_REQUESTS_PER_MINUTE', `expected a whole number of requests a minute, 60–1000000, got "${rateText ?? ''}"`);
  }
  const base = {
    port,
    host,
    dataDir,
    dbPrefix,
    corsOrigins,
    logLevel,
    ...(publicUrl ? { publicUrl } : {}),
    ...(appsDir ? { appsDir } : {}),
    ...(updatesDir ? { updatesDir } : {}),
    ...(proxySeconds === undefined ? {} : { proxyReadTimeoutMs: proxySeconds * 1000 }),
    ...(trustProxy === undefined ? {} : { trustProxy }),
    ...(metricsToken === undefined ? {} : { metricsToken }),
    ...(kioskRequestsPerMinute === undefined ? {} : { kioskRequestsPerMinute }),
    ...(tlsCert !== undefined && tlsKey !== undefined ? { tls: { cert: tlsCert, key: tlsKey } } : {}),
  };
  const couchText = value('COUCHDB_URL');
  if (couchText === undefined) return ok(base);
  const couchdbUrl = parseUrl(couchText);
  if (!couchdbUrl) {
    return invalid('COUCHDB_URL', 'expected an http(s) URL such as http://admin:secret@127.0.0.1:5984/');
  }
  if (!couchdbUrl.username) {
    return invalid('COUCHDB_URL', 'the hub needs admin credentials in the URL (http://admin:secret@host:5984/)');
  }
  return ok({ ...base, couchdbUrl });
}

const isLogLevel = (text: string): text is HubConfig['logLevel'] => ['debug', 'info', 'warn', 'error'].includes(text);

function parseTrustProxy(text: string): TrustProxy | Error {
  if (/^\d+$/.test(text)) return Number(text) >= 1 && Number(text) <= 10 ? Number(text) : new Error('hops must be 1–10');
  const list = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const compiled = compileTrust(list);
  return compiled instanceof Error ? compiled : list;
}

/** The hub URL to give kiosks (in QR codes): the public URL, else this machine's first LAN address. */
export function kioskFacingUrl(config: HubConfig, port = config.port): string {
  if (config.publicUrl) return config.publicUrl.toString();
  const address = Object.values(networkInterfaces())
    .flat()
    .find((net) => net && net.family === 'IPv4' && !net.internal)?.address;
  return `${config.tls ? 'https' : 'http'}://${address ?? '127.0.0.1'}:${port}/`;
}
