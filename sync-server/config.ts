/**
 * The hub's configuration comes from the environment and is validated at boot: a bad value stops
 * the hub with a message naming the variable, instead of failing later in some request.
 */
import { err, ok, type Result } from '../core/result.js';

export interface HubConfig {
  readonly port: number;
  readonly dataDir: string;
  /** Admin URL of an Apache CouchDB 3.x; absent means the embedded store under `dataDir`. */
  readonly couchdbUrl?: URL;
}

export interface ConfigError {
  readonly code: 'config.invalid';
  readonly variable: string;
  readonly message: string;
}

export const DEFAULT_HUB_PORT = 6084;
export const DEFAULT_DATA_DIR = '.cunban-data';

type Env = Readonly<Record<string, string | undefined>>;

export function loadHubConfig(env: Env): Result<HubConfig, ConfigError> {
  const invalid = (variable: string, message: string) => err<ConfigError>({ code: 'config.invalid', variable, message });

  const portText = env.CUNBAN_HUB_PORT?.trim() || String(DEFAULT_HUB_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    return invalid('CUNBAN_HUB_PORT', `expected a TCP port 1–65535, got "${portText}"`);
  }

  const dataDir = env.CUNBAN_DATA_DIR?.trim() || DEFAULT_DATA_DIR;

  const couchText = env.COUCHDB_URL?.trim();
  if (!couchText) return ok({ port, dataDir });
  let couchdbUrl: URL;
  try {
    couchdbUrl = new URL(couchText);
  } catch {
    return invalid('COUCHDB_URL', 'expected an http(s) URL such as http://admin:secret@127.0.0.1:5984/');
  }
  if (couchdbUrl.protocol !== 'http:' && couchdbUrl.protocol !== 'https:') {
    return invalid('COUCHDB_URL', `expected http or https, got ${couchdbUrl.protocol}`);
  }
  if (!couchdbUrl.username) {
    return invalid('COUCHDB_URL', 'the hub needs admin credentials in the URL (http://admin:secret@host:5984/)');
  }
  return ok({ port, dataDir, couchdbUrl });
}
