import { z } from 'zod';

/** Text a resident or clerk reads, in both languages the product ships: zh-CN first, English too. */
export const localizedTextSchema = z.object({
  zh: z.string().trim().min(1, 'Chinese text is required'),
  en: z.string().trim().min(1, 'English text is required'),
});
export type LocalizedText = z.infer<typeof localizedTextSchema>;
