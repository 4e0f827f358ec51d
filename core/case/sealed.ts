/**
 * Sensitive values (full ID numbers, phone and bank account numbers) are stored only sealed:
 * AES-256-GCM ciphertext with the id of the county data key that sealed it, so keys can rotate and
 * old ciphertexts stay readable. core/ defines the shape; the kiosk seals with WebCrypto.
 * A keyed hash (HMAC-SHA-256, hex) is the blind index that finds a case by a full ID number.
 */
import { z } from 'zod';
import { maskResidentId } from '../resident-id.js';

const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'expected base64url');

export const sealedValueSchema = z.object({
  alg: z.literal('A256GCM'),
  /** Which county data key sealed this value. */
  kid: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'key id is 1–64 letters, digits, _ . -'),
  /** 96-bit nonce. */
  iv: base64url(16, 16),
  /** Ciphertext with its 128-bit tag; a few KB at most. */
  ct: base64url(22, 8192),
});
export type SealedValue = z.infer<typeof sealedValueSchema>;

/** A mobile number as screens show it (core/resident-id.ts's maskPhone): `139****2222`, never the number itself. */
export const maskedPhoneSchema = z.string().regex(/^1\d{2}\*{4}\d{4}$/, 'a masked mobile number, as 139****2222');

export const blindIndexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a 64-character hex HMAC');

const ID_NUMBER_TOKEN = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const ID_NUMBER_GROUPED = /(?<![0-9A-Za-z])\d{6}[ -]\d{8}[ -]\d{3}[\dXx](?![0-9A-Za-z])/g;

/** Whether a string holds what looks like an ID number, written in ASCII or full-width digits. */
function holdsIdNumber(text: string): boolean {
  const normal = text.normalize('NFKC');
  ID_NUMBER_TOKEN.lastIndex = 0;
  ID_NUMBER_GROUPED.lastIndex = 0;
  return ID_NUMBER_TOKEN.test(normal) || ID_NUMBER_GROUPED.test(normal);
}

/**
 * Paths of every string in `value` — a value or a field's name — that contains what looks like a
 * plaintext resident ID number (18 characters, or grouped 6-8-4, full-width digits too). Used to refuse a
 * document before it is stored anywhere. Shape alone decides, deliberately: a number with a wrong check
 * character is still a person's number mistyped, and must not be stored in the clear either.
 */
export function findPlaintextIdNumbers(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return holdsIdNumber(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => findPlaintextIdNumbers(item, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => {
      // A path is shown and stored (the refusal's reason): a field's name in it is masked too.
      const name = redactText(key);
      const at = path === '' ? name : `${path}.${name}`;
      return [...(holdsIdNumber(key) ? [at] : []), ...findPlaintextIdNumbers(item, at)];
    });
  }
  return [];
}

/** `text` with each ID-number-like run masked (full-width text is read, and masked, as ASCII). */
export function redactText(text: string): string {
  if (!holdsIdNumber(text)) return text;
  return text
    .normalize('NFKC')
    .replace(ID_NUMBER_TOKEN, (id) => maskResidentId(id))
    .replace(ID_NUMBER_GROUPED, (id) => maskResidentId(id));
}

/** A copy of `value` with every plaintext-looking ID number masked, in values and field names, for quarantine and logs. */
export function redactPlaintextIdNumbers(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactPlaintextIdNumbers);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactText(key), redactPlaintextIdNumbers(item)]));
  }
  return value;
}
