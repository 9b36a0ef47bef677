// next-auth's sign-in, sign-out, session and CSRF endpoints; an organization's SSO provider is
// added for the requests that name it (lib/auth/sso/route-options.ts).
import NextAuth from 'next-auth';
import type { NextRequest } from 'next/server';
import { authOptions } from '@/lib/auth/options';
import { authOptionsForRequest } from '@/lib/auth/sso/route-options';

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, context: Context) {
  const { nextauth } = await context.params;
  const options = await authOptionsForRequest(authOptions, nextauth?.[1]);
  return NextAuth(req, context, options) as Promise<Response>;
}

export { handler as GET, handler as POST };
