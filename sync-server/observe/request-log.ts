/**
 * The hub's log, by `pino`: JSON lines on stderr. One line per request — request id, method, route
 * pattern, status, duration, error code, and the kiosk or reviewer account it came from. Never a body,
 * a query, a raw path, a resident's name or ID number: what the log holds is what a county may keep for
 * six months (Cybersecurity Law) without it becoming a second register of residents.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { actorOf } from '../http/actor.js';
import type { Answered } from '../http/kit.js';
import type { HubMetrics } from './metrics.js';

/** Where the hub logs: `destination` (a file, a test's stream), else stderr, so `--json` answers on stdout stay clean. */
export function hubLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'cunban-hub' }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options, pino.destination({ dest: 2, sync: false }));
}

/** A logger that writes nothing (tests that do not look at the log). */
export const silentLogger = (): Logger => pino({ level: 'silent' });

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS']);

/** Error codes of a refusal by a lock or brake, and the kind each counts as in `cunban_lockouts_total`. */
const LOCKOUT_KINDS: Readonly<Record<string, string>> = {
  'signIn.locked': 'signin-name',
  'signIn.throttled': 'signin-address',
  'enroll.rateLimited': 'enroll-address',
  too_many_requests: 'kiosk-sync',
};

/** The router's observer: a log line and the metrics of one answered request. */
export function observeRequests(logger: Logger, metrics: HubMetrics): (answered: Answered) => void {
  return (answered) => {
    const { route, status, error } = answered;
    // Node accepts 34 methods: the rest are one label, so a caller cannot make series at will.
    const method = KNOWN_METHODS.has(answered.method) ? answered.method : 'other';
    const seconds = answered.ms / 1000;
    metrics.requests.inc({ method, route, status: String(status) });
    metrics.duration.observe({ method, route }, seconds);
    if (error === 'store_unavailable') metrics.storeErrors.inc();
    const lockout = error === undefined ? undefined : LOCKOUT_KINDS[error];
    if (lockout) metrics.lockouts.inc({ kind: lockout });
    const line = { reqId: answered.requestId, method, route, status, ms: Math.round(answered.ms), ...(error ? { error } : {}), ...actorOf(answered.req) };
    if (status >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
  };
}
