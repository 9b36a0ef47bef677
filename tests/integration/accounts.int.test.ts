import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { execRows, getOwnerDb } from '@/db/client';
import { auditLog, memberships, organizations, units, users } from '@/db/schema';
import { runWithSession } from '@/lib/auth/session';
import { changePasswordAction, signUpAction } from '@/lib/actions/auth';
import {
  authenticate,
  createAccountWithOrganization,
  getActiveUser,
  SIGN_IN_PER_ACCOUNT_AND_ADDRESS,
  SIGN_IN_PER_ADDRESS,
} from '@/lib/dal/accounts';
import { getMembershipBySlug } from '@/lib/dal/memberships';
import { runWithClientAddress } from '@/lib/server/client-address';
import { resolveOrgContext } from '@/lib/server/org-context';
import { TEST_PASSWORD, createTestOrg } from './factories';

function account(label = 'acct') {
  const id = randomUUID().slice(0, 8);
  return {
    name: `Person ${id}`,
    email: `${label}-${id}@example.test`,
    password: TEST_PASSWORD,
    orgName: `Acme ${id}`,
  };
}

/** Server actions read the client address; each test call comes from an address of its own. */
function fromSomewhere<T>(fn: () => Promise<T>): Promise<T> {
  return runWithClientAddress(randomAddress('10.50'), fn);
}

