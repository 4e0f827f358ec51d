/**
 * A village's disclosure board on the residents' page (issue 19 §2), public and read by anyone:
 * - `GET /api/resident/board/<village>`: the publications the town approved that are in their period of display,
 *   and the village's service figures of the last twelve months;
 * - `GET /api/resident/board/<village>/archive`: the publications whose period is over, newest first;
 * - `POST /api/resident/board/<village>/<publication>/objections` {row, text, phone?}: an objection to one line of a
 *   publication on display, raised as an appeal to the town that approved it (appeal-routes.ts: the same text
 *   rules, the same five a day per address); 201 with the appeal's code to read the answer by.
 * A publication is shown only from the town's approval to its end, judged at each answer by the hub's clock; what
 * is shown is what passed the guard twice (at the kiosk and at the hub).
 */
import {
  archiveAt,
  boardAt,
  onBoard,
  objectionRequestSchema,
  parsePublication,
  PUBLICATION_ID_PREFIX,
  type Publication,
} from '../../core/disclosure/publication.js';
import { monthsBefore, serviceFigures } from '../../core/disclosure/service-figures.js';
import { indexDivisions } from '../../core/divisions/table.js';
import { localDateOf } from '../../core/local-date.js';
import { ok, type Result } from '../../core/result.js';
import { failure, reply, type HttpReply, type Route, type RouteContext } from '../http/kit.js';
import { readCountyData, type CountyData } from '../provision.js';
import type { QueueIndex } from '../review/queue-index.js';
import { hallDb } from '../store/names.js';
import type { StoreFailure } from '../store/store.js';
import { appealRaiser } from './appeal-routes.js';
import { COUNTY_DATA_TTL_MS } from './booking-routes.js';
import type { CodeDoorOptions } from './code-door.js';
import { cachedReads, limited, NO_STORE, refuseNonJson, unavailable } from './public-kit.js';

export interface BoardRoutesOptions extends CodeDoorOptions {
  /** The county's cases as the review queue holds them: the service figures are counted from it. */
  readonly queue: QueueIndex;
}

/** Reads of boards and open data per address: more than bookings, as a village's phones may share one carrier address. */
export const BOARD_READS_PER_ADDRESS = { points: 60, seconds: 60 } as const;
/** How many months of figures a board shows. */
export const BOARD_FIGURE_MONTHS = 12;
const noSuchVillage = () => failure(404, 'hall.unknown', 'There is no such village in this county.', NO_STORE);

export function boardRoutes(options: BoardRoutesOptions): Route[] {
  const { store, now } = options;
  const raiseAppeal = appealRaiser(options);
  const countyData = cachedReads(COUNTY_DATA_TTL_MS, () => readCountyData(store));
  // Read at each answer (one range read of one database): an approval or a withdrawal shows at once, on any process.
  const publicationsOf = async (village: string): Promise<Result<Publication[], StoreFailure>> => {
    const docs = await store.docsWithPrefix<Record<string, unknown>>(hallDb(village), PUBLICATION_ID_PREFIX);
    if (!docs.ok) return docs;
    // Only what validates, and belongs to this village, is ever shown.
    return ok(docs.value.flatMap((doc) => parsePublication(doc) ?? []).filter((publication) => publication.village === village));
  };

  /** The village a route names, after the burst brake, with the county's data and its publications. */
  async function boardOf(context: RouteContext): Promise<{ county: CountyData; village: string; publications: Publication[] } | HttpReply> {
    const allowed = await options.throttle.take(`board:${options.client.address(context.req)}`);
    if (!allowed.allowed) return limited('booking.tooMany', allowed.retryAfterSeconds, 'Too many requests from here: try again shortly.');
    const county = await countyData();
    if (!county.ok) return unavailable();
    const village = context.params.village ?? '';
    if (!indexDivisions(county.value.divisions).village(village)) return noSuchVillage();
    const publications = await publicationsOf(village);
    return publications.ok ? { county: county.value, village, publications: publications.value } : unavailable();
  }

  function placeOf(county: CountyData, village: string) {
    const place = indexDivisions(county.divisions).village(village);
    return { village, villageName: place?.village.name ?? village, townName: place?.town.name ?? '' };
  }

  async function board(context: RouteContext): Promise<HttpReply> {
    const found = await boardOf(context);
    if (!('village' in found)) return found;
    const at = now();
    const entries = await options.queue.current();
    if (!entries.ok) return unavailable();
    const since = monthsBefore(localDateOf(at.toISOString()), BOARD_FIGURE_MONTHS - 1);
    const figures = serviceFigures(
      [...entries.value.values()].filter((entry) => entry.village === found.village),
      since,
    );
    return reply(200, { ...placeOf(found.county, found.village), publications: boardAt(found.publications, at), figures }, NO_STORE);
  }

  async function archive(context: RouteContext): Promise<HttpReply> {
    const found = await boardOf(context);
    if (!('village' in found)) return found;
    return reply(200, { ...placeOf(found.county, found.village), publications: archiveAt(found.publications, now()) }, NO_STORE);
  }

  async function object(context: RouteContext): Promise<HttpReply> {
    const nonJson = refuseNonJson(context, 'objection');
    if (nonJson) return nonJson;
    const body = await context.json(16 * 1024);
    if (!body.ok) return body.error;
    const request = objectionRequestSchema.safeParse(body.value);
    if (!request.success) return failure(400, 'bad_request', 'Expected {"row", "text", "phone"?}.', NO_STORE);
    const found = await boardOf(context);
    if (!('village' in found)) return found;
    const publication = found.publications.find((candidate) => candidate.publicationId === context.params.publication);
    // Only while it is shown: after its end an objection is an ordinary appeal.
    if (!publication || !onBoard(publication, now())) return failure(404, 'board.notOnDisplay', 'This list is not on display: it may have ended.', NO_STORE);
    if (request.data.row > publication.rows.length) return failure(400, 'board.row', 'Choose a line of the list.', NO_STORE);
    return raiseAppeal(context, {
      village: found.village,
      category: 'villageAffairs',
      text: request.data.text,
      phone: request.data.phone,
      objection: {
        publication: publication.publicationId,
        title: publication.title,
        row: request.data.row,
        line: [...(publication.rows[request.data.row - 1] ?? [])],
      },
    });
  }

  return [
    { method: 'GET', pattern: /^\/api\/resident\/board\/(?<village>\d{12})$/, handle: board },
    { method: 'GET', pattern: /^\/api\/resident\/board\/(?<village>\d{12})\/archive$/, handle: archive },
    { method: 'POST', pattern: /^\/api\/resident\/board\/(?<village>\d{12})\/(?<publication>[a-z0-9-]{8,40})\/objections$/, handle: object },
  ];
}
