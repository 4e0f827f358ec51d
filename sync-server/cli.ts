/**
 * `cunban-hub` — run and administer the county hub. Configured by the environment (CUNBAN_HUB_PORT,
 * CUNBAN_DATA_DIR, COUCHDB_URL, …); every command prints JSON with `--json`, for scripts.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  lstatSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { chinaTime, isoInChina } from '../core/local-date.js';
import { parseDivisionCode } from '../core/divisions/code.js';
import { appVersionSchema, updateRequired } from '../core/fleet-policy.js';
import { ok, type Result } from '../core/result.js';
import { HUB_ENVIRONMENT, kioskFacingUrl, loadHubConfig, type HubConfig } from './config.js';
import { enrollmentTicket, seedDemo, type SetupError } from './demo.js';
import { acquireStore, HubStartError, startHub, type AcquiredStore } from './hub.js';
import { backupHub, restoreHub, villagesOf } from './backup.js';
import { readFleetPolicy, setMinimumKioskVersion } from './fleet-policy.js';
import { existingKeyRing, keyRingFingerprint, keyringFile, keyRingStanding, rotateKeyRing } from './keyring.js';
import { findReEnrollable, listKiosks, reserveNumbersAfterRestore, RESTORE_NUMBER_MARGIN, revokeKiosk } from './kiosks.js';
import { describeCountyInitError, initCounty } from './county-init.js';
import { diagnoseHub } from './doctor.js';
import { CUNBAN_VERSION } from '../core/version.js';
import { describeInitError, validateCountyData } from './provision.js';
import { openRefusalCounts } from './records.js';
import { generateUpdateKeys, publishUpdates } from './update-publish.js';
import { addReviewer } from './users.js';
import { closingOnce, stageFile, type StagedFile } from './whole-file.js';

const USAGE = `Usage: cunban-hub <command> [options] [--json]

  serve                                   run the hub (the default command)
  init [--catalog F --divisions F --calendar F]
                                          create or upgrade the county's databases; on the county's first
                                          hub, make its key ring (every other hub gets a copy of it)
  doctor                                  check this hub against its store and surroundings: store reachable and
                                          admin, cluster nodes, schema, key ring, clock, public URL, port, proxy,
                                          TLS, disk (exit 1 when something must be fixed)
  seed-demo                               the demo county (Jianshi), reviewers and an enrollment code
  enroll --village CODE12 [--hours 24] [--qr-png FILE.png]
                                          a one-time enrollment code for a new kiosk
  enroll --kiosk KIOSK_ID [--hours 24]    re-enroll that kiosk: new credential and a new kiosk number (it keeps its earlier ones)
  kiosks list | kiosks revoke KIOSK_ID
  fleet minimum-version VERSION | fleet minimum-version --clear | fleet show
                                          the oldest kiosk version the county accepts without an update
  users add --role county|town [--town CODE12] --name NAME [--display-name 李强] [--password PW]
                                          a reviewer; the display name is how cases and kiosks name them
  keys rotate                             a new county data key, current from each kiosk's next enrollment
  keys show                               the key ring's fingerprint and key ids (never a key)
  updates keygen --out FILE               a new Ed25519 key pair for signing kiosk updates: the private key
                                          into FILE, the public key printed (for build/update-public-keys.pem)
  updates publish DIR --key FILE          sign electron-builder's output in DIR and publish it at /updates/
  backup FILE                             every database of this hub into FILE (gzipped JSON lines)
  restore FILE [--set-aside 5]            replace this hub's databases with FILE's (stop the hub first), and set
                                          aside, in each village, the kiosk numbers kiosks enrolled after the
                                          backup may hold (those granted since, and the 5 lowest free)
  kiosks set-aside-numbers [--set-aside 5]
                                          the same, once, after restoring Apache CouchDB by its own means

Environment:
${Object.entries(HUB_ENVIRONMENT)
  .map(([name, what]) => `  ${name.padEnd(34)} ${what}`)
  .join('\n')}`;

class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// Output piped into a reader that stops early (`| head`) ends the command quietly, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { values: flags, positionals } = parsedCommandLine();

/** The command line, or a one-line error (an unknown or malformed option), never a stack trace. */
function parsedCommandLine() {
  try {
    return parseCommandLine();
  } catch (error) {
    process.stderr.write(
      `cunban-hub: ${(error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ')} (cunban-hub --help lists the options)\n`,
    );
    process.exit(2);
  }
}

