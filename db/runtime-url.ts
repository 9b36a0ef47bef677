import { RUNTIME_ROLE } from './runtime-role';

/**
 * The same server and database as `ownerUrl`, logged in as the runtime role (no password: for
 * local servers with trust authentication, as the tests and CI use).
 */
export function runtimeRoleUrl(ownerUrl: string, role: string = RUNTIME_ROLE): string {
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = '';
  return url.toString();
}
