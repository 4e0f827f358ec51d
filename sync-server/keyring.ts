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
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { dataKeyRingSchema, type DataKeyRing } from '../core/api/enrollment.js';
import type { SealedValue } from '../core/case/sealed.js';
import { err, ok, type Result } from '../core/result.js';
import { failure, type HttpReply } from './http/kit.js';
import { DB } from './store/names.js';
import type { Store, StoreFailure } from './store/store.js';
import { stageFile, type StagedFile } from './whole-file.js';

export const keyringFile = (dataDir: string) => join(dataDir, 'county-keys.json');

const newKey = () => randomBytes(32).toString('base64url');

function parseRing(file: string): DataKeyRing {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    // Unreadable is not damaged: the file may be whole, and must not be "restored" over.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new Error(`${file} is a folder, not the county key ring: put the ring's file there.`, { cause: error });
    throw new Error(`${file} cannot be read by this user (${code ?? String(error)}): run the hub as its own user, which owns the file (mode 600).`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
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
 * A new key ring in `dataDir`, made only by `cunban-hub init` (county-init.ts) — exclusively and whole:
 * written to a file of its own, then linked to its name, which fails if the name exists. Of processes
 * making it together on one data directory, one makes it and the others read that one, never a second
 * ring and never half a file. `created` says whether this call made it.
 */
export function createKeyRing(dataDir: string, now: Date = new Date()): { readonly ring: DataKeyRing; readonly created: boolean } {
  const file = keyringFile(dataDir);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const kid = `county-${now.toISOString().slice(0, 10)}-1`;
    const ring: DataKeyRing = { current: kid, keys: [{ kid, key: newKey() }], blindIndexKey: newKey() };
    const staged = stageFile(file);
    try {
      staged.write(JSON.stringify(ring, null, 2));
      staged.placeIfAbsent();
      return { ring, created: true };
    } catch (error) {
      staged.discard();
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return { ring: parseRing(file), created: false };
}

/**
 * The key ring in `dataDir`; never makes one (only `init` does: a hub that made its own ring would seal
 * what no other hub of the county can open). Throws, saying what to do, when it is missing or damaged.
 */
export function loadKeyRing(dataDir: string): DataKeyRing {
  const file = keyringFile(dataDir);
  if (!existsSync(file)) throw new Error(`${file} does not exist: ${NO_RING_ADVICE}`);
  return parseRing(file);
}

const NO_RING_ADVICE =
  "the county's first hub makes it with `cunban-hub init`; every other hub gets a copy of that file (or of the county's backup of it), never a ring of its own.";

/** `ring` with a new master key appended and made current. */
function rotatedRing(ring: DataKeyRing, now: Date): DataKeyRing {
  const kid = `county-${now.toISOString().slice(0, 10)}-${String(ring.keys.length + 1)}`;
  return { ...ring, current: kid, keys: [...ring.keys, { kid, key: newKey() }] };
}

/** `ring` staged beside the ring file (through a symlink, beside its target), for a rename once whatever must come first has succeeded. */
function stageRing(dataDir: string, ring: DataKeyRing): StagedFile {
  const staged = stageFile(realpathSync(keyringFile(dataDir)));
  try {
    staged.write(JSON.stringify(ring, null, 2));
    return staged;
  } catch (error) {
    staged.discard();
    throw error;
  }
}

/** The ring in `dataDir` rotated on disk only (tests; `rotateKeyRing` is the county's rotation). */
export function rotateDataKey(dataDir: string, now: Date = new Date()): DataKeyRing {
  const rotated = rotatedRing(loadKeyRing(dataDir), now);
  stageRing(dataDir, rotated).place();
  return rotated;
}

/**
 * `cunban-hub keys rotate`: a new current master key, in the order that leaves nothing half done. The
 * ring must be the county's (checked against the store); the rotated ring is written beside it, the
 * store records its keys, and only then does it replace the ring file. A store that does not answer
 * leaves the ring and the record as they were — never a local key the county does not know of.
 */
export async function rotateKeyRing(store: Store, dataDir: string, now: Date = new Date()): Promise<Result<DataKeyRing, KeyRingCheckError>> {
  const standing = await keyRingStanding(store, dataDir);
  if (!standing.ok) return standing;
  const rotated = rotatedRing(standing.value.ring, now);
  const staged = stageRing(dataDir, rotated);
  const recorded = await recordRing(store, rotated, standing.value.county);
  if (!recorded.ok) {
    staged.discard();
    return recorded.error.status === 409
      ? err({
          code: 'keyring.stale',
          message: "The county's key ring was changed meanwhile (a rotation elsewhere?): copy the current county-keys.json here, then rotate again if needed.",
        })
      : err({ code: 'keyring.store', failure: recorded.error });
  }
  staged.place();
  return ok(rotated);
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

export interface KeyRingRecord {
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

/** The ring the store recorded, or undefined before any (a store not yet provisioned has none either). */
async function recordedKeyRing(store: Store): Promise<Result<KeyRingRecord | undefined, KeyRingCheckError>> {
  const recorded = await store.getDoc<KeyRingRecord>(DB.meta, 'county-keyring');
  if (recorded.ok) return ok(recorded.value);
  return recorded.error.status === 404 ? ok(undefined) : err({ code: 'keyring.store', failure: recorded.error });
}

/** No ring file: what to do depends on whether the county already has a ring. */
const missingKeyRing = (file: string, recorded: KeyRingRecord | undefined): KeyRingCheckError => ({
  code: 'keyring.missing',
  message: recorded
    ? `${file} is missing, but this county's data was sealed with a key ring (fingerprint ${recorded.fingerprint}). Copy county-keys.json from the county's first hub or its backup; a new ring would seal what no other hub can open.`
    : `${file} does not exist, and this county has no key ring yet: ${NO_RING_ADVICE}`,
});

/**
 * `init`'s first step, before anything is written to the store: when the county has no ring yet, one is
 * made here (a local file). Where the county already has one, this data directory must hold a copy of
 * it — `init` on a second machine never makes another. `created` says whether this run made it.
 */
export async function prepareKeyRing(store: Store, dataDir: string, now: Date = new Date()): Promise<Result<{ readonly created: boolean }, KeyRingCheckError>> {
  const recorded = await recordedKeyRing(store);
  if (!recorded.ok) return recorded;
  const file = keyringFile(dataDir);
  if (recorded.value && !existsSync(file)) return err(missingKeyRing(file, recorded.value));
  if (recorded.value) {
    // A ring already here must be the county's before `init` writes anything to the store.
    const standing = await keyRingStanding(store, dataDir);
    return standing.ok ? ok({ created: false }) : standing;
  }
  return ok({ created: createKeyRing(dataDir, now).created });
}

/**
 * `init`'s last step, once the store is provisioned: the ring checked and recorded there. Re-runnable: a
 * ring made by a run that failed before recording it is recorded by the next. Of two `init`s racing on
 * two machines with no ring yet, the one whose record lost removes the ring it had just made.
 */
export async function recordKeyRing(store: Store, dataDir: string, created: boolean): Promise<Result<DataKeyRing, KeyRingCheckError>> {
  const checked = await checkKeyRingAgainstStore(store, dataDir);
  if (!checked.ok && created && checked.error.code === 'keyring.foreign') unlinkSync(keyringFile(dataDir));
  return checked;
}

/** After a failed `init` that made a ring: removed if another machine's ring was recorded meanwhile. */
export async function abandonForeignKeyRing(store: Store, dataDir: string): Promise<void> {
  const standing = await keyRingStanding(store, dataDir);
  if (!standing.ok && standing.error.code === 'keyring.foreign') unlinkSync(keyringFile(dataDir));
}

/**
 * Before a hub serves: its ring must be the one the store's data was sealed with. `init` records the
 * ring's fingerprint and key ids (a ring older than that step is recorded by its hub's first start); a later hub with another ring (a new machine whose ring was never
 * copied, a wrong file) or an older copy (missing a rotated key) refuses to start, instead of handing
 * kiosks keys that seal what no other hub can open. A hub with no ring file refuses; it never makes one.
 */
export async function checkKeyRingAgainstStore(store: Store, dataDir: string): Promise<Result<DataKeyRing, KeyRingCheckError>> {
  const standing = await keyRingStanding(store, dataDir);
  if (!standing.ok) return standing;
  const { ring, county, unrecorded } = standing.value;
  if (!unrecorded) return ok(ring);
  const saved = await recordRing(store, ring, county);
  // Another hub recorded it at the same moment: check again against what it wrote.
  if (!saved.ok && saved.error.status === 409) return checkKeyRingAgainstStore(store, dataDir);
  return saved.ok ? ok(ring) : err({ code: 'keyring.store', failure: saved.error });
}

/** The store's record of the county's ring, with `ring`'s keys added to those recorded (`county`). */
async function recordRing(store: Store, ring: DataKeyRing, county: KeyRingRecord | undefined): Promise<Result<unknown, StoreFailure>> {
  const keys = Object.fromEntries(ring.keys.map(({ kid, key }) => [kid, keyFingerprint(key)]));
  const record: KeyRingRecord = {
    _id: 'county-keyring',
    fingerprint: keyRingFingerprint(ring),
    keys: { ...county?.keys, ...keys },
    ...(county?._rev ? { _rev: county._rev } : {}),
  };
  return store.putDoc(DB.meta, record);
}

export interface KeyRingStanding {
  readonly ring: DataKeyRing;
  /** What the store recorded of the county's ring, if anything yet. */
  readonly county: KeyRingRecord | undefined;
  /** Whether the ring holds keys the store has not recorded (a first `init`, or a rotation). */
  readonly unrecorded: boolean;
}

/**
 * How the ring in `dataDir` stands against the store's record, read only (`cunban-hub doctor`): missing,
 * another county's, an older copy — or the county's, with keys still to record or not. A damaged file is
 * thrown, as `loadKeyRing` does.
 */
export async function keyRingStanding(store: Store, dataDir: string): Promise<Result<KeyRingStanding, KeyRingCheckError>> {
  const recorded = await recordedKeyRing(store);
  if (!recorded.ok) return recorded;
  const county = recorded.value;
  const file = keyringFile(dataDir);
  if (!existsSync(file)) return err(missingKeyRing(file, county));
  const ring = parseRing(file);
  const fingerprint = keyRingFingerprint(ring);
  const keys = Object.fromEntries(ring.keys.map(({ kid, key }) => [kid, keyFingerprint(key)]));
  const copy = "Copy county-keys.json from the county's first hub or its backup.";
  if (!county) return ok({ ring, county, unrecorded: true });
  if (county.fingerprint !== fingerprint) {
    return err({
      code: 'keyring.foreign',
      message: `${file} (fingerprint ${fingerprint}) is not the county's key ring (fingerprint ${county.fingerprint}). ${copy}`,
    });
  }
  const recordedKeys = Object.entries(county.keys);
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
  return ok({ ring, county, unrecorded: !Object.keys(keys).every((kid) => kid in county.keys) });
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

export function checkedKeyRing(store: Store, dataDir: string): HeldKeyRing {
  let held: DataKeyRing | undefined;
  return async () => {
    if (held) return ok(held);
    const checked = await checkKeyRingAgainstStore(store, dataDir);
    if (checked.ok) held = checked.value;
    return checked;
  };
}

/** The ring file's permission bits (0o600 as made), or undefined when it cannot be read. */
export function keyRingMode(dataDir: string): number | undefined {
  try {
    return statSync(keyringFile(dataDir)).mode & 0o777;
  } catch {
    return undefined;
  }
}

/** The ring in `dataDir`, or undefined when there is none: never creates one (`cunban-hub keys show`). */
export const existingKeyRing = (dataDir: string): DataKeyRing | undefined => (existsSync(keyringFile(dataDir)) ? parseRing(keyringFile(dataDir)) : undefined);
