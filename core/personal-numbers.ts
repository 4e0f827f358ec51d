/**
 * Personal numbers in text that will be published or shown — an appeal, an office's answer, a cell of a
 * disclosure list: full ID numbers, mobile numbers, bank card numbers, however they are spelled. Such text is
 * refused with what was found, never stored and never masked silently (the writer should know).
 *
 * How a number is found: the text is folded (`foldText`: widths, every script's digits, Chinese numerals plain and
 * capital, invisible characters gone, ×-like marks after a digit as X), then split into runs of digit groups —
 * groups of digits (and a check character X) separated by at most a few separators (spaces, dots, dashes, slashes,
 * brackets, commas, 、, colons, dashes of any length). Every contiguous stretch of a run's groups is tried, joined,
 * against each number's exact shape — so `13912345678 3人` and `4228 2219 8001 0100 16 2` are found (merging
 * everything would have made one run too long to be either), and `1、2、3…` is not (a stretch of more than one
 * group has no single-digit group but the last: nobody writes a number a digit at a time).
 */
import { findPlaintextIdNumbers } from './case/sealed.js';

const CHINESE_DIGITS: Readonly<Record<string, string>> = {
  〇: '0',
  零: '0',
  一: '1',
  幺: '1',
  二: '2',
  两: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
  // Capital numerals (大写), as cheques and forms write them.
  壹: '1',
  贰: '2',
  貳: '2',
  叁: '3',
  參: '3',
  肆: '4',
  伍: '5',
  陆: '6',
  陸: '6',
  柒: '7',
  捌: '8',
  玖: '9',
};

/** Characters that show nothing: format characters, combining marks (a keycap's), and the Hangul and Braille fillers. */
const INVISIBLE = /\p{Cf}|\p{Mn}|\p{Me}|[\u3164\u115f\u1160\uffa0\u2800]/gu;
/** Marks a check character X is typed as. */
const X_LIKE = /(?<=\d)[×✕✖χΧ]/gu;

/** The value of a decimal digit of any script: its distance from the first digit of its run of ten. */
function digitValue(char: string): string {
  let code = char.codePointAt(0) ?? 0;
  let steps = 0;
  while (steps < 9 && /\p{Nd}/u.test(String.fromCodePoint(code - 1))) {
    code -= 1;
    steps += 1;
  }
  return String(((char.codePointAt(0) ?? 0) - code) % 10);
}

/**
 * Text as the guard reads it: NFKC (full-width forms, circled and mathematical digits), invisible characters
 * removed, every script's decimal digits and Chinese numerals as ASCII digits, an ×-like mark after a digit as X.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\p{Nd}/gu, (digit) => (/[0-9]/.test(digit) ? digit : digitValue(digit)))
    .replace(/[〇零一幺二两三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖]/gu, (numeral) => CHINESE_DIGITS[numeral] ?? numeral)
    .replace(X_LIKE, 'X');
}

/** What may stand between the groups of one number, as people write them. */
const SEPARATOR = String.raw`[\s.\-/()（）·_,，、—–~:：]{1,3}`;
const RUN = new RegExp(String.raw`\d[\dXx]*(?:${SEPARATOR}\d[\dXx]*)*`, 'gu');

/** Every number a text spells: for each run of groups, each stretch of groups joined (at most 8 groups). */
function candidates(text: string): string[] {
  const found: string[] = [];
  for (const run of foldText(text).matchAll(RUN)) {
    const groups = run[0].split(new RegExp(SEPARATOR, 'u')).filter((group) => group !== '');
    for (let start = 0; start < groups.length; start += 1) {
      let joined = '';
      for (let end = start; end < Math.min(groups.length, start + 8); end += 1) {
        const group = groups[end] ?? '';
        // Only the last group of a stretch may be a single character (a lone check character or final digit).
        if (end > start && (groups[end - 1] ?? '').length < 2) break;
        joined += group.toUpperCase();
        found.push(joined);
      }
    }
  }
  return found;
}

const ID_NUMBER = /^\d{17}[\dX]$/;
/** The first-generation ID number, 15 digits. */
const OLD_ID_NUMBER = /^\d{15}$/;
/** A mainland mobile number, with a country code or a trunk 0 in front or neither. */
const MOBILE_NUMBER = /^(?:(?:00)?86|0)?1[3-9]\d{9}$/;
const CARD_NUMBER = /^\d{16,19}$/;

/**
 * What personal number free text holds: a full ID number (18 characters, or the old 15 digits) or a mobile
 * number, spelled in any width, script, numerals or grouping.
 */
export function personalNumberIn(text: string): 'idNumber' | 'phone' | undefined {
  const kind = numberKindIn(text);
  // A card number is not refused in an appeal (a resident may quote one to say which payment is missing)…
  if (kind !== 'bankCard') return kind;
  // …but a 15-digit stretch of it still reads as the old ID number, as it did before cards were told apart.
  return candidates(text).some((number) => OLD_ID_NUMBER.test(number)) ? 'idNumber' : undefined;
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

const isCardNumber = (number: string) => CARD_NUMBER.test(number) && passesLuhn(number);

/** Whether text spells a bank card number: 16 to 19 digits, however grouped, that pass the Luhn check. */
export function bankCardNumberIn(text: string): boolean {
  return candidates(text).some(isCardNumber);
}

/**
 * Any personal number a text spells, named by what it most likely is: an 18-character ID number, a mobile number,
 * a bank card number, then the old 15-digit ID number (which part of a card number may look like).
 */
export function numberKindIn(text: string): 'idNumber' | 'phone' | 'bankCard' | undefined {
  if (findPlaintextIdNumbers(text).length > 0) return 'idNumber';
  const numbers = candidates(text);
  if (numbers.some((number) => ID_NUMBER.test(number))) return 'idNumber';
  if (numbers.some((number) => MOBILE_NUMBER.test(number))) return 'phone';
  if (numbers.some(isCardNumber)) return 'bankCard';
  return numbers.some((number) => OLD_ID_NUMBER.test(number)) ? 'idNumber' : undefined;
}
