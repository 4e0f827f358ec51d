/**
 * A raw scan of a browser profile on disk, as a thief with the kiosk's disk would make it: every file's
 * bytes, and every LevelDB table block decompressed (Chromium's IndexedDB keeps its data in LevelDB, whose
 * `.ldb` blocks are Snappy-compressed). Text is looked for as UTF-8 and as UTF-16LE (V8 serializes
 * non-Latin-1 strings as two-byte characters).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { uncompress } from 'snappyjs';

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) yield* files(path);
    else if (stat?.isFile()) yield path;
  }
}

/** A LEB128 varint at `offset`: its value and the offset after it. */
function varint(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let at = offset; at < bytes.length; at++) {
    const byte = bytes[at] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at + 1];
    shift += 7;
  }
  throw new Error('truncated varint');
}

/** A block's content (its 5-byte trailer says whether Snappy compressed it). */
function block(table: Uint8Array, offset: number, size: number): Uint8Array {
  const content = table.subarray(offset, offset + size);
  return table[offset + size] === 1 ? uncompress(content) : content;
}

/**
 * Every data block of a LevelDB table, decompressed: the footer's index handle, the index block's entries
 * (each value a data block's handle), each data block. (leveldb's doc/table_format.md.)
 */
function tableBlocks(table: Uint8Array): Uint8Array[] {
  const footer = table.subarray(table.length - 48);
  const [, afterMeta] = varint(footer, varint(footer, 0)[1]);
  const [indexOffset, afterIndexOffset] = varint(footer, afterMeta);
  const [indexSize] = varint(footer, afterIndexOffset);
  const index = block(table, indexOffset, indexSize);
  const restarts = new DataView(index.buffer, index.byteOffset, index.byteLength).getUint32(index.length - 4, true);
  const entriesEnd = index.length - 4 - 4 * restarts;
  const blocks: Uint8Array[] = [];
  for (let at = 0; at < entriesEnd;) {
    const [, afterShared] = varint(index, at);
    const [unshared, afterUnshared] = varint(index, afterShared);
    const [valueLength, afterValueLength] = varint(index, afterUnshared);
    const value = index.subarray(afterValueLength + unshared, afterValueLength + unshared + valueLength);
    const [offset, afterOffset] = varint(value, 0);
    const [size] = varint(value, afterOffset);
    blocks.push(block(table, offset, size));
    at = afterValueLength + unshared + valueLength;
  }
  return blocks;
}

/** What a thief reads from the profile at `dir`: each file raw, and each LevelDB table's blocks decompressed. */
export function profileBytes(dir: string): Uint8Array[] {
  const found: Uint8Array[] = [];
  for (const path of files(dir)) {
    const bytes = new Uint8Array(readFileSync(path));
    found.push(bytes);
    if (path.endsWith('.ldb') && bytes.length >= 48) found.push(...tableBlocks(bytes));
  }
  return found;
}

/** Whether `text` is anywhere in `scanned`, as UTF-8 or UTF-16LE. */
export function profileHolds(scanned: readonly Uint8Array[], text: string): boolean {
  const forms = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];
  return scanned.some((bytes) => forms.some((form) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(form)));
}
