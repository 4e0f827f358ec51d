import { describe, expect, it } from 'vitest';
import { afterWrongPin, checkNewPin, lockoutMinutesLeft, MAX_PIN_FAILURES } from '../../core/clerk.js';

describe('clerk PINs', () => {
  it('are 4–8 digits, not one digit repeated nor a straight run, and typed the same twice', () => {
    expect(checkNewPin('2580', '2580')).toBeUndefined();
    expect(checkNewPin('13579', '13579')).toBeUndefined();
    expect(checkNewPin('258', '258')).toEqual({ code: 'clerk.pinFormat', min: 4, max: 8 });
    expect(checkNewPin('123456789', '123456789')).toMatchObject({ code: 'clerk.pinFormat' });
    expect(checkNewPin('25a0', '25a0')).toMatchObject({ code: 'clerk.pinFormat' });
    for (const weak of ['0000', '1234', '4321', '987654', '777777']) expect(checkNewPin(weak, weak), weak).toEqual({ code: 'clerk.pinWeak' });
    expect(checkNewPin('2580', '2581')).toEqual({ code: 'clerk.pinMismatch' });
  });

  it('lock out after five wrong tries in a row for five minutes, then count afresh', () => {
    const t0 = new Date('2026-11-26T02:00:00.000Z');
    let attempts = afterWrongPin(undefined, t0);
    for (let i = 2; i < MAX_PIN_FAILURES; i++) attempts = afterWrongPin(attempts, t0);
    expect(attempts).toEqual({ failures: 4 });
    expect(lockoutMinutesLeft(attempts, t0)).toBe(0);
    attempts = afterWrongPin(attempts, t0);
    expect(lockoutMinutesLeft(attempts, t0)).toBe(5);
    expect(lockoutMinutesLeft(attempts, new Date(t0.getTime() + 4 * 60_000 + 1))).toBe(1);
    const later = new Date(t0.getTime() + 5 * 60_000);
    expect(lockoutMinutesLeft(attempts, later)).toBe(0);
    expect(afterWrongPin(attempts, later)).toEqual({ failures: 1 });
  });
});
