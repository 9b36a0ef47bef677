import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { getServerSession } from 'next-auth';
import { describe, expect, it } from 'vitest';
import { execRows, getOwnerDb } from '@/db/client';
import { userRecoveryCodes, userTotp } from '@/db/schema';
import {
  confirmTotpEnrolmentAction,
  disableTotpAction,
  startTotpEnrolmentAction,
  updateRequireAdminTotpAction,
} from '@/lib/actions/two-factor';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { sessionCookieName } from '@/lib/auth/cookies';
import { authOptions } from '@/lib/auth/options';
import { getAuthSecret } from '@/lib/auth/secret';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import { totpCodeAt } from '@/lib/auth/totp';
import { endAllSessions, endSession, startSession } from '@/lib/dal/sessions';
import { requireOrgPage } from '@/lib/server/page-context';
import { must } from './cascade-helpers';
import { addTestMember, createTestOrg, TEST_PASSWORD } from './factories';

/*
 * Two-factor sign-in (TOTP): enrolment, the code step of a sign-in through next-auth's own
 * authorize (replay, recovery codes used once, throttling by address), turning it off, the
 * organization's requirement for admins, and /api/auth/session for an ended session.
 */

const STEP_MS = 30_000;

type Credentials = { email: string; password: string; code?: string };
type Authorize = (
  credentials: Credentials,
  req: { headers: Record<string, string> },
) => Promise<{ id: string } | null>;

/** next-auth's credentials authorize, as the sign-in endpoint calls it, from a client address. */
function signIn(credentials: Credentials, address: string) {
  const provider = authOptions.providers[0] as unknown as { options: { authorize: Authorize } };
  return provider.options.authorize(credentials, { headers: { 'x-kpi-peer-address': address } });
}

/** The error message next-auth would put in ?error= (or 'ok'). */
async function signInOutcome(credentials: Credentials, address: string): Promise<string> {
  try {
    return (await signIn(credentials, address)) ? 'ok' : 'CredentialsSignin';
  } catch (error) {
    return (error as Error).message;
  }
}

let seq = 0;
const address = () => `127.0.${40 + Math.floor(Math.random() * 100)}.${(seq += 1)}`;

/** An org whose owner turned two-factor sign-in on; returns the secret and recovery codes. */
async function enrolledOwner() {
  const made = await createTestOrg();
  const { secret } = await runWithSession(made.owner, async () =>
    must(await startTotpEnrolmentAction(made.org.slug, {})),
  );
  const enrolmentCode = totpCodeAt(secret, Date.now());
  const { recoveryCodes } = await runWithSession(made.owner, async () =>
    must(await confirmTotpEnrolmentAction(made.org.slug, { code: enrolmentCode })),
  );
  return { ...made, secret, recoveryCodes, enrolmentCode };
}

