/**
 * The county's data key ring: AES-256-GCM master keys and the master key of the ID-number blind index.
 * Kept in a file beside the hub's data (mode 0600), never in CouchDB: a copy of the database alone yields
 * only ciphertext. Hub processes sharing a store must share this file; the store records the ring's
 * fingerprint and key ids, and a hub whose ring differs refuses to start (`checkKeyRingAgainstStore`).
 *
 * Kiosks never hold the county's keys. Each gets its own village's, derived on the hub with HKDF-SHA-256
 * from each master key and the village code (`villageKeyRing`): a stolen kiosk, with its keychain, opens
 * one village's sealed numbers, not the county's. A village key's id names its master and village
 * (`county-2026-11-30-1.v422822100202`), so the hub derives it again to reveal. Ciphertexts sealed before
 * 0.3.0 name a master key directly and stay readable on the hub.
 *
 * Rotation appends a master key and makes it current (`cunban-hub keys rotate`); kiosks seal with it from
 * their next enrollment, and every earlier key stays readable. The blind-index master never rotates: the
 * index of every stored case would have to be rebuilt.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataKeyRingSchema, type DataKeyRing } from '../core/api/enrollment.js';
import type { SealedValue } from '../core/case/sealed.js';
import { err, ok, type Result } from '../core/result.js';
import { failure, type HttpReply } from './http/kit.js';
import { DB } from './store/names.js';
import type { Store, StoreFailure } from './store/store.js';

export const keyringFile = (dataDir: string) => join(dataDir, 'county-keys.json');

const newKey = () => randomBytes(32).toString('base64url');

function parseRing(file: string): DataKeyRing {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    json = undefined;
  }
  const parsed = dataKeyRingSchema.safeParse(json);
  if (!parsed.success || !parsed.data.keys.some((k) => k.kid === parsed.data.current)) {
    throw new Error(`${file} is damaged; restore it from the county's backup (the data cannot be read without it).`);
  }
  return parsed.data;
}

/**
 * The key ring, created on first use — exclusively and whole: written to a file of its own, then linked
 * to its name, which fails if the name exists. Of hub processes starting together on one data directory,
 * one creates it and the others read that one, never a second ring and never half a file (an exclusive
 * create-then-write let a racing reader see an empty file). A damaged file is an error, never replaced.
 */
export function loadKeyRing(dataDir: string, now: Date = new Date()): DataKeyRing {
  const file = keyringFile(dataDir);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const kid = `county-${now.toISOString().slice(0, 10)}-1`;
    const ring: DataKeyRing = { current: kid, keys: [{ kid, key: newKey() }], blindIndexKey: newKey() };
    const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, JSON.stringify(ring, null, 2), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temporary, file);
      return ring;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
  }
  return parseRing(file);
}

