/**
 * The kiosk's data keys used where they are kept: in main. The same scheme as the page's WebCrypto
 * sealing (renderer/data/sealing.ts) — AES-256-GCM, a fresh 96-bit nonce, the field's name as associated
 * data, ciphertext and tag in base64url, the key id on every value; HMAC-SHA-256 blind index — so a value
 * sealed here opens wherever the village's keys do, and on the hub.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { DataKeyRing } from '../core/api/enrollment.js';
import { normalizeIdNumber, type SealedField, type Sealer, type UnsealError } from '../core/case/person-seal.js';
import type { SealedValue } from '../core/case/sealed.js';
import { err, ok, type Result } from '../core/result.js';

const keyBytes = (key: string) => Buffer.from(key, 'base64url');

export function ringSealer(ring: DataKeyRing): Sealer {
  return {
    seal(field, plaintext) {
      const key = ring.keys.find((candidate) => candidate.kid === ring.current);
      if (!key) return Promise.reject(new Error(`the current data key ${ring.current} is missing from the key ring`));
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyBytes(key.key), iv);
      cipher.setAAD(Buffer.from(field));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return Promise.resolve({ alg: 'A256GCM', kid: ring.current, iv: iv.toString('base64url'), ct: ct.toString('base64url') });
    },
    blindIndex: (idNumber) => Promise.resolve(createHmac('sha256', keyBytes(ring.blindIndexKey)).update(normalizeIdNumber(idNumber)).digest('hex')),
  };
}

export function unsealWithRing(ring: DataKeyRing, field: SealedField, sealed: SealedValue): Result<string, UnsealError> {
  const key = ring.keys.find((candidate) => candidate.kid === sealed.kid);
  if (!key) return err({ code: 'unseal.unknownKey', kid: sealed.kid });
  const bytes = Buffer.from(sealed.ct, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyBytes(key.key), Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(field));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return ok(Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8'));
  } catch {
    return err({ code: 'unseal.failed' });
  }
}
