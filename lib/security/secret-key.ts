import { hkdfSync } from 'node:crypto';
import { getAuthSecret } from '@/lib/auth/secret';
import { env } from '@/lib/env';
import { decodeKey } from './secret-box';

/*
 * The one place that turns configuration into the 32-byte keys of `secret-box.ts`, by purpose.
 * Each purpose has its own environment variable (so AUTH_SECRET can be rotated without losing
 * what was sealed) and otherwise a key derived from AUTH_SECRET with HKDF-SHA256 under its own
 * label (so `npm run dev` needs nothing and no two purposes share a key). The salt and label of
 * each purpose are fixed forever: changing them makes every value sealed before unreadable.
 */

type Purpose = {
  /** The variable that overrides the derived key. */
  variable: 'SSO_SECRET_KEY' | 'TOTP_SECRET_KEY' | 'INTEGRATIONS_SECRET_KEY';
  /**
   * `key`: the variable holds the key itself (64 hex characters or base64 of 32 bytes);
   * `material`: it is secret text the key is derived from, like AUTH_SECRET.
   */
  variableIs: 'key' | 'material';
  salt: string;
  label: string;
};

const PURPOSES = {
  /** Organizations' SSO client secrets. */
  sso: { variable: 'SSO_SECRET_KEY', variableIs: 'key', salt: '', label: 'cascade-kpi sso client secret v1' },
  /** Members' second-factor (TOTP) secrets. */
  totp: { variable: 'TOTP_SECRET_KEY', variableIs: 'material', salt: 'cascade-kpi', label: 'totp-secret-v1' },
  /** Integration credentials: webhook signing secrets, SQL source connection URLs. */
  integrations: {
    variable: 'INTEGRATIONS_SECRET_KEY',
    variableIs: 'key',
    salt: '',
    label: 'cascade-kpi integration secret v1',
  },
} as const satisfies Record<string, Purpose>;

export type SecretPurpose = keyof typeof PURPOSES;

export function secretKeyFor(purpose: SecretPurpose): Buffer {
  const p: Purpose = PURPOSES[purpose];
  const configured = (env() as Partial<Record<Purpose['variable'], string>>)[p.variable];
  if (configured && p.variableIs === 'key') {
    const key = decodeKey(configured);
    if (key) return key;
  }
  const material = configured && p.variableIs === 'material' ? configured : getAuthSecret();
  return Buffer.from(hkdfSync('sha256', material, p.salt, p.label, 32));
}