export function rotateDataKey(dataDir: string, now: Date = new Date()): DataKeyRing {
  const ring = loadKeyRing(dataDir, now);
  const kid = `county-${now.toISOString().slice(0, 10)}-${String(ring.keys.length + 1)}`;
  const rotated: DataKeyRing = { ...ring, current: kid, keys: [...ring.keys, { kid, key: newKey() }] };
  // Written beside and renamed over, so a crash leaves the old ring or the new one, whole.
  const temporary = `${keyringFile(dataDir)}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, JSON.stringify(rotated, null, 2), { mode: 0o600 });
  renameSync(temporary, keyringFile(dataDir));
  return rotated;
}

/** The ring's identity: a hash of its blind-index master, which never rotates. Safe to store and show. */
export const keyRingFingerprint = (ring: DataKeyRing) => createHash('sha256').update(`cunban-county-keyring:${ring.blindIndexKey}`).digest('hex').slice(0, 32);

/** One master key's identity, stored beside its id so that a ring with the same ids but other keys is caught. */
const keyFingerprint = (key: string) => createHash('sha256').update(`cunban-county-key:${key}`).digest('hex').slice(0, 32);

const derive = (master: string, info: string) =>
  Buffer.from(hkdfSync('sha256', Buffer.from(master, 'base64url'), 'cunban-village-keys-v1', info, 32)).toString('base64url');

const VILLAGE_KID = /^(?<master>.+)\.v(?<village>\d{12})$/;
const villageKid = (kid: string, village: string) => `${kid}.v${village}`;

const hashers = new WeakMap<DataKeyRing, (kind: string, typed: string) => string>();

/**
 * The key a guarded attempt is counted under (attempts.ts): a keyed hash of what was typed, the same on
 * every hub of the county, useless to whoever reads the store without the ring.
 */
export function attemptKeyHasher(ring: DataKeyRing): (kind: string, typed: string) => string {
  const known = hashers.get(ring);
  if (known) return known;
  // Derived once per ring, not once per try: a running hub holds one ring (`checkedKeyRing`).
  const key = Buffer.from(derive(ring.blindIndexKey, 'guarded-attempts'), 'base64url');
  const hasher = (kind: string, typed: string) => createHmac('sha256', key).update(`${kind}\u0000${typed}`).digest('hex').slice(0, 32);
  hashers.set(ring, hasher);
  return hasher;
}

/** One village's ring, derived from the county's: what a kiosk of that village is given at enrollment. */
export function villageKeyRing(ring: DataKeyRing, village: string): DataKeyRing {
  return {
    current: villageKid(ring.current, village),
    keys: ring.keys.map(({ kid, key }) => ({ kid: villageKid(kid, village), key: derive(key, `data/${kid}/${village}`) })),
    blindIndexKey: derive(ring.blindIndexKey, `blind-index/${village}`),
  };
}

/** The AES key a sealed value names: a village key derived again, or (before 0.3.0) a master key itself. */
function keyFor(ring: DataKeyRing, kid: string): Buffer | undefined {
  const named = VILLAGE_KID.exec(kid)?.groups;
  const masterKid = named?.master ?? kid;
  const master = ring.keys.find((candidate) => candidate.kid === masterKid);
  if (!master) return undefined;
  return Buffer.from(named?.village ? derive(master.key, `data/${masterKid}/${named.village}`) : master.key, 'base64url');
}

/**
 * Open a sealed value on the hub, for an audited reveal only. Same scheme as the kiosk's sealing:
 * AES-256-GCM, the key named by `kid`, the field's name as associated data.
 */
export function unsealOnHub(ring: DataKeyRing, field: 'idNumber' | 'phone', sealed: SealedValue): string | undefined {
  const key = keyFor(ring, sealed.kid);
  if (!key) return undefined;
  const bytes = Buffer.from(sealed.ct, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64url'));
    decipher.setAAD(Buffer.from(field));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Seal a value on the hub for one village, as that village's kiosks seal (sealing.ts): with the village's
 * current key, so its kiosks open it and the hub's audited reveal does too. For what residents type on
 * the public page (a phone number for an appointment), which never rests in the clear.
 */
export function sealForVillage(ring: DataKeyRing, village: string, field: 'phone', plaintext: string): SealedValue {
  const kid = villageKid(ring.current, village);
  const key = keyFor(ring, kid);
  if (!key) throw new Error(`the current data key ${ring.current} is missing from the key ring`);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(field));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { alg: 'A256GCM', kid, iv: iv.toString('base64url'), ct: ct.toString('base64url') };
}

interface KeyRingRecord {
  readonly _id: 'county-keyring';
  readonly _rev?: string;
  readonly fingerprint: string;
  /** Every master key the county has used, by id: a ring without one of them cannot read what it sealed. */
  readonly keys: Readonly<Record<string, string>>;
}

export type KeyRingCheckError =
  | { readonly code: 'keyring.missing'; readonly message: string }
  | { readonly code: 'keyring.foreign'; readonly message: string }
  | { readonly code: 'keyring.stale'; readonly message: string }
  | { readonly code: 'keyring.store'; readonly failure: StoreFailure };

/**
 * Before a hub serves: its ring must be the one the store's data was sealed with. The first hub records
 * the ring's fingerprint and key ids; a later hub with another ring (a new machine whose ring was never
 * copied, a wrong file) or an older copy (missing a rotated key) refuses to start, instead of handing
 * kiosks keys that seal what no other hub can open. A hub with no ring file while the county has one
 * refuses without making one.
 */
export async function checkKeyRingAgainstStore(store: Store, dataDir: string, now: Date = new Date()): Promise<Result<DataKeyRing, KeyRingCheckError>> {
  const recorded = await store.getDoc<KeyRingRecord>(DB.meta, 'county-keyring');
  if (!recorded.ok && recorded.error.status !== 404) return err({ code: 'keyring.store', failure: recorded.error });
  const file = keyringFile(dataDir);
  if (recorded.ok && !existsSync(file)) {
    return err({
      code: 'keyring.missing',
      message: `${file} is missing, but this county's data was sealed with a key ring (fingerprint ${recorded.value.fingerprint}). Copy county-keys.json from the county's first hub or its backup; a new ring would seal what no other hub can open.`,
    });
  }
  const ring = loadKeyRing(dataDir, now);
  const fingerprint = keyRingFingerprint(ring);
  const keys = Object.fromEntries(ring.keys.map(({ kid, key }) => [kid, keyFingerprint(key)]));
  const copy = "Copy county-keys.json from the county's first hub or its backup.";
  if (recorded.ok) {
    if (recorded.value.fingerprint !== fingerprint) {
      return err({
        code: 'keyring.foreign',
        message: `${file} (fingerprint ${fingerprint}) is not the county's key ring (fingerprint ${recorded.value.fingerprint}). ${copy}`,
      });
    }
    const recordedKeys = Object.entries(recorded.value.keys);
    const differing = recordedKeys.filter(([kid, hash]) => keys[kid] !== undefined && keys[kid] !== hash).map(([kid]) => kid);
    if (differing.length > 0) {
      return err({ code: 'keyring.foreign', message: `${file} holds another key under the id ${differing.join(', ')} than the county sealed with. ${copy}` });
    }
    const lacking = recordedKeys.filter(([kid]) => keys[kid] === undefined).map(([kid]) => kid);
    if (lacking.length > 0) {
      return err({
        code: 'keyring.stale',
        message: `${file} lacks the key${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')} the county has rotated to: copy the current county-keys.json from the hub where it was rotated.`,
      });
    }
    if (Object.keys(keys).every((kid) => kid in recorded.value.keys)) return ok(ring);
  }
  const record: KeyRingRecord = {
    _id: 'county-keyring',
    fingerprint,
    keys: { ...(recorded.ok ? recorded.value.keys : {}), ...keys },
    ...(recorded.ok ? { _rev: recorded.value._rev } : {}),
  };
  const saved = await store.putDoc(DB.meta, record);
  // Another hub recorded it at the same moment: check again against what it wrote.
  if (!saved.ok && saved.error.status === 409) return checkKeyRingAgainstStore(store, dataDir, now);
  return saved.ok ? ok(ring) : err({ code: 'keyring.store', failure: saved.error });
}

