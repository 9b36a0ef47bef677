import { secretKeyFor } from '@/lib/security/secret-key';

/**
 * The key that seals organizations' SSO client secrets: SSO_SECRET_KEY when set, else derived
 * from AUTH_SECRET. Changing whichever is in use makes stored secrets unreadable: admins then
 * enter them again.
 */
export function ssoSecretKey(): Buffer {
  return secretKeyFor('sso');
}
