// Per-organization single sign-on: the admins' provider settings (sealed secret, authorization,
// bad input, another organization's settings), the "Continue with SSO" lookup, and the rules of
// the sign-in callback (verified e-mail of an allowed domain, existing members only, just-in-time
// accounts) and of "require SSO" for password sign-ins.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { User } from 'next-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, getOwnerDb } from '@/db/client';
import { auditLog, memberships, orgSsoConfigs, userSessions, users } from '@/db/schema';
import {
  deleteSsoConfigAction,
  findSsoProviderAction,
  saveSsoConfigAction,
  testSsoConnectionAction,
} from '@/lib/actions/sso';
import { authOptions, SSO_REQUIRED } from '@/lib/auth/options';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import { ssoSecretKey } from '@/lib/auth/sso/key';
import { ssoSignInCallback } from '@/lib/auth/sso/sign-in';
import { createOrganizationAction } from '@/lib/actions/organizations';
import { getActiveUser, getLandingOrgSlug } from '@/lib/dal/accounts';
import { readOrgPageFrame } from '@/lib/dal/org-page-frame';
import { startSession } from '@/lib/dal/sessions';
import { resolveOrgContext } from '@/lib/server/org-context';
import { getSsoProviderConfig } from '@/lib/dal/sso/lookup';
import { passwordSignInNeedsSso } from '@/lib/dal/sso/sign-in';
import { ssoProviderId } from '@/lib/domain/sso';
import { openSecret, sealSecret } from '@/lib/security/secret-box';
import { runWithClientAddress } from '@/lib/server/client-address';
import { must } from './cascade-helpers';
import { addTestMember, createTestOrg, TEST_PASSWORD } from './factories';

const SECRET = 'a-client-secret-that-must-never-leave-the-server';

/** A fresh domain per test, so tests never claim each other's. */
function domain(): string {
  return `acme-${randomUUID().slice(0, 8)}.test`;
}

function config(domains: string[], extra: Partial<Record<string, unknown>> = {}) {
  return {
    issuer: 'https://login.example.com',
    clientId: 'kpi-app',
    clientSecret: SECRET,
    allowedDomains: domains.join(', '),
    requireSso: false,
    ...extra,
  };
}

async function storedRow(orgId: string) {
  const [row] = await (await getOwnerDb())
    .select()
    .from(orgSsoConfigs)
    .where(eq(orgSsoConfigs.orgId, orgId));
  return row;
}

