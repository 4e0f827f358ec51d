/**
 * A case's materials files for the reviewer who may see the case: the list, and each file's bytes to view
 * in the browser. Scans of residents' documents: never cached, never sniffed as another type, shown
 * inline under their own content type (checked by their bytes when they were uploaded).
 */
import type { CaseFileView } from '../../core/api/files.js';
import { caseFiles, fileContent } from '../file-store.js';
import { failure, reply, type Route } from '../http/kit.js';
import type { Store } from '../store/store.js';
import { caseScope } from './scope.js';

const EXTENSION = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' } as const;

export function caseFileRoutes(options: { readonly store: Store; readonly now: () => Date }): Route[] {
  const { store } = options;
  const inScope = caseScope(store, options.now);
  return [
    {
      method: 'GET',
      pattern: /^\/api\/review\/cases\/(?<caseNumber>[^/]+)\/files$/,
      async handle(context) {
        const scoped = await inScope(context);
        if (!('reviewer' in scoped)) return scoped;
        const files = await caseFiles(store, scoped.village, scoped.caseNumber);
        if (!files.ok) return failure(503, 'store_unavailable', files.error.reason);
        const view: CaseFileView[] = files.value.map(({ materialId, sha256, size, contentType, complete, createdAt }) => ({
          materialId,
          sha256,
          size,
          contentType,
          complete,
          uploadedAt: createdAt,
        }));
        return reply(200, view, { 'cache-control': 'no-store' });
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/review\/cases\/(?<caseNumber>[^/]+)\/files\/(?<sha256>[0-9a-f]{64})$/,
      async handle(context) {
        const scoped = await inScope(context);
        if (!('reviewer' in scoped)) return scoped;
        const files = await caseFiles(store, scoped.village, scoped.caseNumber);
        if (!files.ok) return failure(503, 'store_unavailable', files.error.reason);
        const file = files.value.find((candidate) => candidate.sha256 === context.params.sha256);
        if (!file) return failure(404, 'files.unknown', 'This case has no such file.');
        if (!file.complete) return failure(409, 'files.incomplete', 'The kiosk has not finished uploading this file yet.');
        const content = await fileContent(store, file);
        if (!content.ok) return failure(503, 'store_unavailable', content.error.reason);
        return reply(200, content.value, {
          'content-type': file.contentType,
          'content-disposition': `inline; filename="${scoped.caseNumber}-${file.materialId}.${EXTENSION[file.contentType]}"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
      },
    },
  ];
}
