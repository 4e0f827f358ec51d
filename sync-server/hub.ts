/**
 * Starting the county hub: the store (Apache CouchDB, or the supervised embedded store), migrations,
 * then the API and the sync gateway on one HTTP server. Everything durable is in the store, so any
 * number of hub processes can serve one CouchDB behind a load balancer.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { apiRoutes, ENROLL_ATTEMPTS } from './api.js';
import { sweepStaleAttempts } from './attempts.js';
import { BOOKING_ADDRESS_ATTEMPTS, BOOKING_REQUESTS_PER_ADDRESS, bookingRoutes } from './resident/booking-routes.js';
import { APPEAL_ADDRESS_ATTEMPTS, appealRoutes } from './resident/appeal-routes.js';
import { addressAttempts, codeAttempts } from './resident/code-door.js';
import { LOOKUP_ADDRESS_ATTEMPTS, LOOKUP_CASE_ATTEMPTS, LOOKUPS_PER_ADDRESS, residentLookupRoutes } from './resident/lookup-route.js';
import { appealReviewRoutes } from './review/appeal-routes.js';
import { publicationReviewRoutes } from './review/publication-routes.js';
import { BOARD_READS_PER_ADDRESS, boardRoutes } from './resident/board-routes.js';
import { openDataRoutes } from './resident/open-data.js';
import { SIGN_IN_ATTEMPTS } from './review/sessions.js';
import type { HubConfig } from './config.js';
import { fileRoutes } from './files.js';
import { gatewayRoutes } from './gateway.js';
import { changeFeeds } from './gateway/change-feeds.js';
import { clientOf } from './http/client.js';
import { router } from './http/kit.js';
import { throttle } from './http/throttle.js';
import { sessionRoutes } from './review/session-routes.js';
import { passwordCheckPool } from './secrets.js';
import { hubMetrics } from './observe/metrics.js';
import { metricsRoutes } from './observe/metrics-route.js';
import { hubLogger, observeRequests } from './observe/request-log.js';
import type { Logger } from 'pino';
import { appRoutes, DEFAULT_APPS_DIR } from './static-apps.js';
import { checkedKeyRing, keyringFile, keyRingMode } from './keyring.js';
import { initStore, type InitReport } from './provision.js';
import { fleetRoutes } from './review/fleet-routes.js';
import { startQueueProjector, type QueueProjector } from './review/queue.js';
import { caseFileRoutes } from './review/case-file-routes.js';
import { noticeRoutes } from './review/notice-routes.js';
import { openQueueIndex } from './review/queue-index.js';
import { updateRoutes } from './updates.js';
import { reviewRoutes } from './review/routes.js';
import { runningStoreUrl, startEmbeddedStore, type EmbeddedStore } from './store/embedded-store.js';
import { openStore, type Store } from './store/store.js';

/** Sign-in attempts from one client address in ten minutes, whatever the names: ample for an office behind one NAT, a brake on spraying guesses over many names. */
const SIGN_INS_PER_ADDRESS = { points: 60, seconds: 600 } as const;

/** Why a hub refused to start (its `code` is what `cunban-hub serve --json` reports). */
export class HubStartError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AcquiredStore {
  readonly store: Store;
  /** The store's admin URL (credentials included). */
  readonly url: URL;
  /** Set when this process started (and so supervises) the embedded store. */
  readonly embedded?: EmbeddedStore;
  status(): 'up' | 'down';
  release(): Promise<void>;
}

/** CouchDB when configured; else the embedded store already running on this data directory, or a new one. */
export async function acquireStore(config: HubConfig): Promise<AcquiredStore> {
  const prefix = config.dbPrefix;
  if (config.couchdbUrl) {
    return {
      store: openStore({ url: config.couchdbUrl, kind: 'couchdb', prefix }),
      url: config.couchdbUrl,
      status: () => 'up',
      release: () => Promise.resolve(),
    };
  }
  const running = runningStoreUrl(config.dataDir);
  if (running) {
    const store = openStore({ url: running, kind: 'embedded', prefix });
    if ((await store.ping()).ok) return { store, url: running, status: () => 'up', release: () => Promise.resolve() };
  }
  const embedded = await startEmbeddedStore(config.dataDir);
  return {
    store: openStore({ url: embedded.url, kind: 'embedded', prefix }),
    url: embedded.url,
    embedded,
    status: () => embedded.status(),
    release: () => embedded.stop(),
  };
}

export interface Hub {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly embedded?: EmbeddedStore;
  /** What start-up provisioning did, or why it could not run (no county data yet). */
  readonly init: InitReport | string;
  /** The review queue's projector (tests wait on it with `settled()`). */
  readonly queue: QueueProjector;
  close(): Promise<void>;
}

export interface HubOptions {
  /** The hub's pino logger (observe/request-log.ts); JSON lines on stderr by default. */
  readonly logger?: Logger;
  readonly now?: () => Date;
}