describe('SSO settings actions', () => {
  it('seal the client secret (AES-256-GCM) and never return it to the client', async () => {
    const { org, owner } = await createTestOrg();
    const d = domain();
    const saved = await runWithSession(owner, async () =>
      must(await saveSsoConfigAction(org.slug, config([d, `Sub.${d}`]))),
    );
    expect(JSON.stringify(saved)).not.toContain(SECRET);
    expect(saved).toMatchObject({
      issuer: 'https://login.example.com',
      clientId: 'kpi-app',
      hasClientSecret: true,
      clientSecretReadable: true,
      allowedDomains: [d, `sub.${d}`].sort(),
      requireSso: false,
    });
    const row = await storedRow(org.id);
    expect(row!.clientSecretEncrypted).toMatch(/^v1\./);
    expect(row!.clientSecretEncrypted).not.toContain(SECRET);
    expect(openSecret(row!.clientSecretEncrypted, ssoSecretKey())).toBe(SECRET);
    expect((await getSsoProviderConfig(org.id))?.clientSecret).toBe(SECRET);

    // A blank secret keeps the stored one; the audit record never holds it.
    await runWithSession(owner, async () =>
      must(await saveSsoConfigAction(org.slug, config([d], { clientSecret: '', clientId: 'other' }))),
    );
    expect((await getSsoProviderConfig(org.id))).toMatchObject({ clientId: 'other', clientSecret: SECRET });

    // Sealed under another key (SSO_SECRET_KEY changed): unreadable, said so, never garbage.
    await (await getOwnerDb())
      .update(orgSsoConfigs)
      .set({ clientSecretEncrypted: sealSecret(SECRET, randomBytes(32)) })
      .where(eq(orgSsoConfigs.orgId, org.id));
    expect((await getSsoProviderConfig(org.id))?.clientSecret).toBeNull();
    const unreadable = await runWithSession(owner, async () =>
      must(await saveSsoConfigAction(org.slug, config([d], { clientSecret: '' }))),
    );
    expect(unreadable.clientSecretReadable).toBe(false);
    const audits = await (await getOwnerDb())
      .select({ before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, 'settings.sso')));
    expect(audits).toHaveLength(3);
    expect(JSON.stringify(audits)).not.toContain(SECRET);
    expect(JSON.stringify(audits)).not.toContain(row!.clientSecretEncrypted);
  });

  it('refuse bad input with field errors and change nothing', async () => {
    const { org, owner } = await createTestOrg();
    const call = (input: unknown) =>
      runWithSession(owner, () => saveSsoConfigAction(org.slug, input as never));
    const cases: [unknown, string][] = [
      [config([domain()], { issuer: 'http://login.example.com' }), 'issuer'],
      [config([domain()], { issuer: 'not a url' }), 'issuer'],
      [config(['not_a_domain']), 'allowedDomains'],
      [config([]), 'allowedDomains'],
      [config([domain()], { clientId: 'a\u0000b' }), 'clientId'],
      [config([domain()], { clientSecret: '' }), 'clientSecret'], // the first save needs one
      [{ ...config([domain()]), extra: 1 }, '_form'],
    ];
    for (const [input, field] of cases) {
      const result = await call(input);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('VALIDATION');
        expect(Object.keys(result.error.fieldErrors ?? {}), JSON.stringify(input)).toContain(field);
      }
    }
    expect(await storedRow(org.id)).toBeUndefined();
  });

  it('refuse a domain another organization already serves, saving nothing', async () => {
    const a = await createTestOrg();
    const b = await createTestOrg();
    const shared = domain();
    await runWithSession(a.owner, async () => must(await saveSsoConfigAction(a.org.slug, config([shared]))));
    const result = await runWithSession(b.owner, () =>
      saveSsoConfigAction(b.org.slug, config([domain(), shared])),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('VALIDATION');
      expect(result.error.fieldErrors?.allowedDomains?.[0]).toContain(shared);
    }
    expect(await storedRow(b.org.id)).toBeUndefined();
  });

  it('are for owners and admins only; another organization’s settings look missing', async () => {
    const a = await createTestOrg();
    const b = await createTestOrg();
    const admin = await addTestMember(a.org.id, { role: 'admin', homeUnitId: a.rootUnitId });
    const member = await addTestMember(a.org.id, { role: 'member', homeUnitId: a.rootUnitId });
    must(await runWithSession(admin, () => saveSsoConfigAction(a.org.slug, config([domain()]))));
    const denied = await runWithSession(member, () =>
      saveSsoConfigAction(a.org.slug, config([domain()], { clientId: 'hijack' })),
    );
    expect(denied.ok ? 'ok' : denied.error.code).toBe('FORBIDDEN');
    expect((await storedRow(a.org.id))?.clientId).toBe('kpi-app');
    // B's owner acting on A's slug: not found, like a slug that does not exist.
    const foreign = await runWithSession(b.owner, () => deleteSsoConfigAction(a.org.slug, {}));
    const random = await runWithSession(b.owner, () => deleteSsoConfigAction(`no-such-${randomUUID().slice(0, 6)}`, {}));
    expect(foreign.ok ? 'ok' : foreign.error.code).toBe('NOT_FOUND');
    expect(random.ok ? 'ok' : random.error).toEqual(foreign.ok ? 'ok' : foreign.error);
    expect(await storedRow(a.org.id)).toBeDefined();
    // B has none: removing it is not found too.
    const none = await runWithSession(b.owner, () => deleteSsoConfigAction(b.org.slug, {}));
    expect(none.ok ? 'ok' : none.error.code).toBe('NOT_FOUND');
    must(await runWithSession(a.owner, () => deleteSsoConfigAction(a.org.slug, {})));
    expect(await storedRow(a.org.id)).toBeUndefined();
  });
});

