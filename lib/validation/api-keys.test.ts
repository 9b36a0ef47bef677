import { describe, expect, it } from 'vitest';
import { createApiKeySchema, scopeAllows } from './api-keys';

describe('API key scopes', () => {
  it('each scope includes the ones before it, never the ones after', () => {
    expect(scopeAllows('read', 'read')).toBe(true);
    expect(scopeAllows('read', 'write')).toBe(false);
    expect(scopeAllows('write', 'read')).toBe(true);
    expect(scopeAllows('write', 'write:definitions')).toBe(false);
    expect(scopeAllows('write:definitions', 'write')).toBe(true);
    expect(scopeAllows('write:definitions', 'write:definitions')).toBe(true);
  });

  it('accepts the three scopes and names them when refusing another', () => {
    expect(createApiKeySchema.parse({ name: 'Sync', scope: 'write:definitions' }).scope).toBe('write:definitions');
    const refused = createApiKeySchema.safeParse({ name: 'Sync', scope: 'admin' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('Choose read, write or write:definitions');
  });
});
