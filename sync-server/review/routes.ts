/**
 * The review API: sessions, one case, decisions and audited reveals. Every route checks the session
 * (and, for writes, its CSRF token), the reviewer's scope, and its body against core/'s schemas.
 * A town reviewer asking for another town's case gets the same 404 as for a case that does not exist.
 */
import { randomUUID } from 'node:crypto';
import { revealRequestSchema, reviewActionSchema, type ReviewAction } from '../../core/api/review.js';
import type { EventDraft } from '../../core/case/append.js';
import { parseCaseDocument } from '../../core/case/document.js';
import { isEventOf, type Actor } from '../../core/case/events.js';
import { reviewViewOf } from '../../core/case/review-view.js';
import { describeError } from '../../core/i18n/describe.js';
import { appendCaseEventOnHub } from '../case-events.js';
import { failure, invalidInput, reply, type Route } from '../http/kit.js';
import { keyRingUnavailable, unsealOnHub, type HeldKeyRing } from '../keyring.js';
import { DB, villageDb } from '../store/names.js';
import type { Store } from '../store/store.js';
import type { QueueIndex } from './queue-index.js';
import { answerDashboard, answerExport, answerQueue } from './queue-route.js';
import { queueQuerySchema } from '../../core/api/queue.js';
import { townCodeSchema } from '../../core/divisions/code.js';
import { caseNotFound, caseScope } from './scope.js';
import { authenticateReviewer } from './sessions.js';

const parseQueueQuery = (url: URL) => queueQuerySchema.safeParse(Object.fromEntries(url.searchParams));

export interface ReviewOptions {
  readonly store: Store;
  readonly now: () => Date;
  /** The queue in memory, which the queue, export and dashboard read. */
  readonly queue: QueueIndex;
  /** The county key ring, checked against the store (keyring.ts, checkedKeyRing): reveals open with it. */
  readonly keyRing: HeldKeyRing;
  /** Called after a decision is written, so the queue shows it at once. */
  readonly onCaseWritten?: (village: string) => void;
}

function draftFor(action: ReviewAction, actor: Actor, at: string): EventDraft {
  const id = `${actor.level}-${randomUUID()}`;
  switch (action.type) {
    case 'approved':
      return { id, at, actor, type: 'approved', payload: action.note ? { note: action.note } : {} };
    case 'rejected':
      return { id, at, actor, type: 'rejected', payload: { reason: action.reason } };
    case 'returnedForMaterials':
      return { id, at, actor, type: 'returnedForMaterials', payload: { missing: action.missing, reason: action.reason } };
    case 'forwarded':
      return { id, at, actor, type: 'forwarded', payload: { to: action.to, ...(action.note ? { note: action.note } : {}) } };
    case 'note':
      return { id, at, actor, type: 'note', payload: { text: action.text } };
  }
}