describe('enrolment', () => {
  it('keeps the secret encrypted, needs a right code, gives 10 recovery codes kept hashed, audited', async () => {
    const { org, owner } = await createTestOrg();
    const started = await runWithSession(owner, async () =>
      must(await startTotpEnrolmentAction(org.slug, {})),
    );
    expect(started.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.uri).toContain('otpauth://totp/');
    expect(started.uri).toContain(encodeURIComponent(owner.email));
    expect(started.qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(started.qrDataUrl.split(',')[1]!, 'base64').toString()).toContain('<svg');

    const db = await getOwnerDb();
    const [stored] = await db.select().from(userTotp).where(eq(userTotp.userId, owner.userId));
    expect(stored?.enabledAt).toBeNull();
    expect(stored?.secretEncrypted).toMatch(/^v1\./);
    expect(stored?.secretEncrypted).not.toContain(started.secret);

    const wrong = await runWithSession(owner, () =>
      confirmTotpEnrolmentAction(org.slug, { code: '000000' === totpCodeAt(started.secret, Date.now()) ? '111111' : '000000' }),
    );
    expect(wrong).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const notDigits = await runWithSession(owner, () =>
      confirmTotpEnrolmentAction(org.slug, { code: 'abc' }),
    );
    expect(notDigits).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const { recoveryCodes } = await runWithSession(owner, async () =>
      must(
        await confirmTotpEnrolmentAction(org.slug, {
          code: totpCodeAt(started.secret, Date.now()),
        }),
      ),
    );
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const hashes = await db
      .select({ codeHash: userRecoveryCodes.codeHash })
      .from(userRecoveryCodes)
      .where(eq(userRecoveryCodes.userId, owner.userId));
    expect(hashes).toHaveLength(10);
    for (const code of recoveryCodes)
      expect(hashes.map((h) => h.codeHash)).not.toContain(code);

    // Already on: a second enrolment is refused until it is turned off.
    expect(
      await runWithSession(owner, () => startTotpEnrolmentAction(org.slug, {})),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const audit = await execRows<{ action: string }>(
      db,
      sql`select action from audit_log where org_id = ${org.id} and entity_id = ${owner.userId}
        and action like 'account.totp%'`,
    );
    expect(audit.map((a) => a.action)).toEqual(['account.totp_enable']);
  });
});

describe('sign-in with a second factor', () => {
  it('asks for the code after the password; a replayed or earlier code is refused', async () => {
    const { owner, secret } = await enrolledOwner();
    const from = address();
    const base = { email: owner.email, password: TEST_PASSWORD };
    expect(await signInOutcome(base, from)).toBe('TotpRequired');
    // A wrong password never reaches the code step.
    expect(await signInOutcome({ ...base, password: 'not the password at all' }, from)).toBe(
      'CredentialsSignin',
    );
    // The enrolment used the current step: the next step's code (accepted one step early) works.
    const next = totpCodeAt(secret, Date.now() + STEP_MS);
    expect(await signInOutcome({ ...base, code: next }, from)).toBe('ok');
    expect(await signInOutcome({ ...base, code: next }, from)).toBe('TotpInvalid');
    // The enrolment's own step is now in the past too.
    expect(await signInOutcome({ ...base, code: totpCodeAt(secret, Date.now()) }, from)).toBe(
      'TotpInvalid',
    );
    // A person without a second factor signs in with the password alone.
    const plain = await createTestOrg();
    expect(
      await signInOutcome({ email: plain.owner.email, password: TEST_PASSWORD }, address()),
    ).toBe('ok');
  });

  it('a recovery code works once, in place of a code', async () => {
    const { owner, recoveryCodes } = await enrolledOwner();
    const base = { email: owner.email, password: TEST_PASSWORD };
    const code = recoveryCodes[3]!;
    expect(await signInOutcome({ ...base, code: ` ${code.toUpperCase()} ` }, address())).toBe('ok');
    expect(await signInOutcome({ ...base, code }, address())).toBe('TotpInvalid');
    expect(await signInOutcome({ ...base, code: recoveryCodes[4]! }, address())).toBe('ok');
    const db = await getOwnerDb();
    const used = await db
      .select({ id: userRecoveryCodes.id })
      .from(userRecoveryCodes)
      .where(
        and(
          eq(userRecoveryCodes.userId, owner.userId),
          sql`${userRecoveryCodes.usedAt} is not null`,
        ),
      );
    expect(used).toHaveLength(2);
  });

  it('wrong codes are throttled per account and address like passwords; elsewhere is untouched', async () => {
    const { owner, secret } = await enrolledOwner();
    const base = { email: owner.email, password: TEST_PASSWORD };
    const attacker = address();
    const outcomes: string[] = [];
    for (let i = 0; i < 7; i += 1) outcomes.push(await signInOutcome({ ...base, code: '99999' + (i % 10) }, attacker));
    expect(outcomes.slice(0, 5).every((o) => o === 'TotpInvalid')).toBe(true);
    expect(outcomes.at(-1)).toBe('RateLimited');
    // The right code from that address now waits too...
    expect(
      await signInOutcome({ ...base, code: totpCodeAt(secret, Date.now() + STEP_MS) }, attacker),
    ).toBe('RateLimited');
    // ...but the real user elsewhere is never refused because of it.
    expect(
      await signInOutcome({ ...base, code: totpCodeAt(secret, Date.now() + STEP_MS) }, address()),
    ).toBe('ok');
  });
});

describe('turning it off', () => {
  it('needs a current code, a recovery code or the password; audited', async () => {
    const { org, owner, recoveryCodes, enrolmentCode } = await enrolledOwner();
    const off = (input: { code?: string; password?: string }) =>
      runWithSession(owner, () => disableTotpAction(org.slug, input));
    expect(await off({})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await off({ password: 'not my password at all' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    // The enrolment's code cannot be replayed to turn it off (the very code it used: a code made
    // from the clock here could fall in the next time step, which is a new, valid code).
    expect(await off({ code: enrolmentCode })).toMatchObject({ ok: false });
    const db = await getOwnerDb();
    expect(await db.select().from(userTotp).where(eq(userTotp.userId, owner.userId))).toHaveLength(1);
    must(await off({ code: recoveryCodes[0]! }));
    expect(await db.select().from(userTotp).where(eq(userTotp.userId, owner.userId))).toHaveLength(0);
    expect(
      await db.select().from(userRecoveryCodes).where(eq(userRecoveryCodes.userId, owner.userId)),
    ).toHaveLength(0);
    expect(await signInOutcome({ email: owner.email, password: TEST_PASSWORD }, address())).toBe(
      'ok',
    );
    expect(await off({ password: TEST_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });

    // And with the password.
    const second = await enrolledOwner();
    must(
      await runWithSession(second.owner, () =>
        disableTotpAction(second.org.slug, { password: TEST_PASSWORD }),
      ),
    );
    const audit = await execRows<{ action: string; after: { provenBy: string } }>(
      db,
      sql`select action, after from audit_log where entity_id in (${owner.userId}, ${second.owner.userId})
        and action = 'account.totp_disable' order by created_at`,
    );
    expect(audit.map((a) => a.after.provenBy)).toEqual(['recovery_code', 'password']);
  });
});

describe('the organization requires two-factor for admins', () => {
  it('owners and admins set it (only with their own factor on); admins without one must enrol first', async () => {
    const { org, owner, rootUnitId, secret } = await enrolledOwner();
    const admin = await addTestMember(org.id, { role: 'admin', homeUnitId: rootUnitId });
    const member = await addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId });

    // An admin without a factor cannot turn it on (they would lock themselves out); a member never.
    expect(
      await runWithSession(admin, () =>
        updateRequireAdminTotpAction(org.slug, { requireAdminTotp: true }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(
      await runWithSession(member, () =>
        updateRequireAdminTotpAction(org.slug, { requireAdminTotp: true }),
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    must(
      await runWithSession(owner, () =>
        updateRequireAdminTotpAction(org.slug, { requireAdminTotp: true }),
      ),
    );

    // The admin: every action but enrolment is refused, pages send them to the security page.
    const kpiCheck = await runWithSession(admin, () =>
      recordCheckinAction(org.slug, { kpiId: randomUUID(), observedOn: '2026-01-01', value: '1' }),
    );
    expect(kpiCheck).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(kpiCheck.ok ? '' : kpiCheck.error.message).toMatch(/two-factor/);
    await expect(runWithSession(admin, () => requireOrgPage(org.slug))).rejects.toMatchObject({
      digest: expect.stringContaining(`/o/${org.slug}/account/security?required=1`),
    });
    await expect(
      runWithSession(admin, () => requireOrgPage(org.slug, { enrolling: true })),
    ).resolves.toMatchObject({ org: { requireAdminTotp: true } });
    // Members are not asked; the owner (enrolled) is not either.
    await expect(runWithSession(member, () => requireOrgPage(org.slug))).resolves.toBeTruthy();
    await expect(runWithSession(owner, () => requireOrgPage(org.slug))).resolves.toBeTruthy();

    // The admin enrols, and may use the organization again.
    const started = await runWithSession(admin, async () =>
      must(await startTotpEnrolmentAction(org.slug, {})),
    );
    must(
      await runWithSession(admin, () =>
        confirmTotpEnrolmentAction(org.slug, { code: totpCodeAt(started.secret, Date.now()) }),
      ),
    );
    await expect(runWithSession(admin, () => requireOrgPage(org.slug))).resolves.toBeTruthy();
    expect(secret).not.toBe(started.secret);

    const db = await getOwnerDb();
    const audit = await execRows<{ after: { requireAdminTotp: boolean } }>(
      db,
      sql`select after from audit_log where org_id = ${org.id}
        and action = 'settings.require_admin_totp'`,
    );
    expect(audit).toEqual([{ after: { requireAdminTotp: true } }]);
  });
});

/**
 * What GET /api/auth/session answers for this session's cookie: next-auth's session action with
 * the route's own options (getServerSession's request/response form runs exactly that, with no
 * Next request around it). Null for an empty session.
 */
async function sessionEndpoint(claims: SessionClaims): Promise<Record<string, unknown> | null> {
  const token = await encode({
    secret: getAuthSecret(),
    token: { uid: claims.userId, sv: claims.sessionVersion, sid: claims.sessionId, sub: claims.userId },
  });
  const req = { headers: {}, cookies: { [sessionCookieName()]: token } };
  const res = { getHeader() {}, setCookie() {}, setHeader() {} };
  return (await getServerSession(req as never, res as never, authOptions)) as Record<
    string,
    unknown
  > | null;
}

describe('/api/auth/session', () => {
  it('reports the user of a live session, and an empty session once it is revoked', async () => {
    const { owner } = await createTestOrg();
    const live = { ...owner, sessionId: await startSession(owner.userId) };
    const other = { ...owner, sessionId: await startSession(owner.userId) };
    expect(await sessionEndpoint(live)).toMatchObject({ user: { id: owner.userId } });
    await endSession(live.sessionId);
    expect(await sessionEndpoint(live)).toBeNull();
    expect(await sessionEndpoint(other)).toMatchObject({ user: { id: owner.userId } });
    await endAllSessions(owner.userId);
    expect(await sessionEndpoint(other)).toBeNull();
    // A cookie without a session id (or a stale session version) is no session either.
    expect(await sessionEndpoint({ ...owner, sessionId: undefined })).toBeNull();
    const fresh = { ...owner, sessionId: await startSession(owner.userId) };
    expect(await sessionEndpoint({ ...fresh, sessionVersion: fresh.sessionVersion + 1 })).toBeNull();
  });
});