describe('Test connection', () => {
  let server: Server;
  let base: string;
  let served: () => Record<string, unknown> | string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url !== '/.well-known/openid-configuration') {
        res.writeHead(404).end();
        return;
      }
      const body = served();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reports success, or the exact problem', async () => {
    const { org, owner } = await createTestOrg();
    const test = (issuer: string) =>
      runWithSession(owner, async () => must(await testSsoConnectionAction(org.slug, { issuer })));
    const good = () => ({
      issuer: base,
      authorization_endpoint: `${base}/auth`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/jwks`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    served = good;
    expect(await test(base)).toMatchObject({ ok: true, issuer: base });
    served = () => ({ ...good(), issuer: `${base}/other` });
    expect((await test(base)).message).toContain(`names its issuer "${base}/other"`);
    served = () => ({ ...good(), jwks_uri: undefined });
    expect((await test(base)).message).toContain('no jwks_uri');
    served = () => ({ ...good(), code_challenge_methods_supported: ['plain'] });
    expect((await test(base)).message).toContain('PKCE');
    served = () => 'not json';
    expect((await test(base)).message).toContain('did not return a JSON');
    expect((await test(`${base}/missing`)).message).toContain('answered HTTP 404');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect((await test(`http://127.0.0.1:${closedPort}`)).message).toMatch(
      /Could not reach .*ECONNREFUSED/,
    );
  });

  it('is for owners and admins only', async () => {
    const { org, rootUnitId } = await createTestOrg();
    const member = await addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId });
    const result = await runWithSession(member, () =>
      testSsoConnectionAction(org.slug, { issuer: 'https://login.example.com' }),
    );
    expect(result.ok ? 'ok' : result.error.code).toBe('FORBIDDEN');
  });
});

describe('Continue with SSO', () => {
  it('finds the provider by e-mail domain or slug, and nothing else', async () => {
    const { org, owner } = await createTestOrg();
    const d = domain();
    must(await runWithSession(owner, () => saveSsoConfigAction(org.slug, config([d]))));
    const find = (emailOrSlug: string) =>
      runWithClientAddress('127.0.0.9', () => findSsoProviderAction({ emailOrSlug }));
    const expected = { providerId: ssoProviderId(org.id), orgSlug: org.slug, orgName: org.name };
    expect(must(await find(`Ann@${d.toUpperCase()}`))).toEqual(expected);
    expect(must(await find(org.slug))).toEqual(expected);
    const other = await find(`ann@${domain()}`);
    expect(other.ok ? 'ok' : other.error.fieldErrors?.emailOrSlug?.[0]).toMatch(/not set up/);
    const bad = await find('not an address');
    expect(bad.ok ? 'ok' : bad.error.code).toBe('VALIDATION');
  });
});

