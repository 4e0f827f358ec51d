/**
 * Turning core/'s typed errors into sentences in the user's language. An error's `code` is its
 * message key and its other fields are the message's parameters; fields that name domain values
 * (a level, a status, an event type) are translated too.
 */
import type { DataError } from '../data-error.js';
import { isMessageKey, translate, type Locale, type MessageParams } from './translate.js';

const LEVEL_FIELDS = new Set(['level', 'currentLevel', 'decidingLevel', 'to']);

function translatedParam(locale: Locale, field: string, value: string | number): string | number {
  const key = LEVEL_FIELDS.has(field) ? `level.${value}` : field === 'status' ? `status.${value}` : field === 'eventType' ? `event.${value}` : '';
  return isMessageKey(key) ? translate(locale, key) : value;
}

export interface CodedError {
  readonly code: string;
}

export function describeError(error: CodedError, locale: Locale): string {
  if (!isMessageKey(error.code)) return error.code;
  const params: Record<string, string | number> = {};
  for (const [field, value] of Object.entries(error)) {
    if (field !== 'code' && (typeof value === 'string' || typeof value === 'number')) {
      params[field] = translatedParam(locale, field, value);
    }
  }
  return translate(locale, error.code, params);
}

/** A headline and one line per problem, each naming the record by its code and the field. */
export function describeDataError(error: DataError, locale: Locale): string[] {
  const document = translate(locale, `data.document.${error.document}`);
  const lines = [translate(locale, 'data.invalid', { document, count: error.problems.length })];
  for (const problem of error.problems) {
    if (problem.within.length > 0) {
      const record = problem.within
        .map(({ collection, key }) => {
          const collectionKey = `collection.${collection}`;
          return `${isMessageKey(collectionKey) ? translate(locale, collectionKey) : collection} ${key}`;
        })
        .join(' › ');
      const params: MessageParams = { record, field: problem.field, detail: problem.detail };
      lines.push(translate(locale, problem.field ? 'data.problem.inRecord' : 'data.problem.recordItself', params));
    } else {
      lines.push(translate(locale, 'data.problem.atPath', { path: problem.path || '/', detail: problem.detail }));
    }
  }
  return lines;
}
