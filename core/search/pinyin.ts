/**
 * Finding Chinese text the way a clerk types at the counter: by the characters, by full pinyin, or by
 * pinyin initials (`db` finds 最低生活保障（低保）, `zs` finds 张三). Surnames use their surname reading
 * (单 → shan), so a resident's name is found by the initials people say.
 */
import { pinyin } from 'pinyin-pro';

/** Lower-case forms of one text to match a query against: the text itself, its full pinyin, its initials. */
export function searchForms(text: string, kind: 'name' | 'text' = 'text'): string[] {
  const surname = kind === 'name' ? ('head' as const) : ('off' as const);
  const options = { toneType: 'none', type: 'array', surname } as const;
  const syllables = pinyin(text, options).map((s) => s.toLowerCase().replace(/[^a-z]/g, ''));
  const initials = pinyin(text, { ...options, pattern: 'first' }).map((s) => s.toLowerCase().replace(/[^a-z]/g, ''));
  return [text.toLowerCase(), syllables.join(''), initials.join('')];
}

/** How a query turns into what `searchForms` is compared with: lower case, no spaces. */
export function normalizeQuery(query: string): string {
  return query.trim().toLowerCase().replace(/\s+/g, '');
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
  const words = query.trim().toLowerCase().split(/\s+/);
  if (words.length > 1 && words.every((word) => forms.some((form) => form.includes(word)))) return 1;
  return undefined;
}
