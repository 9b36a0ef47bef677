import { withAuth } from 'next-auth/middleware';
import { getAuthSecret } from '@/lib/auth/secret';

// Convenience only: signed-out visitors to a workspace go to sign-in. Every page, action and
// route handler still authenticates and authorizes itself.
export const proxy = withAuth({
  secret: getAuthSecret(),
  pages: { signIn: '/sign-in' },
});

export const config = { matcher: ['/o/:path*'] };