export function reviewRoutes(options: ReviewOptions): Route[] {
  const { store, now } = options;
  const caseInScope = caseScope(store, now);

  /** A read of the queue (a page, or the CSV export): the session, then the query checked against core's schema. */
  const queueRead = (pattern: RegExp, answer: typeof answerQueue): Route => ({
    method: 'GET',
    pattern,
    async handle(context) {
      const reviewer = await authenticateReviewer(store, context.req, now());
      if (!reviewer.ok) return reviewer.error;
      const query = parseQueueQuery(context.url);
      if (!query.success) return invalidInput(query.error.issues);
      return answer(options.queue, reviewer.value, query.data, now());
    },
  });

  return [
    {
      method: 'GET',
      pattern: /^\/api\/review\/cases\/(?<caseNumber>[^/]+)$/,
      async handle(context) {
        const scoped = await caseInScope(context);
        if (!('reviewer' in scoped)) return scoped;
        const stored = await store.getDoc<Record<string, unknown>>(villageDb(scoped.village), scoped.caseNumber);
        if (!stored.ok) return stored.error.status === 404 ? caseNotFound() : failure(503, 'store_unavailable', stored.error.reason);
        const doc = parseCaseDocument(stored.value);
        if (!doc.ok) return failure(500, 'case_invalid', 'The stored case does not validate; see the quarantine.');
        return reply(200, reviewViewOf(doc.value));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/review\/cases\/(?<caseNumber>[^/]+)\/events$/,
      async handle(context) {
        const scoped = await caseInScope(context);
        if (!('reviewer' in scoped)) return scoped;
        const body = await context.json(16 * 1024);
        if (!body.ok) return body.error;
        const action = reviewActionSchema.safeParse(body.value);
        if (!action.success) return failure(400, 'bad_request', action.error.issues.map((issue) => issue.message).join('; '));
        const { reviewer } = scoped;
        // Named on the case as a person (李强), known to the system by the sign-in name in the id.
        const actor: Actor = { id: `reviewer:${reviewer.name}`, name: reviewer.displayName ?? reviewer.name, level: reviewer.role };
        const written = await appendCaseEventOnHub(store, scoped.village, scoped.caseNumber, draftFor(action.data, actor, now().toISOString()));
        if (written.ok) {
          options.onCaseWritten?.(scoped.village);
          return reply(201, reviewViewOf(written.value));
        }
        const error = written.error;
        if (error.code === 'case.notFound') return caseNotFound();
        if (error.code === 'store') return failure(503, 'store_unavailable', error.failure.reason);
        return failure(409, error.code, describeError(error, 'en'));
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/review\/cases\/(?<caseNumber>[^/]+)\/reveal$/,
      async handle(context) {
        const scoped = await caseInScope(context);
        if (!('reviewer' in scoped)) return scoped;
        const body = await context.json(4096);
        if (!body.ok) return body.error;
        const request = revealRequestSchema.safeParse(body.value);
        if (!request.success) return failure(400, 'reveal.reasonRequired', 'Say why the full number is needed (at least 4 characters).');
        const stored = await store.getDoc<Record<string, unknown>>(villageDb(scoped.village), scoped.caseNumber);
        if (!stored.ok) return stored.error.status === 404 ? caseNotFound() : failure(503, 'store_unavailable', stored.error.reason);
        const doc = parseCaseDocument(stored.value);
        const created = doc.ok ? doc.value.events.find((event) => isEventOf(event, 'created')) : undefined;
        if (!created) return failure(500, 'case_invalid', 'The stored case does not validate.');
        // The audit entry is written first: no entry, no number.
        const at = now().toISOString();
        const audited = await store.putDoc(DB.audit, {
          _id: `reveal:${at}:${randomUUID()}`,
          type: 'reveal',
          reviewer: scoped.reviewer.name,
          role: scoped.reviewer.role,
          caseNumber: scoped.caseNumber,
          village: scoped.village,
          reason: request.data.reason,
          at,
        });
        if (!audited.ok) return failure(503, 'store_unavailable', 'The reveal could not be audited, so it was not made.');
        const ring = await options.keyRing();
        if (!ring.ok) return keyRingUnavailable();
        const idNumber = unsealOnHub(ring.value, 'idNumber', created.payload.applicant.idNumber);
        if (idNumber === undefined) return failure(500, 'unseal_failed', "The number could not be opened with the county's keys.");
        return reply(200, { idNumber }, { 'cache-control': 'no-store, private', pragma: 'no-cache' });
      },
    },
    queueRead(/^\/api\/review\/queue$/, answerQueue),
    queueRead(/^\/api\/review\/export\.csv$/, answerExport),
    {
      method: 'GET',
      pattern: /^\/api\/review\/dashboard$/,
      async handle(context) {
        const reviewer = await authenticateReviewer(store, context.req, now());
        if (!reviewer.ok) return reviewer.error;
        const town = townCodeSchema.optional().safeParse(context.url.searchParams.get('town') ?? undefined);
        if (!town.success) return failure(400, 'bad_request', 'town: expected a 12-digit town code');
        return answerDashboard(options.queue, reviewer.value, town.data, now());
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/review\/audit$/,
      async handle(context) {
        const reviewer = await authenticateReviewer(store, context.req, now());
        if (!reviewer.ok) return reviewer.error;
        if (reviewer.value.role !== 'county') return failure(403, 'forbidden', 'Only county reviewers read the audit log.');
        // Reveals of full numbers, and the towns' decisions on what villages publish (issue 19): newest first.
        const [reveals, publications] = await Promise.all([
          store.docsWithPrefix<Record<string, unknown>>(DB.audit, 'reveal:'),
          store.docsWithPrefix<Record<string, unknown>>(DB.audit, 'publication:'),
        ]);
        if (!reveals.ok) return failure(503, 'store_unavailable', reveals.error.reason);
        if (!publications.ok) return failure(503, 'store_unavailable', publications.error.reason);
        const entries = [...reveals.value, ...publications.value].map(({ _id, _rev, ...entry }) => entry);
        return reply(
          200,
          entries.sort((a, b) => String(b.at).localeCompare(String(a.at))),
        );
      },
    },
  ];
}
