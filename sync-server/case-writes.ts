/**
 * What a kiosk may write to its village database, document by document. Called by the gateway for
 * every document of every write; a refusal is a sentence for the kiosk and the quarantine, with a code
 * where the kiosk can do something about it (a case number clash: register again under a new number).
 */
import { parseCaseDocument } from '../core/case/document.js';
import { isEventOf, kioskActorPrefix, type StoredEvent } from '../core/case/events.js';
import { parseCaseNumber } from '../core/case/number.js';
import { describeDataError } from '../core/i18n/describe.js';
import { numbersOf, type KioskDoc } from './kiosks.js';

export const MAX_DOC_BYTES = 256 * 1024;

interface StoredCase {
  readonly _rev: string;
  readonly events?: readonly StoredEvent[];
}

export interface WriteRefusal {
  readonly reason: string;
  /** `case.clash`: the case number is taken by another registration on the hub. */
  readonly code?: 'case.clash';
}

/** Undefined when the write is allowed; otherwise why not. */
export function refuseCaseWrite(doc: unknown, kiosk: KioskDoc, stored: StoredCase | undefined, newEdits: boolean): WriteRefusal | undefined {
  const reason = refusal(doc, kiosk, stored, newEdits);
  return typeof reason === 'string' ? { reason } : reason;
}

function refusal(doc: unknown, kiosk: KioskDoc, stored: StoredCase | undefined, newEdits: boolean): string | WriteRefusal | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'A document must be a JSON object.';
  const record = doc as Record<string, unknown>;
  if (typeof record._id !== 'string' || record._id === '') return 'A document needs an _id.';
  if (Buffer.byteLength(JSON.stringify(doc)) > MAX_DOC_BYTES) return `A case document may be at most ${MAX_DOC_BYTES / 1024} KB.`;
  if (record._id.startsWith('_')) return 'Design and system documents cannot be written through the gateway.';
  if (record._deleted === true) return 'Cases are never deleted from the county hub.';
  const attachments = record._attachments;
  // RxDB sends an empty `_attachments: {}`; any actual attachment is refused (it can crash the embedded store).
  if (attachments !== undefined && (typeof attachments !== 'object' || attachments === null || Object.keys(attachments).length > 0)) {
    return 'Attachments are not accepted in case documents; materials files have their own upload.';
  }

  const parsed = parseCaseDocument(doc);
  if (!parsed.ok) return describeDataError(parsed.error, 'en').slice(1).join('; ');
  const caseDoc = parsed.value;
  if (record._id !== caseDoc.caseNumber) return `The document id must be the case number ${caseDoc.caseNumber}.`;
  if (caseDoc.village !== kiosk.village) {
    return `Case ${caseDoc.caseNumber} belongs to village ${caseDoc.village}; this kiosk is enrolled for ${kiosk.village}.`;
  }

  const known = new Set((stored?.events ?? []).map((event) => event.id));
  if (!stored) {
    const number = parseCaseNumber(caseDoc.caseNumber);
    if (number.ok && !numbersOf(kiosk).includes(number.value.kioskNumber)) {
      return `Case number ${caseDoc.caseNumber} was not issued by this kiosk (its numbers: ${numbersOf(kiosk).join(', ')}).`;
    }
  }
  // Two registrations under one number: never merged into one case (two residents in one case).
  // (A kiosk of 0.1.0 merges the two into one document, the hub's creation among them: any new one counts.)
  const newCreation = caseDoc.events.some((event) => isEventOf(event, 'created') && !known.has(event.id));
  if (stored && newCreation && (stored.events ?? []).some((event) => isEventOf(event, 'created'))) {
    return {
      code: 'case.clash',
      reason: `Case number ${caseDoc.caseNumber} is already registered on the county hub for another application; this registration is kept on the kiosk: register it again under a new number.`,
    };
  }
  const prefix = kioskActorPrefix(kiosk.kioskId);
  for (const event of caseDoc.events) {
    if (known.has(event.id)) continue;
    if (event.actor.level !== 'village' || !event.actor.id.startsWith(prefix)) {
      return `Event ${event.id} is not this kiosk’s to write: a kiosk records village events under ${prefix}….`;
    }
  }
  if (stored && newEdits && record._rev === stored._rev) {
    const incoming = new Set(caseDoc.events.map((event) => event.id));
    const dropped = [...known].filter((id) => !incoming.has(id)).length;
    if (dropped > 0) return `This update would drop ${dropped} event(s) the hub already holds; merge before writing.`;
  }
  return undefined;
}
