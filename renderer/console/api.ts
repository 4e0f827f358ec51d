/**
 * The console's client for the review API on the hub that served it: same origin, the session in an
 * HttpOnly cookie the page cannot read, and the CSRF token echoed on every write. Answers are
 * `{ok, value} | {ok: false, error}` with the hub's error code, never an exception.
 *
 * A session that ends mid-work loses nothing: a request answered 401 waits while the page signs the
 * reviewer in again in place (`onSessionEnded`), then is sent once more with the new session's token; a
 * 403 for a stale token (the session renewed elsewhere) fetches the current one and is sent once more.
 * The hub refuses before acting in both cases, so sending again never acts twice.
 */
import type { Appeal, AppealEventRequest, AppealState, AppealStatus } from '../../core/appeal/appeal.js';
import type { CaseFileView } from '../../core/api/files.js';
import type { Area, KioskView, QuarantineView } from '../../core/api/fleet.js';
import type { NoticeView, PublishNoticeRequest } from '../../core/api/notices.js';
import type { QueueQuery } from '../../core/api/queue.js';
import { BACKGROUND_HEADER, CSRF_HEADER, type ReviewAction, type SessionView } from '../../core/api/review.js';
import type { CaseDocument } from '../../core/case/document.js';
import type { QueueEntry } from '../../core/case/queue-entry.js';
import type { Dashboard } from '../../core/dashboard.js';
import type { Objection, Publication, PublicationState, PublicationStatus } from '../../core/disclosure/publication.js';
import type { Level } from '../../core/level.js';
import { err, ok, type Result } from '../../core/result.js';

export interface ApiError {
  readonly code: string;
  readonly status: number;
  readonly reason: string;
}

export interface QueuePage {
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly entries: readonly QueueEntry[];
  readonly countsByStatus: Readonly<Record<string, number>>;
}

/** A case as the review API returns it: no sealed values, no blind index. */
export type ReviewCase = Omit<CaseDocument, 'summary'> & { readonly summary: Omit<CaseDocument['summary'], 'applicantIdHash'> };

/** An appeal as the console lists it (`GET /api/review/appeals`): its text shortened, no phone. */
export interface AppealRow {
  readonly village: string;
  readonly villageName: string;
  readonly townName: string;
  readonly code: string;
  /** A sector of the catalog, `villageAffairs` or `other`. */
  readonly category: string;
  readonly channel: 'online' | 'counter';
  readonly excerpt: string;
  readonly anonymous: boolean;
  readonly status: AppealStatus;
  readonly heldBy: Level;
  readonly raisedOn: string;
  readonly firstReplyDue: string;
  readonly closeDue: string;
  readonly overdue: boolean;
  /** Raised against a line of a publication on the board (issue 19 §1). */
  readonly objection?: Objection;
}

/** A village raising many appeals of one category this week (core/dashboard.ts `weeklyCounts`). */
export interface AppealWarning {
  readonly weekOf: string;
  readonly village: string;
  readonly category: string;
  readonly count: number;
  readonly trailingAverage: number;
}

export type AppealStatusFilter = AppealStatus | 'all';

export interface AppealList {
  /** Overdue first, then by due date. */
  readonly appeals: readonly AppealRow[];
  /** Over every appeal of the area, whatever the filter. */
  readonly warnings: readonly AppealWarning[];
}

/** One appeal as the review API returns it: the stored appeal without its sealed phone, its state, and its row. */
export type ReviewAppeal = Pick<Appeal, 'code' | 'village' | 'category' | 'text' | 'phoneMasked' | 'channel' | 'raisedAt' | 'level' | 'events'> &
  AppealRow & { readonly state: AppealState };

/** What recording an answer returns: the appeal's answers and state now (the rest is read again). */
export type AnsweredAppeal = Pick<ReviewAppeal, 'events' | 'state'>;

