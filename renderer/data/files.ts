/**
 * Materials files at the kiosk: a scan is checked (type by its bytes, size limits), hashed with
 * SHA-256, stored locally with the case, and uploaded to the hub when the line is up — resuming from
 * the chunks the hub already holds, so an interrupted transfer never starts over and never duplicates.
 */
import pLimit from 'p-limit';
import type { RxCollection, RxDocument, RxJsonSchema } from 'rxdb';
import {
  chunkCount,
  contentTypeOfBytes,
  FILE_CHUNK_BYTES,
  fileStatusSchema,
  MAX_CASE_FILE_BYTES,
  MAX_FILE_BYTES,
  type MaterialContentType,
} from '../../core/api/files.js';
import { err, ok, type Result } from '../../core/result.js';

export interface StoredFile {
  readonly id: string;
  readonly caseNumber: string;
  readonly materialId: string;
  readonly sha256: string;
  readonly size: number;
  readonly contentType: MaterialContentType;
  /** True once the hub has confirmed the whole file and its digest. */
  readonly uploaded: boolean;
}

export const fileSchema: RxJsonSchema<StoredFile> = {
  // 1: the scans encrypted at rest (at-rest.ts).
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 120 },
    caseNumber: { type: 'string', maxLength: 40 },
    materialId: { type: 'string' },
    sha256: { type: 'string' },
    size: { type: 'integer' },
    contentType: { type: 'string' },
    uploaded: { type: 'boolean' },
  },
  required: ['id', 'caseNumber', 'materialId', 'sha256', 'size', 'contentType', 'uploaded'],
  attachments: { encrypted: true },
};

/** Each schema version's step from the one before: 1 only seals the scans 0 kept in the clear. */
export const fileMigrations = { 1: (doc: StoredFile) => doc };

export type FileError =
  | { readonly code: 'files.type' }
  | { readonly code: 'files.tooLarge'; readonly maxMb: number; readonly sizeMb: string }
  | { readonly code: 'files.caseTooLarge'; readonly maxMb: number };

export interface FileRef {
  readonly materialId: string;
  readonly sha256: string;
  readonly size: number;
  readonly contentType: MaterialContentType;
}

const MB = 1024 * 1024;

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A scan's type (by its bytes) and size, checked the moment the clerk picks it. */
export function checkFileBytes(bytes: Uint8Array): Result<MaterialContentType, FileError> {
  const contentType = contentTypeOfBytes(bytes);
  if (!contentType) return err({ code: 'files.type' });
  if (bytes.length > MAX_FILE_BYTES) {
    return err({ code: 'files.tooLarge', maxMb: MAX_FILE_BYTES / MB, sizeMb: (bytes.length / MB).toFixed(1) });
  }
  return ok(contentType);
}

/** Keep a scan with a case. Refused here, with the limit in the error, before anything is stored. */
export async function attachFile(
  files: RxCollection<StoredFile>,
  caseNumber: string,
  materialId: string,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<Result<FileRef, FileError>> {
  const checked = checkFileBytes(bytes);
  if (!checked.ok) return checked;
  const contentType = checked.value;
  const sha256 = await sha256Hex(bytes);
  const id = `${caseNumber}:${sha256}`;
  const existing = await files.findOne(id).exec();
  const ref = { materialId, sha256, size: bytes.length, contentType };
  if (existing) return ok(ref);
  const others = await files.find({ selector: { caseNumber } }).exec();
  if (others.reduce((sum, doc) => sum + doc.size, 0) + bytes.length > MAX_CASE_FILE_BYTES) {
    return err({ code: 'files.caseTooLarge', maxMb: MAX_CASE_FILE_BYTES / MB });
  }
  const doc = await files.insert({ id, caseNumber, ...ref, uploaded: false });
  await doc.putAttachment({ id: 'content', data: new Blob([bytes], { type: contentType }), type: contentType });
  return ok(ref);
}

/** Drop the files of a case that was never written (its registration was refused). */
export async function discardFiles(files: RxCollection<StoredFile>, caseNumber: string): Promise<void> {
  await files.find({ selector: { caseNumber } }).remove();
}

export interface UploadReport {
  readonly uploaded: number;
  readonly pending: number;
  readonly error?: string;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Uploads in flight at once: enough that the line never idles on a round trip, few enough to leave it to the sync. */
const UPLOADS_IN_FLIGHT = 3;

/**
 * Upload every file the hub does not hold yet, a few at once so that each one's round trips (its start,
 * each chunk's answer) overlap the others' bytes on a slow line. `fetch` is the kiosk's hub fetch (credential
 * attached, throws on any non-OK answer). After the first failure no further file starts; what was sent
 * stays sent, and the report carries that failure.
 */
export async function uploadPendingFiles(files: RxCollection<StoredFile>, hubBase: string, village: string, fetch: Fetch): Promise<UploadReport> {
  const pending = await files.find({ selector: { uploaded: false } }).exec();
  let uploaded = 0;
  let error: string | undefined;
  const limit = pLimit(UPLOADS_IN_FLIGHT);
  await Promise.all(
    pending.map((doc) =>
      limit(async () => {
        if (error !== undefined) return;
        try {
          if (await uploadFile(doc, `${hubBase}files/${village}/${doc.caseNumber}/${doc.sha256}`, fetch)) uploaded += 1;
        } catch (failure) {
          error ??= failure instanceof Error ? failure.message : String(failure);
        }
      }),
    ),
  );
  return { uploaded, pending: pending.length - uploaded, ...(error === undefined ? {} : { error }) };
}

/** One file: its start, then each chunk the hub lacks. Returns whether the hub now holds it whole. */
async function uploadFile(doc: RxDocument<StoredFile>, url: string, fetch: Fetch): Promise<boolean> {
  const started = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: doc.size, contentType: doc.contentType, materialId: doc.materialId }),
  });
  let status = fileStatusSchema.parse(await started.json());
  const attachment = doc.getAttachment('content');
  if (!attachment) throw new Error(`the content of ${doc.id} is missing on this kiosk`);
  const bytes = new Uint8Array(await (await attachment.getData()).arrayBuffer());
  const have = new Set(status.received);
  for (let index = 0; index < chunkCount(doc.size) && !status.complete; index++) {
    if (have.has(index)) continue;
    const chunk = bytes.slice(index * FILE_CHUNK_BYTES, (index + 1) * FILE_CHUNK_BYTES);
    const sent = await fetch(`${url}/chunks/${String(index)}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: chunk });
    status = fileStatusSchema.parse(await sent.json());
  }
  if (!status.complete) return false;
  await doc.incrementalPatch({ uploaded: true });
  return true;
}
