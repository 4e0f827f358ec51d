/**
 * The console's appeals (issue 18 §4), beside the cases: every route checks the session (and CSRF for
 * writes) and the reviewer's area — a town reviewer another town's appeal gets the same 404 as none.
 * - `GET /api/review/appeals`: the area's appeals, overdue first, then by due date; `?status=open|replied|closed`;
 * - `GET /api/review/appeals/<village>/<code>`: one, with its answers (the phone masked);
 * - `POST …/events` {type, text, to?}: reply, pass on up, or close with an answer, as the level holding it;
 * - `POST …/reveal` {reason}: the phone, audited as an ID number's reveal is (the entry first: no entry, no number).
 * Appeals are read from the villages' hall databases at each request (a county's open appeals are few);
 * answers go into the appeal as events, which its kiosk receives by sync.
 */
import { randomUUID } from 'node:crypto';
import { revealRequestSchema } from '../../core/api/review.js';
import {
  APPEAL_ID_PREFIX,
  appealEventRequestSchema,
  appealIdOf,
  appealOverdue,
  appealProgress,
  appealSchema,
  appealState,
  checkAppealText,
  refuseAppealEvent,
  type Appeal,
  type AppealEvent,
} from '../../core/appeal/appeal.js';
import { workingCalendar, type WorkingCalendar } from '../../core/calendar.js';
import { indexDivisions } from '../../core/divisions/table.js';
import { weeklyCounts } from '../../core/dashboard.js';
import { localDateOf, type LocalDate } from '../../core/local-date.js';
import { failure, reply, type HttpReply, type Route, type RouteContext } from '../http/kit.js';
import { keyRingUnavailable, unsealOnHub, type HeldKeyRing } from '../keyring.js';
import type { CountyData } from '../provision.js';
import { DB, hallDb } from '../store/names.js';
import type { Store, StoredDoc } from '../store/store.js';
import { appendToHallDoc, hallDocsInArea, NO_STORE, signedInWithCounty, unavailable } from './hall-reads.js';
import { mayReview } from './scope.js';
import type { Reviewer } from './sessions.js';

export interface AppealReviewOptions {
  readonly store: Store;
  readonly now: () => Date;
  readonly keyRing: HeldKeyRing;
}

const notFound = () => failure(404, 'not_found', 'No such appeal in your area.');

/** One appeal as the console lists it; its text shortened, the phone masked. */
function rowOf(appeal: Appeal, calendar: WorkingCalendar, county: CountyData, today: LocalDate) {
  const place = indexDivisions(county.divisions).village(appeal.village);
  return {
    village: appeal.village,
    villageName: place?.village.name ?? appeal.village,
    townName: place?.town.name ?? '',
    code: appeal.code,
    category: appeal.category,
    channel: appeal.channel,
    excerpt: Array.from(appeal.text).slice(0, 60).join(''),
    anonymous: appeal.phone === undefined,
    ...appealProgress(appeal, calendar),
    overdue: appealOverdue(appealState(appeal, calendar), today),
    ...(appeal.objection ? { objection: appeal.objection } : {}),
  };
}

/** One appeal as the console shows it (a GET, and the answer to a write): no storage fields, the phone masked only. */
function detailOf(stored: Appeal & Partial<StoredDoc>, county: CountyData, today: LocalDate) {
  const { _id, _rev, phone: _sealed, ...appeal } = stored;
  const calendar = workingCalendar(county.calendar);
  return { ...appeal, state: appealState(stored, calendar), ...rowOf(stored, calendar, county, today) };
}

