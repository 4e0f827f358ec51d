/** The error body every Cunban API route answers with: a stable code for programs, a sentence for people. */
import { z } from 'zod';

export const apiErrorSchema = z.strictObject({
  error: z.string(),
  reason: z.string(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
