import { z } from 'zod';
import { idString } from './fields';

export const API_KEY_SCOPES = ['read', 'write'] as const;

export const createApiKeySchema = z
  .object({
    name: z
      .string({ error: 'Name the key' })
      .trim()
      .min(1, 'Name the key, such as "Warehouse sync"')
      .max(80, 'Use at most 80 characters'),
    scope: z.enum(API_KEY_SCOPES, { error: 'Choose read or write' }),
  })
  .strict();

export const revokeApiKeySchema = z.object({ apiKeyId: idString }).strict();
