/**
 * A county's spreadsheet, exported as CSV, read for a disclosure list (issue 19 §1): decoded as UTF-8 (with or
 * without its byte-order mark) or, when it is not UTF-8, as GB 18030 — what Excel and WPS save as "CSV" on a
 * Chinese Windows — and split into rows by papaparse (quotes, commas and line breaks inside cells, CRLF). What is
 * in the cells is then core's to judge (core/disclosure/publication.ts `tableFromSheet`, `tableProblems`).
 */
import Papa from 'papaparse';
import { err, ok, type Result } from '../../core/result.js';

export type SheetEncoding = 'utf-8' | 'gb18030';
export type SheetError = { readonly code: 'sheet.unreadable' } | { readonly code: 'sheet.tooLarge' } | { readonly code: 'sheet.empty' };

/** A county list is a few hundred lines; anything near this is not one. */
export const MAX_SHEET_BYTES = 2 * 1024 * 1024;

/** The file's text and how it was written. */
export function decodeSheet(bytes: Uint8Array): Result<{ text: string; encoding: SheetEncoding }, SheetError> {
  if (bytes.byteLength > MAX_SHEET_BYTES) return err({ code: 'sheet.tooLarge' });
  try {
    // `fatal`: a byte sequence that is not UTF-8 throws, rather than turning into U+FFFD.
    return ok({ text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' });
  } catch {
    try {
      return ok({ text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'gb18030' });
    } catch {
      return err({ code: 'sheet.unreadable' });
    }
  }
}

/** The rows of a CSV text, every cell a string; blank lines kept out. */
export function parseSheet(text: string): Result<string[][], SheetError> {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
  // A stray quote is reported but the rows are still right; only no rows at all is an error here.
  return parsed.data.length === 0 ? err({ code: 'sheet.empty' }) : ok(parsed.data.map((row) => row.map(String)));
}

/** A file's bytes to rows. */
export function readSheet(bytes: Uint8Array): Result<{ rows: string[][]; encoding: SheetEncoding }, SheetError> {
  const decoded = decodeSheet(bytes);
  if (!decoded.ok) return decoded;
  const rows = parseSheet(decoded.value.text);
  return rows.ok ? ok({ rows: rows.value, encoding: decoded.value.encoding }) : rows;
}