function randomAddress(prefix: string): string {
  return `${prefix}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
}

/** A back-off counter: its count and the seconds still to wait. */
async function backoffRow(bucket: string, key: string): Promise<{ count: number; wait: number }> {
  const db = await getOwnerDb();
  const rows = await execRows<{ count: number; wait: number | null }>(
    db,
    sql`select count, extract(epoch from (blocked_until - now()))::float8 as wait
      from rate_limits where bucket = ${bucket} and key = ${key}`,
  );
  return { count: Number(rows[0]?.count ?? 0), wait: Number(rows[0]?.wait ?? 0) };
}

/** Rows a sign-up with this email or organization name could have written (other files run in parallel). */
async function countRows(email: string, orgName: string) {
  const db = await getOwnerDb();
  const [row] = await db
    .select({
      users: sql<number>`(select count(*)::int from ${users} where lower(${users.email}) = lower(${email}))`,
      orgs: sql<number>`(select count(*)::int from ${organizations} where ${organizations.name} = ${orgName})`,
      members: sql<number>`(select count(*)::int from ${memberships} m join ${users} u on u.id = m.user_id where lower(u.email) = lower(${email}))`,
    })
    .from(sql`(select 1) as one`);
  return row!;
}

describe('sign-up', () => {
  it('creates user, organization, company root and owner membership together', async () => {
    const input = account();
    const result = await fromSomewhere(() => signUpAction(input));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const db = await getOwnerDb();
    const [user] = await db.select().from(users).where(eq(users.email, input.email));
    expect(user?.passwordHash.startsWith('scrypt$')).toBe(true);
    expect(user?.passwordHash).not.toContain(input.password);
    const found = await getMembershipBySlug(
      { userId: user!.id, sessionVersion: user!.sessionVersion },
      result.data.orgSlug,
    );
    expect(found?.actor.role).toBe('owner');
    const [root] = await db.select().from(units).where(eq(units.id, found!.actor.homeUnitId));
    expect(root).toMatchObject({ kind: 'company', parentId: null, orgId: found!.org.id });
    const audits = await db.select().from(auditLog).where(eq(auditLog.orgId, found!.org.id));
    expect(audits.map((a) => a.action)).toEqual(['org.create']);
  });

  it('derives unique slugs from the name', async () => {
    const name = `Zürich & Co ${randomUUID().slice(0, 6)}`;
    const a = await createAccountWithOrganization({ ...account(), orgName: name });
    const b = await createAccountWithOrganization({ ...account(), orgName: name });
    expect(a.orgSlug).toMatch(/^zurich-and-co-[a-z0-9]+$/);
    expect(b.orgSlug).toBe(`${a.orgSlug}-2`);
  });

  it('refuses a taken email with a clear field error and writes nothing', async () => {
    const input = account();
    expect((await fromSomewhere(() => signUpAction(input))).ok).toBe(true);
    const otherOrg = `Other ${randomUUID().slice(0, 8)}`;
    const before = await countRows(input.email, otherOrg);
    expect(before).toEqual({ users: 1, orgs: 0, members: 1 });
    const again = await fromSomewhere(() =>
      signUpAction({ ...input, email: input.email.toUpperCase(), orgName: otherOrg }),
    );
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.error.code).toBe('VALIDATION');
    expect(again.error.fieldErrors?.email?.[0]).toMatch(/already exists/);
    expect(await countRows(input.email, otherOrg)).toEqual(before);
  });

  it('leaves nothing behind when a step fails midway', async () => {
    const db = await getOwnerDb();
    const input = account('atomic');
    // Make the very last step (the audit insert) fail for this one organization name only, so
    // user, organization, root unit and membership have all been written when it throws.
    const fn = `fail_signup_${randomUUID().replace(/-/g, '')}`;
    await db.execute(
      sql.raw(`create function ${fn}() returns trigger language plpgsql as $$
      begin
        if new.after->>'name' = '${input.orgName}' then raise exception 'injected failure'; end if;
        return new;
      end $$`),
    );
    await db.execute(
      sql.raw(
        `create trigger ${fn} before insert on audit_log for each row execute function ${fn}()`,
      ),
    );
    try {
      await expect(createAccountWithOrganization(input)).rejects.toThrow();
    } finally {
      await db.execute(sql.raw(`drop trigger ${fn} on audit_log`));
      await db.execute(sql.raw(`drop function ${fn}()`));
    }
    expect(await db.select().from(users).where(eq(users.email, input.email))).toEqual([]);
    expect(
      await db.select().from(organizations).where(eq(organizations.name, input.orgName)),
    ).toEqual([]);
    expect(await db.select().from(units).where(eq(units.name, input.orgName))).toEqual([]);
    // The same input goes through once the fault is gone.
    expect((await createAccountWithOrganization(input)).orgSlug).toMatch(/^acme-/);
  });

  it('refuses weak passwords and bad fields with messages for each field', async () => {
    const result = await fromSomewhere(() =>
      signUpAction({ name: '', email: 'not-an-email', password: 'password', orgName: '' }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.error.fieldErrors ?? {}).sort()).toEqual([
      'email',
      'name',
      'orgName',
      'password',
    ]);
    expect(JSON.stringify(result.error)).not.toContain('"password":"password"');
  });
});

describe('sign-in', () => {
  it('gives the same answer for an unknown email and a wrong password', async () => {
    const input = account();
    await createAccountWithOrganization(input);
    expect(await authenticate(input.email, 'wrong password here', '10.0.0.1')).toBeNull();
    expect(
      await authenticate(`nobody-${randomUUID()}@example.test`, TEST_PASSWORD, '10.0.0.1'),
    ).toBeNull();
    const ok = await authenticate(input.email, TEST_PASSWORD, '10.0.0.1');
    expect(ok?.email).toBe(input.email);
  });

  it('throttles failures per (account, address) with growing delays, never locking out another address', async () => {
    const input = account();
    await createAccountWithOrganization(input);
    const attacker = randomAddress('10.1');
    const owner = randomAddress('10.2');
    const free = SIGN_IN_PER_ACCOUNT_AND_ADDRESS.free;
    for (let i = 0; i <= free; i += 1) {
      expect(await authenticate(input.email, `wrong ${i} password`, attacker)).toBeNull();
    }
    // From the failing address even the right password waits now, with a clear message...
    await expect(authenticate(input.email, TEST_PASSWORD, attacker)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/Try again in (30|[12]?\d) seconds/),
    });
    // ...while the owner's own address is not refused because of failures elsewhere.
    expect((await authenticate(input.email, TEST_PASSWORD, owner))?.email).toBe(input.email);
    const db = await getOwnerDb();
    const first = await backoffRow('signin-account-address', `${input.email} ${attacker}`);
    expect(first).toMatchObject({ count: free + 1 });
    expect(first.wait).toBeGreaterThan(25);
    expect(first.wait).toBeLessThanOrEqual(30);
    // The delay doubles with the next failure once the wait is over.
    await db.execute(sql`update rate_limits set blocked_until = now() - interval '1 second'
      where bucket = 'signin-account-address' and key = ${`${input.email} ${attacker}`}`);
    expect(await authenticate(input.email, 'wrong again password', attacker)).toBeNull();
    const second = await backoffRow('signin-account-address', `${input.email} ${attacker}`);
    expect(second.count).toBe(free + 2);
    expect(second.wait).toBeGreaterThan(55);
    expect(second.wait).toBeLessThanOrEqual(60);
    // Refused attempts are not counted (the wait does not grow while waiting).
    await expect(authenticate(input.email, TEST_PASSWORD, attacker)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect((await backoffRow('signin-account-address', `${input.email} ${attacker}`)).count).toBe(
      free + 2,
    );
  });

  it('a burst of parallel guesses gets no more than the free allowance checked', async () => {
    const input = account();
    await createAccountWithOrganization(input);
    const address = randomAddress('10.3');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 15 }, (_, i) =>
        authenticate(input.email, `parallel ${i} guess`, address),
      ),
    );
    const checked = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.filter(
      (o) => o.status === 'rejected' && (o.reason as { code?: string }).code === 'RATE_LIMITED',
    ).length;
    expect(checked).toBe(SIGN_IN_PER_ACCOUNT_AND_ADDRESS.free + 1);
    expect(refused).toBe(15 - checked);
  });

  it('throttles one address spraying many accounts, and a success takes back its count', async () => {
    const input = account();
    await createAccountWithOrganization(input);
    const address = randomAddress('10.9');
    expect((await authenticate(input.email, TEST_PASSWORD, address))?.email).toBe(input.email);
    expect((await backoffRow('signin-address', address)).count).toBe(0);
    for (let i = 0; i <= SIGN_IN_PER_ADDRESS.free; i += 1) {
      expect(
        await authenticate(`spray-${i}-${randomUUID()}@example.test`, 'guess guess guess', address),
      ).toBeNull();
    }
    await expect(authenticate(input.email, TEST_PASSWORD, address)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    });
    expect((await authenticate(input.email, TEST_PASSWORD, randomAddress('10.8')))?.email).toBe(
      input.email,
    );
  });
});

describe('session version', () => {
  it('a password change ends other sessions and keeps the new one working', async () => {
    const { org, owner } = await createTestOrg();
    const ctx = await runWithSession(owner, () => resolveOrgContext(org.slug));
    expect(ctx.actor.role).toBe('owner');
    const changed = await runWithSession(owner, () =>
      changePasswordAction({
        currentPassword: TEST_PASSWORD,
        newPassword: 'an entirely new passphrase',
      }),
    );
    expect(changed.ok).toBe(true);
    if (!changed.ok) return;
    expect(changed.data.sessionVersion).toBe(owner.sessionVersion + 1);
    expect(
      await getActiveUser({ userId: owner.userId, sessionVersion: owner.sessionVersion }),
    ).toBeNull();
    await expect(runWithSession(owner, () => resolveOrgContext(org.slug))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    const fresh = { userId: owner.userId, sessionVersion: changed.data.sessionVersion };
    expect((await runWithSession(fresh, () => resolveOrgContext(org.slug))).org.id).toBe(org.id);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const { owner } = await createTestOrg();
    const result = await runWithSession(owner, () =>
      changePasswordAction({
        currentPassword: 'not it at all',
        newPassword: 'an entirely new passphrase',
      }),
    );
    expect(result.ok).toBe(false);
    expect(
      await getActiveUser({ userId: owner.userId, sessionVersion: owner.sessionVersion }),
    ).not.toBeNull();
  });
});

describe('org context', () => {
  it('answers a missing org and another org alike', async () => {
    const a = await createTestOrg();
    const b = await createTestOrg();
    const missing = await runWithSession(a.owner, () =>
      resolveOrgContext('no-such-org-anywhere'),
    ).catch((e) => e);
    const foreign = await runWithSession(a.owner, () => resolveOrgContext(b.org.slug)).catch(
      (e) => e,
    );
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'Not found.' });
    expect(foreign).toMatchObject({ code: 'NOT_FOUND', message: 'Not found.' });
    const anonymous = await runWithSession(null, () => resolveOrgContext(a.org.slug)).catch(
      (e) => e,
    );
    expect(anonymous).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
