import type { NextAuthOptions, Session } from 'next-auth';
import type { JWT } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import { randomUUID } from 'node:crypto';
import { authenticate, getActiveUser } from '@/lib/dal/accounts';
import { checkSecondFactorAtSignIn, SecondFactorError } from '@/lib/dal/two-factor/sign-in';
import { endSession, startSession } from '@/lib/dal/sessions';
import { passwordSignInNeedsSso } from '@/lib/dal/sso/sign-in';
import { clientAddressFromHeaders } from '@/lib/server/client-address';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { signInSchema } from '@/lib/validation/auth';
import { secureCookies, sessionCookieName } from './cookies';
import { decodeSessionJwt, encodeSessionJwt, sessionClaimsOf } from './jwt-codec';
import { getAuthSecret } from './secret';

/** Shown for an unknown email and a wrong password alike. */
export const INVALID_CREDENTIALS = 'CredentialsSignin';

/** A right password of someone whose organization requires single sign-on (README "Single sign-on"). */
export const SSO_REQUIRED = 'SsoRequired';

/** What the sign-in form shows for a failure we did not expect (never the error's own text). */
export const SIGN_IN_UNAVAILABLE = 'SignInUnavailable';

function withClaims(session: Session, token: JWT): Session {
  if (session.user) {
    const target = session.user as { id?: unknown; sv?: unknown; sid?: unknown };
    target.id = token.uid;
    target.sv = token.sv;
    target.sid = token.sid;
  }
  return session;
}

function headerReader(headers: Record<string, unknown> | undefined) {
  return (name: string) => {
    const value = headers?.[name];
    return typeof value === 'string' ? value : undefined;
  };
}

/**
 * next-auth (v4) with email + password and JWT sessions. The JWT carries the user id and the
 * session version; every request re-checks both against the database (lib/server/org-context).
 * Lifetime: SESSION_MAX_AGE_SECONDS (default 12 hours), refreshed at most every 15 minutes.
 */
export const authOptions: NextAuthOptions = {
  secret: getAuthSecret(),
  session: { strategy: 'jwt', maxAge: env().SESSION_MAX_AGE_SECONDS, updateAge: 15 * 60 },
  // next-auth's token format, with the HKDF-derived key computed once (lib/auth/jwt-codec.ts).
  jwt: {
    maxAge: env().SESSION_MAX_AGE_SECONDS,
    encode: encodeSessionJwt,
    decode: decodeSessionJwt,
  },
  pages: { signIn: '/sign-in', error: '/sign-in' },
  // Secure (and __Secure-/__Host- prefixed) in production; HttpOnly and SameSite=Lax always.
  useSecureCookies: secureCookies(),
  cookies: {
    sessionToken: {
      name: sessionCookieName(),
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: secureCookies() },
    },
  },
  providers: [
    CredentialsProvider({
      name: 'Email and password',
      credentials: {
        email: { label: 'Email', type: 'email' },
        password: { label: 'Password', type: 'password' },
        // The second step for people with a second factor: an authenticator or recovery code.
        code: { label: 'Code', type: 'text' },
      },
      async authorize(credentials, req) {
        const parsed = signInSchema.safeParse({
          email: credentials?.email ?? '',
          password: credentials?.password ?? '',
        });
        if (!parsed.success) return null;
        try {
          const address = clientAddressFromHeaders(
            headerReader(req.headers as Record<string, unknown> | undefined),
          );
          const user = await authenticate(parsed.data.email, parsed.data.password, address);
          if (!user) return null;
          if (await passwordSignInNeedsSso(user.id)) throw new Error(SSO_REQUIRED);
          const code =
            typeof credentials?.code === 'string' ? credentials.code.slice(0, 64) : undefined;
          await checkSecondFactorAtSignIn(user, code, address);
          const sid = await startSession(user.id);
          return { id: user.id, email: user.email, name: user.name, sv: user.sessionVersion, sid };
        } catch (error) {
          if (error instanceof Error && error.message === SSO_REQUIRED) throw error;
          // next-auth turns a thrown Error's message into ?error=...: only our fixed codes go
          // there, never a database error's text (it would carry SQL and its parameters).
          if (error instanceof AppError && error.code === 'RATE_LIMITED')
            throw new Error('RateLimited');
          if (error instanceof SecondFactorError) throw new Error(error.reason);
          console.error(`[sign-in ${randomUUID()}]`, error);
          throw new Error(SIGN_IN_UNAVAILABLE);
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sv = (user as { sv?: number }).sv;
        token.sid = (user as { sid?: string }).sid;
      }
      return token;
    },
    // /api/auth/session answers an empty session for an ended one (signed out, signed out
    // everywhere, password changed): the cookie alone proves nothing.
    // A database that cannot answer gives an empty session too, but keeps the cookie (a throw
    // here would make next-auth delete it and sign the person out for a passing failure).
    async session({ session, token }) {
      const claims = sessionClaimsOf(token);
      const live = claims ? await getActiveUser(claims).catch(() => null) : null;
      return live ? withClaims(session, token) : ({} as Session);
    },
  },
  events: {
    // Sign-out ends the session row too: a copy of the cookie is worthless from now on.
    async signOut({ token }) {
      if (typeof token?.sid === 'string') await endSession(token.sid);
    },
  },
};
