/**
 * The schema of a stored or sent calendar date (local-date.ts), apart from the date functions so that a page
 * needing only those (the residents' page, for phones on weak signals) does not carry zod.
 */
import { z } from 'zod';
import { parseLocalDate, type LocalDate } from './local-date.js';

export const localDateSchema = z
  .string()
  .refine((text) => parseLocalDate(text) !== undefined, 'expected a real date as YYYY-MM-DD')
  .transform((text) => text as LocalDate);
