import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema } from '../../core/api/enrollment.js';
import { issueEnrollmentCode, recordKioskStatus } from '../../sync-server/kiosks.js';
import { DB } from '../../sync-server/store/names.js';
import { startTestHub, VILLAGE_A, VILLAGE_B, type TestHub } from './hub-harness.js';

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub();
});

afterAll(async () => {
  await t.close();
});

async function code(village = VILLAGE_A, lifetimeMs?: number, issuedAt = new Date()): Promise<string> {
  const issued = await issueEnrollmentCode(t.hub.store, village, issuedAt, lifetimeMs);
  if (!issued.ok) throw new Error(issued.error.reason);
  return issued.value.code;
}

const enroll = (body: unknown, headers?: Record<string, string>) => t.call('POST', '/api/enroll', { body, ...(headers ? { headers } : {}) });

describe('POST /api/enroll', () => {
  it('turns a valid code into a kiosk, with everything it needs to sync', async () => {
    const response = await enroll({ code: await code(), appVersion: '0.1.0' });
    expect(response.status).toBe(201);
    const enrolled = enrollResponseSchema.parse(response.body);
    expect(enrolled).toMatchObject({ village: VILLAGE_A, villageName: '雀儿笼村', townName: '业州镇' });
    expect(enrolled.villageSyncUrl).toBe(`${t.base}/sync/village_${VILLAGE_A}/`);
    expect(enrolled.catalogSyncUrl).toBe(`${t.base}/sync/catalog/`);
    const sync = await t.call('GET', `/sync/village_${VILLAGE_A}/`, { auth: enrolled.authorization });
    expect(sync.status).toBe(200);
  });

  it('accepts a code as people type it: lower case, spaces, O for 0', async () => {
    const typed = (await code()).toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    expect((await enroll({ code: typed })).status).toBe(201);
  });

  it('works once: a used code gets its own clear error', async () => {
    const once = await code();
    expect((await enroll({ code: once })).status).toBe(201);
    expect(await enroll({ code: once })).toMatchObject({
      status: 409,
      body: { error: 'enroll.codeUsed', reason: 'This enrollment code has already been used: ask the technician for a new one' },
    });
  });

  it('refuses an expired code, and says so', async () => {
    const expired = await code(VILLAGE_A, 60_000, new Date(Date.now() - 120_000));
    expect(await enroll({ code: expired })).toMatchObject({ status: 410, body: { error: 'enroll.codeExpired' } });
  });

  it('refuses an unknown code, and says so', async () => {
    expect(await enroll({ code: 'AAAA-BBBB-CCCC' })).toMatchObject({ status: 404, body: { error: 'enroll.codeUnknown' } });
  });

  it('refuses a malformed request', async () => {
    expect(await enroll({ kode: 'x' })).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(await t.call('POST', '/api/enroll', { rawBody: 'code=1' })).toMatchObject({ status: 400 });
  });

  it('lets exactly one of two simultaneous claims of one code win', async () => {
    const contested = await code(VILLAGE_B);
    const results = await Promise.all([enroll({ code: contested }), enroll({ code: contested })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('numbers kiosks within a village and never reuses a number', async () => {
    const first = enrollResponseSchema.parse((await enroll({ code: await code(VILLAGE_B) })).body);
    const second = enrollResponseSchema.parse((await enroll({ code: await code(VILLAGE_B) })).body);
    expect(second.kioskNumber).toBe(first.kioskNumber + 1);
    expect(second.kioskId).toBe(`kiosk-${VILLAGE_B}-${String(second.kioskNumber).padStart(2, '0')}`);
  });
});

describe('what a kiosk says of its version', () => {
  it('is recorded only when it is a version: never an ID number, a phone number or a name hidden in one', async () => {
    const versionOf = async (kioskId: string) => {
      const doc = await t.hub.store.getDoc<{ appVersion?: string }>(DB.kiosks, `kiosk:${kioskId}`);
      return doc.ok ? doc.value.appVersion : 'missing';
    };
    const hidden = enrollResponseSchema.parse((await enroll({ code: await code(VILLAGE_A), appVersion: '1.0.0-422822198001010015' })).body);
    expect(await versionOf(hidden.kioskId)).toBeUndefined();
    const kiosk = enrollResponseSchema.parse((await enroll({ code: await code(VILLAGE_A), appVersion: '0.3.0' })).body);
    expect(await versionOf(kiosk.kioskId)).toBe('0.3.0');
    for (const appVersion of ['张三丰', '13812345678', '4228 2219 8001 0100 15', 'password=hunter2', '0.3.1-13812345678']) {
      const reported = await t.call('PUT', '/api/kiosk/status', {
        auth: kiosk.authorization,
        body: { appVersion, pendingCases: 0, pendingFiles: 0, refused: 0 },
      });
      expect(reported.status).toBe(204);
      expect(await versionOf(kiosk.kioskId)).toBe('0.3.0');
    }
    await t.call('PUT', '/api/kiosk/status', { auth: kiosk.authorization, body: { appVersion: '0.3.1-rc.1', pendingCases: 0, pendingFiles: 0, refused: 0 } });
    expect(await versionOf(kiosk.kioskId)).toBe('0.3.1-rc.1');
  });
});

describe('a kiosk’s status reports', () => {
  it('are written when they say something new, or a minute after the last; the same again at once writes nothing', async () => {
    const kiosk = enrollResponseSchema.parse((await enroll({ code: await code(VILLAGE_A) })).body);
    const stored = async () => {
      const doc = await t.hub.store.getDoc<{ _rev: string; reported?: { pendingCases: number; at: string } }>(DB.kiosks, `kiosk:${kiosk.kioskId}`);
      if (!doc.ok) throw new Error('no kiosk');
      return doc.value;
    };
    const report = (pendingCases: number, at: string) =>
      recordKioskStatus(t.hub.store, kiosk.kioskId, { appVersion: '0.3.0', pendingCases, pendingFiles: 0, refused: 0 }, new Date(at));
    expect((await report(3, '2026-11-30T08:00:00Z')).ok).toBe(true);
    const first = await stored();
    await report(3, '2026-11-30T08:00:30Z');
    expect((await stored())._rev).toBe(first._rev);
    await report(0, '2026-11-30T08:00:40Z');
    expect((await stored()).reported).toMatchObject({ pendingCases: 0, at: '2026-11-30T08:00:40.000Z' });
    await report(0, '2026-11-30T08:01:41Z');
    expect((await stored()).reported?.at).toBe('2026-11-30T08:01:41.000Z');
  });
});

describe('guessing codes', () => {
  it('is cut off after ten failures from one address, even for a valid code', async () => {
    const fresh = await startTestHub();
    try {
      for (let i = 0; i < 10; i++) {
        expect((await fresh.call('POST', '/api/enroll', { body: { code: `AAAA-AAAA-AA${String(i).padStart(2, '0')}` } })).status).toBe(404);
      }
      const issued = await issueEnrollmentCode(fresh.hub.store, VILLAGE_A, new Date());
      if (!issued.ok) throw new Error('fixture');
      const limited = await fresh.call('POST', '/api/enroll', { body: { code: issued.value.code } });
      expect(limited).toMatchObject({ status: 429, body: { error: 'enroll.rateLimited', reason: 'Too many attempts: try again in 15 minutes' } });
    } finally {
      await fresh.close();
    }
  });
});
