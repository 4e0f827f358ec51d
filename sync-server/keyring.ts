/**
 * The county's data key ring: AES-256-GCM keys that seal residents' ID, phone and bank numbers, and
 * the HMAC key of the ID-number blind index. Kept in a file beside the hub's data (mode 0600), never
 * in CouchDB: a copy of the database alone yields only ciphertext. Hub processes sharing a store must
 * share this file. Rotation appends a key and makes it current; old ciphertexts stay readable.
 * The blind-index key never rotates: the index of every stored case would have to be rebuilt.
 */
import { createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataKeyRingSchema, type DataKeyRing } from '../core/api/enrollment.js';
import type { SealedValue } from '../core/case/sealed.js';

export const keyringFile = (dataDir: string) => join(dataDir, 'county-keys.json');

const newKey = () => randomBytes(32).toString('base64url');

function save(dataDir: string, ring: DataKeyRing): DataKeyRing {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(keyringFile(dataDir), JSON.stringify(ring, null, 2), { mode: 0o600 });
  return ring;
}

/** The key ring, created on first use. A damaged file is an error, never silently replaced. */
export function loadKeyRing(dataDir: string, now: Date = new Date()): DataKeyRing {
  const file = keyringFile(dataDir);
  if (!existsSync(file)) {
    const kid = `county-${now.toISOString().slice(0, 10)}-1`;
    return save(dataDir, { current: kid, keys: [{ kid, key: newKey() }], blindIndexKey: newKey() });
  }
  const parsed = dataKeyRingSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success || !parsed.data.keys.some((k) => k.kid === parsed.data.current)) {
    throw new Error(`${file} is damaged; restore it from the county's backup (the data cannot be read without it).`);
  }
  return parsed.data;
}

export function rotateDataKey(dataDir: string, now: Date = new Date()): DataKeyRing {
  const ring = loadKeyRing(dataDir, now);
  const kid = `county-${now.toISOString().slice(0, 10)}-${ring.keys.length + 1}`;
  return save(dataDir, { ...ring, current: kid, keys: [...ring.keys, { kid, key: newKey() }] });
}

/**
 * Open a sealed value on the hub, for an audited reveal only. Same scheme as the kiosk's sealing:
 * AES-256-GCM, the key named by `kid`, the field's name as associated data.
 */
export function unsealOnHub(ring: DataKeyRing, field: 'idNumber' | 'phone', sealed: SealedValue): string | undefined {
  const key = ring.keys.find((candidate) => candidate.kid === sealed.kid);
  if (!key) return undefined;
  const bytes = Buffer.from(sealed.ct, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key.key, 'base64url'), Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(field));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
