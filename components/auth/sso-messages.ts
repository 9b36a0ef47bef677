/** What the sign-in page says for each single sign-on outcome (`?error=<code>`). */
export const SSO_SIGN_IN_MESSAGES: Record<string, string> = {
  SsoRequired:
    'Your organization requires single sign-on. Continue with SSO below, using your work e-mail.',
  SsoNoEmail: 'Your identity provider did not share your e-mail address, so you cannot be signed in.',
  SsoEmailUnverified:
    'Your identity provider has not verified your e-mail address. Verify it there, then try again.',
  SsoDomainNotAllowed:
    'That e-mail address is not in a domain this organization allows for single sign-on. Ask an admin of your organization.',
  SsoNotMember:
    'An account with this e-mail exists but is not a member of this organization. Sign in with your password, or ask an admin to invite you.',
  SsoUnavailable: 'Single sign-on is unavailable for a moment. Try again shortly.',
  OAuthSignin: 'Could not reach your identity provider. Try again, or ask an admin to test the connection.',
  OAuthCallback: 'Your identity provider’s answer could not be verified. Try again.',
  Callback: 'Single sign-on could not be completed. Try again.',
  AccessDenied: 'Single sign-on was refused.',
};
