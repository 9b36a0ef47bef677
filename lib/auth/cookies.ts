/**
 * Session cookies are HttpOnly and SameSite=Lax always (next-auth's defaults), and Secure with the
 * `__Secure-`/`__Host-` prefixes in production, whatever NEXTAUTH_URL says. The proxy must read the
 * session cookie under the same name.
 */
export function secureCookies(): boolean {
  return process.env.NODE_ENV === 'production';
}

/** The session cookie's name, as next-auth names it with or without secure cookies. */
export function sessionCookieName(): string {
  return `${secureCookies() ? '__Secure-' : ''}next-auth.session-token`;
}
