'use server';
// Single sign-on: the admins' provider settings (save, remove, test connection) through orgAction,
// and the sign-in page's public "Continue with SSO" lookup.
import { checkDiscovery } from '@/lib/auth/sso/discovery';
import { ACCOUNT_RATE_LIMITS } from '@/lib/auth/rate-limits';
import { assertCan } from '@/lib/authz/can';
import { consumeRateLimit } from '@/lib/dal/rate-limit';
import { deleteSsoConfig, saveSsoConfig } from '@/lib/dal/sso/config';
import { findSsoByEmail, findSsoBySlug, type SsoTarget } from '@/lib/dal/sso/lookup';
import { validationError } from '@/lib/errors';
import { fail, ok, type Result } from '@/lib/result';
import { addressKey } from '@/lib/security/client-address';
import { requestClientAddress } from '@/lib/server/client-address';
import { toResultError } from '@/lib/server/errors';
import { orgAction, zodToAppError } from '@/lib/server/org-action';
import {
  deleteSsoConfigSchema,
  findSsoSchema,
  saveSsoConfigSchema,
  testSsoConnectionSchema,
} from '@/lib/validation/sso';

export const saveSsoConfigAction = orgAction({
  permission: 'settings.manage',
  input: saveSsoConfigSchema,
  run: ({ ctx, input, tx }) => saveSsoConfig(ctx, tx, input),
});

export const deleteSsoConfigAction = orgAction({
  permission: 'settings.manage',
  input: deleteSsoConfigSchema,
  run: ({ ctx, tx }) => deleteSsoConfig(ctx, tx),
});

/** Fetches the issuer's discovery document (outside any transaction) and reports what it found. */
export const testSsoConnectionAction = orgAction({
  permission: 'settings.manage',
  input: testSsoConnectionSchema,
  readOnly: true,
  runOwnTransaction: ({ ctx, input }) => {
    assertCan(ctx, 'settings.manage');
    return checkDiscovery(input.issuer);
  },
});

/**
 * The provider for an e-mail address (by its domain) or an organization slug. Limited per client
 * address, so the domains that have SSO cannot be listed in bulk.
 */
export async function findSsoProviderAction(input: { emailOrSlug: string }): Promise<Result<SsoTarget>> {
  try {
    const address = addressKey(await requestClientAddress());
    await consumeRateLimit('sso-lookup-address', address, ACCOUNT_RATE_LIMITS.ssoLookupPerAddress);
    const parsed = findSsoSchema.safeParse(input);
    if (!parsed.success) throw zodToAppError(parsed.error);
    const target =
      parsed.data.kind === 'email'
        ? await findSsoByEmail(parsed.data.email)
        : await findSsoBySlug(parsed.data.slug);
    if (!target) {
      const message =
        parsed.data.kind === 'email'
          ? 'Single sign-on is not set up for that address. Sign in with your password.'
          : 'No organization with that name has single sign-on set up.';
      throw validationError(message, { emailOrSlug: [message] });
    }
    return ok(target);
  } catch (error) {
    return fail(toResultError(error));
  }
}
