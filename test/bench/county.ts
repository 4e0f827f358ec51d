/**
 * Benchmark 4, the county at once: a kiosk in every one of Jianshi's 179 villages, live-syncing together
 * with one hub process (the embedded store, as `npm start` runs it), each registering cases at a peak-hour
 * rate. Measured: the time from a kiosk's write to the case showing in the county reviewer's queue
 * (p95), and the hub's CPU and memory (hub and store processes together). The baseline is one kiosk alone.
 * Target: p95 under 2 s on this 2-core machine.
 *
 * The kiosks are simulated at the protocol level — RxDB's free tier opens 13 collections per process, so 179
 * real kiosk databases cannot share one — making exactly the requests a kiosk's sync makes: a long poll on
 * its village and one on the catalog, and per case the `_bulk_docs` push and a status report. Each
 * simulated kiosk enrolls through the real enrollment route. They speak as today's kiosk (`hub-fetch.ts`):
 * every gateway request carries the compatibility rule (`?cunban_compat=1`), and a new case's conflict read
 * is answered on the kiosk (the hub never heard of it), so it is not sent.
 */
import { setMaxListeners } from 'node:events';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrollResponseSchema, type EnrollResponse } from '../../core/api/enrollment.js';
import { COMPAT_LEVEL, COMPAT_PARAM } from '../../core/compat.js';
import { demoCalendarData, demoCatalog, demoDivisions } from '../../core/seed/demo-county.js';
import { canStartCouchDb, startCouchDb } from '../../scripts/local-couchdb.js';
import { loadHubConfig } from '../../sync-server/config.js';
import { acquireStore, type AcquiredStore } from '../../sync-server/hub.js';
import { keyringFile } from '../../sync-server/keyring.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { addReviewer } from '../../sync-server/users.js';
import { dropPrefixedDatabases } from '../sync-server/hub-harness.js';
import { provisionForHubProcesses, spawnHub, startKillableHub, type HubProcess } from '../sync-server/hub-process.js';
import { benchCase } from './bench-cases.js';
import { sample, type Benchmark, type Figure, type Sample } from './figures.js';

/** A village counter at its busiest: a case a minute (Jianshi's halls see a few dozen a day). */
const PEAK_SECONDS_PER_CASE = Number(process.env.BENCH_PEAK_SECONDS_PER_CASE ?? 60);
/** A large county's fleet: more kiosks than Jianshi has villages (two or three in a village's hall). */
const LARGE_COUNTY_KIOSKS = Number(process.env.BENCH_LARGE_COUNTY_KIOSKS ?? 500);

/** Each load the county is measured under, against the same one kiosk alone. */
const SCENARIOS = [
  { label: 'at peak', kiosks: 'villages', every: PEAK_SECONDS_PER_CASE },
  { label: 'at 3× peak', kiosks: 'villages', every: PEAK_SECONDS_PER_CASE / 3 },
  { label: 'at peak (a large county)', kiosks: LARGE_COUNTY_KIOSKS, every: PEAK_SECONDS_PER_CASE },
] as const;
const RUN_SECONDS = Number(process.env.BENCH_COUNTY_SECONDS ?? 120);
const TARGET_MS = 2000;
/** The hub's memory (its process and the embedded store's) with the county at once (issue 16). */
const MEMORY_TARGET_MB = 400;
/** Why a county target is not met here, and what would meet it, by where the county runs. */
const ON_EMBEDDED_STORE = {
  latency:
    'the hub, the embedded store (PouchDB on LevelDB, a process of its own) and the simulated kiosks share this machine’s two cores, the hub and store near a core between them; the embedded store is for demos and small counties. Would meet it: Apache CouchDB, the production store (met there), or more cores.',
  memory:
    'the embedded store’s process holds every village database open, each with LevelDB’s caches. Would meet it: Apache CouchDB, the production store (met there), or the embedded store closing databases nobody waits on.',
};
const ON_COUCHDB = {
  latency: 'the hub, Apache CouchDB and the simulated kiosks share this machine’s two cores. Would meet it: CouchDB on a machine of its own.',
  memory:
    'the hub keeps no county-sized state, but every open long poll holds its request, response and socket in memory: 1,000 of them at once for 500 kiosks (the 179-kiosk runs stay under 300 MB). Would meet it: a second hub process behind the proxy, each weighed on its own, as the cluster run shows.',
};
const ON_ONE_MACHINE_CLUSTER = {
  latency:
    'the three CouchDB nodes, both hub processes and the simulated kiosks share this machine’s two cores (CouchDB alone takes about a core), and every case is written on three nodes (n=3). Would meet it: the nodes on machines of their own, as a county runs a cluster — not measurable on this machine.',
  memory: 'not expected: each hub process is weighed on its own.',
};

