// Seeds one valid token of each kind the token pages read (e2e/phone-width.spec.ts), before the
// server starts, through the same DAL code as the app: a share link of the demo organization's
// company report (the richest report: its tables are what a phone must fit), an invitation, a
// password-reset link and an e-mail confirmation link of a fresh journey organization's owner,
// and a signed unsubscribe link. Writes the tokens to .data/e2e-tokens.json.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { getOwnerDb, withOrgTx } from '@/db/client';
import { users } from '@/db/schema';
import { createEmailVerificationLink, createPasswordResetLink } from '@/lib/dal/account-links';
import { getMembershipBySlug } from '@/lib/dal/memberships';
import { createInvitation } from '@/lib/dal/people/invitations';
import { createReportShare, getShareSnapshot } from '@/lib/dal/reports/shares';
import { lastCompletePeriod } from '@/lib/domain/dashboard/periods';
import { signUnsubscribeToken } from '@/lib/mail/unsubscribe-token';
import { createReportShareSchema } from '@/lib/validation/reports';
import { createJourneyOrganization } from './seed-journey';

/** What e2e/phone-width.spec.ts reads: the raw token of each page. */
export type SeededTokens = {
  share: string;
  invite: string;
  reset: string;
  verify: string;
  unsubscribe: string;
};

const DEMO_OWNER = 'owner@northwind.demo';
const DEMO_SLUG = 'northwind-cloud';

async function demoOwnerContext() {
  const db = await getOwnerDb();
  const [owner] = await db
    .select({ id: users.id, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.email, DEMO_OWNER))
    .limit(1);
  if (!owner) throw new Error(`the demo owner ${DEMO_OWNER} was not found`);
  const found = await getMembershipBySlug(
    { userId: owner.id, sessionVersion: owner.sessionVersion },
    DEMO_SLUG,
  );
  if (!found) throw new Error('the demo organization was not found');
  return { ...found, requestId: randomUUID() };
}

export async function seedTokenPages(): Promise<SeededTokens> {
  const demo = await demoOwnerContext();
  const shareInput = createReportShareSchema.parse({
    scope: 'company',
    period: lastCompletePeriod('month', demo.org).key,
    expiresInDays: 30,
  });
  const snapshot = await getShareSnapshot(demo, shareInput);
  const share = await withOrgTx(demo.org.id, (tx) =>
    createReportShare(demo, tx, shareInput, snapshot),
  );

  const journey = await createJourneyOrganization('Tokens', 'Tamsin Tokens');
  const invite = await withOrgTx(journey.found.org.id, (tx) =>
    createInvitation(journey.ctx, tx, {
      email: `invitee-${journey.id}@example.com`,
      role: 'member',
      homeUnitId: journey.found.actor.homeUnitId!,
    }),
  );
  const reset = await createPasswordResetLink(journey.account.email);
  const verify = await createEmailVerificationLink(journey.user.id);
  if (!reset || !verify) throw new Error('the reset or confirmation link was not created');
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error('AUTH_SECRET is not set (the server signs unsubscribe links)');
  const unsubscribe = signUnsubscribeToken(
    { orgId: journey.found.org.id, userId: journey.user.id, kind: 'checkin_reminder' },
    secret,
  );

  const tokens: SeededTokens = {
    share: share.token,
    invite: invite.token,
    reset: reset.token,
    verify: verify.token,
    unsubscribe,
  };
  const target = path.resolve('.data', 'e2e-tokens.json');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, JSON.stringify(tokens));
  console.log(
    `Token pages: seeded a share link, an invitation and reset, confirm, unsubscribe links.`,
  );
  return tokens;
}
