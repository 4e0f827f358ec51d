import { describe, expect, it } from 'vitest';
import { dataKeyRingSchema, type DataKeyRing } from '../../../core/api/enrollment.js';
import { sealedValueSchema } from '../../../core/case/sealed.js';
import { blindIndex, importKeyRing, seal, sealPerson, unseal } from '../../../renderer/data/sealing.js';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64url');
const ringV1: DataKeyRing = dataKeyRingSchema.parse({ current: 'k1', keys: [{ kid: 'k1', key: key(1) }], blindIndexKey: key(9) });
const ringV2: DataKeyRing = { ...ringV1, current: 'k2', keys: [...ringV1.keys, { kid: 'k2', key: key(2) }] };
const ID = '422822198001010015';

describe('sealing', () => {
  it('round-trips, with the key id on the ciphertext and a fresh nonce every time', async () => {
    const ring = await importKeyRing(ringV1);
    const [a, b] = [await seal(ring, 'idNumber', ID), await seal(ring, 'idNumber', ID)];
    expect(sealedValueSchema.parse(a)).toEqual(a);
    expect(a.kid).toBe('k1');
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
    expect(JSON.stringify(a)).not.toContain(ID);
    expect(await unseal(ring, 'idNumber', a)).toEqual({ ok: true, value: ID });
  });

  it('binds a ciphertext to its field: an ID number cannot be read back as a phone number', async () => {
    const ring = await importKeyRing(ringV1);
    expect(await unseal(ring, 'phone', await seal(ring, 'idNumber', ID))).toEqual({ ok: false, error: { code: 'unseal.failed' } });
  });

  it('detects tampering', async () => {
    const ring = await importKeyRing(ringV1);
    const sealed = await seal(ring, 'idNumber', ID);
    const flipped = { ...sealed, ct: `${sealed.ct.slice(0, -2)}${sealed.ct.endsWith('AA') ? 'AB' : 'AA'}` };
    expect(await unseal(ring, 'idNumber', flipped)).toEqual({ ok: false, error: { code: 'unseal.failed' } });
  });

  it('reads old ciphertexts after a key rotation and seals new ones with the new key', async () => {
    const old = await seal(await importKeyRing(ringV1), 'idNumber', ID);
    const rotated = await importKeyRing(ringV2);
    expect(await unseal(rotated, 'idNumber', old)).toEqual({ ok: true, value: ID });
    expect((await seal(rotated, 'idNumber', ID)).kid).toBe('k2');
    const stale = await importKeyRing(ringV1);
    expect(await unseal(stale, 'idNumber', await seal(rotated, 'idNumber', ID))).toEqual({ ok: false, error: { code: 'unseal.unknownKey', kid: 'k2' } });
  });
});

describe('the blind index', () => {
  it('finds the same number however it was typed, and only that number', async () => {
    const ring = await importKeyRing(ringV1);
    const x = await blindIndex(ring, '42282219671130019X');
    expect(await blindIndex(ring, ' 42282219671130019x')).toBe(x);
    expect(await blindIndex(ring, ID)).not.toBe(x);
    expect(x).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not survive a change of county: another key gives other hashes', async () => {
    const other = await importKeyRing({ ...ringV1, blindIndexKey: key(7) });
    expect(await blindIndex(other, ID)).not.toBe(await blindIndex(await importKeyRing(ringV1), ID));
  });
});

describe('a sealed person', () => {
  it('keeps name and address, seals the numbers and carries masked copies for screens', async () => {
    const ring = await importKeyRing(ringV1);
    const person = await sealPerson(ring, { name: ' 李秀英 ', idNumber: '42282219671130019x', phone: '139 1234 5678', address: '雀儿笼村三组' });
    expect(person).toMatchObject({ name: '李秀英', idNumberMasked: '422822********019X', phoneMasked: '139****5678', address: '雀儿笼村三组' });
    expect(JSON.stringify(person)).not.toMatch(/42282219671130019|13912345678/);
    expect(await unseal(ring, 'phone', person.phone ?? sealedValueSchema.parse({}))).toEqual({ ok: true, value: '13912345678' });
    expect(person.idNumberHash).toBe(await blindIndex(ring, '42282219671130019X'));
  });
});
