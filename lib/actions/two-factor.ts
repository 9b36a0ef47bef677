'use server';
// The signed-in person's own second factor (security page) and the organization's requirement
// of it for admins. Each authenticates and authorizes itself through orgAction.
import { totpQrDataUrl } from '@/lib/auth/totp';
import { consumeRateLimit } from '@/lib/dal/rate-limit';
import {
  checkMyPassword,
  confirmTotpEnrolment,
  disableTotp,
  startTotpEnrolment,
} from '@/lib/dal/two-factor/enrol';
import { setRequireAdminTotp } from '@/lib/dal/two-factor/org-requirement';
import { orgAction } from '@/lib/server/org-action';
import {
  confirmTotpEnrolmentSchema,
  disableTotpSchema,
  requireAdminTotpSchema,
  startTotpEnrolmentSchema,
} from '@/lib/validation/two-factor';

/** Password or code checks when turning the factor off, per person an hour. */
const DISABLE_ATTEMPTS = { limit: 10, windowSeconds: 60 * 60 };

export const startTotpEnrolmentAction = orgAction({
  permission: 'org.read',
  enrolling: true,
  input: startTotpEnrolmentSchema,
  run: async ({ ctx, tx }) => {
    const { secret, uri } = await startTotpEnrolment(ctx, tx);
    return { secret, uri, qrDataUrl: await totpQrDataUrl(uri) };
  },
});

export const confirmTotpEnrolmentAction = orgAction({
  permission: 'org.read',
  enrolling: true,
  input: confirmTotpEnrolmentSchema,
  run: ({ ctx, input, tx }) => confirmTotpEnrolment(ctx, tx, input.code),
});

export const disableTotpAction = orgAction({
  permission: 'org.read',
  enrolling: true,
  input: disableTotpSchema,
  load: async ({ ctx, input }) => {
    await consumeRateLimit('totp-disable', ctx.actor.userId, DISABLE_ATTEMPTS);
    return checkMyPassword(ctx, input.password);
  },
  run: ({ ctx, input, tx, loaded }) =>
    disableTotp(ctx, tx, { code: input.code, passwordOk: loaded }),
});

export const updateRequireAdminTotpAction = orgAction({
  permission: 'settings.manage',
  input: requireAdminTotpSchema,
  run: ({ ctx, input, tx }) => setRequireAdminTotp(ctx, tx, input.requireAdminTotp),
});
