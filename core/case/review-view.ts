/**
 * A case as reviewers' screens receive it: every sealed value removed (the console never needs
 * ciphertext; a full number comes only through an audited reveal), masked copies kept — and the
 * resident's lookup code, which opens the public page for the resident and is no reviewer's business.
 */
import type { CaseDocument } from './document.js';

const SEALED_FIELDS = new Set(['idNumber', 'phone', 'idNumberHash', 'lookupCode']);

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !SEALED_FIELDS.has(key))
      .map(([key, item]) => [key, strip(item)]),
  );
}

/** The document without sealed values or blind indexes; its summary keeps what queues and screens show. */
export function reviewViewOf(doc: CaseDocument): Omit<CaseDocument, 'summary'> & { summary: Omit<CaseDocument['summary'], 'applicantIdHash'> } {
  const { applicantIdHash: _hash, ...summary } = doc.summary;
  return { ...(strip({ ...doc, summary: undefined }) as Omit<CaseDocument, 'summary'>), summary };
}
