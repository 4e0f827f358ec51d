import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR, DEFAULT_HUB_PORT, loadHubConfig } from '../../sync-server/config.js';

describe('hub configuration from the environment', () => {
  it('defaults to the embedded store on the default port', () => {
    expect(loadHubConfig({})).toEqual({
      ok: true,
      value: { port: DEFAULT_HUB_PORT, host: '0.0.0.0', dataDir: DEFAULT_DATA_DIR, dbPrefix: '', corsOrigins: ['app://cunban'], logLevel: 'info' },
    });
  });

  it('reads port, data dir and an external CouchDB', () => {
    const result = loadHubConfig({
      CUNBAN_HUB_PORT: '7000',
      CUNBAN_DATA_DIR: '/var/lib/cunban',
      COUCHDB_URL: 'http://admin:secret@127.0.0.1:5984/',
    });
    expect(result.ok && result.value.port).toBe(7000);
    expect(result.ok && result.value.dataDir).toBe('/var/lib/cunban');
    expect(result.ok && result.value.couchdbUrl?.host).toBe('127.0.0.1:5984');
    const cors = loadHubConfig({ CUNBAN_CORS_ORIGINS: 'app://cunban, http://127.0.0.1:5173' });
    expect(cors.ok && cors.value.corsOrigins).toEqual(['app://cunban', 'http://127.0.0.1:5173']);
    const apps = loadHubConfig({ CUNBAN_APPS_DIR: '/opt/cunban/apps' });
    expect(apps.ok && apps.value.appsDir).toBe('/opt/cunban/apps');
    const rate = loadHubConfig({ CUNBAN_KIOSK_REQUESTS_PER_MINUTE: '12000' });
    expect(rate.ok && rate.value.kioskRequestsPerMinute).toBe(12000);
  });

  it('reads a public URL under a path as a base ending in /, as kiosks resolve against it', () => {
    for (const given of ['https://county.example/hub', 'https://county.example/hub/']) {
      const config = loadHubConfig({ CUNBAN_PUBLIC_URL: given });
      expect(config.ok && config.value.publicUrl?.href).toBe('https://county.example/hub/');
      expect(config.ok && new URL('api/health', config.value.publicUrl).href).toBe('https://county.example/hub/api/health');
    }
  });

  it('reads the proxies to trust: hops, or addresses and subnets', () => {
    const hops = loadHubConfig({ CUNBAN_TRUST_PROXY: '1' });
    expect(hops.ok && hops.value.trustProxy).toBe(1);
    const list = loadHubConfig({ CUNBAN_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,loopback' });
    expect(list.ok && list.value.trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', 'loopback']);
    const bad = loadHubConfig({ CUNBAN_TRUST_PROXY: '10.0.0.0/99' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.variable).toBe('CUNBAN_TRUST_PROXY');
  });

  it.each([
    [{ CUNBAN_HUB_PORT: 'eighty' }, 'CUNBAN_HUB_PORT', 'expected a TCP port 0–65535, got "eighty"'],
    [{ CUNBAN_HUB_PORT: '70000' }, 'CUNBAN_HUB_PORT', 'expected a TCP port 0–65535, got "70000"'],
    [{ COUCHDB_URL: 'not a url' }, 'COUCHDB_URL', 'expected an http(s) URL such as http://admin:secret@127.0.0.1:5984/'],
    [{ COUCHDB_URL: 'ftp://admin:x@host/' }, 'COUCHDB_URL', 'expected an http(s) URL such as http://admin:secret@127.0.0.1:5984/'],
    [{ CUNBAN_DB_PREFIX: 'Test-' }, 'CUNBAN_DB_PREFIX', 'expected lower-case letters, digits and _ starting with a letter, e.g. test1_'],
    [{ CUNBAN_PUBLIC_URL: 'hub.local' }, 'CUNBAN_PUBLIC_URL', 'expected an http(s) URL such as https://hub.jianshi.example/'],
    [{ CUNBAN_CORS_ORIGINS: 'app://cunban,http://x/path' }, 'CUNBAN_CORS_ORIGINS', '"http://x/path" is not an origin (scheme://host[:port], no path)'],
    [
      { CUNBAN_TRUST_PROXY: '0' },
      'CUNBAN_TRUST_PROXY',
      "expected a number of proxy hops (1) or the proxies' addresses and subnets (10.0.0.5, 10.1.0.0/16, loopback): hops must be 1–10",
    ],
    [{ CUNBAN_METRICS_TOKEN: 'short' }, 'CUNBAN_METRICS_TOKEN', 'expected at least 16 characters (a random token your Prometheus sends as a bearer token)'],
    [{ CUNBAN_KIOSK_REQUESTS_PER_MINUTE: '10' }, 'CUNBAN_KIOSK_REQUESTS_PER_MINUTE', 'expected a whole number of requests a minute, 60–1000000, got "10"'],
    [{ CUNBAN_KIOSK_REQUESTS_PER_MINUTE: 'many' }, 'CUNBAN_KIOSK_REQUESTS_PER_MINUTE', 'expected a whole number of requests a minute, 60–1000000, got "many"'],
    [{ CUNBAN_LOG_LEVEL: 'loud' }, 'CUNBAN_LOG_LEVEL', 'expected debug, info, warn or error, got "loud"'],
    [{ COUCHDB_URL: 'http://127.0.0.1:5984/' }, 'COUCHDB_URL', 'the hub needs admin credentials in the URL (http://admin:secret@host:5984/)'],
  ])('refuses %o, naming %s', (env, variable, message) => {
    expect(loadHubConfig(env)).toEqual({ ok: false, error: { code: 'config.invalid', variable, message } });
  });
});
