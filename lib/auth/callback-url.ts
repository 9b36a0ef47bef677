/** Where to go after sign-in: only a same-site relative path, never an open redirect elsewhere. */
export function safeCallback(callbackUrl: string | undefined): string {
  if (!callbackUrl || !callbackUrl.startsWith('/') || callbackUrl.startsWith('//')) return '/';
  if (/[\\\s]/.test(callbackUrl)) return '/';
  return callbackUrl;
}