function parseCommandLine() {
  return parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      catalog: { type: 'string' },
      divisions: { type: 'string' },
      calendar: { type: 'string' },
      village: { type: 'string' },
      kiosk: { type: 'string' },
      hours: { type: 'string' },
      'qr-png': { type: 'string' },
      role: { type: 'string' },
      town: { type: 'string' },
      name: { type: 'string' },
      'display-name': { type: 'string' },
      password: { type: 'string' },
      clear: { type: 'boolean', default: false },
      out: { type: 'string' },
      key: { type: 'string' },
      'set-aside': { type: 'string' },
    },
  });
}

/** `--set-aside N`: kiosk numbers set aside in each village after a restore (kiosks.ts). */
function setAsideFlag(): number {
  const text = flags['set-aside'] ?? String(RESTORE_NUMBER_MARGIN);
  const count = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  if (!(count >= 0 && count <= 98)) throw new CliError('restore.badSetAside', '--set-aside must be a whole number from 0 to 98.');
  return count;
}

/**
 * The QR code's file, prepared before a code is issued: a code whose image could not be written would be
 * issued for nothing. It must be named `.png` (never the key ring or a password file, even as root). Its
 * folder must take a file: the image is staged there now, and renamed over the file once written (the
 * old file or the new one, whole). A new name is tried now by making the file; a file already there must
 * be a plain file this process can write — it is opened now, and written in place only where it cannot
 * be replaced (a file of someone else's in a sticky folder, a file mounted into a container).
 */
interface QrFile {
  /** The image in place, 0600 when made or replaced (it enrolls a kiosk). */
  write(png: Buffer): void;
  /** No image: the staged file removed, and the empty file this run made (only if still its own). */
  abandon(): void;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));

function prepareQrFile(file: string): QrFile {
  const refuse = (why: string) => new CliError('enroll.qrPng', `--qr-png: cannot write ${file} (${why}); no code was issued.`);
  if (!/\.png$/i.test(file)) throw refuse('name a .png file');
  let found: Stats | undefined;
  try {
    found = lstatSync(file, { throwIfNoEntry: false });
  } catch (error) {
    throw refuse(errorCode(error));
  }
  if (found?.isDirectory()) throw refuse('a folder: name a file in it');
  if (found && !found.isFile()) throw refuse(found.isSymbolicLink() ? 'a link: give the file itself' : 'not a plain file');
  let staged: StagedFile;
  try {
    staged = stageFile(file);
  } catch (error) {
    throw refuse(errorCode(error));
  }
  // The file itself: made now (its name tried), or opened now (a file this process may write, still a plain one).
  let fd: number;
  try {
    fd = found ? openSync(file, constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK) : openSync(file, 'wx', 0o600);
  } catch (error) {
    staged.discard();
    throw refuse(errorCode(error));
  }
  const made = found ? undefined : fstatSync(fd).ino;
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    staged.discard();
    throw refuse('not a plain file');
  }
  const close = closingOnce(fd);
  return {
    write(png) {
      staged.write(png);
      try {
        staged.place();
      } catch (error) {
        staged.discard();
        if (!['EPERM', 'EBUSY', 'EXDEV'].includes(errorCode(error))) throw error;
        ftruncateSync(fd);
        writeFileSync(fd, png);
        fsyncSync(fd);
      } finally {
        close();
      }
    },
    abandon() {
      staged.discard();
      close();
      const now = lstatSync(file, { throwIfNoEntry: false });
      if (made !== undefined && now?.ino === made && now.size === 0) rmSync(file, { force: true });
    },
  };
}

