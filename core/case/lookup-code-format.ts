/**
 * How a lookup code (core/case/lookup-code.ts) or an appointment code is printed and read aloud, apart from
 * its schema so that the residents' page can format one without bundling zod.
 */

/** As printed and read aloud: two groups of four, `K7QX-2M9P`. */
export const formatLookupCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
