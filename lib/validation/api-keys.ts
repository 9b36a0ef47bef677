import { z } from 'zod';
import { idString } from './fields';
import { safeName } from './text';

/**
 * What a key may do, each scope including the ones before it: `read` reads, `write` also records
 * check-ins, `write:definitions` also changes definitions (KPIs, targets, links, owners, webhooks).
 */
export const API_KEY_SCOPES = ['read', 'write', 'write:definitions'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Whether a key of scope `held` may call an operation that needs `needed`. */
export function scopeAllows(held: ApiKeyScope, needed: ApiKeyScope): boolean {
  return API_KEY_SCOPES.indexOf(held) >= API_KEY_SCOPES.indexOf(needed);
}

export const createApiKeySchema = z
  .object({
    name: safeName('key name', {
      max: 80,
      empty: 'Name the key, such as "Warehouse sync"',
      tooLong: 'Use at most 80 characters',
    }),
    scope: z.enum(API_KEY_SCOPES, { error: 'Choose read, write or write:definitions' }),
  })
  .strict();

export const revokeApiKeySchema = z.object({ apiKeyId: idString }).strict();
