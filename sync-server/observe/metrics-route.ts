/**
 * `GET /metrics` in Prometheus' text format. Counts and timings only, but they still tell an outsider how
 * busy each route is: with `CUNBAN_METRICS_TOKEN` set the scraper sends it as a bearer token; without it
 * only a client on this machine (loopback) is answered.
 */
import type { HubConfig } from '../config.js';
import type { ClientOf } from '../http/client.js';
import { failure, reply, type Route } from '../http/kit.js';
import { sameHash } from '../secrets.js';
import type { HubMetrics } from './metrics.js';

export function metricsRoutes(options: { readonly config: HubConfig; readonly client: ClientOf; readonly metrics: HubMetrics }): Route[] {
  const { config, client, metrics } = options;
  return [
    {
      method: 'GET',
      pattern: /^\/metrics$/,
      async handle(context) {
        const token = config.metricsToken;
        const sent = /^Bearer (.+)$/.exec(context.req.headers.authorization ?? '')?.[1];
        const allowed = token === undefined ? client.isLocal(context.req) : sent !== undefined && sameHash(sent, token);
        if (!allowed)
          return failure(
            403,
            'forbidden',
            token === undefined
              ? 'Metrics are served to this machine only; set CUNBAN_METRICS_TOKEN to scrape from elsewhere.'
              : 'Send the metrics token as a bearer token.',
          );
        const text = await metrics.registry.metrics();
        return reply(200, Buffer.from(text), { 'content-type': metrics.registry.contentType });
      },
    },
  ];
}
