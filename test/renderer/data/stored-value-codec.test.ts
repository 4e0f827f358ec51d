/** IndexedDB values through JSON and back exactly (renderer/data/stored-value-codec.ts), or refused, never changed. */
import { describe, expect, it } from 'vitest';
import { decodeStored, encodeStored, NotRewritable } from '../../../renderer/data/stored-value-codec.js';

const roundTrip = async (value: unknown) => decodeStored(JSON.parse(JSON.stringify(await encodeStored(value))));

describe('a stored value written as JSON', () => {
  it('comes back as it was: Blobs (nested, with their type), Files, binary, Dates (invalid too), -0, NaN, undefined', async () => {
    const back = (await roundTrip({
      list: [new Blob(['a'], { type: 'image/png' }), [new Blob(['bc'], { type: 'application/pdf' })]],
      file: new File(['z'], 'scan.png', { type: 'image/png', lastModified: 1_700_000_000_000 }),
      bytes: new Uint8Array([0, 255]),
      buffer: new Uint8Array([7]).buffer,
      at: new Date('2026-11-30T08:00:00.000Z'),
      never: new Date(Number.NaN),
      negZero: -0,
      nan: Number.NaN,
      infinite: -Infinity,
      absent: undefined,
      holes: [undefined, 1],
    })) as Record<string, unknown> & { list: [Blob, [Blob]]; file: File; never: Date };
    expect([back.list[0].type, await back.list[0].text(), back.list[1][0].type, await back.list[1][0].text()]).toEqual([
      'image/png',
      'a',
      'application/pdf',
      'bc',
    ]);
    expect([back.file.name, back.file.type, back.file.lastModified, await back.file.text()]).toEqual(['scan.png', 'image/png', 1_700_000_000_000, 'z']);
    expect(back.bytes).toEqual(new Uint8Array([0, 255]));
    expect(new Uint8Array(back.buffer as ArrayBuffer)).toEqual(new Uint8Array([7]));
    expect(back.at).toEqual(new Date('2026-11-30T08:00:00.000Z'));
    expect(Number.isNaN(back.never.getTime())).toBe(true);
    expect(Object.is(back.negZero, -0)).toBe(true);
    expect(back.nan).toBeNaN();
    expect(back.infinite).toBe(-Infinity);
    expect('absent' in back).toBe(true);
    expect(back.holes).toEqual([undefined, 1]);
  });

  it('keeps an own __proto__ field a field', async () => {
    const back = (await roundTrip(JSON.parse('{"__proto__":{"x":1},"y":2}'))) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(['__proto__', 'y']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('refuses what it cannot bring back the same: a Map, a BigInt, a cycle, its own tag', async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [new Map(), { n: 1n }, cycle, { $cunban: 'blob' }, Symbol('s')])
      await expect(encodeStored(value)).rejects.toBeInstanceOf(NotRewritable);
  });
});