/** `run`, during which Ctrl-C, a stop or a hang-up runs `cleanUp` first (then ends as the signal would). */
async function cleaningUpOnSignal<T>(cleanUp: () => void, run: () => Promise<T>): Promise<T> {
  const exitCodes: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp();
    process.exit(exitCodes[signal] ?? 1);
  };
  for (const signal of Object.keys(exitCodes)) process.once(signal, onSignal);
  try {
    return await run();
  } finally {
    for (const signal of Object.keys(exitCodes)) process.off(signal, onSignal);
  }
}

/** An enrollment code issued and shown, then its QR code drawn and written (the code is never lost to a failed image). */
async function issueEnrollment(config: HubConfig, asked: { village: string; hours: number; forKiosk: string | undefined }, qrFile: QrFile | undefined) {
  const { village, hours, forKiosk } = asked;
  const issued = must(
    await withStore(config, async (a) => {
      if (forKiosk) {
        // A kiosk this hub knows, or one a restored hub forgot (enrolled after the backup): it keeps its id.
        const kiosk = await findReEnrollable(a.store, forKiosk);
        if (!kiosk.ok) {
          return {
            ok: false as const,
            error: {
              code: kiosk.error.code,
              message:
                kiosk.error.code === 'kiosk.store'
                  ? kiosk.error.failure.reason
                  : `No kiosk ${forKiosk} on this hub, and its number was not set aside by a restore: enroll a new kiosk with --village.`,
            },
          };
        }
      }
      return enrollmentTicket(a.store, village, kioskFacingUrl(config), hours * 3600_000, forKiosk);
    }),
  );
  out(
    `Enrollment code for ${issued.townName} ${issued.villageName} (${issued.village}): ${issued.code}\nValid until ${chinaTime(issued.expiresAt)}; works once.`,
    timesInChina(issued),
  );
  try {
    if (!flags.json) process.stdout.write(await QRCode.toString(issued.qr, { type: 'terminal', small: true }));
    qrFile?.write(await QRCode.toBuffer(issued.qr, { errorCorrectionLevel: 'M' }));
  } catch (error) {
    throw new CliError('enroll.qrPng', `The code above was issued, but its QR code was not drawn or written (${errorCode(error)}).`);
  }
}

function out(human: string, json: unknown): void {
  process.stdout.write(flags.json ? `${JSON.stringify(json)}\n` : `${human}\n`);
}

/** A record with its instants given in China's time with the offset (`--json`), as people read them. */
function timesInChina<T extends object>(record: T): T {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      key,
      /At$/.test(key) && typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? isoInChina(value) : value,
    ]),
  ) as T;
}

/** An instant, or '-' for none, as a person reads it. */
const whenInChina = (instant: string | undefined) => (instant ? chinaTime(instant) : '-');

function must<T>(result: Result<T, SetupError>): T {
  if (!result.ok) throw new CliError(result.error.code, result.error.message);
  return result.value;
}

async function withStore<T>(config: HubConfig, fn: (acquired: AcquiredStore) => Promise<T>): Promise<T> {
  const acquired = await acquireStore(config);
  try {
    return await fn(acquired);
  } finally {
    await acquired.release();
  }
}

