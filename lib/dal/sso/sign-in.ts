import { and, eq, isNull, sql } from 'drizzle-orm';
import { getDb, withOrgTx, withUserRead } from '@/db/client';
import { memberships, orgSsoConfigs, units, users } from '@/db/schema';
import { isOwnerRole, SSO_JOIN_ROLE } from '@/lib/authz/roles';
import { checkSsoIdentity, type SsoRefusal } from '@/lib/domain/sso';
import { hasForbiddenCharacters, hasLetterOrDigit } from '@/lib/validation/text';
import { appendAudit } from '../audit';
import type { SsoProviderConfig } from './lookup';

/** A sign-in through an organization's provider that the rules refuse (its code names why). */
export class SsoRefusedError extends Error {
  constructor(readonly code: SsoRefusal) {
    super(code);
    this.name = 'SsoRefusedError';
  }
}

/** What the provider vouched for (its ID token, completed from userinfo where needed). */
export type SsoIdentity = { email: string | null; emailVerified: boolean; name: string | null };

/** Marks an account made by single sign-on: no password matches it until one is set (reset). */
const NO_PASSWORD = 'sso$no-password';

function displayName(identity: SsoIdentity, email: string): string {
  const name = identity.name?.trim().slice(0, 100) ?? '';
  if (name && !hasForbiddenCharacters(name) && hasLetterOrDigit(name)) return name;
  return email.split('@')[0]!.slice(0, 100);
}

/**
 * The account a sign-in through `config`'s provider signs in as. The address must be verified
 * by the provider and of one of the organization's domains. An existing account must already be
 * a member of the organization (a provider cannot take over an account that never joined it); an
 * unknown address gets an account (verified) and joins as a member of the company unit, just in
 * time, audited `member.join` with `via: 'sso'`. Refusals throw SsoRefusedError.
 * Tenant: config.orgId (its provider was chosen by the next-auth URL).
 */
export async function resolveSsoSignIn(
  config: SsoProviderConfig,
  identity: SsoIdentity,
): Promise<{ userId: string; sessionVersion: number; created: boolean }> {
  const refusal = checkSsoIdentity(identity, config.allowedDomains);
  if (refusal) throw new SsoRefusedError(refusal);
  const email = identity.email!.toLowerCase();
  const db = await getDb();
  const [existing] = await db
    .select({ id: users.id, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  if (existing) {
    const [member] = await withUserRead(existing.id, (tx) =>
      tx
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.userId, existing.id), eq(memberships.orgId, config.orgId))),
    );
    if (!member) throw new SsoRefusedError('SsoNotMember');
    // The provider proved the address.
    await db
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`, lastOrgId: config.orgId })
      .where(eq(users.id, existing.id));
    return { userId: existing.id, sessionVersion: existing.sessionVersion, created: false };
  }
  return withOrgTx(config.orgId, async (tx) => {
    const [root] = await tx
      .select({ id: units.id })
      .from(units)
      .where(and(eq(units.orgId, config.orgId), eq(units.kind, 'company'), isNull(units.archivedAt)))
      .limit(1);
    if (!root) throw new SsoRefusedError('SsoUnavailable');
    const [user] = await tx
      .insert(users)
      .values({
        email,
        name: displayName(identity, email),
        passwordHash: NO_PASSWORD,
        emailVerifiedAt: sql`now()`,
        lastOrgId: config.orgId,
      })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id, sessionVersion: users.sessionVersion });
    // Created by a sign-in running at the same moment: let the person simply try again.
    if (!user) throw new SsoRefusedError('SsoUnavailable');
    await tx
      .insert(memberships)
      .values({ orgId: config.orgId, userId: user.id, role: SSO_JOIN_ROLE, homeUnitId: root.id });
    await appendAudit(tx, {
      orgId: config.orgId,
      actorUserId: user.id,
      action: 'member.join',
      entityType: 'membership',
      entityId: user.id,
      after: { email, role: SSO_JOIN_ROLE, homeUnitId: root.id, via: 'sso', newAccount: true },
    });
    return { userId: user.id, sessionVersion: user.sessionVersion, created: true };
  });
}

/**
 * True when a password sign-in must be refused: the person is a member, other than the owner, of
 * an organization that requires single sign-on. Read under the person's own scope
 * (app.user_id: their memberships and those organizations' SSO requirement only).
 */
export async function passwordSignInNeedsSso(userId: string): Promise<boolean> {
  const rows = await withUserRead(userId, (tx) =>
    tx
      .select({ role: memberships.role })
      .from(memberships)
      .innerJoin(orgSsoConfigs, eq(orgSsoConfigs.orgId, memberships.orgId))
      .where(and(eq(memberships.userId, userId), eq(orgSsoConfigs.requireSso, true))),
  );
  return rows.some((r) => !isOwnerRole(r.role));
}
