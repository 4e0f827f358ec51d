/** Materials files: resumable, content-addressed, checked end to end, limited, per village. */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_CHUNK_BYTES, type CaseFileView, type FileStatus } from '../../core/api/files.js';
import { DB } from '../../sync-server/store/names.js';
import { addReviewer } from '../../sync-server/users.js';
import { asReviewer, signInReviewer } from './reviewer-client.js';
import { caseFor, startTestHub, VILLAGE_A, VILLAGE_B, type EnrolledKiosk, type TestHub } from './hub-harness.js';

let t: TestHub;
let kiosk: EnrolledKiosk;
let other: EnrolledKiosk;

beforeAll(async () => {
  t = await startTestHub();
  kiosk = await t.enroll(VILLAGE_A);
  other = await t.enroll(VILLAGE_B);
});

afterAll(async () => {
  await t.close();
});

const PNG_HEADER = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (bytes: number) => Buffer.concat([PNG_HEADER, randomBytes(bytes - PNG_HEADER.length)]);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const caseNumber = () => caseFor(kiosk).caseNumber;
const path = (number: string, digest: string) => `/files/${VILLAGE_A}/${number}/${digest}`;

async function putChunk(number: string, data: Buffer, index: number, auth = kiosk.authorization) {
  const chunk = data.subarray(index * FILE_CHUNK_BYTES, (index + 1) * FILE_CHUNK_BYTES);
  const response = await fetch(`${t.base}${path(number, sha256(data))}/chunks/${String(index)}`, {
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(chunk),
  });
  return { status: response.status, body: (await response.json()) as FileStatus & { error?: string; reason?: string } };
}

async function chunkDocsOf(digest: string): Promise<number> {
  const rows = await t.hub.store.request<{ rows: unknown[] }>({
    db: t.hub.store.dbName(DB.files),
    path: '_all_docs',
    qs: { startkey: `chunk:${VILLAGE_A}:${digest}:`, endkey: `chunk:${VILLAGE_A}:${digest}:\ufff0` },
  });
  return rows.ok ? rows.value.rows.length : -1;
}

describe('uploading a scan', () => {
  const scan = png(FILE_CHUNK_BYTES * 2 + 1000);
  let number = '';
  beforeAll(() => {
    number = caseNumber();
  });

  it('resumes after an interruption, and the content comes back with the same digest', async () => {
    const start = await t.call('PUT', path(number, sha256(scan)), {
      auth: kiosk.authorization,
      body: { size: scan.length, contentType: 'image/png', materialId: 'm2' },
    });
    expect(start).toMatchObject({ status: 200, body: { chunks: 3, received: [], complete: false } });

    expect((await putChunk(number, scan, 1)).body).toMatchObject({ received: [1], complete: false });
    // The link drops here; later the kiosk asks what the hub has and sends only the rest.
    const resumed = await t.call('GET', path(number, sha256(scan)), { auth: kiosk.authorization });
    expect(resumed.body).toMatchObject({ received: [1], complete: false });
    expect((await putChunk(number, scan, 0)).body).toMatchObject({ received: [0, 1], complete: false });
    expect((await putChunk(number, scan, 2)).body).toMatchObject({ received: [0, 1, 2], complete: true });

    const content = await fetch(`${t.base}${path(number, sha256(scan))}/content`, { headers: { authorization: kiosk.authorization } });
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(sha256(Buffer.from(await content.arrayBuffer()))).toBe(sha256(scan));
  });

  it('takes a chunk sent twice without harm', async () => {
    expect(await putChunk(number, scan, 0)).toMatchObject({ status: 200, body: { complete: true } });
    expect(await chunkDocsOf(sha256(scan))).toBe(3);
  });

  it('stores the same scan attached to another case only once', async () => {
    const second = caseNumber();
    const again = await t.call('PUT', path(second, sha256(scan)), {
      auth: kiosk.authorization,
      body: { size: scan.length, contentType: 'image/png', materialId: 'm3' },
    });
    expect(again.body).toMatchObject({ complete: true, received: [0, 1, 2] });
    expect(await chunkDocsOf(sha256(scan))).toBe(3);
  });
});

