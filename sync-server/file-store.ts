/**
 * How materials files are kept in the files database: one `file:` document per case and digest, the bytes
 * in `chunk:` documents stored once per village and digest. The kiosks' upload route writes them; the
 * review API reads them.
 */
import type { MaterialContentType } from '../core/api/files.js';
import { DB } from './store/names.js';
import type { Store, StoreResult } from './store/store.js';

export interface FileDoc {
  readonly _id: string;
  readonly _rev?: string;
  readonly type: 'file';
  readonly village: string;
  readonly caseNumber: string;
  readonly materialId: string;
  readonly sha256: string;
  readonly size: number;
  readonly contentType: MaterialContentType;
  readonly kioskId: string;
  readonly createdAt: string;
  readonly complete: boolean;
}

export interface ChunkDoc {
  readonly type: 'chunk';
  /** Base64 of at most FILE_CHUNK_BYTES bytes. */
  readonly data: string;
}

export const fileId = (village: string, caseNumber: string, sha256: string) => `file:${village}:${caseNumber}:${sha256}`;
export const chunkPrefix = (village: string, sha256: string) => `chunk:${village}:${sha256}:`;
export const chunkId = (village: string, sha256: string, index: number) => `${chunkPrefix(village, sha256)}${String(index).padStart(5, '0')}`;

/** The files announced for a case, complete or not. */
export function caseFiles(store: Store, village: string, caseNumber: string): Promise<StoreResult<(FileDoc & { _rev: string })[]>> {
  return store.docsWithPrefix<FileDoc>(DB.files, `file:${village}:${caseNumber}:`);
}

/** The chunks of a file's bytes, in order. */
export function fileChunks(store: Store, doc: FileDoc): Promise<StoreResult<(ChunkDoc & { _id: string; _rev: string })[]>> {
  return store.docsWithPrefix<ChunkDoc>(DB.files, chunkPrefix(doc.village, doc.sha256));
}

/** A complete file's bytes. */
export async function fileContent(store: Store, doc: FileDoc): Promise<StoreResult<Buffer>> {
  const chunks = await fileChunks(store, doc);
  return chunks.ok ? { ok: true, value: Buffer.concat(chunks.value.map((chunk) => Buffer.from(chunk.data, 'base64'))) } : chunks;
}
