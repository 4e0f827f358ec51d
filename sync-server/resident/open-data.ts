/**
 * The county's service figures as open data (issue 19 §2), for anyone to download — no sign-in, no personal data:
 * - `GET /api/open/service-figures.json`: `{ schema, county, generatedAt, rows: [...] }`;
 * - `GET /api/open/service-figures.csv`: the same rows, UTF-8 with a byte-order mark (as spreadsheets in China
 *   open it), columns in `SERVICE_FIGURE_COLUMNS` order.
 * One row per village and month (core/disclosure/service-figures.ts); the schema is docs/OPEN-DATA.md. Counted
 * from the review queue in memory, at most once a minute per process, and cacheable for as long.
 */
import Papa from 'papaparse';
import { SERVICE_FIGURE_COLUMNS, serviceFigures, type ServiceFigures } from '../../core/disclosure/service-figures.js';
import { indexDivisions } from '../../core/divisions/table.js';
import { ok } from '../../core/result.js';
import { reply, type HttpReply, type Route, type RouteContext } from '../http/kit.js';
import type { Throttle } from '../http/throttle.js';
import type { ClientOf } from '../http/client.js';
import { readCountyData } from '../provision.js';
import type { QueueIndex } from '../review/queue-index.js';
import type { Store } from '../store/store.js';
import { cachedReads, limited, unavailable } from './public-kit.js';

export const SERVICE_FIGURES_SCHEMA = 'cunban.serviceFigures/1';
const FIGURES_TTL_MS = 60_000;
const PUBLIC_CACHE = { 'cache-control': `public, max-age=${String(FIGURES_TTL_MS / 1000)}` };

export interface OpenDataOptions {
  readonly store: Store;
  readonly queue: QueueIndex;
  readonly client: ClientOf;
  readonly throttle: Throttle;
  readonly now: () => Date;
}

export type NamedServiceFigures = ServiceFigures & { readonly villageName: string; readonly townName: string };

export function openDataRoutes(options: OpenDataOptions): Route[] {
  const figures = cachedReads(FIGURES_TTL_MS, async () => {
    const [county, entries] = await Promise.all([readCountyData(options.store), options.queue.current()]);
    if (!county.ok) return county;
    if (!entries.ok) return entries;
    const places = indexDivisions(county.value.divisions);
    const rows: NamedServiceFigures[] = serviceFigures([...entries.value.values()]).map((row) => {
      const place = places.village(row.village);
      return { ...row, villageName: place?.village.name ?? '', townName: place?.town.name ?? '' };
    });
    return ok({ county: county.value.divisions.county.name, generatedAt: options.now().toISOString(), rows });
  });

  async function answer(context: RouteContext, as: (read: { county: string; generatedAt: string; rows: NamedServiceFigures[] }) => HttpReply) {
    const allowed = await options.throttle.take(`open:${options.client.address(context.req)}`);
    if (!allowed.allowed) return limited('booking.tooMany', allowed.retryAfterSeconds, 'Too many requests from here: try again shortly.');
    const read = await figures();
    return read.ok ? as(read.value) : unavailable();
  }

  return [
    {
      method: 'GET',
      pattern: /^\/api\/open\/service-figures\.json$/,
      handle: (context) =>
        answer(context, (read) =>
          reply(200, { schema: SERVICE_FIGURES_SCHEMA, ...read }, { ...PUBLIC_CACHE, 'content-type': 'application/json; charset=utf-8' }),
        ),
    },
    {
      method: 'GET',
      pattern: /^\/api\/open\/service-figures\.csv$/,
      handle: (context) =>
        answer(context, (read) => {
          const csv = Papa.unparse(
            { fields: [...SERVICE_FIGURE_COLUMNS], data: read.rows.map((row) => SERVICE_FIGURE_COLUMNS.map((column) => row[column] ?? '')) },
            // A name beginning = + - @ (or a tab or return) is read as a formula by a spreadsheet, whatever follows it.
            { newline: '\r\n', escapeFormulae: /^[=+\-@\t\r]/ },
          );
          const body = `\ufeff${csv}\r\n`;
          return reply(200, Buffer.from(body, 'utf8'), {
            ...PUBLIC_CACHE,
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="cunban-service-figures.csv"',
          });
        }),
    },
  ];
}
