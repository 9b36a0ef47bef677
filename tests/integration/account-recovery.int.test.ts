import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { invitations, memberships, users, userTotp } from '@/db/schema';
import {
  requestPasswordResetAction,
  resendVerificationAction,
  resetPasswordAction,
} from '@/lib/actions/account-recovery';
import { changePasswordAction, signUpAction } from '@/lib/actions/auth';
import { inviteMemberAction } from '@/lib/actions/people';
import { runWithSession } from '@/lib/auth/session';
import { ACCOUNT_RATE_LIMITS } from '@/lib/auth/rate-limits';
import { authenticate, getActiveUser } from '@/lib/dal/accounts';
import { acceptInvitation, getInvitationByToken } from '@/lib/dal/people/accept-invitation';
import { hashInvitationToken } from '@/lib/dal/people/invitations';
import { startSession } from '@/lib/dal/sessions';
import { runWithClientAddress } from '@/lib/server/client-address';
import { resolveOrgContext } from '@/lib/server/org-context';
import { createTestOrg, TEST_PASSWORD } from './factories';

/*
 * Reset, verification and sign-up for a taken address, with every e-mail captured by a real SMTP
 * server in this process (smtp-server), the way the app sends them (nodemailer over SMTP_URL).
 */

const smtpPort = vi.hoisted(() => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.APP_URL = 'https://kpi.example.test';
  return port;
});

type Captured = { to: string; body: string };
const inbox: Captured[] = [];
let server: SMTPServer;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        for (const rcpt of session.envelope.rcptTo) {
          inbox.push({
            to: rcpt.address,
            body: Buffer.concat(chunks)
              .toString('utf8')
              .replace(/=\r?\n/g, ''),
          });
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(smtpPort, '127.0.0.1', resolve));
  expect((server.server.address() as AddressInfo).port).toBe(smtpPort);
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The next mail to `to` (mail goes out after the action returns). */
async function mailTo(to: string, subject: RegExp): Promise<Captured> {
  for (let i = 0; i < 100; i += 1) {
    const found = inbox.find((m) => m.to === to && subject.test(m.body));
    if (found) {
      inbox.splice(inbox.indexOf(found), 1);
      return found;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail to ${to} matching ${subject}`);
}

function linkToken(mail: Captured, path: string): string {
  const match = new RegExp(`https://kpi\\.example\\.test/${path}/([A-Za-z0-9_-]{43})`).exec(
    mail.body,
  );
  if (!match) throw new Error(`no ${path} link in mail`);
  return match[1]!;
}

let addressSeq = 0;
function nextAddress(): string {
  addressSeq += 1;
  return `10.77.${Math.floor(Math.random() * 200)}.${addressSeq}`;
}

const from = <T>(fn: () => Promise<T>) => runWithClientAddress(nextAddress(), fn);

describe('forgot password', () => {
  it('sends a single-use link; the new password works, every session ends, the old password not', async () => {
    const { org, owner } = await createTestOrg();
    const session = { ...owner, sessionId: await startSession(owner.userId) };
    const asked = await from(() =>
      requestPasswordResetAction({ email: owner.email.toUpperCase() }),
    );
    expect(asked).toEqual({ ok: true, data: { minutes: 30 } });
    const token = linkToken(
      await mailTo(owner.email, /Reset your Cascade KPI password/),
      'reset-password',
    );
    const db = await getOwnerDb();
    const stored = await db.execute(
      `select token_hash from auth_tokens where token_hash = '${hashInvitationToken(token)}'` as never,
    );
    expect(JSON.stringify(stored)).not.toContain(token);

    const weak = await resetPasswordAction({ token, password: 'password' });
    expect(weak).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fieldErrors: { password: [expect.any(String)] } },
    });
    const done = await resetPasswordAction({ token, password: 'a brand new reset passphrase' });
    expect(done).toEqual({ ok: true, data: { email: owner.email } });
    expect(
      await authenticate(owner.email, 'a brand new reset passphrase', nextAddress()),
    ).not.toBeNull();
    expect(await authenticate(owner.email, TEST_PASSWORD, nextAddress())).toBeNull();
    await expect(runWithSession(session, () => resolveOrgContext(org.slug))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    // Used once: never again.
    expect(
      await resetPasswordAction({ token, password: 'yet another passphrase here' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/not valid any more/) },
    });
  });

  it('answers an unknown address exactly like a known one, and sends nothing', async () => {
    const { owner } = await createTestOrg();
    const known = await from(() => requestPasswordResetAction({ email: owner.email }));
    const unknown = await from(() =>
      requestPasswordResetAction({ email: `nobody-${Date.now()}@example.test` }),
    );
    expect(unknown).toEqual(known);
    await mailTo(owner.email, /Reset your Cascade KPI password/);
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.filter((m) => m.to.startsWith('nobody-'))).toEqual([]);
  });

  it('a link dies after 30 minutes and after any password change', async () => {
    const { owner } = await createTestOrg();
    await from(() => requestPasswordResetAction({ email: owner.email }));
    const first = linkToken(await mailTo(owner.email, /Reset your/), 'reset-password');
    const changed = await runWithSession(owner, () =>
      changePasswordAction({
        currentPassword: TEST_PASSWORD,
        newPassword: 'changed the usual way now',
      }),
    );
    expect(changed.ok).toBe(true);
    expect(
      await resetPasswordAction({ token: first, password: 'a brand new reset passphrase' }),
    ).toMatchObject({ ok: false });

    await from(() => requestPasswordResetAction({ email: owner.email }));
    const second = linkToken(await mailTo(owner.email, /Reset your/), 'reset-password');
    const db = await getOwnerDb();
    await db.execute(
      `update auth_tokens set expires_at = now() - interval '1 second' where token_hash = '${hashInvitationToken(second)}'` as never,
    );
    expect(
      await resetPasswordAction({ token: second, password: 'a brand new reset passphrase' }),
    ).toMatchObject({ ok: false });
    expect(
      await authenticate(owner.email, 'changed the usual way now', nextAddress()),
    ).not.toBeNull();
  });

  it('is rate limited per client address, and silently per e-mail address', async () => {
    const { owner } = await createTestOrg();
    const address = nextAddress();
    const answers = [];
    for (let i = 0; i <= ACCOUNT_RATE_LIMITS.resetPerAddress.limit; i += 1) {
      answers.push(
        await runWithClientAddress(address, () =>
          requestPasswordResetAction({ email: `x${i}@example.test` }),
        ),
      );
    }
    expect(answers.slice(0, -1).every((a) => a.ok)).toBe(true);
    expect(answers.at(-1)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    // Per e-mail: the 4th request in an hour answers alike but sends nothing.
    for (let i = 0; i < ACCOUNT_RATE_LIMITS.resetPerEmail.limit + 1; i += 1) {
      expect((await from(() => requestPasswordResetAction({ email: owner.email }))).ok).toBe(true);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(inbox.filter((m) => m.to === owner.email && /Reset your/.test(m.body))).toHaveLength(
      ACCOUNT_RATE_LIMITS.resetPerEmail.limit,
    );
  });
});

