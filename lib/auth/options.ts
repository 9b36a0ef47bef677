import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { authenticate } from '@/lib/dal/accounts';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { signInSchema } from '@/lib/validation/auth';
import { secureCookies, sessionCookieName } from './cookies';
import { getAuthSecret } from './secret';

/** Shown for an unknown email and a wrong password alike. */
export const INVALID_CREDENTIALS = 'CredentialsSignin';

function clientIp(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  const real = headers?.['x-real-ip'];
  return first || (typeof real === 'string' ? real : '') || 'unknown';
}

/**
 * next-auth (v4) with email + password and JWT sessions. The JWT carries the user id and the
 * session version; every request re-checks both against the database (lib/server/org-context).
 * Lifetime: SESSION_MAX_AGE_SECONDS (default 12 hours), refreshed at most every 15 minutes.
 */
export const authOptions: NextAuthOptions = {
  secret: getAuthSecret(),
  session: { strategy: 'jwt', maxAge: env().SESSION_MAX_AGE_SECONDS, updateAge: 15 * 60 },
  jwt: { maxAge: env().SESSION_MAX_AGE_SECONDS },
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
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, req) {
        const parsed = signInSchema.safeParse({
          email: credentials?.email ?? '',
          password: credentials?.password ?? '',
        });
        if (!parsed.success) return null;
        try {
          const user = await authenticate(
            parsed.data.email,
            parsed.data.password,
            clientIp(req.headers as Record<string, unknown> | undefined),
          );
          return user ? { id: user.id, email: user.email, name: user.name, sv: user.sessionVersion } : null;
        } catch (error) {
          // next-auth turns a thrown Error's message into ?error=...; keep it to our safe text.
          if (error instanceof AppError && error.code === 'RATE_LIMITED') throw new Error('RateLimited');
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sv = (user as { sv?: number }).sv;
      }
      return token;
    },
    session({ session, token }) {
      if (session.user) {
        (session.user as { id?: unknown; sv?: unknown }).id = token.uid;
        (session.user as { id?: unknown; sv?: unknown }).sv = token.sv;
      }
      return session;
    },
  },
};
