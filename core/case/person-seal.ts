/**
 * A resident as stored, from what the clerk typed: name and address as typed, each number sealed and a
 * masked copy kept for screens, the ID number's blind index for finding the case again. Whoever holds the
 * keys seals — WebCrypto in the page (browser mode), main in the Electron shell — through `Sealer`.
 */
import { maskPhone, maskResidentId } from '../resident-id.js';
import type { Person } from './events.js';
import type { SealedValue } from './sealed.js';

export type SealedField = 'idNumber' | 'phone' | 'bankAccount';

export interface PersonInput {
  readonly name: string;
  /** Already validated with core/'s parseResidentId. */
  readonly idNumber: string;
  readonly phone?: string;
  readonly address?: string;
}

export interface Sealer {
  seal(field: SealedField, plaintext: string): Promise<SealedValue>;
  /** HMAC-SHA-256 (hex) of a normalised full ID number. */
  blindIndex(idNumber: string): Promise<string>;
}

export type UnsealError = { readonly code: 'unseal.unknownKey'; readonly kid: string } | { readonly code: 'unseal.failed' };

/** The form an ID number is sealed and indexed in: trimmed, check character upper case. */
export const normalizeIdNumber = (idNumber: string) => idNumber.trim().toUpperCase();

export async function sealPersonWith(sealer: Sealer, input: PersonInput): Promise<Person> {
  const idNumber = normalizeIdNumber(input.idNumber);
  const phone = input.phone?.replace(/[\s-]/g, '');
  return {
    name: input.name.trim(),
    idNumber: await sealer.seal('idNumber', idNumber),
    idNumberMasked: maskResidentId(idNumber),
    idNumberHash: await sealer.blindIndex(idNumber),
    ...(phone ? { phone: await sealer.seal('phone', phone), phoneMasked: maskPhone(phone) } : {}),
    ...(input.address?.trim() ? { address: input.address.trim() } : {}),
  };
}
