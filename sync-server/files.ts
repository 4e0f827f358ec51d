/**
 * The materials-file upload: `/files/<village>/<caseNumber>/<sha256>`, for the kiosks of that village.
 *   PUT  …            {size, contentType, materialId} → the upload's status (idempotent)
 *   GET  …            the status: which chunks the hub holds, whether it is complete
 *   PUT  …/chunks/<n> the bytes of chunk n (256 KiB, the last one shorter); any order, any number of times
 *   GET  …/content    the whole file, once complete
 *   POST /files/<village>/_held {files: [{caseNumber, sha256}]} → {missing: […]}: of these, the files the hub
 *        does not hold whole (a kiosk's proof after a restore from backup, renderer/data/reconcile.ts)
 * Chunks are stored once per village and digest, so the same scan attached twice costs nothing twice.
 * When the last chunk lands the hub checks the SHA-256 of the whole; a mismatch discards the chunks.
 */
import { createHash } from 'node:crypto';
import {
  chunkCount,
  contentTypeOfBytes,
  FILE_CHUNK_BYTES,
  fileUploadRequestSchema,
  heldFilesRequestSchema,
  MATERIAL_CONTENT_TYPES,
  MAX_CASE_FILE_BYTES,
  MAX_FILE_BYTES,
  type FileStatus,
  type MaterialContentType,
} from '../core/api/files.js';
import { parseCaseNumber } from '../core/case/number.js';
import { failure, reply, type HttpReply, type Route, type RouteContext } from './http/kit.js';
import { authenticateRequest, type KioskDoc } from './kiosks.js';
import { caseFiles, chunkId, chunkPrefix, fileChunks, fileContent, fileId, type ChunkDoc, type FileDoc } from './file-store.js';
import { DB } from './store/names.js';
import type { Store } from './store/store.js';

const MB = 1024 * 1024;