describe('a refused upload', () => {
  it('over the size limit says the limit', async () => {
    const response = await t.call('PUT', path(caseNumber(), 'a'.repeat(64)), {
      auth: kiosk.authorization,
      body: { size: 11 * 1024 * 1024, contentType: 'image/jpeg', materialId: 'm1' },
    });
    expect(response).toMatchObject({ status: 413, body: { error: 'files.tooLarge', reason: 'A file may be at most 10 MB; this one is 11.0 MB.' } });
  });

  it('over the per-case total says the limit', async () => {
    const number = caseNumber();
    for (let i = 0; i < 5; i++) {
      const ok = await t.call('PUT', path(number, String(i).repeat(64)), {
        auth: kiosk.authorization,
        body: { size: 10 * 1024 * 1024, contentType: 'application/pdf', materialId: 'm1' },
      });
      expect(ok.status).toBe(200);
    }
    const sixth = await t.call('PUT', path(number, 'f'.repeat(64)), {
      auth: kiosk.authorization,
      body: { size: 1024, contentType: 'application/pdf', materialId: 'm1' },
    });
    expect(sixth).toMatchObject({ status: 413, body: { error: 'files.caseTooLarge', reason: expect.stringContaining('at most 50 MB') as string } });
  });

  it('of another type, or whose bytes are not what it claims, is refused', async () => {
    const text = await t.call('PUT', path(caseNumber(), 'b'.repeat(64)), {
      auth: kiosk.authorization,
      body: { size: 10, contentType: 'text/plain', materialId: 'm1' },
    });
    expect(text).toMatchObject({ status: 415, body: { error: 'files.type' } });
    const fake = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(100)]);
    const number = caseNumber();
    await t.call('PUT', path(number, sha256(fake)), { auth: kiosk.authorization, body: { size: fake.length, contentType: 'image/jpeg', materialId: 'm1' } });
    expect(await putChunk(number, fake, 0)).toMatchObject({ status: 415, body: { error: 'files.type' } });
  });

  it('whose content does not match its digest is discarded, to be sent again', async () => {
    const real = png(1000);
    const number = caseNumber();
    const claimed = sha256(png(1000));
    await t.call('PUT', path(number, claimed), { auth: kiosk.authorization, body: { size: 1000, contentType: 'image/png', materialId: 'm1' } });
    const response = await fetch(`${t.base}${path(number, claimed)}/chunks/0`, {
      method: 'PUT',
      headers: { authorization: kiosk.authorization },
      body: new Uint8Array(real),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: 'files.digestMismatch' });
    const status = await t.call('GET', path(number, claimed), { auth: kiosk.authorization });
    expect(status.body).toMatchObject({ received: [], complete: false });
  });

  it('from another village’s kiosk, or without a credential, is refused', async () => {
    const number = caseNumber();
    const digest = 'c'.repeat(64);
    const body = { size: 10, contentType: 'image/png', materialId: 'm1' };
    expect(await t.call('PUT', path(number, digest), { auth: other.authorization, body })).toMatchObject({ status: 403 });
    expect(await t.call('PUT', path(number, digest), { body })).toMatchObject({ status: 401 });
    expect(await t.call('PUT', `/files/${VILLAGE_A}/422822100212-20261126-01-001-1/${digest}`, { auth: kiosk.authorization, body })).toMatchObject({
      status: 400,
    });
  });
});

describe("viewing a case's scans in the review console", () => {
  it('the reviewers of the area list and open them (never cached); another town gets the same 404 as for no case', async () => {
    await addReviewer(t.hub.store, { name: 'yezhou-files', role: 'town', town: '422822100000', password: 'town-secret-1' }, new Date());
    await addReviewer(t.hub.store, { name: 'gaoping-files', role: 'town', town: '422822101000', password: 'town-secret-1' }, new Date());
    const town = await signInReviewer(t, 'yezhou-files', 'town-secret-1');
    const otherTown = await signInReviewer(t, 'gaoping-files', 'town-secret-1');
    const number = caseNumber();
    const scan = png(FILE_CHUNK_BYTES + 10);
    const unfinished = png(FILE_CHUNK_BYTES + 20);
    for (const [data, materialId] of [
      [scan, 'm1'],
      [unfinished, 'm2'],
    ] as const) {
      await t.call('PUT', path(number, sha256(data)), { auth: kiosk.authorization, body: { size: data.length, contentType: 'image/png', materialId } });
      await putChunk(number, data, 0);
    }
    await putChunk(number, scan, 1);

    const listed = await asReviewer(t, town, 'GET', `/api/review/cases/${number}/files`);
    const files = (await listed.json()) as CaseFileView[];
    expect(files.map((file) => [file.materialId, file.complete]).sort()).toEqual([
      ['m1', true],
      ['m2', false],
    ]);
    const opened = await asReviewer(t, town, 'GET', `/api/review/cases/${number}/files/${sha256(scan)}`);
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer()).equals(scan)).toBe(true);
    expect(
      Object.fromEntries(['content-type', 'cache-control', 'x-content-type-options', 'content-disposition'].map((h) => [h, opened.headers.get(h)])),
    ).toEqual({
      'content-type': 'image/png',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-disposition': `inline; filename="${number}-m1.png"`,
    });
    expect((await asReviewer(t, town, 'GET', `/api/review/cases/${number}/files/${sha256(unfinished)}`)).status).toBe(409);
    expect((await asReviewer(t, town, 'GET', `/api/review/cases/${number}/files/${'0'.repeat(64)}`)).status).toBe(404);

    expect((await asReviewer(t, otherTown, 'GET', `/api/review/cases/${number}/files`)).status).toBe(404);
    expect((await asReviewer(t, otherTown, 'GET', `/api/review/cases/${number}/files/${sha256(scan)}`)).status).toBe(404);
    expect((await asReviewer(t, undefined, 'GET', `/api/review/cases/${number}/files/${sha256(scan)}`)).status).toBe(401);
  });
});
