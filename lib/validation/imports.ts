import { z } from 'zod';
import { MAX_IMPORT_BYTES } from '@/lib/domain/import-limits';

/** A check-in import file's text (the browser reads the file; the server parses it). */
export const checkinImportSchema = z
  .object({
    csv: z
      .string({ error: 'Choose a CSV file' })
      .min(1, 'The file is empty')
      .max(
        MAX_IMPORT_BYTES,
        `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into smaller files`,
      ),
    /** Record the valid rows and list the refused ones (the person saw them in the preview). */
    acceptValid: z.boolean().optional(),
  })
  .strict();
