/** Every IPC call: our page's main frame only, the argument checked against core's schema, a result and never a throw. */
import { describe, expect, it } from 'vitest';
import { SHELL_CHANNEL_NAMES } from '../../core/api/shell.js';
import { ok } from '../../core/result.js';
import { bridgeOf } from '../../electron/bridge.js';
import { senderAllowed, validatedHandler, type IpcSender } from '../../electron/ipc.js';

const fromPage: IpcSender = { senderFrame: { url: 'app://cunban/index.html', parent: null } };
const fromIframe: IpcSender = { senderFrame: { url: 'app://cunban/frame.html', parent: {} } };
const fromElsewhere: IpcSender = { senderFrame: { url: 'https://evil.example/', parent: null } };
const destroyed: IpcSender = { senderFrame: null };

describe('the IPC sender check', () => {
  it("accepts only our page's main frame", () => {
    expect(senderAllowed(fromPage)).toBe(true);
    for (const sender of [fromIframe, fromElsewhere, destroyed]) expect(senderAllowed(sender)).toBe(false);
  });
});

describe('validatedHandler', () => {
  const calls: unknown[] = [];
  const setPin = validatedHandler('setTechnicianPin', (pin) => {
    calls.push(pin);
    return Promise.resolve(ok(null));
  });

  it('passes a valid argument from our page', async () => {
    expect(await setPin(fromPage, '246810')).toEqual({ ok: true, value: null });
    expect(calls).toEqual(['246810']);
  });

  it.each([
    ['a number', 246810],
    ['too short', '123'],
    ['letters', 'abcdef'],
    ['an object', { pin: '246810' }],
    ['nothing', undefined],
  ])('refuses a bad payload (%s) without calling the handler', async (_name, argument) => {
    calls.length = 0;
    const answer = await setPin(fromPage, argument);
    expect(answer).toMatchObject({ ok: false, error: { code: 'shell.badRequest' } });
    expect(calls).toEqual([]);
  });

  it('refuses a wrong sender before looking at the argument', async () => {
    calls.length = 0;
    for (const sender of [fromIframe, fromElsewhere, destroyed]) {
      expect(await setPin(sender, '246810')).toMatchObject({ ok: false, error: { code: 'shell.forbiddenSender' } });
    }
    expect(calls).toEqual([]);
  });

  it('turns a thrown error into a result without its stack', async () => {
    const logged: string[] = [];
    const failing = validatedHandler(
      'print',
      () => Promise.reject(new Error('printer on fire at /home/kiosk')),
      (line) => logged.push(line),
    );
    expect(await failing(fromPage, undefined)).toEqual({ ok: false, error: { code: 'shell.failed', message: 'The shell could not do that; see its log.' } });
    expect(logged).toEqual(['ipc print: printer on fire at /home/kiosk']);
  });

  it("checks what the page sends against core's schemas: a kiosk id, a resident's fields, a hub URL", async () => {
    const save = validatedHandler('saveEnrollment', () => Promise.resolve(ok(null)));
    expect(await save(fromPage, { kioskId: 'kiosk-422822100202-01', extra: true })).toMatchObject({ ok: false, error: { code: 'shell.badRequest' } });
    // A forged enrollment (another hub, another credential) is not something the page can hand main.
    expect(await save(fromPage, { kioskId: 'kiosk-422822100202-01', villageSyncUrl: 'http://evil.example/', authorization: 'Basic x' })).toMatchObject({
      ok: false,
      error: { code: 'shell.badRequest' },
    });
    expect(await save(fromPage, { kioskId: 'kiosk-422822100202-01' })).toEqual({ ok: true, value: null });
    const seal = validatedHandler('sealApplicant', () => Promise.resolve(ok(null)));
    expect(await seal(fromPage, { kioskId: 'kiosk-422822100202-01', person: { name: 'x', idNumber: '1'.repeat(33) } })).toMatchObject({
      ok: false,
      error: { code: 'shell.badRequest' },
    });
    const enroll = validatedHandler('enroll', () => Promise.resolve(ok(null)));
    expect(await enroll(fromPage, { hub: 'file:///etc/passwd', code: 'K7QX-4M2P-9TRW', appVersion: '0.3.0' })).toMatchObject({
      ok: false,
      error: { code: 'shell.badRequest' },
    });
  });
});

describe('window.cunban (the preload bridge)', () => {
  it('offers the page exactly these powers: nothing wipes the enrollment or reads its secrets, and leaving kiosk mode takes the PIN', () => {
    // A new channel must be added here on purpose, after asking what a hostile page could do with it.
    // The key channels seal and open with the village's keys, never hand them over; saveEnrollment keeps
    // only what main itself enrolled (a page cannot point the kiosk at a hub of its choosing). storageKey
    // gives the page the key of its own database, only for a kiosk id main enrolled: the page reads that
    // data anyway; the key guards the disk, not the page. clearStoreFiles deletes the page's own IndexedDB
    // files: what the page can already do by deleting its databases, except that the files really go.
    expect(Object.keys(SHELL_CHANNEL_NAMES).sort()).toEqual(
      [
        'blindIndex',
        'checkTechnicianPin',
        'clearStoreFiles',
        'enroll',
        'hasTechnicianPin',
        'leaveKioskMode',
        'loadEnrollment',
        'print',
        'reportActivity',
        'revealIdNumber',
        'saveDiagnosticBundle',
        'saveEnrollment',
        'sealApplicant',
        'sealPhone',
        'setTechnicianPin',
        'storageKey',
      ].sort(),
    );
  });

  it('is a frozen object of named functions, one per channel of core, calling exactly that channel', async () => {
    const invoked: [string, unknown][] = [];
    const bridge = bridgeOf((channel, argument) => {
      invoked.push([channel, argument]);
      return Promise.resolve({ ok: true, value: null });
    }, '0.1.0');
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual(['appVersion', ...Object.keys(SHELL_CHANNEL_NAMES)].sort());
    expect(Object.values(bridge).every((value) => typeof value === 'function' || typeof value === 'string')).toBe(true);
    await bridge.checkTechnicianPin('246810');
    await bridge.print();
    expect(invoked).toEqual([
      ['cunban:technician:check-pin', '246810'],
      ['cunban:print', undefined],
    ]);
  });
});
