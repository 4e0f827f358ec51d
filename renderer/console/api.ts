/**
 * The console's client for the review API on the hub that served it: same origin, the session in an
 * HttpOnly cookie the page cannot read, and the CSRF token echoed on every write. Answers are
 * `{ok, value} | {ok: false, error}` with the hub's error code, never an exception.
 */
import type { CaseFileView } from '../../core/api/files.js';
import type { Area, KioskView, QuarantineView } from '../../core/api/fleet.js';
import type { NoticeView, PublishNoticeRequest } from '../../core/api/notices.js';
import type { QueueQuery } from '../../core/api/queue.js';
import { CSRF_HEADER, type ReviewAction, type SessionView } from '../../core/api/review.js';
import type { CaseDocument } from '../../core/case/document.js';
import type { QueueEntry } from '../../core/case/queue-entry.js';
import type { Dashboard } from '../../core/dashboard.js';
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

export interface ReviewApi {
  session(): Promise<Result<SessionView, ApiError>>;
  signIn(name: string, password: string): Promise<Result<SessionView, ApiError>>;
  signOut(): Promise<Result<undefined, ApiError>>;
  queue(query: Partial<QueueQuery>): Promise<Result<QueuePage, ApiError>>;
  case(caseNumber: string): Promise<Result<ReviewCase, ApiError>>;
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
  caseFiles(caseNumber: string): Promise<Result<CaseFileView[], ApiError>>;
  /** Where the browser opens a file (same origin: the session cookie goes with it). */
  fileUrl(caseNumber: string, sha256: string): string;
  notices(): Promise<Result<NoticeView[], ApiError>>;
  publishNotice(notice: PublishNoticeRequest): Promise<Result<NoticeView, ApiError>>;
  withdrawNotice(id: string): Promise<Result<undefined, ApiError>>;
}

export interface AuditEntry {
  readonly reviewer: string;
  readonly role: string;
  readonly caseNumber: string;
  readonly reason: string;
  readonly at: string;
}

export function reviewApi(base: string, fetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init)): ReviewApi {
  let csrf = '';
  async function call<T>(method: string, path: string, body?: unknown): Promise<Result<T, ApiError>> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { ...(method === 'GET' ? {} : { [CSRF_HEADER]: csrf }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      return err({ code: 'console.hubUnreachable', status: 0, reason: '' });
    }
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const { error, reason } = (parsed ?? {}) as { error?: string; reason?: string };
      return err({ code: error ?? 'console.hubError', status: response.status, reason: reason ?? '' });
    }
    return ok(parsed as T);
  }
  const remember = (answer: Result<SessionView, ApiError>) => {
    if (answer.ok) csrf = answer.value.csrf;
    return answer;
  };
  return {
    async session() {
      // 204: nobody is signed in.
      const answer = await call<SessionView | undefined>('GET', '/api/session');
      if (!answer.ok) return answer;
      return answer.value === undefined ? err({ code: 'unauthorized', status: 204, reason: '' }) : remember(ok(answer.value));
    },
    signIn: async (name, password) => remember(await call<SessionView>('POST', '/api/session', { name, password })),
    signOut: () => call<undefined>('DELETE', '/api/session'),
    queue(query) {
      // Unset filters are left out of the query string, not sent as "undefined".
      const entries = Object.entries(query as Record<string, string | number | undefined>);
      const params = new URLSearchParams(entries.flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
      return call<QueuePage>('GET', `/api/review/queue?${params.toString()}`);
    },
    case: (caseNumber) => call<ReviewCase>('GET', `/api/review/cases/${encodeURIComponent(caseNumber)}`),
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
    caseFiles: (caseNumber) => call<CaseFileView[]>('GET', `/api/review/cases/${encodeURIComponent(caseNumber)}/files`),
    fileUrl: (caseNumber, sha256) => `${base}/api/review/cases/${encodeURIComponent(caseNumber)}/files/${sha256}`,
    notices: () => call<NoticeView[]>('GET', '/api/review/notices'),
    publishNotice: (notice) => call<NoticeView>('POST', '/api/review/notices', notice),
    withdrawNotice: (id) => call<undefined>('DELETE', `/api/review/notices/${encodeURIComponent(id)}`),
  };
}
