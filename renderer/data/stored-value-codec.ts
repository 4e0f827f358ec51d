/**
 * IndexedDB keys and values as JSON text and back, exactly: what JSON would change or drop is written as a
 * tagged object (`{"$cunban": kind, ...}`) — Blobs (RxDB keeps attachments, scans included, as Blobs), binary,
 * Dates, `undefined`, -0, NaN and ±Infinity. Anything else that is not a plain object or array (a Map, a
 * BigInt, a cycle, an object that itself has a `$cunban` key) is refused with `NotRewritable`, never changed.
 * Used by the store rewrite (store-rewrite.ts), whose snapshot must bring every value back as it was.
 */

/** A stored key or value that cannot be written as JSON and read back the same. */
export class NotRewritable extends Error {
  override readonly name = 'NotRewritable';
}

const TAG = '$cunban';
const BASE64_SLICE = 0x8000;

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += BASE64_SLICE) binary += String.fromCharCode(...bytes.subarray(at, at + BASE64_SLICE));
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function numberOf(value: number): unknown {
  if (Object.is(value, -0)) return { [TAG]: 'number', value: '-0' };
  if (!Number.isFinite(value)) return { [TAG]: 'number', value: String(value) };
  return value;
}

/** A JSON-safe form of `value`, Blobs read into it: one value at a time, so a large scan is in memory once. */
export async function encodeStored(value: unknown, seen: Set<object> = new Set()): Promise<unknown> {
  switch (typeof value) {
    case 'undefined':
      return { [TAG]: 'undefined' };
    case 'number':
      return numberOf(value);
    case 'string':
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      throw new NotRewritable(`A stored ${typeof value} cannot be rewritten.`);
  }
  if (value === null) return null;
  if (value instanceof File)
    return {
      [TAG]: 'file',
      name: value.name,
      lastModified: value.lastModified,
      type: value.type,
      data: bytesToBase64(new Uint8Array(await value.arrayBuffer())),
    };
  if (value instanceof Blob) return { [TAG]: 'blob', type: value.type, data: bytesToBase64(new Uint8Array(await value.arrayBuffer())) };
  // As text: an invalid Date's time is NaN, which JSON would write as null.
  if (value instanceof Date) return { [TAG]: 'date', value: String(value.getTime()) };
  if (value instanceof ArrayBuffer) return { [TAG]: 'buffer', data: bytesToBase64(new Uint8Array(value)) };
  if (value instanceof Uint8Array) return { [TAG]: 'bytes', data: bytesToBase64(value) };
  if (seen.has(value)) throw new NotRewritable('A stored value refers to itself.');
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      // Holes read as undefined: kept as undefined.
      for (let i = 0; i < value.length; i++) items.push(await encodeStored(value[i], seen));
      return items;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype) throw new NotRewritable(`A stored ${Object.prototype.toString.call(value)} cannot be rewritten.`);
    if (Object.hasOwn(value, TAG)) throw new NotRewritable(`A stored object has a "${TAG}" key of its own.`);
    const fields: [string, unknown][] = [];
    for (const [key, field] of Object.entries(value)) fields.push([key, await encodeStored(field, seen)]);
    // Own properties made as such: an own `__proto__` stays a field, never a prototype.
    return Object.fromEntries(fields);
  } finally {
    seen.delete(value);
  }
}

/** The value `encodeStored` was given, from its (parsed) form. */
export function decodeStored(form: unknown): unknown {
  if (form === null || typeof form !== 'object') return form;
  if (Array.isArray(form)) return form.map(decodeStored);
  const object = form as Record<string, unknown>;
  switch (object[TAG]) {
    case undefined:
      return Object.fromEntries(Object.entries(object).map(([key, field]) => [key, decodeStored(field)]));
    case 'undefined':
      return undefined;
    case 'number':
      return Number(object.value);
    case 'blob':
      return new Blob([base64ToBytes(String(object.data))], { type: String(object.type) });
    case 'file':
      return new File([base64ToBytes(String(object.data))], String(object.name), { type: String(object.type), lastModified: Number(object.lastModified) });
    case 'date':
      return new Date(Number(object.value));
    case 'buffer':
      return base64ToBytes(String(object.data)).buffer;
    case 'bytes':
      return base64ToBytes(String(object.data));
    default:
      throw new Error(`Not a value this version wrote: ${String(object[TAG])}.`);
  }
}
