/**
 * Personal numbers in text that will be published or shown — an appeal, an office's answer, a cell of a
 * disclosure list: full ID numbers, mobile numbers, bank card numbers, however they are spelled. Such text is
 * refused with what was found, never stored and never masked silently (the writer should know).
 */
import { findPlaintextIdNumbers } from './case/sealed.js';

const CHINESE_DIGITS: Readonly<Record<string, string>> = { 〇: '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
/** Digits of other scripts NFKC leaves alone (Arabic-Indic, Extended Arabic-Indic, Devanagari): their zero. */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966];

/**
 * The digits a text spells, however written: NFKC (full-width), other scripts' digits and Chinese numerals as
 * ASCII, invisible characters (zero-width, soft hyphen: Unicode's format characters) removed, and spaces,
 * dots, dashes, slashes, brackets and line breaks between digits closed up.
 */
export function digitsSpelled(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f]/gu, (digit) => {
      const code = digit.codePointAt(0) ?? 0;
      const zero = DIGIT_ZEROS.find((start) => code >= start && code <= start + 9) ?? code;
      return String(code - zero);
    })
    .replace(/[〇零一二三四五六七八九]/gu, (numeral) => CHINESE_DIGITS[numeral] ?? numeral)
    .replace(/(?<=\d)[\s.\-/()（）·_]+(?=[\dXx])/gu, '');
}

const ID_NUMBER = /(?<!\d)\d{17}[\dXx](?!\d)/;
/** The first-generation ID number, 15 digits: looked for after a phone, which a country code makes as long. */
const OLD_ID_NUMBER = /(?<!\d)\d{15}(?!\d)/;
const MOBILE_NUMBER = /(?<!\d)(?:\+?(?:00)?86)?1[3-9]\d{9}(?!\d)/;

/**
 * What personal number free text holds: a full ID number (18 characters, or the old 15 digits) or a mobile
 * number, spelled in any width, script or grouping (`digitsSpelled`).
 */
export function personalNumberIn(text: string): 'idNumber' | 'phone' | undefined {
  if (findPlaintextIdNumbers(text).length > 0) return 'idNumber';
  const digits = digitsSpelled(text);
  if (ID_NUMBER.test(digits)) return 'idNumber';
  if (MOBILE_NUMBER.test(digits)) return 'phone';
  return OLD_ID_NUMBER.test(digits) ? 'idNumber' : undefined;
}

/** Whether `digits` pass the Luhn check every bank card number carries. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Whether text spells a bank card number: a run of 16 to 19 digits, however grouped, that passes the Luhn check. */
export function bankCardNumberIn(text: string): boolean {
  return [...digitsSpelled(text).matchAll(/(?<!\d)\d{16,19}(?!\d)/g)].some((run) => passesLuhn(run[0]));
}
