/**
 * The console's publications (issue 19 §1): what villages submitted for the board, for their town to approve.
 * Every route checks the session (and CSRF for writes) and the area: another town's publication is a 404.
 * - `GET /api/review/publications`: the area's, awaiting approval first; `?status=awaitingApproval|onDisplay|…|all`;
 * - `GET /api/review/publications/<village>/<id>`: one, with its whole table;
 * - `POST …/approve` {}: shown on the board from now for its days — by a **town** reviewer of the village's town;
 * - `POST …/return` {reason}: sent back to the clerk, with why.
 * Both are audited (an entry in the audit database before the event is written: no entry, no decision). The
 * event goes into the publication, which its kiosk receives by sync; the board reads it from there.
 */
import { randomUUID } from 'node:crypto';
import {
  PUBLICATION_ID_PREFIX,
  publicationDocIdOf,
  publicationReturnRequestSchema,
  publicationSchema,
  publicationState,
  refusePublicationEvent,
  type Publication,
  type PublicationEvent,
} from '../../core/disclosure/publication.js';
import { indexDivisions } from '../../core/divisions/table.js';
import { failure, reply, type HttpReply, type Route, type RouteContext } from '../http/kit.js';
import type { CountyData } from '../provision.js';
import { DB, hallDb } from '../store/names.js';
import type { Store, StoredDoc } from '../store/store.js';
import { appendToHallDoc, hallDocsInArea, NO_STORE, signedInWithCounty, unavailable } from './hall-reads.js';
import { mayReview } from './scope.js';
import type { Reviewer } from './sessions.js';

export interface PublicationReviewOptions {
  readonly store: Store;
  readonly now: () => Date;
}

const STATUSES = ['awaitingApproval', 'returned', 'withdrawn', 'onDisplay', 'ended'] as const;
const notFound = () => failure(404, 'not_found', 'No such publication in your area.');

function rowOf(publication: Publication, county: CountyData, now: Date) {
  const place = indexDivisions(county.divisions).village(publication.village);
  return {
    village: publication.village,
    villageName: place?.village.name ?? publication.village,
    townName: place?.town.name ?? '',
    id: publication.publicationId,
    category: publication.category,
    title: publication.title,
    rowCount: publication.rows.length,
    displayDays: publication.displayDays,
    source: publication.source,
    preparedAt: publication.preparedAt,
    ...publicationState(publication, now),
  };
}

function detailOf(publication: Publication, county: CountyData, now: Date) {
  const { columns, rows, note, events } = publication;
  return { ...rowOf(publication, county, now), ...(note ? { note } : {}), columns, rows, events };
}

