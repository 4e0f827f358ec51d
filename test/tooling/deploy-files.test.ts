/**
 * The service files shipped in deploy/ (issue 21): the systemd unit checked by systemd itself, and the
 * unit, its settings file, the container file, the compose file and the nginx example kept in step —
 * the same data directory, port, user, command and settings, each setting one the hub knows and accepts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_HUB_PORT, HUB_ENVIRONMENT, loadHubConfig } from '../../sync-server/config.js';
import { MAX_BODY_BYTES } from '../../sync-server/http/kit.js';

const root = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(join(root, 'deploy', path), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'cunban-deploy-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const unitText = read('systemd/cunban-hub.service');
/** Every `Key=value` of the unit's [Service] section, a key given several times in order. */
const service = (() => {
  const section = /\[Service\]([\s\S]*?)(?=\n\[)/.exec(unitText)?.[1] ?? '';
  const entries = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined) entries.set(match[1], [...(entries.get(match[1]) ?? []), match[2] ?? '']);
  }
  return entries;
})();
const unitValue = (key: string) => service.get(key)?.at(-1);

/** `NAME=value` lines of an environment file, comments left out. */
const envFile = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
      .flatMap((match) => (match?.[1] ? [[match[1], match[2] ?? '']] : [])),
  );
const unitEnvironment = { ...envFile(read('systemd/hub.env')), ...envFile((service.get('Environment') ?? []).join('\n')) };

const dockerfile = read('container/Dockerfile');
const dockerEnv: Record<string, string | undefined> = Object.fromEntries(
  [...dockerfile.matchAll(/\b(CUNBAN_[A-Z_]+|NODE_ENV)=(\S+)/g)].map((m): [string, string] => [m[1] ?? '', m[2] ?? '']),
);
const compose = load(read('compose.yaml')) as {
  services: Record<
    string,
    {
      environment?: Record<string, string>;
      volumes?: string[];
      ports?: string[];
      user?: string;
      read_only?: boolean;
      security_opt?: string[];
      cap_drop?: string[];
      image?: string;
    }
  >;
};
const hub = compose.services.hub ?? {};
const composeEnvironment = Object.fromEntries(
  Object.entries(hub.environment ?? {}).map(([name, value]) => [name, value.replace(/\$\{COUCHDB_PASSWORD:\?[^}]*\}/g, 'secret-password')]),
);
const nginx = read('nginx/cunban-hub.conf');
const nginxValue = (directive: string) => new RegExp(`^\\s*${directive}\\s+([^;]+);`, 'm').exec(nginx)?.[1]?.trim();

describe('the systemd unit', () => {
  it('passes systemd-analyze verify', () => {
    const copy = join(scratch, 'cunban-hub.service');
    // Debian's nodejs installs /usr/bin/node; on a machine with Node elsewhere, that one (the unit's header says to change it).
    writeFileSync(copy, existsSync('/usr/bin/node') ? unitText : unitText.replace(/\/usr\/bin\/node\b/g, process.execPath));
    const verified = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
    expect(verified.error, 'systemd-analyze must be installed (Debian: systemd)').toBeUndefined();
    expect(verified.stderr.split('\n').filter((line) => line.includes('cunban-hub.service'))).toEqual([]);
    expect(verified.status).toBe(0);
  });

  it('is hardened: its own user, the system read-only, no privileges to gain, restarted on failure', () => {
    expect(unitValue('User')).toBe('cunban');
    expect(read('systemd/cunban-sysusers.conf')).toMatch(/^u cunban /m);
    expect(
      Object.fromEntries(
        ['NoNewPrivileges', 'ProtectSystem', 'ProtectHome', 'PrivateTmp', 'Restart', 'CapabilityBoundingSet', 'UMask'].map((key) => [key, unitValue(key)]),
      ),
    ).toEqual({
      NoNewPrivileges: 'yes',
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      PrivateTmp: 'yes',
      Restart: 'on-failure',
      CapabilityBoundingSet: '',
      UMask: '0077',
    });
    // ProtectSystem=strict leaves writable only the state directory: the data directory must be it.
    expect(`/var/lib/${unitValue('StateDirectory') ?? ''}`).toBe(unitEnvironment.CUNBAN_DATA_DIR);
  });

  it('lets Node list the machine’s addresses (netlink), which the hub needs without CUNBAN_PUBLIC_URL', () => {
    expect(unitValue('RestrictAddressFamilies')?.split(' ')).toEqual(expect.arrayContaining(['AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_NETLINK']));
  });

  it('has an admin wrapper that runs the command line as the service does: its user, settings, data directory and Node', () => {
    const wrapper = read('systemd/cunban-hub-admin');
    expect(spawnSync('sh', ['-n', join(root, 'deploy/systemd/cunban-hub-admin')]).status).toBe(0);
    expect(wrapper).toContain(`sudo -u ${unitValue('User') ?? '?'} `);
    expect(wrapper).toContain(`. ${unitValue('EnvironmentFile') ?? '?'}`);
    expect(wrapper).toContain(`export CUNBAN_DATA_DIR=${unitEnvironment.CUNBAN_DATA_DIR ?? '?'}`);
    expect(wrapper).toContain(`cd ${unitValue('WorkingDirectory') ?? '?'}`);
    expect(wrapper).toContain(`exec ${(unitValue('ExecStart') ?? '?').replace(/ serve$/, '')} "$@"`);
  });

  it('sets only settings the hub knows, with values it accepts', () => {
    const names = Object.keys(unitEnvironment).filter((name) => name !== 'NODE_ENV');
    expect(names.filter((name) => !(name in HUB_ENVIRONMENT))).toEqual([]);
    expect(loadHubConfig(unitEnvironment)).toMatchObject({ ok: true });
  });
});