/** The acceptance date of the first 900 cases of a bench kiosk (bench-cases.ts). */
const BENCH_DAY = '2026-01-01';

interface SimulatedKiosk {
  readonly enrollment: EnrollResponse;
  cases: number;
}

const sleep = (ms: number) => new Promise((wait) => setTimeout(wait, ms));

/** How today's kiosk asks the gateway: with its compatibility rule (core/compat.ts). */
const ASKING_AS_TODAYS_KIOSK = `${COMPAT_PARAM}=${String(COMPAT_LEVEL)}`;

/** The long poll a live kiosk keeps open on one database, until `stop`. */
async function livePull(url: string, authorization: string, stop: AbortSignal): Promise<void> {
  let since: unknown = 'now';
  while (!stop.aborted) {
    try {
      const response = await fetch(
        `${url}_changes?${ASKING_AS_TODAYS_KIOSK}&feed=longpoll&timeout=55000&heartbeat=60000&include_docs=true&style=all_docs&limit=100&since=${encodeURIComponent(String(since))}`,
        {
          headers: { authorization },
          signal: stop,
        },
      );
      if (!response.ok) throw new Error(String(response.status));
      since = ((await response.json()) as { last_seq: unknown }).last_seq;
    } catch {
      // A failed poll is retried after a pause, as RxDB does; a stopped one just ends.
      await sleep(1000);
    }
  }
}