/** A publication as the console lists it (`GET /api/review/publications`): what it is and where it stands, not its table. */
export type PublicationRow = Pick<Publication, 'village' | 'category' | 'title' | 'displayDays' | 'source' | 'preparedAt'> &
  PublicationState & {
    readonly villageName: string;
    readonly townName: string;
    /** The publication's own number (`publicationId`). */
    readonly id: string;
    readonly rowCount: number;
  };

export type PublicationStatusFilter = PublicationStatus | 'all';

/** One publication with its whole table and what was recorded on it; also what a decision answers. */
export type ReviewPublication = PublicationRow & Pick<Publication, 'note' | 'columns' | 'rows' | 'events'>;

/** A refresh the page makes by itself, not the reviewer: it does not keep the session alive. */
export interface Background {
  readonly background?: boolean;
}

export interface ReviewApi {
  /**
   * Who answers when the session has ended: sign the reviewer in again (true) or not (false); requests
   * waiting on it are then sent again or answered 401. One at a time, however many requests wait.
   */
  onSessionEnded(signInAgain: (() => Promise<boolean>) | undefined): void;
  session(): Promise<Result<SessionView, ApiError>>;
  signIn(name: string, password: string): Promise<Result<SessionView, ApiError>>;
  signOut(): Promise<Result<undefined, ApiError>>;
  queue(query: Partial<QueueQuery>): Promise<Result<QueuePage, ApiError>>;
  case(caseNumber: string, options?: Background): Promise<Result<ReviewCase, ApiError>>;
  act(caseNumber: string, action: ReviewAction): Promise<Result<ReviewCase, ApiError>>;
  reveal(caseNumber: string, reason: string): Promise<Result<{ idNumber: string }, ApiError>>;
  area(): Promise<Result<Area, ApiError>>;
  kiosks(): Promise<Result<KioskView[], ApiError>>;
  issueCode(village: string): Promise<Result<{ code: string; villageName: string; expiresAt: string }, ApiError>>;
  revoke(kioskId: string): Promise<Result<{ revokedAt: string }, ApiError>>;
  quarantine(): Promise<Result<QuarantineView[], ApiError>>;
  resolve(id: string, note: string): Promise<Result<QuarantineView, ApiError>>;
  audit(): Promise<Result<AuditEntry[], ApiError>>;
  dashboard(): Promise<Result<Dashboard, ApiError>>;
  caseFiles(caseNumber: string, options?: Background): Promise<Result<CaseFileView[], ApiError>>;
  /** Where the browser opens a file (same origin: the session cookie goes with it). */
  fileUrl(caseNumber: string, sha256: string): string;
  notices(): Promise<Result<NoticeView[], ApiError>>;
  publishNotice(notice: PublishNoticeRequest): Promise<Result<NoticeView, ApiError>>;
  withdrawNotice(id: string): Promise<Result<undefined, ApiError>>;
  appeals(status: AppealStatusFilter): Promise<Result<AppealList, ApiError>>;
  appeal(village: string, code: string, options?: Background): Promise<Result<ReviewAppeal, ApiError>>;
  /** Reply, pass on up or close, as the level holding it; the text is read by the resident. */
  answerAppeal(village: string, code: string, answer: AppealEventRequest): Promise<Result<AnsweredAppeal, ApiError>>;
  /** The resident's phone, after the hub has written the audit entry for `reason`. */
  revealAppealPhone(village: string, code: string, reason: string): Promise<Result<{ phone: string }, ApiError>>;
  /** The area's publications, awaiting approval first. */
  publications(status: PublicationStatusFilter): Promise<Result<{ publications: PublicationRow[] }, ApiError>>;
  publication(village: string, id: string): Promise<Result<ReviewPublication, ApiError>>;
  /** Shown on the board from now for its days: a town reviewer's decision, audited. */
  approvePublication(village: string, id: string): Promise<Result<ReviewPublication, ApiError>>;
  /** Sent back to the village's clerk with why (2–500 characters). */
  returnPublication(village: string, id: string, reason: string): Promise<Result<ReviewPublication, ApiError>>;
}