describe('the container and compose files, in step with the unit', () => {
  it('run the same command as the same user, on the same data directory and port', () => {
    expect(unitValue('ExecStart')).toBe('/usr/bin/node /opt/cunban/bin/cunban-hub.js serve');
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "\/opt\/cunban\/bin\/cunban-hub\.js"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["serve"\]$/m);
    expect(dockerfile).toMatch(/^WORKDIR \/opt\/cunban$/m);
    expect(unitValue('WorkingDirectory')).toBe('/opt/cunban');
    expect(dockerfile).toMatch(/^USER cunban$/m);
    expect(hub.user).toBe(unitValue('User'));

    const dataDir = unitEnvironment.CUNBAN_DATA_DIR;
    expect(dockerEnv.CUNBAN_DATA_DIR).toBe(dataDir);
    expect(composeEnvironment.CUNBAN_DATA_DIR).toBe(dataDir);
    expect(dockerfile).toContain(`VOLUME ${dataDir ?? '?'}`);
    expect(hub.volumes).toContain(`hub-data:${dataDir ?? '?'}`);

    const port = String(DEFAULT_HUB_PORT);
    for (const given of [unitEnvironment.CUNBAN_HUB_PORT, dockerEnv.CUNBAN_HUB_PORT, composeEnvironment.CUNBAN_HUB_PORT]) expect(given).toBe(port);
    expect(dockerfile).toContain(`EXPOSE ${port}`);
    expect(hub.ports?.some((mapping) => mapping.endsWith(`:${port}`))).toBe(true);
  });

  it('set only settings the hub knows, with values it accepts, and harden the container as the unit does', () => {
    for (const environment of [dockerEnv, composeEnvironment]) {
      expect(Object.keys(environment).filter((name) => name !== 'NODE_ENV' && !(name in HUB_ENVIRONMENT))).toEqual([]);
      expect(loadHubConfig(environment)).toMatchObject({ ok: true });
    }
    expect(composeEnvironment.COUCHDB_URL).toMatch(/^http:\/\/admin:secret-password@couchdb:5984\/$/);
    expect(hub.read_only).toBe(true);
    expect(hub.security_opt).toContain('no-new-privileges:true');
    expect(hub.cap_drop).toEqual(['ALL']);
    // The proxy trusted is the hub's network's gateway, and nothing wider.
    const network = (compose as unknown as { networks: Record<string, { ipam: { config: { gateway: string }[] } }> }).networks.cunban;
    expect(composeEnvironment.CUNBAN_TRUST_PROXY).toBe(network?.ipam.config[0]?.gateway);
  });

  it('run CouchDB by its official image’s conventions', () => {
    const couchdb = compose.services.couchdb as { image?: string; environment?: Record<string, string>; volumes?: string[] };
    expect(couchdb.image).toMatch(/^couchdb:3\.5/);
    expect(Object.keys(couchdb.environment ?? {})).toEqual(['COUCHDB_USER', 'COUCHDB_PASSWORD']);
    expect(couchdb.volumes).toEqual(['couchdb-data:/opt/couchdb/data']);
  });
});

describe('the nginx example, in step with the hub', () => {
  it('outlasts the hub’s long polls, streams them, and takes its largest body', () => {
    const timeout = nginxValue('proxy_read_timeout');
    expect(timeout).toBe(`${unitEnvironment.CUNBAN_PROXY_READ_TIMEOUT ?? '?'}s`);
    expect(composeEnvironment.CUNBAN_PROXY_READ_TIMEOUT).toBe(unitEnvironment.CUNBAN_PROXY_READ_TIMEOUT);
    expect(nginxValue('proxy_buffering')).toBe('off');
    const body = /^(\d+)m$/.exec(nginxValue('client_max_body_size') ?? '');
    expect(Number(body?.[1]) * 1024 * 1024).toBeGreaterThanOrEqual(MAX_BODY_BYTES);
  });

  it('tells the hub the client’s address (replacing what the client sent) and scheme, and the hub believes only it', () => {
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    expect(unitEnvironment.CUNBAN_TRUST_PROXY).toBe('loopback');
    expect(unitEnvironment.CUNBAN_HUB_HOST).toBe('127.0.0.1');
    expect([...nginx.matchAll(/^\s*server\s+[\d.]+:(\d+)/gm)].map((m) => m[1])).toEqual([String(DEFAULT_HUB_PORT), String(DEFAULT_HUB_PORT)]);
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;/);
  });
});
