/**
 * Publishing a kiosk release to the hub's update folder, signed (core/update-manifest.ts has the rule the
 * kiosk applies). `cunban-hub updates keygen` makes the county's Ed25519 key pair: the private key stays
 * with whoever builds releases, offline; the public key goes into `build/update-public-keys.pem` before
 * packaging. `cunban-hub updates publish <dir> --key <file>` checks that each manifest in electron-builder's
 * output names files that are there with the hashes it claims, refuses a version not newer than the one
 * published, then copies installers and blockmaps, and last the manifest and its signature — each by a
 * rename, so a kiosk never reads half a file.
 */
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { constants, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { load } from 'js-yaml';
import semver from 'semver';
import { err, ok, type Result } from '../core/result.js';
import { UPDATE_SIGNATURE_SUFFIX, updateManifestSchema, type UpdateManifest } from '../core/update-manifest.js';

export type PublishError =
  | { readonly code: 'publish.noManifest'; readonly message: string }
  | { readonly code: 'publish.badManifest'; readonly message: string }
  | { readonly code: 'publish.fileMismatch'; readonly message: string }
  | { readonly code: 'publish.badFileName'; readonly message: string }
  | { readonly code: 'publish.notNewer'; readonly message: string }
  | { readonly code: 'publish.badKey'; readonly message: string };

export interface Published {
  readonly version: string;
  readonly manifests: readonly string[];
  readonly files: readonly string[];
}

/** A new Ed25519 key pair: the private key written to `privateKeyFile` (0600, never over an existing file). */
export function generateUpdateKeys(privateKeyFile: string): { publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Base64 Ed25519 signature of `bytes`. */
export function signUpdateManifest(bytes: Buffer, privateKeyPem: string): string {
  return sign(null, bytes, createPrivateKey(privateKeyPem)).toString('base64');
}

const sha512 = (file: string) => createHash('sha512').update(readFileSync(file)).digest('base64');

/**
 * A manifest may name only plain files of the release folder, served beside it: no path, no other host, no
 * name of the feed's own files. (A manifest naming `../../etc/passwd` or `http://elsewhere/` was signed.)
 */
const PLAIN_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ +-]{0,199}$/;
// Nothing that a kiosk or the hub could take for a feed (`beta-linux.yml`, `LATEST-linux.yml`).
const servableName = (name: string) => PLAIN_FILE_NAME.test(name) && !/\.(ya?ml|sig|publishing)$/i.test(name);

/** A regular file of `dir` — never a symlink, which could bring any file of the machine into /updates/. */
function regularFile(dir: string, name: string): { size: number } | undefined {
  const info = lstatSync(join(dir, name), { throwIfNoEntry: false });
  return info?.isFile() ? { size: info.size } : undefined;
}
const isManifest = (name: string) => /^latest(-[a-z0-9]+)?\.yml$/.test(name);

/** A manifest read once, from a regular file: the bytes checked are the bytes signed. */
function readManifest(file: string): Result<{ manifest: UpdateManifest; bytes: Buffer }, PublishError> {
  if (!lstatSync(file, { throwIfNoEntry: false })?.isFile())
    return err({ code: 'publish.badManifest', message: `${basename(file)} is not a regular file (a symlink is refused).` });
  const bytes = readFileSync(file);
  let parsed: unknown;
  try {
    parsed = load(bytes.toString('utf8'));
  } catch (error) {
    return err({ code: 'publish.badManifest', message: `${basename(file)} is not YAML: ${String(error)}` });
  }
  const manifest = updateManifestSchema.safeParse(parsed);
  if (!manifest.success)
    return err({
      code: 'publish.badManifest',
      message: `${basename(file)}: ${manifest.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    });
  // electron-builder's legacy `path` must name one of the files too: nothing signed may point elsewhere.
  const legacyPath = (parsed as { path?: unknown }).path;
  if (legacyPath !== undefined && !manifest.data.files.some((entry) => entry.url === legacyPath)) {
    return err({ code: 'publish.badManifest', message: `${basename(file)}: path ${JSON.stringify(legacyPath)} is not one of its files.` });
  }
  return ok({ manifest: manifest.data, bytes });
}

/** Copy by a rename from a temporary name, so a reader sees the old file or the new one, whole. */
function placeFile(target: string, write: (temporary: string) => void): void {
  const temporary = `${target}.publishing`;
  write(temporary);
  renameSync(temporary, target);
}

export function publishUpdates(sourceDir: string, updatesDir: string, privateKeyPem: string): Result<Published, PublishError> {
  if (!lstatSync(sourceDir, { throwIfNoEntry: false })?.isDirectory())
    return err({ code: 'publish.noManifest', message: `${sourceDir} is not a folder: give electron-builder's output folder.` });
  try {
    createPrivateKey(privateKeyPem);
  } catch (error) {
    return err({ code: 'publish.badKey', message: `The key file is not a private key in PEM: ${String(error)}` });
  }
  const manifests = readdirSync(sourceDir).filter(isManifest);
  if (manifests.length === 0) return err({ code: 'publish.noManifest', message: `${sourceDir} has no latest*.yml: give electron-builder's output folder.` });
  const checked: { name: string; manifest: UpdateManifest; bytes: Buffer }[] = [];
  for (const name of manifests) {
    const read = readManifest(join(sourceDir, name));
    if (!read.ok) return read;
    const manifest = read.value.manifest;
    for (const file of manifest.files) {
      if (!servableName(file.url)) {
        return err({ code: 'publish.badFileName', message: `${name} names "${file.url}": a manifest may name only plain files beside it (no path, no URL).` });
      }
      const found = regularFile(sourceDir, file.url);
      const mismatch = !found
        ? 'missing, or not a regular file (a symlink is refused)'
        : file.size !== undefined && file.size !== found.size
          ? `${String(found.size)} bytes, not ${String(file.size)}`
          : sha512(join(sourceDir, file.url)) !== file.sha512
            ? 'not the file with that hash'
            : undefined;
      if (mismatch) return err({ code: 'publish.fileMismatch', message: `${name} names ${file.url}, which is ${mismatch} in ${sourceDir}.` });
    }
    const published = join(updatesDir, name);
    const current = existsSync(published) ? readManifest(published) : undefined;
    if (current?.ok && !semver.gt(manifest.version, current.value.manifest.version)) {
      return err({
        code: 'publish.notNewer',
        message: `${name} is version ${manifest.version}; the hub already publishes ${current.value.manifest.version}. Kiosks accept only newer versions.`,
      });
    }
    checked.push({ name, manifest, bytes: read.value.bytes });
  }
  mkdirSync(updatesDir, { recursive: true });
  const files = [...new Set(checked.flatMap(({ manifest }) => manifest.files.flatMap((file) => [file.url, `${file.url}.blockmap`])))].filter(
    (file) => regularFile(sourceDir, file) !== undefined,
  );
  for (const file of files) {
    placeFile(join(updatesDir, file), (temporary) => {
      copyFileSync(join(sourceDir, file), temporary, constants.COPYFILE_FICLONE);
    });
  }
  for (const { name, bytes } of checked) {
    placeFile(join(updatesDir, `${name}${UPDATE_SIGNATURE_SUFFIX}`), (temporary) => {
      writeFileSync(temporary, `${signUpdateManifest(bytes, privateKeyPem)}\n`);
    });
    placeFile(join(updatesDir, name), (temporary) => {
      writeFileSync(temporary, bytes);
    });
  }
  const version = checked[0]?.manifest.version ?? '';
  return ok({ version, manifests: checked.map(({ name }) => name), files });
}