export async function startHub(config: HubConfig, options: HubOptions = {}): Promise<Hub> {
  const logger = options.logger ?? hubLogger(config.logLevel);
  const log = (message: string) => {
    logger.warn(message);
  };
  const now = options.now ?? (() => new Date());
  const acquired = await acquireStore(config);
  const { store } = acquired;

  // Migrations first: bring the store up to this version before serving anyone.
  const migrated = await initStore(store);
  const init = migrated.ok ? migrated.value : migrated.error.code === 'init.store' ? migrated.error.failure.reason : migrated.error.message;
  // A hub with no county data yet is expected (`npm start` seeds the demo county next): said, not warned.
  if (!migrated.ok && migrated.error.code === 'init.noCountyData') logger.info('no county data yet: the hub waits for `cunban-hub init` or `seed-demo`');
  else if (!migrated.ok) log(init as string);
  // The county's key ring must be the one its data was sealed with, before any kiosk is given keys.
  const keyRing = checkedKeyRing(store, config.dataDir);
  if (migrated.ok) {
    const keys = await keyRing();
    if (!keys.ok) {
      await acquired.release();
      throw new HubStartError(
        keys.error.code,
        keys.error.code === 'keyring.store' ? `the store did not answer the key ring check: ${keys.error.failure.reason}` : keys.error.message,
      );
    }
    const mode = keyRingMode(config.dataDir);
    if (mode !== undefined && (mode & 0o077) !== 0)
      logger.warn(`the county key ring ${keyringFile(config.dataDir)} is open to other users (mode ${mode.toString(8)}): chmod 600 it`);
  }

  // The review queue follows every village: right after each write here, and a full sweep now and then.
  const queue = startQueueProjector(store, { log });
  const queueIndex = openQueueIndex(store);
  if (migrated.ok) {
    void queue.sweep();
    // Load the queue into memory now, so the first reviewer does not wait for it.
    void queueIndex.current();
  }
  // Tries older than their window are evidence of nothing: removed now and every ten minutes, whatever their key.
  const sweepAttempts = () =>
    void sweepStaleAttempts(
      store,
      [
        SIGN_IN_ATTEMPTS,
        ENROLL_ATTEMPTS,
        LOOKUP_CASE_ATTEMPTS,
        LOOKUP_ADDRESS_ATTEMPTS,
        BOOKING_ADDRESS_ATTEMPTS,
        codeAttempts('appointment'),
        addressAttempts('appointment'),
        codeAttempts('appeal'),
        addressAttempts('appeal'),
        APPEAL_ADDRESS_ATTEMPTS,
      ],
      now(),
    );
  if (migrated.ok) sweepAttempts();
  const attemptSweep = setInterval(sweepAttempts, 10 * 60_000);
  attemptSweep.unref();
  const client = clientOf(config.trustProxy);
  const passwords = passwordCheckPool();
  // One feed per database with kiosks waiting on it, for this whole process.
  const feeds = changeFeeds(store, { log });
  const metrics = hubMetrics({ passwordChecks: () => passwords.load(), feedsFollowed: () => feeds.followed() });
  const routes = [
    ...apiRoutes({ config, store, client, keyRing, enrollThrottle: throttle(20, 60), storeStatus: () => acquired.status(), now }),
    ...sessionRoutes({ config, store, now, client, passwords, keyRing, throttle: throttle(SIGN_INS_PER_ADDRESS.points, SIGN_INS_PER_ADDRESS.seconds) }),
    ...metricsRoutes({ config, client, metrics }),
    ...gatewayRoutes({
      store,
      now,
      log,
      onVillageWritten: (village) => {
        queue.kick(village);
      },
      ...(config.proxyReadTimeoutMs ? { proxyReadTimeoutMs: config.proxyReadTimeoutMs } : {}),
      ...(config.kioskRequestsPerMinute ? { kioskRequestsPerMinute: config.kioskRequestsPerMinute } : {}),
      metrics,
      feeds,
    }),
    ...fileRoutes({ store, now }),
    ...reviewRoutes({
      store,
      now,
      keyRing,
      queue: queueIndex,
      onCaseWritten: (village) => {
        queue.kick(village);
      },
    }),
    ...appealReviewRoutes({ store, now, keyRing }),
    ...publicationReviewRoutes({ store, now }),
    ...fleetRoutes({ config, store, now }),
    ...noticeRoutes({ store, now }),
    ...caseFileRoutes({ store, now }),
    ...updateRoutes({ updatesDir: config.updatesDir ?? join(config.dataDir, 'updates') }),
    ...residentLookupRoutes({ store, client, keyRing, throttle: throttle(LOOKUPS_PER_ADDRESS.points, LOOKUPS_PER_ADDRESS.seconds), now }),
    ...bookingRoutes({ store, client, keyRing, throttle: throttle(BOOKING_REQUESTS_PER_ADDRESS.points, BOOKING_REQUESTS_PER_ADDRESS.seconds), now }),
    ...appealRoutes({ store, client, keyRing, throttle: throttle(BOOKING_REQUESTS_PER_ADDRESS.points, BOOKING_REQUESTS_PER_ADDRESS.seconds), now }),
    ...boardRoutes({
      store,
      client,
      keyRing,
      queue: queueIndex,
      throttle: throttle(BOARD_READS_PER_ADDRESS.points, BOARD_READS_PER_ADDRESS.seconds),
      now,
    }),
    ...openDataRoutes({ store, client, queue: queueIndex, throttle: throttle(BOARD_READS_PER_ADDRESS.points, BOARD_READS_PER_ADDRESS.seconds), now }),
    ...(['kiosk', 'console', 'resident'] as const).flatMap((app) =>
      appRoutes(app, { appsDir: config.appsDir ?? DEFAULT_APPS_DIR, ...(config.publicUrl ? { publicOrigin: config.publicUrl.origin } : {}) }),
    ),
  ];
  const handler = router(routes, { corsOrigins: config.corsOrigins, onAnswered: observeRequests(logger, metrics) }, log);
  const server: Server = config.tls
    ? createHttpsServer({ cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) }, handler)
    : createServer(handler);
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(config.port, config.host, () => {
      listening();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    url: `${config.tls ? 'https' : 'http'}://127.0.0.1:${port}/`,
    port,
    store,
    ...(acquired.embedded ? { embedded: acquired.embedded } : {}),
    init,
    queue,
    async close() {
      clearInterval(attemptSweep);
      feeds.close();
      await queue.stop();
      await queueIndex.close();
      server.closeAllConnections();
      await new Promise<void>((closed) =>
        server.close(() => {
          closed();
        }),
      );
      await acquired.release();
    },
  };
}
