/**
 * Signed kiosk updates: the rule a kiosk applies before it installs anything the hub served.
 *
 * electron-builder writes a manifest per platform (`latest.yml`, `latest-linux.yml`) naming the version
 * and each installer with its SHA-512. `cunban-hub updates publish` signs the manifest's exact bytes with
 * the county's Ed25519 key and serves the signature beside it (`latest-linux.yml.sig`, base64). The kiosk
 * (electron/update-verify.ts) checks the signature against a public key built into the app, then this
 * rule: the signed manifest is for a newer version than the one running, is the version electron-updater
 * downloaded, and names the downloaded installer with the hash it has. So whoever answers for the hub on
 * the village LAN can at most withhold updates, never choose what runs.
 */
import semver from 'semver';
import { z } from 'zod';
import { err, ok, type Result } from './result.js';

export const UPDATE_SIGNATURE_SUFFIX = '.sig';

/** The manifest electron-builder writes (and electron-updater reads) for each platform. */
export function updateManifestName(platform: string): string {
  if (platform === 'win32') return 'latest.yml';
  if (platform === 'darwin') return 'latest-mac.yml';
  return 'latest-linux.yml';
}

/** The fields of electron-builder's manifest the rule reads; others are carried and ignored. */
export const updateManifestSchema = z.object({
  version: z.string().refine((text) => semver.valid(text) !== null, 'not a semantic version'),
  files: z
    .array(
      z.object({
        url: z.string().min(1),
        sha512: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'a base64 SHA-512'),
        size: z.number().int().nonnegative().optional(),
      }),
    )
    .min(1),
  releaseDate: z.string().optional(),
});
export type UpdateManifest = z.infer<typeof updateManifestSchema>;

export type UpdateRefusal =
  /** No signature beside the manifest. */
  | { readonly code: 'update.unsigned' }
  /** The signature does not verify against any key built into this kiosk. */
  | { readonly code: 'update.badSignature' }
  | { readonly code: 'update.badManifest'; readonly detail: string }
  /** The signed version is not newer than the one running: a replay of an older release. */
  | { readonly code: 'update.notNewer'; readonly version: string; readonly running: string }
  /** electron-updater downloaded another version than the signed manifest names. */
  | { readonly code: 'update.versionMismatch'; readonly signed: string; readonly downloaded: string }
  /** The downloaded installer is not the one the signed manifest names, byte for byte. */
  | { readonly code: 'update.installerMismatch'; readonly file: string }
  /** Updates over plain http are refused outside development. */
  | { readonly code: 'update.insecureFeed'; readonly url: string }
  /** This build carries no update key: it cannot accept any update. */
  | { readonly code: 'update.noKey' };

export interface DownloadedUpdate {
  readonly version: string;
  /** The downloaded installer's file name (for the message only: the hash is what binds). */
  readonly fileName: string;
  /** Base64 SHA-512 of the downloaded installer's bytes. */
  readonly sha512: string;
}

/** Whether a manifest whose signature verified may install `downloaded` over `running`. */
export function judgeSignedUpdate(manifest: unknown, running: string, downloaded: DownloadedUpdate): Result<UpdateManifest, UpdateRefusal> {
  const parsed = updateManifestSchema.safeParse(manifest);
  if (!parsed.success)
    return err({ code: 'update.badManifest', detail: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
  const signed = parsed.data;
  if (!semver.gt(signed.version, running)) return err({ code: 'update.notNewer', version: signed.version, running });
  if (semver.neq(signed.version, downloaded.version)) return err({ code: 'update.versionMismatch', signed: signed.version, downloaded: downloaded.version });
  if (!signed.files.some((file) => file.sha512 === downloaded.sha512)) return err({ code: 'update.installerMismatch', file: downloaded.fileName });
  return ok(signed);
}

/** An update feed must be https, except on a development build. */
export function checkFeedUrl(url: string, development: boolean): Result<string, UpdateRefusal> {
  return url.startsWith('https://') || development ? ok(url) : err({ code: 'update.insecureFeed', url });
}
