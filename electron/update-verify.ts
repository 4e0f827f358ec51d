/**
 * The kiosk's check of a downloaded update, in main, before anything installs (core/update-manifest.ts
 * has the rule). The manifest and its signature are fetched again here, by us: electron-updater's own
 * copy is not trusted, and if someone served it a different manifest, the installer it fetched will not
 * have a hash the signed manifest names.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { load } from 'js-yaml';
import { err, type Result } from '../core/result.js';
import { judgeSignedUpdate, UPDATE_SIGNATURE_SUFFIX, updateManifestName, type UpdateManifest, type UpdateRefusal } from '../core/update-manifest.js';

/** Base64 SHA-512 of a file, as electron-builder writes it in the manifest. */
export async function sha512OfFile(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

/** Whether `signature` (base64 Ed25519) over `bytes` verifies against one of the PEM public keys. */
export function signatureVerifies(bytes: Buffer, signature: string, publicKeys: readonly string[]): boolean {
  const raw = Buffer.from(signature.trim(), 'base64');
  if (raw.length !== 64) return false;
  return publicKeys.some((pem) => {
    try {
      return verify(null, bytes, createPublicKey(pem), raw);
    } catch {
      return false;
    }
  });
}

export type FetchBytes = (url: string) => Promise<{ readonly status: number; readonly bytes: Buffer }>;

export interface DownloadedUpdateCheck {
  /** The hub's update folder, ending in `/`. */
  readonly feedUrl: string;
  readonly platform: string;
  /** The version running now. */
  readonly running: string;
  /** PEM public keys built into this app (electron/update-keys.ts). */
  readonly publicKeys: readonly string[];
  /** What electron-updater reports it downloaded. */
  readonly downloaded: { readonly version: string; readonly file: string };
  readonly fetchBytes: FetchBytes;
}

export async function verifyDownloadedUpdate(check: DownloadedUpdateCheck): Promise<Result<UpdateManifest, UpdateRefusal>> {
  if (check.publicKeys.length === 0) return err({ code: 'update.noKey' });
  const manifestUrl = new URL(updateManifestName(check.platform), check.feedUrl).href;
  const [manifest, signature] = await Promise.all([check.fetchBytes(manifestUrl), check.fetchBytes(`${manifestUrl}${UPDATE_SIGNATURE_SUFFIX}`)]);
  if (manifest.status !== 200) return err({ code: 'update.badManifest', detail: `the hub answered ${String(manifest.status)} for the manifest` });
  if (signature.status !== 200) return err({ code: 'update.unsigned' });
  if (!signatureVerifies(manifest.bytes, signature.bytes.toString('utf8'), check.publicKeys)) return err({ code: 'update.badSignature' });
  let parsed: unknown;
  try {
    parsed = load(manifest.bytes.toString('utf8'));
  } catch (error) {
    return err({ code: 'update.badManifest', detail: String(error) });
  }
  const sha512 = await sha512OfFile(check.downloaded.file);
  return judgeSignedUpdate(parsed, check.running, { version: check.downloaded.version, fileName: basename(check.downloaded.file), sha512 });
}

/** Plain `fetch`, revalidated: a manifest must be read as the hub serves it now. */
export const fetchBytes: FetchBytes = async (url) => {
  const response = await fetch(url, { headers: { 'cache-control': 'no-cache' } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
};