async function main(): Promise<void> {
  const [command = 'serve', sub] = positionals;
  if (flags.help || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const loaded = loadHubConfig(process.env);
  if (!loaded.ok) throw new CliError('config.invalid', `${loaded.error.variable}: ${loaded.error.message}`);
  const config = loaded.value;

  switch (command) {
    case 'serve': {
      const hub = await startHub(config);
      const where = config.couchdbUrl ? `CouchDB at ${config.couchdbUrl.host}` : `embedded store in ${config.dataDir}`;
      out(`Cunban hub listening on port ${hub.port} (${where})`, { port: hub.port, store: hub.store.kind, init: hub.init });
      const stop = () => {
        void hub.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'doctor': {
      const findings = await withStore(config, (a) => diagnoseHub(config, a.store, a.url));
      const failed = findings.filter((f) => f.status === 'fail').length;
      const label = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;
      const lines = findings.map((f) => `  ${label[f.status]}  ${f.check.padEnd(13)} ${f.message}`);
      const verdict = failed > 0 ? `${String(failed)} problem(s) to fix before this hub serves.` : 'Nothing stops this hub from serving.';
      out([`Cunban hub ${CUNBAN_VERSION}, data directory ${config.dataDir}:`, ...lines, verdict].join('\n'), { ok: failed === 0, findings });
      if (failed > 0) process.exitCode = 1;
      return;
    }
    case 'init': {
      const files = [flags.catalog, flags.divisions, flags.calendar];
      if (files.some(Boolean) && !files.every(Boolean)) {
        throw new CliError('init.files', 'Give all three of --catalog, --divisions and --calendar, or none.');
      }
      const read = (file: string | undefined): unknown => JSON.parse(readFileSync(file ?? '', 'utf8'));
      const data = flags.catalog ? validateCountyData(read(flags.catalog), read(flags.divisions), read(flags.calendar), 'authored') : undefined;
      if (data && !data.ok) throw new CliError(data.error.code, describeInitError(data.error));
      const report = await withStore(config, (a) => initCounty(a.store, config.dataDir, data?.value));
      if (!report.ok) throw new CliError(report.error.code, describeCountyInitError(report.error));
      const r = report.value;
      const ring = r.keyRingCreated
        ? `County key ring ${r.keyRingFingerprint} made in ${keyringFile(config.dataDir)}: back it up now, and copy it to every other hub machine (without it, no sealed ID number can be read).`
        : `County key ring ${r.keyRingFingerprint} (${keyringFile(config.dataDir)}) matches the store.`;
      out(`Store schema v${r.storeSchemaVersion}: ${r.villages} village databases; created ${r.created.length}, updated ${r.updated.length}.\n${ring}`, r);
      return;
    }
    case 'seed-demo': {
      const seeded = must(await withStore(config, (a) => seedDemo(a.store, config.dataDir, kioskFacingUrl(config))));
      const lines = [
        `Demo county 建始县 ready: ${seeded.init.villages} village databases (created ${seeded.init.created.length}).`,
        ...seeded.reviewersCreated.map((r) => `Reviewer ${r.name} (${r.role}${r.town ? ` ${r.town}` : ''}) password: ${r.password}`),
        seeded.reviewersCreated.length > 0 ? `Reviewer passwords saved to ${seeded.credentialsFile}` : '',
        seeded.reviewersElsewhere.length > 0
          ? `Reviewers ${seeded.reviewersElsewhere.join(', ')} already existed, seeded from another data directory: their passwords are in that one's demo-credentials.json.`
          : seeded.reviewersCreated.length === 0
            ? `Reviewers already existed; their passwords are in ${seeded.credentialsFile}.`
            : '',
        `Enrollment code for ${seeded.enrollment.townName} ${seeded.enrollment.villageName} (${seeded.enrollment.village}): ${seeded.enrollment.code}, valid until ${chinaTime(seeded.enrollment.expiresAt)}`,
      ];
      out(lines.filter(Boolean).join('\n'), { ...seeded, enrollment: timesInChina(seeded.enrollment) });
      return;
    }
    case 'enroll': {
      // A kiosk id names its village: kiosk-<village12>-<nn>.
      const forKiosk = flags.kiosk;
      if (forKiosk !== undefined && !/^kiosk-\d{12}-\d{2}$/.test(forKiosk))
        throw new CliError('enroll.badKiosk', '--kiosk needs a kiosk id like kiosk-422822100202-01.');
      if (forKiosk !== undefined && flags.village !== undefined)
        throw new CliError('enroll.usage', 'Give --village for a new kiosk or --kiosk to re-enroll one, not both (a kiosk id names its village).');
      const village = forKiosk?.slice(6, 18) ?? flags.village ?? '';
      if (parseDivisionCode(village)?.level !== 'village') throw new CliError('enroll.badVillage', '--village needs a 12-digit village code.');
      const hours = Number(flags.hours ?? '24');
      if (!(hours > 0 && hours <= 24 * 30)) throw new CliError('enroll.badHours', '--hours must be between 0 and 720.');
      const qrPng = flags['qr-png'];
      let qrFile: QrFile | undefined;
      const cleanUp = () => qrFile?.abandon();
      try {
        await cleaningUpOnSignal(cleanUp, () => {
          qrFile = qrPng === undefined ? undefined : prepareQrFile(qrPng);
          return issueEnrollment(config, { village, hours, forKiosk }, qrFile);
        });
      } catch (error) {
        cleanUp();
        throw error;
      }
      return;
    }
    case 'kiosks': {
      if (sub === 'list') {
        const kiosks = await withStore(config, async (a) => {
          const list = await listKiosks(a.store);
          if (!list.ok) throw new CliError('store', list.error.reason);
          const open = await openRefusalCounts(a.store);
          if (!open.ok) throw new CliError('store', open.error.reason);
          const policy = await readFleetPolicy(a.store);
          if (!policy.ok) throw new CliError('store', policy.error.reason);
          const minimum = policy.value?.minimumKioskVersion;
          return list.value.map(({ secretHash: _hidden, _id, _rev, ...kiosk }) => ({
            ...kiosk,
            refused: open.value.get(kiosk.kioskId) ?? 0,
            updateRequired: updateRequired(kiosk.appVersion ?? '', minimum) !== undefined,
          }));
        });
        const rows = kiosks.map((k) =>
          [
            k.kioskId,
            k.revokedAt ? 'REVOKED' : 'active ',
            `last seen ${whenInChina(k.lastSeenAt)}`,
            `last push ${whenInChina(k.lastPushAt)}`,
            `not yet pushed ${k.reported ? `${String(k.reported.pendingCases)} case(s) ${String(k.reported.pendingFiles)} file(s)` : '-'}`,
            `refused (open) ${String(k.refused)}`,
            `version ${k.appVersion ?? '-'}${k.updateRequired ? ' MUST UPDATE' : ''}`,
          ].join('  '),
        );
        out(rows.length > 0 ? rows.join('\n') : 'No kiosks enrolled yet.', kiosks.map(timesInChina));
        return;
      }
      if (sub === 'set-aside-numbers') {
        const numberMargin = setAsideFlag();
        const setAside = await withStore(config, async (a) => reserveNumbersAfterRestore(a.store, await villagesOf(a.store), new Date(), numberMargin));
        if (!setAside.ok) throw new CliError('store', setAside.error.reason);
        out(
          `${String(setAside.value)} kiosk numbers set aside: no new kiosk gets one; a kiosk that numbered under one claims it when re-enrolled with enroll --kiosk.`,
          { numbersSetAside: setAside.value },
        );
        return;
      }
      if (sub === 'revoke') {
        const kioskId = positionals[2] ?? '';
        const revoked = await withStore(config, (a) => revokeKiosk(a.store, kioskId, new Date()));
        if (!revoked.ok) throw new CliError(revoked.error.code, revoked.error.code === 'kiosk.unknown' ? `No kiosk ${kioskId}.` : revoked.error.failure.reason);
        out(`Kiosk ${kioskId} revoked at ${revoked.value.revokedAt ?? ''}; its next request is refused.`, { kioskId, revokedAt: revoked.value.revokedAt });
        return;
      }
      throw new CliError('usage', USAGE);
    }
    case 'keys': {
      if (sub !== 'rotate' && sub !== 'show') throw new CliError('keys.usage', 'Usage: cunban-hub keys rotate | keys show');
      // Never a new ring from here: `init` makes the county's, and a missing one is restored, not remade.
      if (!existingKeyRing(config.dataDir))
        throw new CliError(
          'keyring.missing',
          `${keyringFile(config.dataDir)} does not exist: \`cunban-hub init\` makes the county's on its first hub; copy it from there or restore it from the county's backup.`,
        );
      // Rotation records the new key in the store before the file changes; showing reads and writes nothing.
      const checked = await withStore(config, async (a) => {
        if (sub === 'rotate') return rotateKeyRing(a.store, config.dataDir);
        const standing = await keyRingStanding(a.store, config.dataDir);
        return standing.ok ? ok(standing.value.ring) : standing;
      });
      if (!checked.ok)
        throw new CliError(
          checked.error.code,
          checked.error.code === 'keyring.store'
            ? `the store did not answer (${checked.error.failure.reason}); has it been provisioned (init)? Nothing was changed.`
            : checked.error.message,
        );
      const ring = checked.value;
      const shown = { fingerprint: keyRingFingerprint(ring), current: ring.current, kids: ring.keys.map((key) => key.kid) };
      const copy =
        sub === 'rotate'
          ? `\nCopy ${keyringFile(config.dataDir)} to every hub machine and to the county's offline backup, and restart the hubs; kiosks seal with the new key from their next enrollment.`
          : '';
      out(`Key ring ${shown.fingerprint}: current ${shown.current}; keys ${shown.kids.join(', ')}.${copy}`, shown);
      return;
    }
    case 'updates': {
      if (sub === 'keygen') {
        if (!flags.out) throw new CliError('updates.usage', 'Give --out FILE for the private key.');
        if (existsSync(flags.out)) throw new CliError('updates.exists', `${flags.out} exists: a signing key is never overwritten.`);
        const { publicKeyPem } = generateUpdateKeys(flags.out);
        out(`Private key written to ${flags.out} (keep it offline). Public key, for build/update-public-keys.pem:\n${publicKeyPem}`, {
          privateKeyFile: flags.out,
          publicKeyPem,
        });
        return;
      }
      const dir = positionals[2];
      if (sub !== 'publish' || !dir || !flags.key)
        throw new CliError('updates.usage', 'Usage: cunban-hub updates publish DIR --key FILE | updates keygen --out FILE');
      if (!existsSync(flags.key)) throw new CliError('updates.noKey', `${flags.key} does not exist: give the private key made by updates keygen.`);
      const published = publishUpdates(dir, config.updatesDir ?? join(config.dataDir, 'updates'), readFileSync(flags.key, 'utf8'));
      if (!published.ok) throw new CliError(published.error.code, published.error.message);
      out(`Published ${published.value.version}: ${published.value.manifests.join(', ')} signed; ${published.value.files.join(', ')}.`, published.value);
      return;
    }
    case 'backup':
    case 'restore': {
      const file = sub;
      if (!file) throw new CliError('usage', `cunban-hub ${command} needs a file.`);
      const done = await withStore(config, (a) =>
        command === 'backup' ? backupHub(a.store, file, new Date()) : restoreHub(a.store, file, { numberMargin: setAsideFlag() }),
      );
      if (!done.ok) throw new CliError(done.error.code, done.error.code === 'backup.store' ? done.error.failure.reason : done.error.message);
      const { databases, documents, numbersSetAside = 0 } = done.value;
      out(
        command === 'backup'
          ? `Backed up ${String(documents)} documents of ${String(databases)} databases to ${file}. Keep ${keyringFile(config.dataDir)} (the county key ring) apart from it: without the ring, every sealed ID number is lost; with it beside the backup, a lost disk leaks them.`
          : `Restored ${String(documents)} documents of ${String(databases)} databases from ${file}; ${String(numbersSetAside)} kiosk numbers set aside. Start the hub: kiosks prove what it holds and send again what came after the backup. A kiosk enrolled or re-enrolled after the backup is refused: re-enroll it in place with enroll --kiosk <its id>.`,
        done.value,
      );
      return;
    }
    case 'fleet': {
      if (sub === 'show') {
        const policy = await withStore(config, (a) => readFleetPolicy(a.store));
        if (!policy.ok) throw new CliError('store', policy.error.reason);
        const set = policy.value;
        out(
          set?.minimumKioskVersion ? `Kiosks below ${set.minimumKioskVersion} must be updated (set ${set.updatedAt}).` : 'No minimum kiosk version is set.',
          set ?? {},
        );
        return;
      }
      if (sub !== 'minimum-version') throw new CliError('usage', USAGE);
      const asked = positionals[2];
      if (flags.clear === (asked !== undefined)) throw new CliError('fleet.usage', 'Give a version (e.g. 0.2.0) or --clear.');
      if (asked !== undefined && !appVersionSchema.safeParse(asked).success) throw new CliError('fleet.badVersion', `${asked} is not a version like 0.2.0.`);
      const set = await withStore(config, (a) => setMinimumKioskVersion(a.store, asked, 'cli', new Date()));
      if (!set.ok) {
        // The store's validator refuses the policy until `init` has upgraded it to store schema 5.
        const hint = set.error.failure.status === 403 || set.error.failure.status === 401 ? ' Run `cunban-hub init` to upgrade the store first.' : '';
        throw new CliError(set.error.code, `${set.error.failure.reason}${hint}`);
      }
      out(asked ? `Kiosks below ${asked} are now told to update; they keep working and syncing meanwhile.` : 'The minimum kiosk version is lifted.', set.value);
      return;
    }
    case 'users': {
      if (sub !== 'add') throw new CliError('usage', USAGE);
      const role = flags.role;
      if (role !== 'county' && role !== 'town') throw new CliError('user.badRole', '--role must be county or town.');
      const generated = flags.password === undefined;
      const password = flags.password ?? randomBytes(12).toString('base64url');
      const added = await withStore(config, (a) =>
        addReviewer(
          a.store,
          {
            name: flags.name ?? '',
            ...(flags['display-name'] ? { displayName: flags['display-name'] } : {}),
            role,
            ...(flags.town ? { town: flags.town } : {}),
            password,
          },
          new Date(),
        ),
      );
      if (!added.ok) {
        const messages = {
          'user.badName': '--name: 2–32 letters, digits, _ . -',
          'user.badDisplayName': '--display-name: the person’s name, 1–32 letters (李强, Li Qiang).',
          'user.townRequired': 'A town reviewer needs --town CODE12.',
          'user.badTown': `${flags.town ?? ''} is not a 12-digit town code.`,
          'user.unknownTown': `${flags.town ?? ''} is not a town of this county's division table (run init with the county's files first).`,
          'user.weakPassword': 'The password needs at least 10 characters.',
          'user.exists': `A reviewer named ${flags.name ?? ''} already exists.`,
          'user.store': 'The store refused the write.',
        };
        throw new CliError(added.error.code, messages[added.error.code]);
      }
      const { passwordHash: _hash, _id, ...user } = added.value;
      out(`Reviewer ${user.name} (${user.role}) added${generated ? `; password: ${password}` : ''}.`, { ...user, ...(generated ? { password } : {}) });
      return;
    }
    default:
      throw new CliError('usage', `Unknown command: ${command}\n\n${USAGE}`);
  }
}

main().catch((error: unknown) => {
  const code = error instanceof CliError || error instanceof HubStartError ? error.code : 'error';
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(flags.json ? `${JSON.stringify({ error: code, message })}\n` : `cunban-hub: ${message}\n`);
  process.exit(1);
});
