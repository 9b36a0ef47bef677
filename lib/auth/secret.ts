import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { env } from '@/lib/env';

/**
 * AUTH_SECRET when set (required in production). In development, a random secret is created once
 * in the git-ignored .data folder, so `npm run dev` works with no env file and sessions survive
 * restarts.
 */
export function getAuthSecret(): string {
  const configured = env().AUTH_SECRET;
  if (configured) return configured;
  if (process.env.NODE_ENV === 'production') {
    // Only reachable while `next build` collects page data; never used to sign anything there.
    return 'build-time-placeholder-secret-not-used-at-runtime';
  }
  const file = path.join(process.cwd(), '.data', 'dev-auth-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
