/**
 * The hub's Prometheus metrics (`GET /metrics`, by `prom-client`), one registry per hub so that several
 * hubs in one process (tests) keep apart. Labels are bounded: a route's pattern, never a raw path, so a
 * case number or an ID number typed into a URL never becomes a series.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface HubMetrics {
  readonly registry: Registry;
  /** Requests answered, by method, route pattern and status. */
  readonly requests: Counter<'method' | 'route' | 'status'>;
  /** Seconds from request to answer (a long poll's whole wait included). */
  readonly duration: Histogram<'method' | 'route'>;
  /** Kiosks' `_changes?feed=longpoll` requests open now. */
  readonly longPolls: Gauge;
  /** Documents kiosks pushed, by outcome: `accepted` or `refused` (answered per document, quarantined). */
  readonly pushedDocuments: Counter<'outcome'>;
  /** Tries refused because a name or a client address is locked or braked. */
  readonly lockouts: Counter<'kind'>;
  /** Answers of 503 `store_unavailable`: the store did not answer. */
  readonly storeErrors: Counter;
}

export interface HubGauges {
  /** Password checks (scrypt) running and waiting in this process. */
  readonly passwordChecks?: () => { running: number; waiting: number };
  /** Databases the process follows with a feed of its own (one store long poll each: gateway/change-feeds.ts). */
  readonly feedsFollowed?: () => number;
}

export function hubMetrics(gauges: HubGauges = {}): HubMetrics {
  const { passwordChecks, feedsFollowed } = gauges;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cunban_hub_' });
  const registers = [registry];
  const metrics: HubMetrics = {
    registry,
    requests: new Counter({ name: 'cunban_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers }),
    duration: new Histogram({
      name: 'cunban_http_request_duration_seconds',
      help: 'Time from request to answer',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
      registers,
    }),
    longPolls: new Gauge({ name: 'cunban_sync_long_polls_open', help: 'Kiosk long polls open now', registers }),
    pushedDocuments: new Counter({
      name: 'cunban_sync_pushed_documents_total',
      help: 'Documents pushed by kiosks, by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    lockouts: new Counter({ name: 'cunban_lockouts_total', help: 'Tries refused by a lock or a brake, by kind', labelNames: ['kind'], registers }),
    storeErrors: new Counter({ name: 'cunban_store_errors_total', help: 'Requests answered 503 because the store did not answer', registers }),
  };
  if (passwordChecks) {
    new Gauge({
      name: 'cunban_password_checks',
      help: 'Password checks (scrypt) running and waiting in this process',
      labelNames: ['state'],
      registers,
      collect() {
        const load = passwordChecks();
        this.set({ state: 'running' }, load.running);
        this.set({ state: 'waiting' }, load.waiting);
      },
    });
  }
  if (feedsFollowed) {
    new Gauge({
      name: 'cunban_store_feeds_followed',
      help: 'Databases this process follows with one changes feed of its own, however many kiosks wait on each',
      registers,
      collect() {
        this.set(feedsFollowed());
      },
    });
  }
  return metrics;
}
