/**
 * An index of texts (residents' names) by their search forms (pinyin.ts), for substring search at counter
 * speed: every distinct text's forms are written once, whitespace removed, into one string, and a query is
 * found with `indexOf` over it — the engine's string search, a few milliseconds over 200,000 forms — and
 * mapped back to its text by the form's offset. The same texts match as with `matchRank` on each text's
 * forms, a single-word query (any form starts with it or holds it); a query of several words is answered
 * by `matchRank` text by text (rare at the counter, and the index still dedupes the texts).
 *
 * Append-only: a text is indexed the first time it is seen (`add`), so a new case costs one entry, not a
 * rebuild; texts no longer in use stay behind harmlessly (a query's answer is filtered by the caller's cases).
 */
import { matchRank, normalizeQuery, searchForms } from './pinyin.js';

/** Never inside a form: forms have their whitespace removed, and this is whitespace. */
const SEPARATOR = '\n';

export interface TextIndex {
  /** Index `text` (a no-op if it is indexed already). */
  add(text: string): void;
  /** The indexed texts a query matches. */
  matching(query: string): Set<string>;
  readonly size: number;
}

export function textIndex(kind: 'name' | 'text' = 'name'): TextIndex {
  const forms = new Map<string, readonly string[]>();
  const texts: string[] = [];
  // Where each text's forms start in `joined`, ascending: a hit's text is found by binary search.
  const starts: number[] = [];
  let chunks: string[] = [];
  let joined = '';

  const haystack = () => {
    if (chunks.length > 0) {
      joined += chunks.join('');
      chunks = [];
    }
    return joined;
  };

  /** The index of the text whose forms hold offset `at`. */
  function textAt(at: number): number {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= at) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  let length = 0;
  return {
    add(text) {
      if (forms.has(text)) return;
      const own = searchForms(text, kind);
      forms.set(text, own);
      texts.push(text);
      starts.push(length);
      const entry = `${own.map((form) => form.replace(/\s+/g, '')).join(SEPARATOR)}${SEPARATOR}`;
      chunks.push(entry);
      length += entry.length;
    },
    matching(query) {
      const found = new Set<string>();
      if (query.trim().split(/\s+/).length > 1) {
        for (const [text, own] of forms) if (matchRank(own, query) !== undefined) found.add(text);
        return found;
      }
      const q = normalizeQuery(query);
      if (q === '') return new Set(forms.keys());
      const all = haystack();
      for (let at = all.indexOf(q); at !== -1; at = all.indexOf(q, at + 1)) {
        const index = textAt(at);
        const text = texts[index];
        if (text !== undefined) found.add(text);
        // The rest of this text's forms can add nothing: go on from the next text.
        const next = starts[index + 1];
        if (next !== undefined && next > at + 1) at = next - 1;
      }
      return found;
    },
    get size() {
      return texts.length;
    },
  };
}
