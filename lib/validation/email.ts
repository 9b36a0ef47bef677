import { z } from 'zod';

/**
 * An email address, trimmed and lowercased. Its own module: client forms import it without the
 * password rules of ./auth (node:crypto and the common-password list stay on the server).
 */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address.').max(254, 'That email address is too long.'));
