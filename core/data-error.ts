/**
 * Turning a schema's complaints into messages a county administrator can act on: each problem names
 * the record it is in by that record's own code ("item MZ-03") and the field, not just an array index.
 */
import type { z } from 'zod';
import { err, ok, type Result } from './result.js';

export interface DataProblem {
  /** Full path, e.g. `items[12].materials[3].name.en`. */
  readonly path: string;
  /** The records on the way that carry a code or id, outermost first: item MZ-03 › material m2. */
  readonly within: readonly { readonly collection: string; readonly key: string }[];
  /** The field within the innermost record, e.g. `timeLimitWorkingDays` or `name.en`. Empty for the record itself. */
  readonly field: string;
  /** The schema's own explanation (English; shown as the detail after a translated frame). */
  readonly detail: string;
}

export interface DataError {
  readonly code: 'data.invalid';
  readonly document: 'catalog' | 'divisionTable' | 'workingCalendar' | 'case' | 'notice' | 'fleetPolicy';
  readonly problems: readonly DataProblem[];
}

const KEY_FIELDS = ['code', 'id', 'code12', 'caseNumber'] as const;

function keyOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const field of KEY_FIELDS) {
    const key = (value as Record<string, unknown>)[field];
    if (typeof key === 'string' && key.length > 0) return key;
  }
  return undefined;
}

export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown): DataProblem[] {
  return issues.map((issue) => {
    let path = '';
    let node: unknown = input;
    const within: { collection: string; key: string }[] = [];
    let fieldStart = 0;
    issue.path.forEach((segment, i) => {
      const parentKey = i > 0 ? issue.path[i - 1] : undefined;
      node = typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[segment] : undefined;
      if (typeof segment === 'number') {
        path += `[${segment}]`;
        const key = keyOf(node);
        if (key !== undefined && typeof parentKey === 'string') {
          within.push({ collection: parentKey, key });
          fieldStart = i + 1;
        }
      } else {
        path += path === '' ? String(segment) : `.${String(segment)}`;
      }
    });
    const field = issue.path
      .slice(fieldStart)
      .map((segment) => (typeof segment === 'number' ? `[${segment}]` : String(segment)))
      .join('.')
      .replace(/\.\[/g, '[');
    return { path, within, field, detail: issue.message };
  });
}

/**
 * How a document is read. Synced documents keep the fields a newer version of Cunban added, for that
 * version (core/compat.ts); a county's own file (`authored`: the catalog, division table or calendar it
 * publishes) is read strictly, because a field no version of Cunban knows there is most likely a typo.
 */
export type Reading = 'synced' | 'authored';

type SchemaDef = {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly valueType?: z.ZodType;
};

/** Paths, at any depth, of object fields the schema does not name (object schemas strip them silently). */
function strayFields(schema: z.ZodType, input: unknown, path: (string | number)[] = []): z.core.$ZodIssue[] {
  const def = (schema as unknown as { def: SchemaDef }).def;
  const inner = def.innerType ?? def.in;
  if (inner) return strayFields(inner, input, path);
  if (def.type === 'array' && def.element && Array.isArray(input)) {
    const element = def.element;
    return input.flatMap((item, i) => strayFields(element, item, [...path, i]));
  }
  if (def.type === 'record' && def.valueType && typeof input === 'object' && input !== null) {
    const value = def.valueType;
    return Object.entries(input).flatMap(([key, item]) => strayFields(value, item, [...path, key]));
  }
  if (def.type !== 'object' || !def.shape || typeof input !== 'object' || input === null || Array.isArray(input)) return [];
  const shape = def.shape;
  return Object.entries(input).flatMap(([key, item]) => {
    const field = shape[key];
    if (!field) return [{ code: 'custom', path, message: `Unrecognized key: "${key}"`, input }];
    return strayFields(field, item, [...path, key]);
  });
}

/** Validate a county data document against its schema, as a Result with problems that name records. */
export function parseDocument<T>(schema: z.ZodType<T>, document: DataError['document'], input: unknown, reading: Reading = 'synced'): Result<T, DataError> {
  const parsed = schema.safeParse(input);
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...(reading === 'authored' ? strayFields(schema, input) : [])];
  if (parsed.success && issues.length === 0) return ok(parsed.data);
  return err({ code: 'data.invalid', document, problems: formatIssues(issues, input) });
}

/** Inside a schema's superRefine: one issue for every repeat of a key that must be unique. */
export function refuseDuplicates<T>(
  ctx: z.RefinementCtx,
  entries: readonly T[],
  keyOf: (entry: T) => string | number,
  pathOf: (index: number) => (string | number)[],
  describe: (key: string | number) => string,
  seen = new Set<string | number>(),
): void {
  entries.forEach((entry, index) => {
    const key = keyOf(entry);
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: pathOf(index), message: describe(key) });
    seen.add(key);
  });
}
