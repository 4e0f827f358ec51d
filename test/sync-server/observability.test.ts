/**
 * Seeing what the hub does (issue 15 §6): one pino line per request that never holds a resident's name
 * or ID number, whatever the request carried, and Prometheus metrics that count what matters.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeLabel } from '../../sync-server/http/kit.js';
import { addReviewer } from '../../sync-server/users.js';
import { caseFor, startTestHub, storeForwardedCase, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';
import { asReviewer, signInReviewer } from './reviewer-client.js';

const ID_NUMBER = '422822198001010015';
const RESIDENT = '张三';
const PASSWORD = 'observed-secret-1';

const lines: string[] = [];
const memory = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

let hub: TestHub;
let kiosk: EnrolledKiosk;

beforeAll(async () => {
  hub = await startTestHub({ logger: pino({ base: { service: 'cunban-hub' } }, memory) });
  kiosk = await hub.enroll(VILLAGE_A);
  await addReviewer(hub.hub.store, { name: 'observer', role: 'county', password: PASSWORD }, new Date());
}, 60_000);

afterAll(async () => {
  await hub.close();
});

async function metricsOf(t: TestHub, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${t.base}/metrics`, { headers });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

const requestLines = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request');

describe('the request log', () => {
  it('has one line per request, with id, route, status, duration and who — and no name or ID number anywhere', async () => {
    const before = requestLines().length;
    // A case with the resident's number sealed, forwarded and revealed by a reviewer.
    const caseNumber = await storeForwardedCase(hub, kiosk, RESIDENT);
    const reviewer = await signInReviewer(hub, 'observer', PASSWORD);
    const revealed = await asReviewer(hub, reviewer, 'POST', `/api/review/cases/${caseNumber}/reveal`, { reason: `核对 ${RESIDENT} ${ID_NUMBER}` });
    expect(await revealed.text()).toContain(ID_NUMBER);
    // A push of the resident in the clear (refused), and the number typed into paths and queries.
    const clear = { ...caseFor(kiosk), applicant: { name: RESIDENT, idNumber: ID_NUMBER } };
    expect((await hub.call('POST', `/sync/village_${VILLAGE_A}/_bulk_docs`, { auth: kiosk.authorization, body: { docs: [clear] } })).status).toBe(201);
    await hub.call('GET', `/sync/village_${VILLAGE_A}/${ID_NUMBER}?name=${encodeURIComponent(RESIDENT)}`, { auth: kiosk.authorization });
    await asReviewer(hub, reviewer, 'GET', `/api/review/cases/${ID_NUMBER}`);
    await asReviewer(hub, reviewer, 'GET', `/api/review/queue?village=${ID_NUMBER}`);
    await hub.call('GET', `/nowhere/${ID_NUMBER}`);
    // Paths below a database that only look like CouchDB endpoints, with and without a credential.
    await hub.call('GET', `/sync/village_${VILLAGE_A}/_${ID_NUMBER}`);
    await hub.call('GET', `/sync/catalog/_${encodeURIComponent(`${RESIDENT} ${PASSWORD}`)}`, { auth: kiosk.authorization });
    await hub.call('POST', '/api/session', { body: { name: ID_NUMBER, password: ID_NUMBER } });
    await new Promise((settled) => setTimeout(settled, 100));

    const logged = requestLines().slice(before);
    expect(logged.length).toBeGreaterThanOrEqual(8);
    for (const line of logged) {
      expect([typeof line.reqId, typeof line.method, typeof line.route, typeof line.status, typeof line.ms]).toEqual([
        'string',
        'string',
        'string',
        'number',
        'number',
      ]);
    }
    expect(logged).toContainEqual(expect.objectContaining({ route: '/sync/:db/_bulk_docs', status: 201, kiosk: kiosk.kioskId }));
    expect(logged).toContainEqual(expect.objectContaining({ route: '/api/review/cases/:caseNumber/reveal', status: 200, reviewer: 'observer' }));
    expect(logged).toContainEqual(expect.objectContaining({ route: '/sync/:db/:doc', kiosk: kiosk.kioskId }));
    expect(logged).toContainEqual(expect.objectContaining({ route: 'unmatched', status: 404 }));
    expect(logged).toContainEqual(expect.objectContaining({ route: '/sync/:db/:refused', status: 401 }));
    expect(logged).toContainEqual(expect.objectContaining({ route: '/sync/:db/:refused', status: 403 }));
    expect(new Set(logged.map((line) => line.route)).size).toBeLessThan(15);
    const everything = lines.join('\n');
    for (const secret of [ID_NUMBER, ID_NUMBER.slice(-8), RESIDENT, PASSWORD, caseNumber]) expect(everything).not.toContain(secret);
  }, 60_000);

  it('answers every request with the id its log line carries', async () => {
    const answer = await hub.call('GET', '/api/health');
    const id = answer.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((settled) => setTimeout(settled, 50));
    expect(requestLines()).toContainEqual(expect.objectContaining({ reqId: id, route: '/api/health', status: 200 }));
  });
});

describe('GET /metrics', () => {
  it('counts requests by route, refusals, lockouts and open long polls, in Prometheus format', async () => {
    for (let i = 0; i < 6; i++) await hub.call('POST', '/api/session', { body: { name: 'observer-locked', password: `wrong-${String(i)}` } });
    const poll = fetch(`${hub.base}/sync/village_${VILLAGE_A}/_changes?feed=longpoll&since=now&timeout=3000`, {
      headers: { authorization: kiosk.authorization },
    });
    await new Promise((settled) => setTimeout(settled, 300));
    const { status, type, text } = await metricsOf(hub);
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(text).toMatch(/cunban_http_requests_total\{method="POST",route="\/sync\/:db\/_bulk_docs",status="201"\} [1-9]/);
    expect(text).toMatch(/cunban_sync_pushed_documents_total\{outcome="refused"\} [1-9]/);
    expect(text).toMatch(/cunban_lockouts_total\{kind="signin-name"\} [1-9]/);
    expect(text).toMatch(/cunban_sync_long_polls_open [1-9]/);
    expect(text).toMatch(/cunban_http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/api\/health"\}/);
    expect(text).toMatch(/cunban_password_checks\{state="running"\} 0/);
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain(RESIDENT);
    await poll;
  }, 60_000);

  it('is served to this machine only, unless a token is set — then only with it', async () => {
    const guarded = await startTestHub({ config: { metricsToken: 'metrics-token-0123456789', trustProxy: ['loopback'] } });
    try {
      // Through a trusted proxy the client is the forwarded address: not this machine.
      expect((await metricsOf(guarded, { 'x-forwarded-for': '10.7.0.1' })).status).toBe(403);
      expect((await metricsOf(guarded, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(403);
      expect((await metricsOf(guarded, { authorization: 'Bearer metrics-token-0123456789', 'x-forwarded-for': '10.7.0.1' })).status).toBe(200);
    } finally {
      await guarded.close();
    }
    const open = await startTestHub({ config: { trustProxy: ['loopback'] } });
    try {
      expect((await metricsOf(open, { 'x-forwarded-for': '10.7.0.1' })).status).toBe(403);
      expect((await metricsOf(open)).status).toBe(200);
    } finally {
      await open.close();
    }
  }, 60_000);
});

describe('route labels', () => {
  it.each([
    [/^\/api\/health$/, '/api/health'],
    [/^\/api\/review\/cases\/(?<caseNumber>[^/]+)\/files\/(?<sha256>[0-9a-f]{64})$/, '/api/review/cases/:caseNumber/files/:sha256'],
    [/^\/files\/(?<village>\d{12})\/_held$/, '/files/:village/_held'],
    [/^\/updates\/(?<path>[^?#]*)$/, '/updates/:path'],
  ])('%s is %s', (pattern, label) => {
    expect(routeLabel(pattern)).toBe(label);
  });
});
