/** The enrollment at rest (safeStorage, atomic) and the technician PIN (hashed, locked after five wrong tries). */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EnrollResponse } from '../../core/api/enrollment.js';
import { enrollmentVault } from '../../electron/enrollment-vault.js';
import { technicianPin } from '../../electron/technician-pin.js';
import { updateFeedUrl, updateGate } from '../../electron/update-gate.js';
import { fakeKeychain } from '../support/shell-main.js';

const dir = mkdtempSync(join(tmpdir(), 'cunban-shell-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const enrollment: EnrollResponse = {
  kioskId: 'kiosk-422822100202-01',
  kioskNumber: 1,
  village: '422822100202',
  villageName: '雀儿笼村',
  townName: '业州镇',
  villageSyncUrl: 'https://hub.jianshi.example/sync/village_422822100202/',
  catalogSyncUrl: 'https://hub.jianshi.example/sync/cunban_catalog/',
  authorization: 'Basic a2lvc2s6c2VjcmV0LXZhbHVlLWZvci10ZXN0',
  dataKeys: { current: 'k1', keys: [{ kid: 'k1', key: 'A'.repeat(43) }], blindIndexKey: 'B'.repeat(43) },
};

describe('the enrollment vault', () => {
  it('keeps the enrollment encrypted by the keychain, and readable back', async () => {
    const file = join(dir, 'enrollment.bin');
    const vault = enrollmentVault({ safeStorage: fakeKeychain(), file });
    expect(await vault.load()).toEqual({ ok: true, value: null });
    expect(await vault.save(enrollment)).toEqual({ ok: true, value: null });
    const onDisk = readFileSync(file).toString('latin1');
    expect(onDisk).not.toContain('secret');
    expect(onDisk).not.toContain(enrollment.authorization);
    expect(onDisk).not.toContain(enrollment.dataKeys.blindIndexKey);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(await vault.load()).toEqual({ ok: true, value: enrollment });
  });

  it('refuses to keep secrets without a keychain, and says what to do', async () => {
    const vault = enrollmentVault({ safeStorage: fakeKeychain(false), file: join(dir, 'none.bin') });
    const saved = await vault.save(enrollment);
    expect(saved).toMatchObject({ ok: false, error: { code: 'shell.secretsUnavailable' } });
    expect(!saved.ok && saved.error.message).toContain('keyring');
  });
});

describe('the technician PIN', () => {
  it('is set once freely, then changed only after the current one is checked', async () => {
    let now = 1_000_000;
    const pin = technicianPin({ file: join(dir, 'pin-a.json'), now: () => now });
    expect(await pin.check('246810')).toMatchObject({ ok: false, error: { code: 'shell.noPin' } });
    expect(await pin.set('246810')).toEqual({ ok: true, value: null });
    expect(readFileSync(join(dir, 'pin-a.json'), 'utf8')).not.toContain('246810');
    expect(await pin.set('135790')).toMatchObject({ ok: false, error: { code: 'shell.wrongPin' } });
    expect(await pin.check('246810')).toEqual({ ok: true, value: null });
    expect(await pin.set('135790')).toEqual({ ok: true, value: null });
    now += 6 * 60_000;
    expect(await pin.set('111111')).toMatchObject({ ok: false });
    expect(await pin.check('135790')).toEqual({ ok: true, value: null });
  });

  it('locks for 15 minutes after five wrong tries, even for the right PIN, and the lock survives a restart', async () => {
    let now = 5_000_000;
    const file = join(dir, 'pin-b.json');
    await technicianPin({ file, now: () => now }).set('246810');
    const pin = technicianPin({ file, now: () => now });
    for (let i = 0; i < 5; i++) expect(await pin.check('000000')).toMatchObject({ ok: false, error: { code: 'shell.wrongPin' } });
    const restarted = technicianPin({ file, now: () => now });
    expect(await restarted.check('246810')).toMatchObject({
      ok: false,
      error: { code: 'shell.pinLocked', message: 'Too many wrong PINs; try again in 15 minutes.' },
    });
    now += 15 * 60_000 + 1;
    expect(await restarted.check('246810')).toEqual({ ok: true, value: null });
  });
});

describe('updates', () => {
  it('come from the county hub the kiosk enrolled with', () => {
    expect(updateFeedUrl(enrollment)).toBe('https://hub.jianshi.example/updates/');
  });

  it('install only once downloaded, with the clerk idle and no sync write in flight', () => {
    const gate = updateGate();
    expect(gate.activity({ clerkIdle: true, syncWriting: false })).toBe(false);
    gate.downloaded('0.2.0');
    expect(gate.activity({ clerkIdle: false, syncWriting: false })).toBe(false);
    expect(gate.activity({ clerkIdle: true, syncWriting: true })).toBe(false);
    expect(gate.activity({ clerkIdle: true, syncWriting: false })).toBe(true);
    expect(gate.pending).toBe('0.2.0');
  });
});
