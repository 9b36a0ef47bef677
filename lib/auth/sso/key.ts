import { hkdfSync } from 'node:crypto';
import { env } from '@/lib/env';
import { decodeKey } from '@/lib/security/secret-box';
import { getAuthSecret } from '../secret';

/**
 * The key that seals organizations' SSO client secrets: SSO_SECRET_KEY when set, else derived
 * from AUTH_SECRET with HKDF-SHA256 (so `npm run dev` needs nothing). Changing whichever is in
 * use makes stored secrets unreadable: admins then enter them again.
 */
export function ssoSecretKey(): Buffer {
  const configured = env().SSO_SECRET_KEY;
  if (configured) {
    const key = decodeKey(configured);
    if (key) return key;
  }
  return Buffer.from(
    hkdfSync('sha256', getAuthSecret(), Buffer.alloc(0), 'cascade-kpi sso client secret v1', 32),
  );
}