export function appealReviewRoutes(options: AppealReviewOptions): Route[] {
  const { store, now } = options;

  const signedIn = (context: RouteContext) => signedInWithCounty(store, context, now());

  /** The appeal a route names, if it is in the reviewer's area. */
  async function scoped(context: RouteContext): Promise<{ reviewer: Reviewer; county: CountyData; appeal: Appeal & StoredDoc } | HttpReply> {
    const session = await signedIn(context);
    if (!('reviewer' in session)) return session;
    const village = context.params.village ?? '';
    if (!mayReview(session.reviewer, village, indexDivisions(session.county.divisions))) return notFound();
    const stored = await store.getDoc<Appeal>(hallDb(village), appealIdOf(context.params.code ?? ''));
    if (!stored.ok) return stored.error.status === 404 ? notFound() : unavailable(stored.error.reason);
    const parsed = appealSchema.safeParse(stored.value);
    return parsed.success ? { ...session, appeal: stored.value } : failure(500, 'appeal_invalid', 'The stored appeal does not validate.');
  }

  /** Record `event` on the appeal, reading it again after a concurrent write (a kiosk's sync, another reviewer). */
  function record(found: Appeal & StoredDoc, event: AppealEvent, county: CountyData): Promise<HttpReply> {
    const calendar = workingCalendar(county.calendar);
    return appendToHallDoc(
      store,
      found,
      event,
      'appeal',
      (current) => refuseAppealEvent(current, event, calendar),
      (written) => detailOf(written, county, localDateOf(now().toISOString())),
    );
  }

  return [
    {
      method: 'GET',
      pattern: /^\/api\/review\/appeals$/,
      async handle(context) {
        const session = await signedIn(context);
        if (!('reviewer' in session)) return session;
        const status = context.url.searchParams.get('status');
        // Said before any database is read: a bad request costs the hub nothing.
        if (status && !['open', 'replied', 'closed', 'all'].includes(status)) return failure(400, 'bad_request', 'status: open, replied, closed or all');
        const calendar = workingCalendar(session.county.calendar);
        const today = localDateOf(now().toISOString());
        const docs = await hallDocsInArea(store, session.reviewer, session.county, APPEAL_ID_PREFIX);
        if (!docs.ok) return unavailable(docs.error.reason);
        const rows = docs.value.flatMap((doc) => {
          const appeal = appealSchema.safeParse(doc);
          return appeal.success ? [rowOf(appeal.data, calendar, session.county, today)] : [];
        });
        const shown = rows
          .filter((row) => !status || status === 'all' || row.status === status)
          .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.firstReplyDue.localeCompare(b.firstReplyDue) || a.code.localeCompare(b.code));
        // The early warning over every appeal of the area, whatever is shown: a spike of one category in one village.
        const { warnings } = weeklyCounts(
          rows.map((row) => ({ on: row.raisedOn, village: row.village, kind: row.category })),
          today,
        );
        return reply(200, { appeals: shown, warnings: warnings.map(({ kind, ...warning }) => ({ ...warning, category: kind })) }, NO_STORE);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/review\/appeals\/(?<village>\d{12})\/(?<code>[2-9A-HJ-NP-Z]{8})$/,
      async handle(context) {
        const found = await scoped(context);
        if (!('appeal' in found)) return found;
        return reply(200, detailOf(found.appeal, found.county, localDateOf(now().toISOString())), NO_STORE);
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/review\/appeals\/(?<village>\d{12})\/(?<code>[2-9A-HJ-NP-Z]{8})\/events$/,
      async handle(context) {
        const found = await scoped(context);
        if (!('appeal' in found)) return found;
        const body = await context.json(16 * 1024);
        if (!body.ok) return body.error;
        const request = appealEventRequestSchema.safeParse(body.value);
        // Passed on says to whom; an answer or a close goes nowhere.
        if (!request.success || (request.data.type === 'passedOn') !== (request.data.to !== undefined)) {
          return failure(400, 'appeal.answer', 'Write the answer (at most 2000 characters); a pass-on names the level it goes to.');
        }
        const checked = checkAppealText(request.data.text);
        if (!checked.ok) {
          return checked.problem === 'idNumber' || checked.problem === 'phone'
            ? failure(400, `appeal.text.${checked.problem}`, 'The resident reads this answer: write it without an ID or phone number.')
            : failure(400, 'appeal.answer', 'Write the answer (at most 2000 characters).');
        }
        const by = { level: found.reviewer.role, name: found.reviewer.displayName ?? found.reviewer.name };
        const event: AppealEvent = {
          id: `${by.level}-${randomUUID()}`,
          type: request.data.type,
          at: now().toISOString(),
          by,
          text: checked.text,
          ...(request.data.to ? { to: request.data.to } : {}),
        };
        return record(found.appeal, event, found.county);
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/review\/appeals\/(?<village>\d{12})\/(?<code>[2-9A-HJ-NP-Z]{8})\/reveal$/,
      async handle(context) {
        const found = await scoped(context);
        if (!('appeal' in found)) return found;
        const body = await context.json(4096);
        if (!body.ok) return body.error;
        const request = revealRequestSchema.safeParse(body.value);
        if (!request.success) return failure(400, 'reveal.reasonRequired', 'Say why the phone number is needed (at least 4 characters).');
        if (!found.appeal.phone) return failure(404, 'appeal.anonymous', 'This appeal was raised anonymously: there is no phone number.');
        const at = now().toISOString();
        const audited = await store.putDoc(DB.audit, {
          _id: `reveal:${at}:${randomUUID()}`,
          type: 'reveal',
          field: 'phone',
          reviewer: found.reviewer.name,
          role: found.reviewer.role,
          appeal: found.appeal.code,
          village: found.appeal.village,
          reason: request.data.reason,
          at,
        });
        if (!audited.ok) return unavailable('The reveal could not be audited, so it was not made.');
        const ring = await options.keyRing();
        if (!ring.ok) return keyRingUnavailable();
        const phone = unsealOnHub(ring.value, 'phone', found.appeal.phone);
        if (phone === undefined) return failure(500, 'unseal_failed', "The number could not be opened with the county's keys.");
        return reply(200, { phone }, NO_STORE);
      },
    },
  ];
}