export function publicationReviewRoutes(options: PublicationReviewOptions): Route[] {
  const { store, now } = options;

  async function scoped(context: RouteContext): Promise<{ reviewer: Reviewer; county: CountyData; publication: Publication & StoredDoc } | HttpReply> {
    const session = await signedInWithCounty(store, context, now());
    if (!('reviewer' in session)) return session;
    const village = context.params.village ?? '';
    if (!mayReview(session.reviewer, village, indexDivisions(session.county.divisions))) return notFound();
    const stored = await store.getDoc<Publication>(hallDb(village), publicationDocIdOf(context.params.id ?? ''));
    if (!stored.ok) return stored.error.status === 404 ? notFound() : unavailable(stored.error.reason);
    const parsed = publicationSchema.safeParse(stored.value);
    return parsed.success ? { ...session, publication: stored.value } : failure(500, 'publication_invalid', 'The stored publication does not validate.');
  }

  /**
   * One decision at a time per publication on this process: a second reviewer's, made at the same moment, reads
   * the first's and is refused before it writes an audit entry (so the log holds the decisions that were made).
   */
  const deciding = new Map<string, Promise<unknown>>();
  function oneAtATime(context: RouteContext, decision: () => Promise<HttpReply>): Promise<HttpReply> {
    const key = `${context.params.village ?? ''}/${context.params.id ?? ''}`;
    const previous = deciding.get(key) ?? Promise.resolve();
    const next = previous.then(decision, decision);
    deciding.set(key, next);
    void next.finally(() => {
      if (deciding.get(key) === next) deciding.delete(key);
    });
    return next;
  }

  /** Audit, then record the town's decision, reading the publication again after a concurrent write (its kiosk's sync). */
  function decide(context: RouteContext, type: 'approved' | 'returned', reason?: string): Promise<HttpReply> {
    return oneAtATime(context, () => decideNow(context, type, reason));
  }

  async function decideNow(context: RouteContext, type: 'approved' | 'returned', reason?: string): Promise<HttpReply> {
    const found = await scoped(context);
    if (!('publication' in found)) return found;
    const { reviewer, county } = found;
    // Two people: the village prepares, the town approves — not the county over the town's head.
    if (reviewer.role !== 'town') return failure(403, 'publication.townDecides', 'The town of this village approves its publications.');
    const at = now().toISOString();
    const event: PublicationEvent = {
      id: `town-${randomUUID()}`,
      type,
      at,
      by: { id: reviewer.name, name: reviewer.displayName ?? reviewer.name, level: 'town' },
      ...(reason ? { reason } : {}),
    };
    const current = found.publication;
    // Judged before the audit entry: a decision refused now leaves no entry.
    const refusedFirst = refusePublicationEvent(current, event, now());
    if (refusedFirst) return failure(409, 'publication.refused', refusedFirst);
    const audited = await store.putDoc(DB.audit, {
      _id: `publication:${at}:${randomUUID()}`,
      type: 'publication',
      action: type,
      reviewer: reviewer.name,
      role: reviewer.role,
      village: current.village,
      publication: current.publicationId,
      title: current.title,
      ...(reason ? { reason } : {}),
      at,
    });
    if (!audited.ok) return unavailable('The decision could not be audited, so it was not made.');
    return appendToHallDoc(
      store,
      current,
      event,
      'publication',
      (standing) => refusePublicationEvent(standing, event, now()),
      (written) => detailOf(written, county, now()),
    );
  }

  const item = String.raw`(?<village>\d{12})\/(?<id>[a-z0-9-]{8,40})`;
  return [
    {
      method: 'GET',
      pattern: /^\/api\/review\/publications$/,
      async handle(context) {
        const status = context.url.searchParams.get('status');
        const session = await signedInWithCounty(store, context, now());
        if (!('reviewer' in session)) return session;
        if (status && status !== 'all' && !(STATUSES as readonly string[]).includes(status))
          return failure(400, 'bad_request', `status: ${STATUSES.join(', ')} or all`);
        const docs = await hallDocsInArea(store, session.reviewer, session.county, PUBLICATION_ID_PREFIX);
        if (!docs.ok) return unavailable(docs.error.reason);
        const at = now();
        const rows = docs.value
          .flatMap((doc) => {
            const publication = publicationSchema.safeParse(doc);
            return publication.success ? [rowOf(publication.data, session.county, at)] : [];
          })
          .filter((row) => !status || status === 'all' || row.status === status)
          .sort((a, b) => Number(b.status === 'awaitingApproval') - Number(a.status === 'awaitingApproval') || b.preparedAt.localeCompare(a.preparedAt));
        return reply(200, { publications: rows }, NO_STORE);
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`^/api/review/publications/${item}$`),
      async handle(context) {
        const found = await scoped(context);
        return 'publication' in found ? reply(200, detailOf(found.publication, found.county, now()), NO_STORE) : found;
      },
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/api/review/publications/${item}/approve$`),
      handle: (context) => decide(context, 'approved'),
    },
    {
      method: 'POST',
      pattern: new RegExp(`^/api/review/publications/${item}/return$`),
      async handle(context) {
        const body = await context.json(4096);
        if (!body.ok) return body.error;
        const request = publicationReturnRequestSchema.safeParse(body.value);
        if (!request.success) return failure(400, 'publication.reasonRequired', 'Say what the village should change (2–500 characters).');
        return decide(context, 'returned', request.data.reason);
      },
    },
  ];
}