/** One case written at the counter and pushed as the kiosk's sync pushes it; resolves with the write time. */
async function pushCase(kiosk: SimulatedKiosk): Promise<{ caseNumber: string; village: string; writtenAt: number }> {
  const doc = benchCase(kiosk.enrollment, kiosk.cases++);
  const writtenAt = performance.now();
  const headers = { authorization: kiosk.enrollment.authorization, 'content-type': 'application/json' };
  const url = kiosk.enrollment.villageSyncUrl;
  const pushed = await fetch(`${url}_bulk_docs?${ASKING_AS_TODAYS_KIOSK}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ docs: [{ _id: doc.caseNumber, ...doc }] }),
  });
  if (!pushed.ok) throw new Error(`push refused: ${String(pushed.status)} ${await pushed.text()}`);
  await pushed.text();
  const report = { appVersion: 'bench', pendingCases: 0, pendingFiles: 0, refused: 0 };
  await (await fetch(new URL('../../api/kiosk/status', url), { method: 'PUT', headers, body: JSON.stringify(report) })).text();
  return { caseNumber: doc.caseNumber, village: kiosk.enrollment.village, writtenAt };
}

/** CPU time (s) and resident memory (MB) of the given processes, from /proc. */
function processUsage(pids: readonly number[]): { cpuSeconds: number; rssMb: number } {
  let cpuSeconds = 0;
  let rssMb = 0;
  for (const pid of pids) {
    try {
      const fields =
        readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
          .split(') ')[1]
          ?.split(' ') ?? [];
      cpuSeconds += (Number(fields[11]) + Number(fields[12])) / 100;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
      rssMb += Number(rss?.[1] ?? 0) / 1024;
    } catch {
      // The process is gone (not expected while the bench runs); it counts as nothing.
    }
  }
  return { cpuSeconds, rssMb };
}

/** This machine's Apache CouchDB nodes (Erlang's beam), whose work a hub on CouchDB hands over. */
function couchDbPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').includes('couchdb') && readFileSync(`/proc/${String(pid)}/comm`, 'utf8').startsWith('beam');
      } catch {
        return false;
      }
    });
}

/** The hub processes of a county run: one, or several in front of a CouchDB cluster. */
interface CountyHubs {
  /** Where the county reviewer's console reads the queue. */
  readonly queueOrigin: string;
  /** Each hub process with, on the embedded store, its store's process. */
  pids(): number[][];
  /** A gauge from every hub's `/metrics` (served to loopback), summed. */
  gauge(name: string): Promise<number>;
  /** On Apache CouchDB (its nodes' CPU is measured too), or on the embedded store. */
  readonly onCouchDb: boolean;
}

interface Run {
  readonly latencies: number[];
  readonly cpuPercent: number;
  /** The simulated kiosks' and the watching reviewer's CPU: this process, apart from the hub's. */
  readonly simulatorCpuPercent: number;
  /** Apache CouchDB's own CPU (every node on this machine); absent on the embedded store. */
  readonly couchDbCpuPercent?: number;
  readonly peakRssMb: number;
  /** The most databases the hub followed with a feed of its own at once: its long polls on the store. */
  readonly storeFeeds: number;
}

/** A gauge from a hub's `/metrics` (served to loopback). */
async function hubGauge(origin: string, name: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
}

/** Hub processes at `origins` (pids from `pids`) as one county. */
function countyOf(origins: readonly string[], pids: () => number[][], onCouchDb: boolean): CountyHubs {
  return {
    onCouchDb,
    queueOrigin: origins[0] ?? '',
    pids,
    gauge: async (name) => (await Promise.all(origins.map((origin) => hubGauge(origin, name)))).reduce((a, b) => a + b, 0),
  };
}

/** `kiosks` live-syncing for `seconds`, each writing a case every `every` seconds; the queue watched meanwhile. */
async function countyRun(county: CountyHubs, kiosks: readonly SimulatedKiosk[], seconds: number, every: number, cookie: string): Promise<Run> {
  const stop = new AbortController();
  // Every simulated long poll listens on this one signal: thousands of listeners, by design.
  setMaxListeners(0, stop.signal);
  const pulls = kiosks.flatMap((kiosk) => [
    livePull(kiosk.enrollment.villageSyncUrl, kiosk.enrollment.authorization, stop.signal),
    livePull(kiosk.enrollment.catalogSyncUrl, kiosk.enrollment.authorization, stop.signal),
  ]);
  const waiting = new Map<string, { village: string; writtenAt: number }>();
  const latencies: number[] = [];
  const errors: string[] = [];
  const runStart = performance.now();
  const until = runStart + seconds * 1000;
  const writers = kiosks.map(async (kiosk) => {
    // Counters do not open in step: each kiosk's first case falls somewhere in the first interval.
    await sleep(Math.random() * every * 1000);
    while (performance.now() < until) {
      const started = performance.now();
      try {
        const written = await pushCase(kiosk);
        waiting.set(written.caseNumber, written);
      } catch (error) {
        errors.push(String(error));
      }
      await sleep(Math.max(0, every * 1000 - (performance.now() - started)));
    }
  });
  // The county reviewer's queue (every page of the day these cases are dated), read again every 200 ms,
  // as a few reviewers refreshing their consoles would.
  const phase = { writing: true };
  const watcher = (async () => {
    while (phase.writing || waiting.size > 0) {
      let pages = 1;
      for (let page = 1; page <= pages; page++) {
        const response = await fetch(`${county.queueOrigin}/api/review/queue?from=${BENCH_DAY}&to=${BENCH_DAY}&pageSize=100&page=${String(page)}`, {
          headers: { cookie },
        });
        const seenAt = performance.now();
        if (!response.ok) break;
        const answer = (await response.json()) as { total: number; entries: { caseNumber: string }[] };
        pages = Math.ceil(answer.total / 100);
        for (const entry of answer.entries) {
          const written = waiting.get(entry.caseNumber);
          if (!written) continue;
          latencies.push(seenAt - written.writtenAt);
          waiting.delete(entry.caseNumber);
        }
      }
      await sleep(200);
    }
  })();
  const couchDb = county.onCouchDb ? couchDbPids() : [];
  const before = processUsage(county.pids().flat());
  const couchBefore = processUsage(couchDb);
  const simulatorBefore = process.cpuUsage();
  const startedAt = performance.now();
  const largestHub = () => Math.max(...county.pids().map((group) => processUsage(group).rssMb));
  let peakRssMb = largestHub();
  let storeFeeds = 0;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, largestHub());
    void county.gauge('cunban_store_feeds_followed').then((feeds) => {
      storeFeeds = Math.max(storeFeeds, feeds);
    });
  }, 1000);
  await Promise.all(writers);
  phase.writing = false;
  await Promise.race([watcher, sleep(60_000)]);
  clearInterval(sampler);
  const after = processUsage(county.pids().flat());
  const couchAfter = processUsage(couchDb);
  const simulator = process.cpuUsage(simulatorBefore);
  stop.abort();
  await Promise.allSettled(pulls);
  if (errors.length > 0) throw new Error(`${String(errors.length)} pushes failed, e.g. ${errors[0] ?? ''}`);
  if (waiting.size > 0) throw new Error(`${String(waiting.size)} cases never showed in the queue within a minute`);
  const elapsed = (performance.now() - startedAt) / 1000;
  const percent = (seconds: number) => (100 * seconds) / elapsed;
  return {
    latencies,
    cpuPercent: percent(after.cpuSeconds - before.cpuSeconds),
    simulatorCpuPercent: percent((simulator.user + simulator.system) / 1e6),
    ...(county.onCouchDb ? { couchDbCpuPercent: percent(couchAfter.cpuSeconds - couchBefore.cpuSeconds) } : {}),
    peakRssMb,
    storeFeeds,
  };
}

const villagesOf = (divisions: ReturnType<typeof demoDivisions>) => divisions.towns.flatMap((town) => town.villages.map((village) => village.code12));
const countyData = () => ({ catalog: demoCatalog(), divisions: demoDivisions(), calendar: demoCalendarData() });

/** The county reviewer, and an enrollment code for each of `count` kiosks spread over the county's villages. */
async function prepareCounty(admin: AcquiredStore, count: number): Promise<string[]> {
  await addReviewer(admin.store, { name: 'county-bench', role: 'county', password: 'bench-secret-1' }, new Date());
  const villages = villagesOf(demoDivisions());
  const codes = [];
  for (let i = 0; i < count; i++) {
    const code = await issueEnrollmentCode(admin.store, villages[i % villages.length] ?? '', new Date());
    if (!code.ok) throw new Error(code.error.reason);
    codes.push(code.value.code);
  }
  return codes;
}

/**
 * Each code enrolled through one of the hubs at `origins` in turn, as a county's load balancer spreads its
 * kiosks; behind a trusted proxy, each kiosk from its own village's address.
 */
async function enrollFleet(origins: readonly string[], codes: readonly string[]): Promise<SimulatedKiosk[]> {
  const kiosks: SimulatedKiosk[] = [];
  for (const [i, code] of codes.entries()) {
    const headers = { 'x-forwarded-for': `10.0.${String(Math.floor(i / 250))}.${String((i % 250) + 1)}` };
    const response = await fetch(`${origins[i % origins.length] ?? ''}/api/enroll`, { method: 'POST', headers, body: JSON.stringify({ code }) });
    kiosks.push({ enrollment: enrollResponseSchema.parse(await response.json()), cases: 0 });
  }
  return kiosks;
}

/** The county reviewer's session cookie at `origin`. */
async function signInCounty(origin: string): Promise<string> {
  const signIn = await fetch(`${origin}/api/session`, { method: 'POST', body: JSON.stringify({ name: 'county-bench', password: 'bench-secret-1' }) });
  return (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

interface Scenario {
  readonly label: string;
  readonly kiosks: number;
  readonly every: number;
}

/** Each scenario run `rounds` times after one kiosk alone, logged as it goes. */
async function runScenarios(
  county: CountyHubs,
  kiosks: readonly SimulatedKiosk[],
  cookie: string,
  scenarios: readonly Scenario[],
  rounds: number,
  log: (line: string) => void,
): Promise<{ alone: Run[]; runs: Run[][] }> {
  const alone: Run[] = [];
  const runs: Run[][] = scenarios.map(() => []);
  for (let round = 0; round < rounds; round++) {
    alone.push(await countyRun(county, kiosks.slice(0, 1), Math.min(60, RUN_SECONDS), 5, cookie));
    for (const [i, scenario] of scenarios.entries()) {
      const fleet = kiosks.slice(0, scenario.kiosks);
      const run = await countyRun(county, fleet, RUN_SECONDS, scenario.every, cookie);
      runs[i]?.push(run);
      log(
        `round ${String(round + 1)}, ${String(fleet.length)} kiosks ${scenario.label}: ${String(run.latencies.length)} cases, p95 ${sample(run.latencies).p95.toFixed(0)} ms; hub ${String(Math.round(run.cpuPercent))}% CPU, ${String(Math.round(run.peakRssMb))} MB, ${String(run.storeFeeds)} store feeds; simulator ${String(Math.round(run.simulatorCpuPercent))}% CPU`,
      );
    }
  }
  return { alone, runs };
}

/** A scenario's figures against one kiosk alone: latency, hub CPU and memory, and the CPU spent beside the hub. */
function scenarioFigures(
  benchmark: string,
  scenario: Scenario,
  together: readonly Run[],
  alone: readonly Run[],
  unmet: { readonly latency: string; readonly memory: string },
): Figure[] {
  const oneKiosk = { label: 'one kiosk alone, a case every 5 s' };
  const latency: Sample = sample(together.flatMap((run) => run.latencies));
  const baseline: Sample = sample(alone.flatMap((run) => run.latencies));
  const cpu = (of: (run: Run) => number) => ({ value: sample(together.map(of)), baseline: { ...oneKiosk, value: sample(alone.map(of)) } });
  const onCouchDb = together.some((run) => run.couchDbCpuPercent !== undefined);
  return [
    {
      benchmark,
      measure: 'kiosk write → in the county queue, ms',
      statistic: 'p95',
      value: latency,
      baseline: { ...oneKiosk, value: baseline },
      ratio: latency.p95 / baseline.p95,
      target: { text: `p95 < ${String(TARGET_MS)} ms`, met: latency.p95 < TARGET_MS, unmet: unmet.latency },
      note: `${String(latency.rounds)} cases, a case per kiosk every ${String(scenario.every)} s; ${String(scenario.kiosks * 2)} kiosk long polls open, ${String(Math.max(...together.map((run) => run.storeFeeds)))} feeds on the store (one per database waited on)`,
    },
    { benchmark, measure: `hub CPU${onCouchDb ? '' : ' (with its embedded store)'}, % of one core`, ...cpu((run) => run.cpuPercent) },
    ...(onCouchDb
      ? [{ benchmark, measure: 'Apache CouchDB CPU (every node on this machine), % of one core', ...cpu((run) => run.couchDbCpuPercent ?? 0) }]
      : []),
    { benchmark, measure: 'simulated kiosks CPU (a process of their own, not the hub), % of one core', ...cpu((run) => run.simulatorCpuPercent) },
    {
      benchmark,
      measure: `hub memory (peak RSS${onCouchDb ? ', the largest hub process' : ', with its embedded store'}), MB`,
      value: sample(together.map((run) => run.peakRssMb)),
      baseline: { ...oneKiosk, value: sample(alone.map((run) => run.peakRssMb)) },
      target: { text: `< ${String(MEMORY_TARGET_MB)} MB`, met: Math.max(...together.map((run) => run.peakRssMb)) < MEMORY_TARGET_MB, unmet: unmet.memory },
    },
  ];
}

export const county: Benchmark = {
  name: 'county',
  title: `179 kiosks live-syncing for ${String(RUN_SECONDS)} s at peak (a case each every ${String(PEAK_SECONDS_PER_CASE)} s) and at 3× peak, and ${String(LARGE_COUNTY_KIOSKS)} at peak, against one kiosk alone`,
  defaultRounds: 1,
  async run({ rounds, log }) {
    const hub = await startKillableHub(countyData(), { CUNBAN_TRUST_PROXY: 'loopback' });
    try {
      const villages = villagesOf(demoDivisions()).length;
      const scenarios = SCENARIOS.map((scenario) => ({ ...scenario, kiosks: scenario.kiosks === 'villages' ? villages : scenario.kiosks }));
      const codes = await hub.withAdmin((admin) => prepareCounty(admin, Math.max(villages, LARGE_COUNTY_KIOSKS)));
      const kiosks = await enrollFleet([hub.origin], codes);
      log(`${String(kiosks.length)} kiosks enrolled`);
      const { alone, runs } = await runScenarios(
        countyOf([hub.origin], () => [hub.pids()], process.env.COUCHDB_URL !== undefined),
        kiosks,
        await signInCounty(hub.origin),
        scenarios,
        rounds,
        log,
      );
      const unmet = process.env.COUCHDB_URL ? ON_COUCHDB : ON_EMBEDDED_STORE;
      return scenarios.flatMap((scenario, i) =>
        scenarioFigures(`4 the county at once: ${String(scenario.kiosks)} kiosks ${scenario.label} · one hub process`, scenario, runs[i] ?? [], alone, unmet),
      );
    } finally {
      await hub.close();
    }
  },
};

/**
 * The county outgrowing one machine: two hub processes in front of a 3-node Apache CouchDB cluster
 * (`COUCHDB_CLUSTER_URL`, or one started from ../shared/couchdb), the kiosks enrolled through each in turn,
 * the county queue read through the first while half the cases are written through the second. Each hub has a
 * data directory of its own holding the county's key ring, as hubs on two machines do.
 */
export const countyCluster: Benchmark = {
  name: 'county-cluster',
  title: `179 kiosks at peak through two hub processes in front of a 3-node Apache CouchDB cluster`,
  defaultRounds: 1,
  async run({ rounds, log }) {
    const given = process.env.COUCHDB_CLUSTER_URL;
    if (!given && !canStartCouchDb()) throw new Error('needs COUCHDB_CLUSTER_URL (a 3-node cluster), or Apache CouchDB at ../shared/couchdb to start one');
    const cluster = given ? { url: given, stop: () => undefined } : await startCouchDb(3);
    const prefix = `bc${Date.now().toString(36)}_`;
    const dirs = [mkdtempSync(join(tmpdir(), 'cunban-bench-a-')), mkdtempSync(join(tmpdir(), 'cunban-bench-b-'))];
    const envOf = (dataDir: string) => ({
      ...process.env,
      COUCHDB_URL: cluster.url,
      CUNBAN_DATA_DIR: dataDir,
      CUNBAN_HUB_PORT: '0',
      CUNBAN_HUB_HOST: '127.0.0.1',
      CUNBAN_DB_PREFIX: prefix,
      CUNBAN_TRUST_PROXY: 'loopback',
    });
    const hubs: HubProcess[] = [];
    const config = loadHubConfig(envOf(dirs[0] ?? ''));
    if (!config.ok) throw new Error(config.error.message);
    let admin: AcquiredStore | undefined;
    try {
      await provisionForHubProcesses(envOf(dirs[0] ?? ''), countyData());
      // One key ring for the county: made by init on the first machine, copied to the second.
      copyFileSync(keyringFile(dirs[0] ?? ''), keyringFile(dirs[1] ?? ''));
      for (const dir of dirs) hubs.push(await spawnHub(envOf(dir)));
      admin = await acquireStore(config.value);
      const origins = hubs.map((hub) => `http://127.0.0.1:${String(hub.port)}`);
      const villages = villagesOf(demoDivisions()).length;
      const kiosks = await enrollFleet(origins, await prepareCounty(admin, villages));
      log(`${String(kiosks.length)} kiosks enrolled through ${String(origins.length)} hubs`);
      const scenario = { label: 'at peak', kiosks: villages, every: PEAK_SECONDS_PER_CASE };
      const pids = () => hubs.map((hub) => (hub.child.pid === undefined ? [] : [hub.child.pid]));
      const { alone, runs } = await runScenarios(countyOf(origins, pids, true), kiosks, await signInCounty(origins[0] ?? ''), [scenario], rounds, log);
      return scenarioFigures(
        `4 the county at once: ${String(villages)} kiosks at peak · two hub processes, a 3-node Apache CouchDB cluster`,
        scenario,
        runs[0] ?? [],
        alone,
        ON_ONE_MACHINE_CLUSTER,
      );
    } finally {
      if (admin) {
        await dropPrefixedDatabases(admin.store, prefix);
        await admin.release();
      }
      for (const hub of hubs) await hub.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      cluster.stop();
    }
  },
};