/**
 * The ring a running hub uses: checked against the store once, then held. Enrollment and reveals read it
 * from here, never from the file again: a file swapped or removed under a running hub changes nothing
 * until a restart, which checks it first (found by attacking the hub: a removed file was silently
 * replaced by a new ring at the next enrollment).
 */
export type HeldKeyRing = () => Promise<Result<DataKeyRing, KeyRingCheckError>>;

/** What a route answers when the held ring cannot be had (the store did not answer its check). */
export const keyRingUnavailable = (): HttpReply =>
  failure(503, 'keyring_unavailable', 'The county hub cannot use its key ring; its operator must check it (cunban-hub keys show).');

export function checkedKeyRing(store: Store, dataDir: string, now: () => Date = () => new Date()): HeldKeyRing {
  let held: DataKeyRing | undefined;
  return async () => {
    if (held) return ok(held);
    const checked = await checkKeyRingAgainstStore(store, dataDir, now());
    if (checked.ok) held = checked.value;
    return checked;
  };
}

/** The ring in `dataDir`, or undefined when there is none: never creates one (`cunban-hub keys show`). */
export const existingKeyRing = (dataDir: string): DataKeyRing | undefined => (existsSync(keyringFile(dataDir)) ? parseRing(keyringFile(dataDir)) : undefined);
