/**
 * Main's hold on the enrollment (issue 15 §3): main enrolls with a real hub, the page gets the enrollment
 * without its credential and keys, and main's request hook adds the credential only to the enrolled hub —
 * the kiosk being moved to another village under its own credential.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHELL_CHANNELS } from '../../core/api/shell.js';
import { enrollmentService, type EnrollmentService } from '../../electron/enrollment-service.js';
import { enrollmentVault } from '../../electron/enrollment-vault.js';
import { storageKeyVault } from '../../electron/storage-keys.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { startTestHub, VILLAGE_A, VILLAGE_B, type TestHub } from '../sync-server/hub-harness.js';
import { fakeKeychain } from '../support/shell-main.js';

let hub: TestHub;
let service: EnrollmentService;
const dir = mkdtempSync(join(tmpdir(), 'cunban-enrollment-service-'));
const vault = enrollmentVault({ safeStorage: fakeKeychain(), file: join(dir, 'enrollment.bin') });

async function code(village: string): Promise<string> {
  const issued = await issueEnrollmentCode(hub.hub.store, village, new Date());
  if (!issued.ok) throw new Error(issued.error.reason);
  return issued.value.code;
}

async function enroll(village: string) {
  const answer = await service.enroll({ hub: `${hub.base}/`, code: await code(village), appVersion: 'test' });
  if (!answer.ok || !answer.value.ok) throw new Error(JSON.stringify(answer));
  return answer.value.value;
}

beforeAll(async () => {
  hub = await startTestHub();
  service = await enrollmentService({
    vault,
    storageKeys: storageKeyVault({ safeStorage: fakeKeychain(), file: join(dir, 'storage-keys.bin') }),
    fetch: (url, init) => fetch(url, init),
  });
}, 60_000);

afterAll(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("main's enrollment service", () => {
  it('enrolls, stages, and keeps only what the page asks to keep; the page never gets the secrets', async () => {
    expect(await service.load()).toEqual({ ok: true, value: null });
    const a = await enroll(VILLAGE_A);
    expect(a.authorization).toBeUndefined();
    expect(a.dataKeys).toBeUndefined();
    expect(await service.load()).toEqual({ ok: true, value: null });
    expect(await service.save({ kioskId: a.kioskId })).toEqual({ ok: true, value: null });
    expect(await service.load()).toEqual({ ok: true, value: a });
    const kept = await vault.load();
    expect(kept.ok && kept.value?.authorization).toMatch(/^Basic /);
    // A kiosk id main never enrolled cannot be kept, sealed or revealed with.
    expect(await service.save({ kioskId: 'kiosk-422822100202-77' })).toMatchObject({ ok: false, error: { code: 'shell.unknownEnrollment' } });
    expect(await service.blindIndex({ kioskId: 'kiosk-422822100202-77', idNumber: '422822198001010015' })).toMatchObject({
      ok: false,
      error: { code: 'shell.unknownEnrollment' },
    });
    expect(await service.storageKey({ kioskId: 'kiosk-422822100202-77' })).toMatchObject({ ok: false, error: { code: 'shell.unknownEnrollment' } });
    // The database key of an enrollment main holds: the same at every ask.
    const key = await service.storageKey({ kioskId: a.kioskId });
    expect(key.ok).toBe(true);
    expect(await service.storageKey({ kioskId: a.kioskId })).toEqual(key);
  });

  it('re-enrolls a kiosk in place through the IPC boundary: a code for another kiosk is refused unspent, its own keeps its id', async () => {
    const mine = await enroll(VILLAGE_A);
    const other = await code(VILLAGE_A);
    const continuing = { kioskId: mine.kioskId, numbers: [mine.kioskNumber] };
    // What the page sends is checked against the channel's schema on main's side.
    expect(SHELL_CHANNELS.enroll.argument.safeParse({ hub: `${hub.base}/`, code: other, appVersion: 'test', continuing }).success).toBe(true);
    expect(
      SHELL_CHANNELS.enroll.argument.safeParse({ hub: `${hub.base}/`, code: other, appVersion: 'test', continuing: { kioskId: 'kiosk-1', numbers: [] } })
        .success,
    ).toBe(false);
    expect(await service.enroll({ hub: `${hub.base}/`, code: other, appVersion: 'test', continuing })).toEqual({
      ok: true,
      value: { ok: false, error: { code: 'enroll.otherKiosk' } },
    });
    const issued = await issueEnrollmentCode(hub.hub.store, VILLAGE_A, new Date(), undefined, mine.kioskId);
    if (!issued.ok) throw new Error('fixture');
    const again = await service.enroll({ hub: `${hub.base}/`, code: issued.value.code, appVersion: 'test', continuing });
    expect(again).toMatchObject({ ok: true, value: { ok: true, value: { kioskId: mine.kioskId } } });
  });

  it('explains a wrong code and an unreachable hub, as the page did', async () => {
    expect(await service.enroll({ hub: `${hub.base}/`, code: 'AAAA-AAAA-AAAA', appVersion: 'test' })).toEqual({
      ok: true,
      value: { ok: false, error: { code: 'enroll.codeUnknown' } },
    });
    expect(await service.enroll({ hub: `${hub.base}/`, code: 'short', appVersion: 'test' })).toEqual({
      ok: true,
      value: { ok: false, error: { code: 'enroll.codeFormat' } },
    });
    expect(await service.enroll({ hub: 'http://127.0.0.1:9/', code: await code(VILLAGE_A), appVersion: 'test' })).toMatchObject({
      ok: true,
      value: { ok: false, error: { code: 'enroll.hubUnreachable' } },
    });
  });

  it('adds the credential only for the enrolled hub, by the village a path names while a move is staged', async () => {
    const kept = await vault.load();
    if (!kept.ok || !kept.value) throw new Error('nothing kept');
    const a = kept.value;
    expect(service.authorizationFor(`${hub.base}/sync/village_${VILLAGE_A}/_changes`)).toBe(a.authorization);
    expect(service.authorizationFor(`${hub.base}/api/kiosk/status`)).toBe(a.authorization);
    // Another origin gets nothing, whatever its path says; nor does a host that only looks alike.
    expect(service.authorizationFor(`http://evil.example/sync/village_${VILLAGE_A}/`)).toBeUndefined();
    expect(service.authorizationFor(`${hub.base.replace('127.0.0.1', 'localhost')}/sync/village_${VILLAGE_A}/`)).toBeUndefined();
    expect(service.authorizationFor('not a url')).toBeUndefined();

    const b = await enroll(VILLAGE_B);
    const bAuthorization = service.authorizationFor(`${hub.base}/sync/village_${VILLAGE_B}/_changes`);
    expect(bAuthorization).toMatch(/^Basic /);
    expect(bAuthorization).not.toBe(a.authorization);
    expect(service.authorizationFor(`${hub.base}/files/${VILLAGE_B}/x`)).toBe(bAuthorization);
    expect(service.authorizationFor(`${hub.base}/sync/village_${VILLAGE_A}/_changes`)).toBe(a.authorization);
    // Kept: the moved kiosk's credential serves everything.
    expect((await service.save({ kioskId: b.kioskId })).ok).toBe(true);
    expect(service.authorizationFor(`${hub.base}/api/kiosk/status`)).toBe(bAuthorization);
  });
});
