/**
 * Sealing residents' sensitive numbers before they reach RxDB (and so the hub): AES-256-GCM with a
 * fresh 96-bit nonce, the key id on every ciphertext, and the field's name as associated data so a
 * ciphertext cannot be moved to another field. Full ID numbers are found again through a keyed hash
 * (HMAC-SHA-256 blind index) of the normalised number — never by decrypting everything.
 */
import type { DataKeyRing } from '../../core/api/enrollment.js';
import type { Person } from '../../core/case/events.js';
import type { SealedValue } from '../../core/case/sealed.js';
import { normalizeIdNumber, sealPersonWith, type PersonInput, type SealedField, type UnsealError } from '../../core/case/person-seal.js';
import { err, ok, type Result } from '../../core/result.js';

export type { PersonInput, SealedField } from '../../core/case/person-seal.js';

export interface KeyRing {
  readonly current: string;
  readonly keys: ReadonlyMap<string, CryptoKey>;
  readonly blindIndexKey: CryptoKey;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Keys are imported non-extractable: once in the ring, not even the renderer can read them back. */
export async function importKeyRing(ring: DataKeyRing): Promise<KeyRing> {
  const keys = new Map<string, CryptoKey>();
  for (const { kid, key } of ring.keys) {
    keys.set(kid, await crypto.subtle.importKey('raw', fromBase64url(key), 'AES-GCM', false, ['encrypt', 'decrypt']));
  }
  const blindIndexKey = await crypto.subtle.importKey('raw', fromBase64url(ring.blindIndexKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return { current: ring.current, keys, blindIndexKey };
}

export async function seal(ring: KeyRing, field: SealedField, plaintext: string): Promise<SealedValue> {
  const key = ring.keys.get(ring.current);
  if (!key) throw new Error(`the current data key ${ring.current} is missing from the key ring`);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(field) }, key, encoder.encode(plaintext));
  return { alg: 'A256GCM', kid: ring.current, iv: toBase64url(iv), ct: toBase64url(new Uint8Array(ct)) };
}

export type { UnsealError } from '../../core/case/person-seal.js';

export async function unseal(ring: KeyRing, field: SealedField, sealed: SealedValue): Promise<Result<string, UnsealError>> {
  const key = ring.keys.get(sealed.kid);
  if (!key) return err({ code: 'unseal.unknownKey', kid: sealed.kid });
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64url(sealed.iv), additionalData: encoder.encode(field) },
      key,
      fromBase64url(sealed.ct),
    );
    return ok(decoder.decode(plain));
  } catch {
    // Wrong field, altered ciphertext or a wrong key: GCM's tag says no, and so do we.
    return err({ code: 'unseal.failed' });
  }
}

/** The blind index of a full ID number: HMAC-SHA-256 of the normalised number, hex. */
export async function blindIndex(ring: KeyRing, idNumber: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', ring.blindIndexKey, encoder.encode(normalizeIdNumber(idNumber)));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A resident as stored, sealed with this ring's keys (core/case/person-seal.ts). */
export function sealPerson(ring: KeyRing, input: PersonInput): Promise<Person> {
  return sealPersonWith({ seal: (field, plaintext) => seal(ring, field, plaintext), blindIndex: (idNumber) => blindIndex(ring, idNumber) }, input);
}
