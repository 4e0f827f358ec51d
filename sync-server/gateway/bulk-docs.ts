/** `POST /sync/<db>/_bulk_docs`: a kiosk's push (write.ts), at most 1,000 documents a request. */
import type { HttpReply, RouteContext } from '../http/kit.js';
import { failure, isJsonObject, MAX_BODY_BYTES, reply } from '../http/kit.js';
import { readOnly } from './context.js';
import type { Scoped } from './scoped.js';
import type { WriteCases } from './write.js';

const MAX_DOCS_PER_WRITE = 1000;

export function bulkDocsEndpoint(write: WriteCases): (s: Scoped, context: RouteContext) => Promise<HttpReply> {
  async function bulkDocs(s: Scoped, context: RouteContext): Promise<HttpReply> {
    if (s.access !== 'write') return readOnly();
    const parsed = await context.json(MAX_BODY_BYTES);
    if (!parsed.ok) return parsed.error;
    const body: { docs?: unknown; new_edits?: unknown } = isJsonObject(parsed.value) ? parsed.value : {};
    if (!Array.isArray(body.docs)) return failure(400, 'bad_request', '`docs` must be an array.');
    if (body.docs.length > MAX_DOCS_PER_WRITE) {
      return failure(413, 'too_large', `At most ${MAX_DOCS_PER_WRITE} documents per request.`);
    }
    if (body.new_edits !== undefined && typeof body.new_edits !== 'boolean') {
      return failure(400, 'bad_request', '`new_edits` must be true or false.');
    }
    const written = await write(s, body.docs, body.new_edits !== false);
    return written.ok ? reply(201, written.results) : written.reply;
  }
  return bulkDocs;
}
