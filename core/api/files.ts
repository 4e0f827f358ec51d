/**
 * Materials files (scans and photos of a resident's documents): a resumable, content-addressed upload
 * from the kiosk to the hub. RxDB's CouchDB replication carries no attachments, and attachments crash
 * the embedded store, so files travel on their own route: metadata first, then fixed-size chunks that
 * may arrive in any order and more than once; the hub checks the sha256 when the last one lands.
 * Kiosks and hubs of different versions exchange these bodies: each side ignores fields it does not
 * know (core/compat.ts), so a version may add optional fields but never remove or change one.
 */
import { z } from 'zod';
import { materialIdSchema } from '../catalog/schema.js';
import { caseNumberSchema } from '../case/number.js';

export const MATERIAL_CONTENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type MaterialContentType = (typeof MATERIAL_CONTENT_TYPES)[number];

export const FILE_CHUNK_BYTES = 256 * 1024;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_CASE_FILE_BYTES = 50 * 1024 * 1024;

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex SHA-256');

export const fileUploadRequestSchema = z.object({
  size: z.number().int().min(1),
  contentType: z.string(),
  materialId: materialIdSchema,
});
export type FileUploadRequest = z.infer<typeof fileUploadRequestSchema>;

/** A kiosk's proof that the hub still holds the files it confirmed (`POST /files/<village>/_held`). */
export const heldFilesRequestSchema = z.object({
  files: z.array(z.object({ caseNumber: caseNumberSchema, sha256: sha256HexSchema })).max(1000),
});

export const fileStatusSchema = z.object({
  sha256: sha256HexSchema,
  caseNumber: caseNumberSchema,
  materialId: materialIdSchema,
  size: z.number().int(),
  contentType: z.enum(MATERIAL_CONTENT_TYPES),
  chunks: z.number().int().min(1),
  /** Chunk indexes the hub holds. */
  received: z.array(z.number().int().min(0)),
  complete: z.boolean(),
});
export type FileStatus = z.infer<typeof fileStatusSchema>;

export const chunkCount = (size: number) => Math.ceil(size / FILE_CHUNK_BYTES);

/** The first bytes each accepted type must start with: a PDF named .jpg is still refused. */
export function contentTypeOfBytes(head: Uint8Array): MaterialContentType | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  return undefined;
}

/** A case's materials file as the review console lists it (`GET /api/review/cases/<n>/files`). */
export interface CaseFileView {
  readonly materialId: string;
  readonly sha256: string;
  readonly size: number;
  readonly contentType: MaterialContentType;
  /** False while the kiosk is still uploading it: listed, not yet viewable. */
  readonly complete: boolean;
  readonly uploadedAt: string;
}
