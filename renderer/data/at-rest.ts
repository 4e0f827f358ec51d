/**
 * The kiosk's database encrypted at rest. Residents' names, addresses and notes (a case's events and its
 * summary's name) and scanned materials are unreadable on a stolen disk without the storage key the shell
 * keeps — in Electron, main's store under the OS keychain (electron/storage-keys.ts). Everything RxDB
 * writes for an encrypted collection goes through here, its replication's copies of the hub's state
 * included (RxDB marks them encrypted when the collection is).
 *
 * This is RxDB's own storage wrapper (`wrapRxStorageInstance`, as its encryption plugins use) with
 * XChaCha20-Poly1305 from @noble/ciphers (audited, synchronous): each value sealed with a random 24-byte
 * nonce, authenticated, so a tampered value fails to open instead of reading wrong. Not RxDB's crypto-js
 * plugin: it derives a key from a password for every value (0.6 ms for a 6 KB case, against under 0.1 ms here,
 * which 50,000 cases cannot afford). Not WebCrypto: its asynchronous decryption could reorder RxDB's change
 * stream, which decrypts as it emits.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/ciphers/utils.js';
import {
  arrayBufferToBase64,
  base64ToArrayBuffer,
  clone,
  getProperty,
  hasEncryption,
  wrapRxStorageInstance,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstanceCreationParams,
} from 'rxdb';

/** A sealed value: this prefix, then base64 of nonce ‖ ciphertext ‖ tag. */
const SEALED = 'c1:';
const NONCE_BYTES = 24;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// RxDB's base64 (the browser's btoa and atob): ten times faster than a pure-JS one, and here on every write.
const toBase64 = (bytes: Uint8Array) => arrayBufferToBase64(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
const fromBase64 = (text: string) => new Uint8Array(base64ToArrayBuffer(text));

/**
 * A stored value that does not open: damaged on disk, or sealed with another key (the storage key lost and
 * made anew). Never read as something else: the kiosk stops and says so (kiosk-database.ts, root.tsx).
 */
export class SealBroken extends Error {
  override readonly name = 'SealBroken';
  constructor() {
    super('A value stored on this kiosk does not open with its storage key: damaged on disk, or sealed with another key.');
  }
}

/** A new storage key: 32 random bytes, base64url (43 characters). */
export function newStorageKey(): string {
  return toBase64(randomBytes(32)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The key's bytes; throws on anything but 32 bytes of base64url. */
function keyBytes(storageKey: string): Uint8Array {
  const bytes = /^[A-Za-z0-9_-]{43}$/.test(storageKey) ? fromBase64(`${storageKey.replace(/-/g, '+').replace(/_/g, '/')}=`) : new Uint8Array();
  if (bytes.length !== 32) throw new Error('A storage key is 32 bytes of base64url.');
  return bytes;
}

export interface Sealer {
  seal(bytes: Uint8Array): Uint8Array;
  open(sealed: Uint8Array): Uint8Array;
  /** A JSON value as a sealed string. */
  sealValue(value: unknown): string;
  /** The JSON value of a sealed string; a value written before encryption (not sealed) as it is. */
  openValue(stored: unknown): unknown;
}

export function sealer(storageKey: string): Sealer {
  const key = keyBytes(storageKey);
  const seal = (bytes: Uint8Array) => {
    const nonce = randomBytes(NONCE_BYTES);
    const sealed = xchacha20poly1305(key, nonce).encrypt(bytes);
    const out = new Uint8Array(NONCE_BYTES + sealed.length);
    out.set(nonce);
    out.set(sealed, NONCE_BYTES);
    return out;
  };
  const open = (sealed: Uint8Array) => {
    try {
      return xchacha20poly1305(key, sealed.subarray(0, NONCE_BYTES)).decrypt(sealed.subarray(NONCE_BYTES));
    } catch {
      throw new SealBroken();
    }
  };
  return {
    seal,
    open,
    sealValue: (value) => SEALED + toBase64(seal(encoder.encode(JSON.stringify(value)))),
    openValue(stored) {
      // RxDB's replication record of a database encrypted after an upgrade may still hold plain values: read, rewritten sealed.
      if (typeof stored !== 'string' || !stored.startsWith(SEALED)) return stored;
      return JSON.parse(decoder.decode(open(fromBase64(stored.slice(SEALED.length))))) as unknown;
    },
  };
}

/** The schema the storage below sees: each encrypted path a string, attachments as they are stored. */
function storedSchema<T>(schema: RxJsonSchema<T>, paths: readonly string[]): RxJsonSchema<T> {
  const stored = clone(schema) as RxJsonSchema<T> & { properties: Record<string, { properties?: Record<string, unknown> }> };
  delete stored.encrypted;
  if (stored.attachments) stored.attachments.encrypted = false;
  for (const path of paths) {
    const parts = path.split('.');
    let level = stored as { properties: Record<string, { properties?: Record<string, unknown> }> };
    for (const part of parts.slice(0, -1)) level = level.properties[part] as typeof level;
    level.properties[parts.at(-1) ?? ''] = { type: 'string' } as never;
  }
  return stored;
}

/** `object` with the value at `path` replaced: each level on the way copied, nothing else (attachments stay by reference). */
function replaced(object: Record<string, unknown>, [head = '', ...rest]: readonly string[], value: unknown): Record<string, unknown> {
  return { ...object, [head]: rest.length === 0 ? value : replaced(object[head] as Record<string, unknown>, rest, value) };
}

/** A document with its encrypted paths changed by `change`; the document itself untouched. */
function withPaths<D>(doc: D, paths: readonly string[], change: (value: unknown) => unknown): D {
  let out = doc as Record<string, unknown>;
  for (const path of paths) {
    const value: unknown = getProperty(out, path);
    if (value !== undefined) out = replaced(out, path.split('.'), change(value));
  }
  return out as D;
}

/**
 * `storage`, with the `encrypted` paths and attachments of each schema that has them sealed with the key.
 * Collections without encryption pass straight through.
 */
export function encryptedAtRest<Internals, Options>(storage: RxStorage<Internals, Options>, storageKey: string): RxStorage<Internals, Options> {
  const box = sealer(storageKey);
  return {
    ...storage,
    async createStorageInstance<T>(params: RxStorageInstanceCreationParams<T, Options>) {
      if (!hasEncryption(params.schema)) return storage.createStorageInstance(params);
      const paths = params.schema.encrypted ?? [];
      const attachmentsSealed = params.schema.attachments?.encrypted === true;
      const instance = await storage.createStorageInstance({ ...params, schema: storedSchema(params.schema, paths) });
      return wrapRxStorageInstance(
        params.schema,
        instance,
        async (doc) => {
          const out = withPaths(doc, paths, (value) => box.sealValue(value));
          if (attachmentsSealed) {
            const sealed: Record<string, unknown> = {};
            for (const [id, attachment] of Object.entries(out._attachments as Record<string, { data?: Blob; type: string }>)) {
              sealed[id] = attachment.data
                ? {
                    ...attachment,
                    data: new Blob([box.seal(new Uint8Array(await attachment.data.arrayBuffer())) as Uint8Array<ArrayBuffer>], { type: attachment.type }),
                  }
                : attachment;
            }
            (out as { _attachments: unknown })._attachments = sealed;
          }
          return out;
        },
        // Synchronous, so RxDB's change stream keeps its order.
        (doc: RxDocumentData<T>) => withPaths(doc, paths, (value) => box.openValue(value)),
        async (blob) =>
          attachmentsSealed ? new Blob([box.open(new Uint8Array(await blob.arrayBuffer())) as Uint8Array<ArrayBuffer>], { type: blob.type }) : blob,
      );
    },
  };
}
