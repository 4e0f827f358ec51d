/**
 * `npm start` — Cunban's main job on the embedded default: the county hub on the seeded demo county
 * (Jianshi, 179 villages), with demo reviewers and an enrollment code for a kiosk, the kiosk in Electron
 * (or, where the Electron binary is not available, in a browser) and the review console.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { buildApps } from './build-apps.js';
import { electronBinary, hasDisplay } from './electron-binary.js';
import { kioskFacingUrl, loadHubConfig } from '../sync-server/config.js';
import { DEMO_VILLAGE, enrollmentTicket, seedDemo, type DemoSeed, type EnrollmentTicket } from '../sync-server/demo.js';
import { startHub } from '../sync-server/hub.js';
import { portFree } from '../sync-server/http/port.js';
import { hubLogger } from '../sync-server/observe/request-log.js';
import { readCountyData } from '../sync-server/provision.js';
import { chinaTime } from '../core/local-date.js';

const config = loadHubConfig(process.env);
if (!config.ok) {
  console.error(`Cunban: ${config.error.variable}: ${config.error.message}`);
  process.exit(1);
}
const { dataDir } = config.value;

// The hub's port is asked before anything is built (a second `npm start` once rebuilt the running hub's apps first).
if (!(await portFree(config.value.port, config.value.host))) {
  console.error(
    `Cunban: port ${String(config.value.port)} on ${config.value.host} is already in use — another Cunban hub (an earlier \`npm start\`?) or another program.`,
  );
  console.error(`  Stop it, or start this one on another port: CUNBAN_HUB_PORT=${String(config.value.port + 1)} npm start`);
  process.exit(1);
}

// The kiosk's screens and the console, built fresh so what runs is what is checked out (a few seconds).
await buildApps();

// The hub's request log goes to a file, so this window shows what a person needs.
const logFile = join(dataDir, 'hub.log');
mkdirSync(dataDir, { recursive: true });
const hub = await startHub(config.value, { logger: hubLogger(config.value.logLevel, pino.destination({ dest: logFile, mkdir: true, sync: false })) });
const hubUrl = kioskFacingUrl(config.value, hub.port);
const stop = (code: number) => {
  console.log('Stopping the hub…');
  void hub.close().then(() => {
    console.log('The hub has stopped. Kiosks keep working offline and sync when it is back.');
    process.exit(code);
  });
};
process.once('SIGINT', () => {
  stop(0);
});
process.once('SIGTERM', () => {
  stop(0);
});

// First start on this data directory: seed the demo county. Later starts keep what is there.
let seed: DemoSeed | undefined;
if (!(await readCountyData(hub.store)).ok) {
  const seeded = await seedDemo(hub.store, dataDir, hubUrl);
  if (!seeded.ok) {
    console.error(`Cunban: could not seed the demo county: ${seeded.error.message}`);
    stop(1);
  } else {
    seed = seeded.value;
  }
}
// A code on the first start, and on request (`--enroll`): not a fresh 24-hour code at every restart.
let enrollment: EnrollmentTicket | undefined = seed?.enrollment;
if (!enrollment && process.argv.includes('--enroll')) {
  const fresh = await enrollmentTicket(hub.store, DEMO_VILLAGE, hubUrl, 24 * 3600_000);
  if (fresh.ok) enrollment = fresh.value;
}

const county = await readCountyData(hub.store);
if (county.ok) {
  const { catalog, divisions } = county.value;
  const villages = divisions.towns.reduce((n, town) => n + town.villages.length, 0);
  console.log(`Cunban 村办 — county hub for ${divisions.county.name} (${divisions.county.code12})`);
  console.log(
    `  ${divisions.towns.length} towns, ${villages} villages; catalog v${catalog.version}: ${catalog.sectors.length} sectors, ${catalog.items.length} service items`,
  );
}
console.log(`  hub: ${hubUrl} (health: ${hubUrl}api/health; ${hub.store.kind} store, data in ${dataDir}; request log in ${logFile})`);
for (const reviewer of seed?.reviewersCreated ?? []) {
  console.log(`  reviewer ${reviewer.name} (${reviewer.role}) password: ${reviewer.password}`);
}
if (!seed) console.log(`  reviewer passwords: see ${dataDir}/demo-credentials.json`);
if (enrollment) {
  console.log(`  enrollment code for ${enrollment.townName} ${enrollment.villageName}: ${enrollment.code} (until ${chinaTime(enrollment.expiresAt)})`);
} else {
  console.log(`  a kiosk enrollment code: npm start -- --enroll (or: npm run hub -- enroll --village ${DEMO_VILLAGE})`);
}
console.log('');
// localhost: browsers give WebCrypto (which seals ID numbers) only to https pages and this machine's own.
const withCode = enrollment ? 'the code above' : 'a code (npm start -- --enroll), or open it where it was enrolled';
console.log(`  kiosk (browser mode): http://localhost:${String(hub.port)}/kiosk/ — enroll with ${withCode}, create a clerk, register cases.`);
console.log('  It keeps working with the hub stopped and syncs when the hub is back.');
console.log(`  review console: http://localhost:${String(hub.port)}/console/ — sign in as a reviewer above; decisions reach the kiosk.`);
console.log(
  `  residents' page: http://localhost:${String(hub.port)}/r/ — follow a case, book a visit, raise a concern (on a phone: the hub's public address).`,
);
console.log('');
const electron = process.argv.includes('--browser') || !hasDisplay() ? undefined : electronBinary();
if (electron) {
  // A developer's window (not kiosk mode): enroll it with the code above, at this hub's address.
  console.log(`  kiosk (Electron): opening the Cunban shell — hub address ${hubUrl}`);
  const shell = spawn(electron, ['.', '--no-kiosk'], { cwd: resolve(import.meta.dirname, '..'), stdio: 'inherit' });
  shell.once('exit', (code) => {
    console.log(`  the Cunban shell closed (${String(code)}); the hub keeps running.`);
  });
} else {
  console.log('  kiosk (Electron): not started — no Electron binary here (`npx install-electron` downloads it) or no display; use the browser mode above.');
}
console.log('Press Ctrl-C to stop the hub.');
