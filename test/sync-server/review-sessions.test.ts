/**
 * Reviewer sessions slide (issue 17): a reviewer at work all day is not signed out mid-note at eight hours,
 * a console left alone is, and no session outlives twelve hours. Against the embedded hub on a clock the
 * test moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKGROUND_HEADER } from '../../core/api/review.js';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../sync-server/review/sessions.js';
import { addReviewer } from '../../sync-server/users.js';
import { startTestHub, type TestHub } from './hub-harness.js';
import { asReviewer, signInReviewer, type ReviewerSession } from './reviewer-client.js';

const MINUTE = 60 * 1000;
let hub: TestHub;
let clock = Date.parse('2026-11-30T00:30:00.000Z');

beforeAll(async () => {
  hub = await startTestHub({ now: () => new Date(clock) });
  await addReviewer(hub.hub.store, { name: 'all-day', role: 'county', password: 'all-day-secret-1' }, new Date(clock));
}, 60_000);
afterAll(async () => {
  await hub.close();
});

const signedIn = async (session: ReviewerSession, headers: Record<string, string> = {}) => {
  const response = await fetch(`${hub.base}/api/review/queue`, { headers: { cookie: session.cookie, ...headers } });
  await response.body?.cancel();
  return response.status;
};

describe('a reviewer session', () => {
  it('lasts while the reviewer works, past eight hours, and ends twelve hours after sign-in', async () => {
    const session = await signInReviewer(hub, 'all-day', 'all-day-secret-1');
    // A request every half hour from 08:30 to 20:00 (China time): never signed out in between.
    const signInAt = clock;
    while (clock + 30 * MINUTE < signInAt + SESSION_MAX_MS) {
      clock += 30 * MINUTE;
      expect(await signedIn(session)).toBe(200);
    }
    // 8 h 01 min (the finding) is long past, and the page's token is the session's still.
    const me = await asReviewer(hub, session, 'GET', '/api/session');
    expect(((await me.json()) as { csrf: string }).csrf).toBe(session.csrf);
    clock = signInAt + SESSION_MAX_MS;
    expect(await signedIn(session)).toBe(401);
  });

  it('ends after two idle hours, and background refreshes do not keep it alive', async () => {
    const session = await signInReviewer(hub, 'all-day', 'all-day-secret-1');
    const signInAt = clock;
    // The console refreshes an open case by itself every few seconds, and a scan's thumbnail loads by itself
    // (the browser says `Sec-Fetch-Dest: image`); only the reviewer's requests count.
    for (let minutes = 10; minutes < SESSION_IDLE_MS / MINUTE; minutes += 10) {
      clock = signInAt + minutes * MINUTE;
      expect(await signedIn(session, minutes % 20 === 0 ? { [BACKGROUND_HEADER]: '1' } : { 'sec-fetch-dest': 'image' })).toBe(200);
    }
    clock = signInAt + SESSION_IDLE_MS;
    expect(await signedIn(session, { [BACKGROUND_HEADER]: '1' })).toBe(401);
    expect(await signedIn(session)).toBe(401);
  });

  it('sets a cookie that lasts as long as the session can', async () => {
    const response = await fetch(`${hub.base}/api/session`, { method: 'POST', body: JSON.stringify({ name: 'all-day', password: 'all-day-secret-1' }) });
    expect(response.headers.get('set-cookie')).toContain(`Max-Age=${String(SESSION_MAX_MS / 1000)}`);
  });
});
