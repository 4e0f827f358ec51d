/**
 * The lookup code printed on a receipt (查询码), with which a resident without a phone follows the case on
 * the public page (core/resident/lookup.ts): 8 characters of an alphabet without look-alikes (no 0/O, 1/I),
 * 40 random bits, made by the kiosk at intake — offline — and kept in the case's `created` event as
 * printed, so a reprinted receipt shows the same code. It is not sealed: it opens only the public view of
 * this one case, which whoever can read the stored case already holds in full.
 */
import { z } from 'zod';

/** 32 letters and digits a resident cannot confuse when reading a receipt aloud: no 0, O, 1 or I. */
export const LOOKUP_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export const lookupCodeSchema = z.string().regex(/^[2-9A-HJ-NP-Z]{8}$/, 'a lookup code is 8 letters and digits without 0, 1, I or O');

/** A lookup code from 5 random bytes (40 bits, 5 per character). */
export function lookupCodeFrom(random: Uint8Array): string {
  if (random.length < 5) throw new RangeError('a lookup code takes 5 random bytes');
  // 40 bits fit a double exactly; read them 5 at a time, most significant first.
  const bits = [...random.subarray(0, 5)].reduce((value, byte) => value * 256 + byte, 0);
  let code = '';
  for (let place = 7; place >= 0; place -= 1) code += LOOKUP_CODE_ALPHABET[Math.floor(bits / 32 ** place) % 32] ?? '';
  return code;
}

/** As printed and read aloud (kept in a zod-free module for the residents' page). */
export { formatLookupCode } from './lookup-code-format.js';
