/**
 * Notices from the review console: the county publishes to every village or to one town's, a town to its
 * own villages; each withdraws only what is theirs. Written into the catalog database, which every kiosk
 * pulls. A notice carrying a full ID number is refused here with its own code (and by the store's
 * validate_doc_update behind it), so nothing the console sends can publish one.
 */
import { randomUUID } from 'node:crypto';
import { publishNoticeRequestSchema, type NoticeView } from '../../core/api/notices.js';
import type { ReviewerView } from '../../core/api/review.js';
import { localDateOf } from '../../core/local-date.js';
import { NOTICE_ID_PREFIX, NOTICE_SCHEMA_VERSION, parseNotice, type Notice } from '../../core/notice.js';
import { failure, invalidInput, reply, type Route } from '../http/kit.js';
import { DB } from '../store/names.js';
import { docPath, type Store } from '../store/store.js';
import { countyDivisions } from './scope.js';
import { authenticateReviewer } from './sessions.js';

/** A reviewer sees the county's notices and their own town's; a town reviewer may withdraw only their town's. */
const sees = (reviewer: ReviewerView, notice: Notice) => reviewer.role === 'county' || !notice.town || notice.town === reviewer.town;
const owns = (reviewer: ReviewerView, notice: Notice) => (reviewer.role === 'county' ? true : notice.town === reviewer.town);

export function noticeRoutes(options: { readonly store: Store; readonly now: () => Date }): Route[] {
  const { store, now } = options;
  const divisions = countyDivisions(store);

  return [
    {
      method: 'GET',
      pattern: /^\/api\/review\/notices$/,
      async handle(context) {
        const reviewer = await authenticateReviewer(store, context.req, now());
        if (!reviewer.ok) return reviewer.error;
        const docs = await store.docsWithPrefix<Record<string, unknown>>(DB.catalog, NOTICE_ID_PREFIX);
        if (!docs.ok) return failure(503, 'store_unavailable', docs.error.reason);
        const notices: NoticeView[] = docs.value.flatMap(({ _id, _rev, ...doc }) => {
          const notice = parseNotice(doc);
          return notice.ok && sees(reviewer.value, notice.value) ? [{ ...notice.value, id: _id }] : [];
        });
        return reply(
          200,
          notices.sort((a, b) => (a.publishedOn < b.publishedOn ? 1 : a.publishedOn > b.publishedOn ? -1 : 0)),
        );
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/review\/notices$/,
      async handle(context) {
        const reviewer = await authenticateReviewer(store, context.req, now());
        if (!reviewer.ok) return reviewer.error;
        const body = await context.json(32 * 1024);
        if (!body.ok) return body.error;
        const request = publishNoticeRequestSchema.safeParse(body.value);
        if (!request.success) return invalidInput(request.error.issues);
        const { title, body: text, expiresOn, town: asked } = request.data;
        const town = reviewer.value.role === 'town' ? reviewer.value.town : asked;
        if (asked && asked !== town) return failure(404, 'not_found', 'That town is not in your area.');
        if (town && !(await divisions())?.town(town)) return failure(404, 'not_found', 'No such town in the county.');
        const publishedOn = localDateOf(now().toISOString());
        if (expiresOn && expiresOn < publishedOn) return failure(400, 'notice.expired', 'The notice would expire before it is published.');
        const notice = parseNotice({
          kind: 'cunban.notice',
          schemaVersion: NOTICE_SCHEMA_VERSION,
          // A notice written in Chinese only is shown in Chinese on an English screen too.
          title: { zh: title.zh, en: title.en ?? title.zh },
          body: { zh: text.zh, en: text.en ?? text.zh },
          publishedOn,
          ...(expiresOn ? { expiresOn } : {}),
          ...(town ? { town } : {}),
          publishedBy: reviewer.value.name,
        });
        if (!notice.ok) return failure(400, 'notice.idNumber', 'A notice must not contain a full resident ID number; publish masked numbers only.');
        const id = `${NOTICE_ID_PREFIX}${publishedOn}-${randomUUID().slice(0, 8)}`;
        const written = await store.putDoc(DB.catalog, { _id: id, ...notice.value });
        if (!written.ok)
          return failure(written.error.status === 403 ? 400 : 503, written.error.status === 403 ? 'notice.refused' : 'store_unavailable', written.error.reason);
        const view: NoticeView = { ...notice.value, id };
        return reply(201, view);
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/review\/notices\/(?<id>[^/]+)$/,
      async handle(context) {
        const reviewer = await authenticateReviewer(store, context.req, now());
        if (!reviewer.ok) return reviewer.error;
        const id = context.params.id ?? '';
        const missing = failure(404, 'not_found', 'No such notice of yours.');
        if (!id.startsWith(NOTICE_ID_PREFIX)) return missing;
        const stored = await store.getDoc<Record<string, unknown>>(DB.catalog, id);
        if (!stored.ok) return stored.error.status === 404 ? missing : failure(503, 'store_unavailable', stored.error.reason);
        const { _id, _rev, ...content } = stored.value;
        const notice = parseNotice(content);
        if (!notice.ok || !owns(reviewer.value, notice.value)) return missing;
        // Deleted, so every kiosk's replication removes it from the counter too.
        const deleted = await store.request({ db: store.dbName(DB.catalog), path: docPath(id), method: 'DELETE', qs: { rev: _rev } });
        if (!deleted.ok) return failure(deleted.error.status === 409 ? 409 : 503, deleted.error.error, deleted.error.reason);
        return reply(204, undefined);
      },
    },
  ];
}
