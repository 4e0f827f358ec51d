/**
 * What the counter does with the village's keys — seal a new applicant, reveal an ID number a clerk asks
 * for, compute the blind index to find a case — without holding them where the shell can hold them: in
 * the Electron shell these go to main (electron/enrollment-service.ts); in browser mode the page's
 * WebCrypto does them with keys imported non-extractable.
 */
import type { DataKeyRing } from '../../core/api/enrollment.js';
import type { Person } from '../../core/case/events.js';
import type { PersonInput, UnsealError } from '../../core/case/person-seal.js';
import type { Result } from '../../core/result.js';
import type { SealedValue } from '../../core/case/sealed.js';
import { blindIndex, importKeyRing, seal, sealPerson, unseal } from './sealing.js';

export interface KioskKeys {
  sealApplicant(input: PersonInput): Promise<Person>;
  /** Seal a phone number on its own (an appointment's). */
  sealPhone(phone: string): Promise<SealedValue>;
  revealIdNumber(person: Person): Promise<Result<string, UnsealError>>;
  blindIndex(idNumber: string): Promise<string>;
}

/** The keys in this page (browser mode). */
export async function pageKeys(ring: DataKeyRing): Promise<KioskKeys> {
  const keys = await importKeyRing(ring);
  return {
    sealApplicant: (input) => sealPerson(keys, input),
    sealPhone: (phone) => seal(keys, 'phone', phone),
    revealIdNumber: (person) => unseal(keys, 'idNumber', person.idNumber),
    blindIndex: (idNumber) => blindIndex(keys, idNumber),
  };
}
