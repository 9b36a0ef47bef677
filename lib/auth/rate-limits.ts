import { env } from '@/lib/env';
import type { WindowLimit } from '@/lib/dal/rate-limit';

const HOUR = 60 * 60;

/**
 * The account-related rate limits (README "Sessions and sign-in"), each counted in Postgres by
 * lib/dal/rate-limit.ts. Sign-ups per address are configurable (a shared office address, or an
 * end-to-end suite that signs up many times from one address).
 */
export const ACCOUNT_RATE_LIMITS = {
  get signUpPerAddress(): WindowLimit {
    return { limit: env().SIGN_UP_LIMIT_PER_HOUR, windowSeconds: HOUR };
  },
  resetPerAddress: { limit: 10, windowSeconds: HOUR },
  resetPerEmail: { limit: 3, windowSeconds: HOUR },
  verifyResendPerPerson: { limit: 5, windowSeconds: HOUR },
  invitationsPerOrganization: { limit: 20, windowSeconds: HOUR },
  ssoLookupPerAddress: { limit: 60, windowSeconds: HOUR },
} satisfies Record<string, WindowLimit>;