function newAccount() {
  const id = Math.random().toString(36).slice(2, 10);
  return {
    name: `New ${id}`,
    email: `new-${id}@example.test`,
    password: TEST_PASSWORD,
    orgName: `New Org ${id}`,
  };
}

describe('sign-up and verification', () => {
  it('a new account is usable at once, unverified until its link is followed', async () => {
    const input = newAccount();
    const result = await from(() => signUpAction(input));
    expect(result.ok).toBe(true);
    const db = await getOwnerDb();
    const [user] = await db
      .select({ id: users.id, verified: users.emailVerifiedAt, sv: users.sessionVersion })
      .from(users)
      .where(eq(users.email, input.email));
    expect(user?.verified).toBeNull();
    const token = linkToken(
      await mailTo(input.email, /Confirm your e-mail address/),
      'verify-email',
    );
    const { verifyEmailWithLink } = await import('@/lib/dal/account-links');
    expect(await verifyEmailWithLink(token)).toEqual({ email: input.email });
    await expect(verifyEmailWithLink(token)).rejects.toMatchObject({ code: 'VALIDATION' });
    const me = await getActiveUser({ userId: user!.id, sessionVersion: user!.sv });
    expect(me?.emailVerified).toBe(true);
  });

  it('the verification link can be sent again, limited per person', async () => {
    const input = newAccount();
    expect((await from(() => signUpAction(input))).ok).toBe(true);
    await mailTo(input.email, /Confirm your e-mail address/);
    const db = await getOwnerDb();
    const [user] = await db
      .select({ id: users.id, sv: users.sessionVersion })
      .from(users)
      .where(eq(users.email, input.email));
    const me = { userId: user!.id, sessionVersion: user!.sv };
    const answers = [];
    for (let i = 0; i <= ACCOUNT_RATE_LIMITS.verifyResendPerPerson.limit; i += 1) {
      answers.push(await runWithSession(me, () => resendVerificationAction()));
    }
    expect(answers.slice(0, -1).every((a) => a.ok)).toBe(true);
    expect(answers.at(-1)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('sign-up with a taken address creates nothing, offers sign-in and reset, and tells the owner', async () => {
    const { owner } = await createTestOrg();
    const input = { ...newAccount(), email: owner.email };
    const result = await from(() => signUpAction(input));
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fieldErrors: { email: [expect.stringMatching(/sign in|reset/i)] },
      },
    });
    const notice = await mailTo(owner.email, /Someone tried to sign up with your address/);
    expect(notice.body).toContain('https://kpi.example.test/forgot-password');
    const db = await getOwnerDb();
    const orgs = await db.execute(
      `select count(*)::int as n from organizations where name = '${input.orgName}'` as never,
    );
    expect(JSON.stringify(orgs)).toContain('"n":0');
  });

  it('sign-up is rate limited per client address', async () => {
    const address = nextAddress();
    const limit = ACCOUNT_RATE_LIMITS.signUpPerAddress.limit;
    for (let i = 0; i < limit; i += 1) {
      // Invalid input still counts: probing with bad forms is probing too.
      await runWithClientAddress(address, () =>
        signUpAction({ name: '', email: `probe${i}@example.test`, password: 'x', orgName: '' }),
      );
    }
    const refused = await runWithClientAddress(address, () => signUpAction(newAccount()));
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect((await from(() => signUpAction(newAccount()))).ok).toBe(true);
  });

  it('an accepted invitation counts as verified', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const email = `invited-${Date.now()}@example.test`;
    const invited = await runWithSession(owner, () =>
      inviteMemberAction(org.slug, { email, role: 'member', homeUnitId: rootUnitId }),
    );
    if (!invited.ok) throw new Error(JSON.stringify(invited.error));
    const token = invited.data.acceptPath.split('/').pop()!;
    await acceptInvitation(token, { kind: 'new', name: 'Invited Person', password: TEST_PASSWORD });
    const db = await getOwnerDb();
    const [row] = await db
      .select({ verified: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.email, email));
    expect(row?.verified).toBeInstanceOf(Date);
    const [inv] = await db
      .select({ acceptedAt: invitations.acceptedAt })
      .from(invitations)
      .where(eq(invitations.email, email));
    expect(inv?.acceptedAt).toBeInstanceOf(Date);
  });

  it('an invitation claims an unverified account with its address; a verified one must sign in', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const squatter = newAccount();
    const invited = await runWithSession(owner, () =>
      inviteMemberAction(org.slug, { email: squatter.email, role: 'member', homeUnitId: rootUnitId }),
    );
    if (!invited.ok) throw new Error(JSON.stringify(invited.error));
    const token = invited.data.acceptPath.split('/').pop()!;
    // Someone registers the invited address first, and never verifies it.
    expect((await from(() => signUpAction(squatter))).ok).toBe(true);
    const verifyToken = linkToken(
      await mailTo(squatter.email, /Confirm your e-mail address/),
      'verify-email',
    );
    const db = await getOwnerDb();
    const [before] = await db
      .select({ id: users.id, sv: users.sessionVersion })
      .from(users)
      .where(eq(users.email, squatter.email));
    const squatterSession = {
      userId: before!.id,
      sessionVersion: before!.sv,
      sessionId: await startSession(before!.id),
    };
    await db.insert(userTotp).values({ userId: before!.id, secretEncrypted: 'v1.a.b.c', enabledAt: new Date() });
    expect(await getInvitationByToken(token)).toMatchObject({
      accountExists: false,
      claimsUnverifiedAccount: true,
    });

    const realPassword = 'the real invitee chose this one';
    const accepted = await acceptInvitation(token, {
      kind: 'new',
      name: 'Real Invitee',
      password: realPassword,
    });
    expect(accepted.userId).toBe(before!.id);
    // The invitee's password works; the squatter's does not, nor their session, links or factor.
    const address = nextAddress();
    expect(await authenticate(squatter.email, realPassword, address)).toMatchObject({
      id: before!.id,
      name: 'Real Invitee',
    });
    expect(await authenticate(squatter.email, squatter.password, address)).toBeNull();
    expect(await getActiveUser(squatterSession)).toBeNull();
    const { verifyEmailWithLink } = await import('@/lib/dal/account-links');
    await expect(verifyEmailWithLink(verifyToken)).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await db.select().from(userTotp).where(eq(userTotp.userId, before!.id))).toHaveLength(0);
    const [after] = await db
      .select({ verified: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, before!.id));
    expect(after?.verified).toBeInstanceOf(Date);
    const [joined] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, before!.id)));
    expect(joined?.role).toBe('member');

    // A verified account cannot be claimed: its owner signs in to accept.
    const second = await createTestOrg();
    const verifiedEmail = second.owner.email;
    const toVerified = await runWithSession(owner, () =>
      inviteMemberAction(org.slug, { email: verifiedEmail, role: 'member', homeUnitId: rootUnitId }),
    );
    if (!toVerified.ok) throw new Error(JSON.stringify(toVerified.error));
    await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.email, verifiedEmail));
    const verifiedToken = toVerified.data.acceptPath.split('/').pop()!;
    expect(await getInvitationByToken(verifiedToken)).toMatchObject({
      accountExists: true,
      claimsUnverifiedAccount: false,
    });
    await expect(
      acceptInvitation(verifiedToken, { kind: 'new', name: 'Intruder', password: realPassword }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await authenticate(verifiedEmail, TEST_PASSWORD, nextAddress())).not.toBeNull();
  });

  it('invitations are rate limited per organization per hour', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const answers = [];
    for (let i = 0; i <= ACCOUNT_RATE_LIMITS.invitationsPerOrganization.limit; i += 1) {
      answers.push(
        await runWithSession(owner, () =>
          inviteMemberAction(org.slug, {
            email: `same-${org.id.slice(0, 6)}@example.test`,
            role: 'member',
            homeUnitId: rootUnitId,
          }),
        ),
      );
    }
    expect(answers.at(-1)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    const other = await createTestOrg();
    expect(
      (
        await runWithSession(other.owner, () =>
          inviteMemberAction(other.org.slug, {
            email: 'someone@example.test',
            role: 'member',
            homeUnitId: other.rootUnitId,
          }),
        )
      ).ok,
    ).toBe(true);
  });
});
