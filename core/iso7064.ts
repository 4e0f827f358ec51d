/**
 * ISO 7064 MOD 11-2 check character, as used by GB 11643-1999 resident ID numbers
 * (the weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2 are 2^k mod 11 counted from the right).
 * Case numbers reuse it so a mistyped case number is caught at the counter.
 */
const CHECK_CHARACTERS = '10X98765432';

export function mod11Check(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new RangeError('mod11Check expects digits only');
  let sum = 0;
  let weight = 1;
  for (let i = digits.length - 1; i >= 0; i--) {
    weight = (weight * 2) % 11;
    sum += Number(digits[i]) * weight;
  }
  return CHECK_CHARACTERS[sum % 11] as string;
}