export interface AuditEntry {
  readonly reviewer: string;
  readonly role: string;
  /** A case's full ID number; absent for an appeal's phone (`field: 'phone'`). */
  readonly caseNumber?: string;
  readonly field?: 'phone';
  /** The appeal whose phone was revealed. */
  readonly appeal?: string;
  /** A town's decision on a village's publication (issue 19): `type: 'publication'`, with what was decided. */
  readonly type?: 'reveal' | 'publication';
  readonly action?: 'approved' | 'returned';
  readonly title?: string;
  /** Why it was revealed or returned; none for an approval. */
  readonly reason?: string;
  readonly at: string;
}

const appealPath = (village: string, code: string) => `/api/review/appeals/${encodeURIComponent(village)}/${encodeURIComponent(code)}`;
const publicationPath = (village: string, id: string) => `/api/review/publications/${encodeURIComponent(village)}/${encodeURIComponent(id)}`;

export function reviewApi(base: string, fetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init)): ReviewApi {
  let csrf = '';
  let signInAgain: (() => Promise<boolean>) | undefined;
  let signingInAgain: Promise<boolean> | undefined;
  async function send<T>(method: string, path: string, body: unknown, background: boolean): Promise<Result<T, ApiError>> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: {
          ...(method === 'GET' ? {} : { [CSRF_HEADER]: csrf }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(background ? { [BACKGROUND_HEADER]: '1' } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      return err({ code: 'console.hubUnreachable', status: 0, reason: '' });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy's error page, not the hub's answer.
      return err({ code: 'console.hubError', status: response.status, reason: '' });
    }
    if (!response.ok) {
      const { error, reason } = (parsed ?? {}) as { error?: string; reason?: string };
      return err({ code: error ?? 'console.hubError', status: response.status, reason: reason ?? '' });
    }
    return ok(parsed as T);
  }
  /** The one sign-in in place every request refused meanwhile waits on. */
  function signedInAgain(): Promise<boolean> {
    if (!signInAgain) return Promise.resolve(false);
    signingInAgain ??= signInAgain().finally(() => {
      signingInAgain = undefined;
    });
    return signingInAgain;
  }
  async function call<T>(method: string, path: string, body?: unknown, options: Background = {}): Promise<Result<T, ApiError>> {
    const background = options.background === true;
    const sentUnder = sessionNumber;
    const answer = await send<T>(method, path, body, background);
    // A refresh the page makes by itself never asks for the password: the reviewer's next action will.
    if (answer.ok || path === '/api/session' || background) return answer;
    // Signed in again meanwhile (this request crossed the sign-in): send it under the new session.
    if (answer.error.code === 'unauthorized' && sentUnder !== sessionNumber) return send<T>(method, path, body, false);
    if (answer.error.code === 'unauthorized' && (await signedInAgain())) return send<T>(method, path, body, false);
    // A stale token: the current one, but only if it is still this page's reviewer (another tab may have
    // signed someone else in); otherwise this page's reviewer signs in again.
    if (answer.error.code === 'csrf' && ((await sameReviewerSession()) || (await signedInAgain()))) return send<T>(method, path, body, false);
    return answer;
  }
  /** Who this page works for, and how many times a session was taken on (a request sent under an older one may be resent). */
  let reviewerName: string | undefined;
  let sessionNumber = 0;
  const remember = (answer: Result<SessionView, ApiError>) => {
    if (answer.ok) {
      csrf = answer.value.csrf;
      reviewerName = answer.value.reviewer.name;
      sessionNumber += 1;
    }
    return answer;
  };
  async function readSession(): Promise<Result<SessionView, ApiError>> {
    // 204: nobody is signed in.
    const answer = await call<SessionView | undefined>('GET', '/api/session');
    if (!answer.ok) return answer;
    return answer.value === undefined ? err({ code: 'unauthorized', status: 204, reason: '' }) : ok(answer.value);
  }
  async function currentSession(): Promise<Result<SessionView, ApiError>> {
    return remember(await readSession());
  }
  /** The browser's session, taken on only if it is the same reviewer's. */
  async function sameReviewerSession(): Promise<boolean> {
    const session = await readSession();
    if (!session.ok || session.value.reviewer.name !== reviewerName) return false;
    remember(session);
    return true;
  }
  return {
    onSessionEnded(handler) {
      signInAgain = handler;
    },
    session: currentSession,
    signIn: async (name, password) => remember(await call<SessionView>('POST', '/api/session', { name, password })),
    signOut: async () => {
      reviewerName = undefined;
      return call<undefined>('DELETE', '/api/session');
    },
    queue(query) {
      // Unset filters are left out of the query string, not sent as "undefined".
      const entries = Object.entries(query as Record<string, string | number | undefined>);
      const params = new URLSearchParams(entries.flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
      return call<QueuePage>('GET', `/api/review/queue?${params.toString()}`);
    },
    case: (caseNumber, options) => call<ReviewCase>('GET', `/api/review/cases/${encodeURIComponent(caseNumber)}`, undefined, options),
    act: (caseNumber, action) => call<ReviewCase>('POST', `/api/review/cases/${encodeURIComponent(caseNumber)}/events`, action),
    reveal: (caseNumber, reason) => call<{ idNumber: string }>('POST', `/api/review/cases/${encodeURIComponent(caseNumber)}/reveal`, { reason }),
    area: () => call<Area>('GET', '/api/review/area'),
    kiosks: () => call<KioskView[]>('GET', '/api/review/kiosks'),
    issueCode: (village) => call<{ code: string; villageName: string; expiresAt: string }>('POST', '/api/review/kiosks/enroll', { village }),
    revoke: (kioskId) => call<{ revokedAt: string }>('POST', `/api/review/kiosks/${encodeURIComponent(kioskId)}/revoke`),
    quarantine: () => call<QuarantineView[]>('GET', '/api/review/quarantine'),
    resolve: (id, note) => call<QuarantineView>('POST', `/api/review/quarantine/${encodeURIComponent(id)}/resolve`, { note }),
    audit: () => call<AuditEntry[]>('GET', '/api/review/audit'),
    dashboard: () => call<Dashboard>('GET', '/api/review/dashboard'),
    caseFiles: (caseNumber, options) => call<CaseFileView[]>('GET', `/api/review/cases/${encodeURIComponent(caseNumber)}/files`, undefined, options),
    fileUrl: (caseNumber, sha256) => `${base}/api/review/cases/${encodeURIComponent(caseNumber)}/files/${sha256}`,
    notices: () => call<NoticeView[]>('GET', '/api/review/notices'),
    publishNotice: (notice) => call<NoticeView>('POST', '/api/review/notices', notice),
    withdrawNotice: (id) => call<undefined>('DELETE', `/api/review/notices/${encodeURIComponent(id)}`),
    appeals: (status) => call<AppealList>('GET', `/api/review/appeals?${new URLSearchParams({ status }).toString()}`),
    appeal: (village, code, options) => call<ReviewAppeal>('GET', appealPath(village, code), undefined, options),
    answerAppeal: (village, code, answer) => call<AnsweredAppeal>('POST', `${appealPath(village, code)}/events`, answer),
    revealAppealPhone: (village, code, reason) => call<{ phone: string }>('POST', `${appealPath(village, code)}/reveal`, { reason }),
    publications: (status) => call<{ publications: PublicationRow[] }>('GET', `/api/review/publications?${new URLSearchParams({ status }).toString()}`),
    publication: (village, id) => call<ReviewPublication>('GET', publicationPath(village, id)),
    approvePublication: (village, id) => call<ReviewPublication>('POST', `${publicationPath(village, id)}/approve`, {}),
    returnPublication: (village, id, reason) => call<ReviewPublication>('POST', `${publicationPath(village, id)}/return`, { reason }),
  };
}