describe('the SSO sign-in callback', () => {
  let org: Awaited<ReturnType<typeof createTestOrg>>;
  let d: string;

  beforeAll(async () => {
    org = await createTestOrg();
    d = domain();
    must(await runWithSession(org.owner, () => saveSsoConfigAction(org.org.slug, config([d]))));
  });

  const signIn = (profile: Record<string, unknown>) => {
    const user = { id: 'subject-1', email: String(profile.email ?? ''), name: null } as User;
    return {
      user,
      run: () =>
        ssoSignInCallback({
          user,
          account: { provider: ssoProviderId(org.org.id), type: 'oauth', providerAccountId: 'subject-1' },
          profile: { sub: 'subject-1', ...profile } as never,
        }),
    };
  };

  it('creates a new person of an allowed domain just in time, as a member, verified, with a session row', async () => {
    const email = `new-${randomUUID().slice(0, 6)}@${d}`;
    const { user, run } = signIn({ email, email_verified: true, name: 'Nia New' });
    expect(await run()).toBe(true);
    const db = await getOwnerDb();
    const [created] = await db.select().from(users).where(eq(users.email, email));
    expect(created).toMatchObject({ name: 'Nia New', lastOrgId: org.org.id });
    expect(created!.emailVerifiedAt).toBeInstanceOf(Date);
    const [membership] = await db
      .select({ role: memberships.role, homeUnitId: memberships.homeUnitId })
      .from(memberships)
      .where(and(eq(memberships.orgId, org.org.id), eq(memberships.userId, created!.id)));
    expect(membership).toEqual({ role: 'member', homeUnitId: org.rootUnitId });
    const u = user as User & { sv?: number; sid?: string };
    expect(u.id).toBe(created!.id);
    expect(u.sv).toBe(created!.sessionVersion);
    const [session] = await db.select().from(userSessions).where(eq(userSessions.id, u.sid!));
    expect(session?.userId).toBe(created!.id);
    const [audit] = await execRows<{ after: { via: string } }>(
      db,
      sql`select after from audit_log where org_id = ${org.org.id} and action = 'member.join' and entity_id = ${created!.id}`,
    );
    expect(audit?.after.via).toBe('sso');
    // The same person again: signed in, not created twice.
    const again = signIn({ email, email_verified: true });
    expect(await again.run()).toBe(true);
    expect(again.user.id).toBe(created!.id);
  });

  it('signs in an existing member', async () => {
    const member = await addTestMember(org.org.id, { role: 'admin', homeUnitId: org.rootUnitId });
    const db = await getOwnerDb();
    const email = `existing-${randomUUID().slice(0, 6)}@${d}`;
    await db.update(users).set({ email }).where(eq(users.id, member.userId));
    const { user, run } = signIn({ email, email_verified: 'true' });
    expect(await run()).toBe(true);
    expect(user.id).toBe(member.userId);
  });

  it('opens a session that reaches this organization only, not the account’s other ones', async () => {
    // The owner of another organization is also a member here: this organization's provider
    // vouches for them, but only here (any admin here can point the provider anywhere).
    const other = await createTestOrg();
    const db = await getOwnerDb();
    const email = `both-${randomUUID().slice(0, 6)}@${d}`;
    await db.update(users).set({ email }).where(eq(users.id, other.owner.userId));
    await db.insert(memberships).values({
      orgId: org.org.id,
      userId: other.owner.userId,
      role: 'member',
      homeUnitId: org.rootUnitId,
    });
    const { user, run } = signIn({ email, email_verified: true });
    expect(await run()).toBe(true);
    const u = user as User & { sv: number; sid: string };
    expect(u.id).toBe(other.owner.userId);
    const [row] = await db.select().from(userSessions).where(eq(userSessions.id, u.sid));
    expect(row?.ssoOrgId).toBe(org.org.id);
    const sso: SessionClaims = { userId: u.id, sessionVersion: u.sv, sessionId: u.sid };
    // The person's read carries it (the invite page asks them to sign in with a password).
    expect((await getActiveUser(sso))?.ssoOrgId).toBe(org.org.id);

    const here = await runWithSession(sso, () => resolveOrgContext(org.org.slug));
    expect(here.org.id).toBe(org.org.id);
    // The account's own organization answers exactly like a missing one.
    const outcome = (slug: string) =>
      runWithSession(sso, () => resolveOrgContext(slug)).then(
        () => 'opened',
        (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
      );
    const missing = await outcome(`no-such-${randomUUID().slice(0, 6)}`);
    expect(missing).toMatch(/^NOT_FOUND/);
    expect(await outcome(other.org.slug)).toBe(missing);
    expect((await readOrgPageFrame(sso, org.org.slug)).chrome.orgs.map((o) => o.slug)).toEqual([
      org.org.slug,
    ]);
    // The page context knows it (the switcher says so instead of offering a new organization).
    expect((await runWithSession(sso, () => resolveOrgContext(org.org.slug))).user.singleSignOn).toBe(
      true,
    );
    expect(await getLandingOrgSlug(u.id, u.sid)).toBe(org.org.slug);
    const created = await runWithSession(sso, () =>
      runWithClientAddress('10.77.0.1', () =>
        createOrganizationAction({ name: 'Side project', slug: `side-${randomUUID().slice(0, 6)}` }),
      ),
    );
    expect(created).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // A password sign-in of the same account opens both.
    const password: SessionClaims = { ...sso, sessionId: await startSession(u.id) };
    const own = await runWithSession(password, () => resolveOrgContext(other.org.slug));
    expect(own.org.id).toBe(other.org.id);
    expect(own.user.singleSignOn).toBe(false);
    expect(await getActiveUser(password)).toMatchObject({ id: u.id, ssoOrgId: null });
    expect(
      (await readOrgPageFrame(password, other.org.slug)).chrome.orgs.map((o) => o.slug).sort(),
    ).toEqual(
      [org.org.slug, other.org.slug].sort(),
    );
  });

  it('refuses an unverified address, another domain, a missing address and a non-member account', async () => {
    const db = await getOwnerDb();
    // Accounts at the addresses tried (other files create users meanwhile: count only these).
    const elsewhere = `x@elsewhere-${randomUUID().slice(0, 6)}.test`;
    const accounts = async () =>
      (
        await execRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from users where email like ${`%@${d}`} or email = ${elsewhere}`,
        )
      )[0]!.n;
    const before = await accounts();
    const refused = async (profile: Record<string, unknown>) => {
      try {
        await signIn(profile).run();
        return 'signed in';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(await refused({ email: `x@${d}`, email_verified: false })).toBe('SsoEmailUnverified');
    expect(await refused({ email: `x@${d}` })).toBe('SsoEmailUnverified');
    expect(await refused({ email: elsewhere, email_verified: true })).toBe(
      'SsoDomainNotAllowed',
    );
    expect(await refused({ email_verified: true })).toBe('SsoNoEmail');
    // An account of an allowed domain that never joined this organization is not taken over.
    const outsider = await createTestOrg();
    const email = `outsider-${randomUUID().slice(0, 6)}@${d}`;
    await db.update(users).set({ email }).where(eq(users.id, outsider.owner.userId));
    expect(await refused({ email, email_verified: true })).toBe('SsoNotMember');
    expect(await accounts()).toBe(before + 1); // only the outsider, moved to the domain above
  });

  it('lets other providers (credentials) through untouched', async () => {
    const user = { id: 'x' } as User;
    expect(
      await ssoSignInCallback({ user, account: { provider: 'credentials', type: 'credentials', providerAccountId: 'x' } }),
    ).toBe(true);
    expect(user.id).toBe('x');
  });
});

describe('require SSO', () => {
  type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown>;
  const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

  async function passwordSignIn(email: string): Promise<string> {
    try {
      const user = await authorize({ email, password: TEST_PASSWORD }, { headers: {} });
      return user ? 'signed in' : 'refused';
    } catch (error) {
      return (error as Error).message;
    }
  }

  it('refuses password sign-in for non-owner members, pointing at SSO; the owner keeps it', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const member = await addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId });
    const db = await getOwnerDb();
    // Give the member the test password (addTestMember stores an unusable hash).
    const [ownerRow] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, owner.userId));
    await db.update(users).set({ passwordHash: ownerRow!.hash }).where(eq(users.id, member.userId));

    expect(await passwordSignIn(member.email)).toBe('signed in');
    must(await runWithSession(owner, () => saveSsoConfigAction(org.slug, config([domain()]))));
    expect(await passwordNeeds(member)).toBe(false);
    expect(await passwordSignIn(member.email)).toBe('signed in');

    must(await runWithSession(owner, () =>
      saveSsoConfigAction(org.slug, config([domain()], { clientSecret: '', requireSso: true })),
    ));
    expect(await passwordNeeds(member)).toBe(true);
    expect(await passwordSignIn(member.email)).toBe(SSO_REQUIRED);
    expect(await passwordSignIn(owner.email)).toBe('signed in');
    // A wrong password stays the generic refusal: the requirement is told only to the right one.
    expect(await authorize({ email: member.email, password: 'wrong password here' }, { headers: {} })).toBeNull();
  });

  async function passwordNeeds(person: SessionClaims): Promise<boolean> {
    return passwordSignInNeedsSso(person.userId);
  }
});
