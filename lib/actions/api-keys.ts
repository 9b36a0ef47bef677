'use server';
// API key actions (create: the secret is returned once; revoke): owners and admins only.
import { createApiKey, revokeApiKey } from '@/lib/dal/api-keys/keys';
import { orgAction } from '@/lib/server/org-action';
import { createApiKeySchema, revokeApiKeySchema } from '@/lib/validation/api-keys';

export const createApiKeyAction = orgAction({
  permission: 'apikeys.manage',
  input: createApiKeySchema,
  run: ({ ctx, input, tx }) => createApiKey(ctx, tx, input),
});

export const revokeApiKeyAction = orgAction({
  permission: 'apikeys.manage',
  input: revokeApiKeySchema,
  run: ({ ctx, input, tx }) => revokeApiKey(ctx, tx, input),
});