export function fileRoutes(options: { store: Store; now: () => Date }): Route[] {
  const { store, now } = options;
  const db = store.dbName(DB.files);

  async function scoped(context: RouteContext): Promise<{ ok: true; kiosk: KioskDoc } | { ok: false; reply: HttpReply }> {
    const auth = await authenticateRequest(store, context);
    if (!auth.ok) return { ok: false, reply: auth.error };
    const { village = '', caseNumber = '' } = context.params;
    if (auth.value.village !== village) return { ok: false, reply: failure(403, 'forbidden', 'This kiosk may upload files for its own village only.') };
    const number = parseCaseNumber(caseNumber);
    if (!number.ok || number.value.caseNumber !== caseNumber || number.value.village !== village) {
      return { ok: false, reply: failure(400, 'bad_request', 'The case number is not one of this village’s.') };
    }
    return { ok: true, kiosk: auth.value };
  }

  async function receivedChunks(village: string, sha256: string): Promise<number[] | HttpReply> {
    const ids = await store.idsWithPrefix(DB.files, chunkPrefix(village, sha256));
    if (!ids.ok) return failure(ids.error.status, ids.error.error, ids.error.reason);
    return ids.value.map((id) => Number(id.slice(-5)));
  }

  /** The file's bytes, chunk by chunk in order. */
  async function chunkData(doc: FileDoc): Promise<(ChunkDoc & { _id: string; _rev: string })[] | HttpReply> {
    const chunks = await fileChunks(store, doc);
    return chunks.ok ? chunks.value : failure(chunks.error.status, chunks.error.error, chunks.error.reason);
  }

  async function status(doc: FileDoc): Promise<HttpReply> {
    const received = await receivedChunks(doc.village, doc.sha256);
    if (!Array.isArray(received)) return received;
    const result: FileStatus = {
      sha256: doc.sha256,
      caseNumber: doc.caseNumber,
      materialId: doc.materialId,
      size: doc.size,
      contentType: doc.contentType,
      chunks: chunkCount(doc.size),
      received,
      complete: doc.complete,
    };
    return reply(200, result);
  }

  async function load(params: RouteContext['params']): Promise<FileDoc | HttpReply> {
    const found = await store.getDoc<FileDoc>(DB.files, fileId(params.village ?? '', params.caseNumber ?? '', params.sha256 ?? ''));
    if (found.ok) return found.value;
    return found.error.status === 404
      ? failure(404, 'files.unknown', 'The hub has no such file for this case; start the upload first.')
      : failure(found.error.status, found.error.error, found.error.reason);
  }

  /** When every chunk is in: check the digest of the whole, then mark complete (or discard). */
  async function finish(doc: FileDoc): Promise<HttpReply | undefined> {
    // Count first (ids only); read the bytes once, when the last chunk is in.
    const received = await receivedChunks(doc.village, doc.sha256);
    if (!Array.isArray(received)) return received;
    if (received.length < chunkCount(doc.size)) return undefined;
    const chunks = await chunkData(doc);
    if (!Array.isArray(chunks)) return chunks;
    if (chunks.length < chunkCount(doc.size)) return undefined;
    const hash = createHash('sha256');
    for (const chunk of chunks) hash.update(Buffer.from(chunk.data, 'base64'));
    if (hash.digest('hex') !== doc.sha256) {
      const stale = chunks.map((chunk) => ({ ...chunk, _deleted: true }));
      await store.request({ db, path: '_bulk_docs', method: 'POST', body: { docs: stale } });
      return failure(422, 'files.digestMismatch', 'The file’s SHA-256 does not match its content; it was discarded, send it again.');
    }
    // Every case holding this digest in this village is complete now.
    const holders = await store.docsWithPrefix<FileDoc>(DB.files, `file:${doc.village}:`);
    const incomplete = holders.ok ? holders.value.filter((holder) => holder.sha256 === doc.sha256 && !holder.complete) : [];
    if (incomplete.length > 0) {
      await store.request({ db, path: '_bulk_docs', method: 'POST', body: { docs: incomplete.map((d) => ({ ...d, complete: true })) } });
    }
    return undefined;
  }

  const base = '^/files/(?<village>\\d{12})/(?<caseNumber>[0-9X-]{20,40})/(?<sha256>[0-9a-f]{64})';

  return [
    {
      method: 'POST',
      pattern: /^\/files\/(?<village>\d{12})\/_held$/,
      async handle(context) {
        const auth = await authenticateRequest(store, context);
        if (!auth.ok) return auth.error;
        const village = context.params.village ?? '';
        if (auth.value.village !== village) return failure(403, 'forbidden', 'This kiosk may ask about its own village’s files only.');
        const body = await context.json(256 * 1024);
        if (!body.ok) return body.error;
        const request = heldFilesRequestSchema.safeParse(body.value);
        if (!request.success) return failure(400, 'bad_request', 'Expected {"files": [{"caseNumber": …, "sha256": …}]} (at most 1,000).');
        const ids = request.data.files.map((file) => fileId(village, file.caseNumber, file.sha256));
        const found = await store.request<{ rows: { key: string; doc?: FileDoc | null }[] }>({
          db,
          path: '_all_docs',
          method: 'POST',
          qs: { include_docs: true },
          body: { keys: ids },
        });
        if (!found.ok) return failure(found.error.status, found.error.error, found.error.reason);
        const whole = new Set(found.value.rows.filter((row) => row.doc?.complete === true).map((row) => row.key));
        return reply(200, { missing: request.data.files.filter((_file, i) => !whole.has(ids[i] ?? '')) });
      },
    },
    {
      method: '*',
      pattern: new RegExp(`${base}$`),
      async handle(context) {
        const scope = await scoped(context);
        if (!scope.ok) return scope.reply;
        if (context.req.method === 'GET') {
          const doc = await load(context.params);
          return 'type' in doc ? status(doc) : doc;
        }
        if (context.req.method !== 'PUT') return failure(405, 'method_not_allowed', 'Start an upload with PUT, read its status with GET.');
        const body = await context.json(4096);
        if (!body.ok) return body.error;
        const request = fileUploadRequestSchema.safeParse(body.value);
        if (!request.success) return failure(400, 'bad_request', 'Expected {"size": bytes, "contentType": …, "materialId": …}.');
        const { size, contentType, materialId } = request.data;
        if (!(MATERIAL_CONTENT_TYPES as readonly string[]).includes(contentType)) {
          return failure(415, 'files.type', `Only JPEG, PNG and PDF files are accepted, not ${contentType}.`);
        }
        if (size > MAX_FILE_BYTES) {
          return failure(413, 'files.tooLarge', `A file may be at most ${MAX_FILE_BYTES / MB} MB; this one is ${(size / MB).toFixed(1)} MB.`);
        }
        const { village = '', caseNumber = '', sha256 = '' } = context.params;
        const existing = await load(context.params);
        if ('type' in existing) {
          if (existing.size !== size || existing.contentType !== contentType) {
            return failure(409, 'files.conflict', 'This digest was announced with another size or type.');
          }
          return status(existing);
        }
        const siblings = await caseFiles(store, village, caseNumber);
        const caseBytes = siblings.ok ? siblings.value.reduce((sum, sibling) => sum + sibling.size, 0) : 0;
        if (caseBytes + size > MAX_CASE_FILE_BYTES) {
          return failure(
            413,
            'files.caseTooLarge',
            `A case's files may total at most ${MAX_CASE_FILE_BYTES / MB} MB; this one would reach ${((caseBytes + size) / MB).toFixed(1)} MB.`,
          );
        }
        const doc: FileDoc = {
          _id: fileId(village, caseNumber, sha256),
          type: 'file',
          village,
          caseNumber,
          materialId,
          sha256,
          size,
          contentType: contentType as MaterialContentType,
          kioskId: scope.kiosk.kioskId,
          createdAt: now().toISOString(),
          complete: false,
        };
        const saved = await store.putDoc(DB.files, doc);
        if (!saved.ok && saved.error.status !== 409) return failure(saved.error.status, saved.error.error, saved.error.reason);
        const current = await load(context.params);
        if (!('type' in current)) return current;
        // The bytes may already be here (the same scan attached to another case).
        const done = await finish(current);
        if (done) return done;
        const latest = await load(context.params);
        return 'type' in latest ? status(latest) : latest;
      },
    },
    {
      method: 'PUT',
      pattern: new RegExp(`${base}/chunks/(?<index>\\d{1,5})$`),
      async handle(context) {
        const scope = await scoped(context);
        if (!scope.ok) return scope.reply;
        const doc = await load(context.params);
        if (!('type' in doc)) return doc;
        const index = Number(context.params.index);
        const chunks = chunkCount(doc.size);
        if (index >= chunks) return failure(400, 'bad_request', `This file has ${String(chunks)} chunks; there is no chunk ${String(index)}.`);
        const expected = index === chunks - 1 ? doc.size - index * FILE_CHUNK_BYTES : FILE_CHUNK_BYTES;
        const bytes = await context.bytes(FILE_CHUNK_BYTES);
        if (!bytes.ok) return bytes.error;
        if (bytes.value.length !== expected) {
          return failure(400, 'files.chunkSize', `Chunk ${String(index)} must be ${String(expected)} bytes, not ${String(bytes.value.length)}.`);
        }
        if (index === 0 && contentTypeOfBytes(bytes.value) !== doc.contentType) {
          return failure(415, 'files.type', `The file's content is not ${doc.contentType}.`);
        }
        const put = await store.putDoc(DB.files, { _id: chunkId(doc.village, doc.sha256, index), type: 'chunk', data: bytes.value.toString('base64') });
        // A conflict means the chunk is already here: sending it twice is harmless.
        if (!put.ok && put.error.status !== 409) return failure(put.error.status, put.error.error, put.error.reason);
        if (!doc.complete) {
          const done = await finish(doc);
          if (done) return done;
        }
        const latest = await load(context.params);
        return 'type' in latest ? status(latest) : latest;
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${base}/content$`),
      async handle(context) {
        const scope = await scoped(context);
        if (!scope.ok) return scope.reply;
        const doc = await load(context.params);
        if (!('type' in doc)) return doc;
        if (!doc.complete) return failure(409, 'files.incomplete', 'The file has not been uploaded completely yet.');
        const content = await fileContent(store, doc);
        if (!content.ok) return failure(content.error.status, content.error.error, content.error.reason);
        return reply(200, content.value, { 'content-type': doc.contentType, 'x-content-sha256': doc.sha256 });
      },
    },
  ];
}
