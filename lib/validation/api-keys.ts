import { z } from 'zod';
import { idString } from './fields';
import { safeName } from './text';

export const API_KEY_SCOPES = ['read', 'write'] as const;

export const createApiKeySchema = z
  .object({
    name: safeName('key name', {
      max: 80,
      empty: 'Name the key, such as "Warehouse sync"',
      tooLong: 'Use at most 80 characters',
    }),
    scope: z.enum(API_KEY_SCOPES, { error: 'Choose read or write' }),
  })
  .strict();

export const revokeApiKeySchema = z.object({ apiKeyId: idString }).strict();
