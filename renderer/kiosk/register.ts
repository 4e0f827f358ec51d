/**
 * Writing a registration: number, sealed applicant, scans, and the events core/ builds — one case
 * document, written whole or not at all. Returns the case number, or why nothing was registered.
 */
import type { Catalog, ServiceItem } from '../../core/catalog/schema.js';
import { intakeEvents, type IntakeOutcome } from '../../core/case/intake.js';
import { lookupCodeFrom } from '../../core/case/lookup-code.js';
import type { CodedError } from '../../core/i18n/describe.js';
import { err, ok, type Result } from '../../core/result.js';
import type { FileRef } from '../data/files.js';
import type { KioskData } from '../data/kiosk-data.js';
import type { IntakeDraft, PersonDraft } from './intake-form.js';
import { newEventId, type CounterSession } from './session.js';

const personInput = (person: PersonDraft) => ({
  name: person.name,
  idNumber: person.idNumber,
  ...(person.phone.trim() ? { phone: person.phone } : {}),
  ...(person.address.trim() ? { address: person.address } : {}),
});

/** Keep each material's scans with the case; the refs go into the event that records the materials. */
export async function attachScans(
  data: Pick<KioskData, 'attachFile'>,
  caseNumber: string,
  byMaterial: IntakeDraft['scans'],
): Promise<Result<FileRef[], CodedError>> {
  const refs: FileRef[] = [];
  for (const [materialId, scans] of Object.entries(byMaterial)) {
    for (const scan of scans) {
      const attached = await data.attachFile(caseNumber, materialId, scan.bytes);
      if (!attached.ok) return attached;
      refs.push(attached.value);
    }
  }
  return ok(refs);
}

export async function registerCase(
  session: Pick<CounterSession, 'data' | 'actor'>,
  catalog: Catalog,
  item: ServiceItem,
  draft: IntakeDraft,
  outcome: IntakeOutcome,
): Promise<Result<string, CodedError>> {
  const { data, actor } = session;
  const number = await data.caseNumbers.next();
  if (!number.ok) return number;
  const caseNumber = number.value;
  const applicant = await data.sealApplicant(personInput(draft.applicant));
  const proxy = draft.hasProxy ? { ...(await data.sealApplicant(personInput(draft.proxy))), relation: draft.proxy.relation.trim() } : undefined;
  const files = await attachScans(data, caseNumber, draft.scans);
  if (!files.ok) {
    await data.discardFiles(caseNumber);
    return files;
  }
  const events = intakeEvents({
    caseNumber,
    village: data.enrollment.village,
    item,
    catalogVersion: catalog.version,
    applicant,
    ...(proxy ? { proxy } : {}),
    lookupCode: lookupCodeFrom(crypto.getRandomValues(new Uint8Array(5))),
    checklist: draft.checklist,
    files: files.value,
    outcome,
    note: draft.note,
    actor,
    at: new Date().toISOString(),
    newEventId: () => newEventId(data.enrollment.kioskId),
  });
  const written = await data.cases.register(events);
  if (!written.ok) {
    await data.discardFiles(caseNumber);
    return err(written.error);
  }
  return ok(caseNumber);
}
