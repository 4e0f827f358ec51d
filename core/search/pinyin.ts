/**
 * Finding Chinese text the way a clerk types at the counter: by the characters, by full pinyin, or by
 * pinyin initials (`db` finds 最低生活保障（低保）, `zs` finds 张三). Surnames use their surname reading
 * (单 → shan), so a resident's name is found by the initials people say.
 *
 * Text and query are folded alike first (`foldText`): Unicode NFKC, so text pasted decomposed (NFD) or
 * holding CJK compatibility ideographs (U+F9A8 令) matches its usual form; and a few name characters that
 * input methods rarely offer folded to the one clerks type (𠮷 → 吉), which also gives them pinyin. ü is
 * found typed as `v` (the input methods' key) or `u` (吕 → lv, lu). A character with no pinyin at all keeps
 * itself in the pinyin forms, so the rest of the name is still found by its initials.
 */
import { pinyin } from 'pinyin-pro';

/**
 * Variant characters seen in residents' names that input methods rarely offer, and the character clerks
 * type for them (NFKC folds the compatibility ideographs itself). Grows with the names counties meet.
 */
const NAME_VARIANTS: Readonly<Record<string, string>> = {
  '𠮷': '吉', // U+20BB7, the "土吉" form of 吉 (ji)
};

/** Text as it is compared: NFKC, name variants folded, lower case. */
export function foldText(text: string): string {
  return Array.from(text.normalize('NFKC'), (char) => NAME_VARIANTS[char] ?? char)
    .join('')
    .toLowerCase();
}

/** A syllable (or a character without pinyin) as it goes into a form: letters and digits only. */
const syllableForm = (syllable: string) => syllable.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * Lower-case forms of one text to match a query against: the text itself (folded), its full pinyin with ü
 * as `v` and as `u` (one form when it has no ü), and its initials.
 */
export function searchForms(text: string, kind: 'name' | 'text' = 'text'): string[] {
  const folded = foldText(text);
  const surname = kind === 'name' ? ('head' as const) : ('off' as const);
  const options = { toneType: 'none', type: 'array', surname } as const;
  const full = pinyin(folded, options).map(syllableForm).join('');
  const initials = pinyin(folded, { ...options, pattern: 'first' })
    .map(syllableForm)
    .join('');
  return [...new Set([folded, full.replaceAll('ü', 'v'), full.replaceAll('ü', 'u'), initials])];
}

/** How a query turns into what `searchForms` is compared with: folded, no spaces, ü typed as v. */
export function normalizeQuery(query: string): string {
  return foldText(query.trim()).replace(/\s+/g, '').replaceAll('ü', 'v');
}

/**
 * 0 when any form starts with the query, 1 when one contains it — or, for a query of several words,
 * when every word is in some form (`certificate disability`) — and undefined when nothing matches.
 * Callers sort by this rank, so prefixes come first.
 */
export function matchRank(forms: readonly string[], query: string): 0 | 1 | undefined {
  const q = normalizeQuery(query);
  if (q === '') return 0;
  const compact = forms.map((form) => form.replace(/\s+/g, ''));
  if (compact.some((form) => form.startsWith(q))) return 0;
  if (compact.some((form) => form.includes(q))) return 1;
  const words = query.trim().split(/\s+/).map(normalizeQuery);
  if (words.length > 1 && words.every((word) => forms.some((form) => form.includes(word)))) return 1;
  return undefined;
}
