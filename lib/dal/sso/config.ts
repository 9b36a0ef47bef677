import { asc, eq, sql } from 'drizzle-orm';
import { withOrgRead, type Tx } from '@/db/client';
import { orgSsoConfigs, orgSsoDomains } from '@/db/schema';
import { ssoSecretKey } from '@/lib/auth/sso/key';
import { assertCan } from '@/lib/authz/can';
import { AppError, notFoundError, validationError } from '@/lib/errors';
import { openSecret, sealSecret } from '@/lib/security/secret-box';
import type { OrgContext } from '@/lib/server/org-context';
import type { SaveSsoConfig } from '@/lib/validation/sso';
import { appendAudit } from '../audit';

/** What the settings page shows of an organization's provider: never the secret itself. */
export type SsoSettingsDto = {
  issuer: string;
  clientId: string;
  hasClientSecret: true;
  /** False when the stored secret no longer opens with the current key (it must be entered again). */
  clientSecretReadable: boolean;
  allowedDomains: string[];
  requireSso: boolean;
  updatedAt: string;
};

async function readSettings(db: Pick<Tx, 'select'>, orgId: string): Promise<SsoSettingsDto | null> {
  const [row] = await db
    .select({
      issuer: orgSsoConfigs.issuer,
      clientId: orgSsoConfigs.clientId,
      requireSso: orgSsoConfigs.requireSso,
      updatedAt: orgSsoConfigs.updatedAt,
      sealed: orgSsoConfigs.clientSecretEncrypted,
    })
    .from(orgSsoConfigs)
    .where(eq(orgSsoConfigs.orgId, orgId));
  if (!row) return null;
  const domains = await db
    .select({ domain: orgSsoDomains.domain })
    .from(orgSsoDomains)
    .where(eq(orgSsoDomains.orgId, orgId))
    .orderBy(asc(orgSsoDomains.domain));
  return {
    issuer: row.issuer,
    clientId: row.clientId,
    hasClientSecret: true,
    clientSecretReadable: openSecret(row.sealed, ssoSecretKey()) !== null,
    allowedDomains: domains.map((d) => d.domain),
    requireSso: row.requireSso,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The acting organization's provider settings, or null when none is configured.
 * Permission: `settings.manage`. Tenant: ctx.org.
 */
export async function getSsoSettings(ctx: OrgContext): Promise<SsoSettingsDto | null> {
  assertCan(ctx, 'settings.manage');
  return withOrgRead(ctx.org.id, (db) => readSettings(db, ctx.org.id));
}

/**
 * Creates or replaces the acting organization's provider: the client secret is sealed with
 * AES-256-GCM (a blank one keeps the stored secret; the first save needs one), the domains are
 * replaced, and a domain another organization already serves is refused (VALIDATION, nothing
 * written). Audited `settings.sso` with before and after (never the secret).
 * Permission: `settings.manage`. Tenant: ctx.org.
 */
export async function saveSsoConfig(
  ctx: OrgContext,
  tx: Tx,
  input: SaveSsoConfig,
): Promise<SsoSettingsDto> {
  assertCan(ctx, 'settings.manage');
  const before = await readSettings(tx, ctx.org.id);
  const secret = input.clientSecret.trim();
  if (!before && !secret) {
    throw validationError('Enter the client secret.', { clientSecret: ['Enter the client secret.'] });
  }
  const values = {
    issuer: input.issuer,
    clientId: input.clientId,
    requireSso: input.requireSso,
    updatedAt: sql`now()`,
    ...(secret ? { clientSecretEncrypted: sealSecret(secret, ssoSecretKey()) } : {}),
  };
  if (before) {
    await tx.update(orgSsoConfigs).set(values).where(eq(orgSsoConfigs.orgId, ctx.org.id));
  } else {
    await tx.insert(orgSsoConfigs).values({
      orgId: ctx.org.id,
      ...values,
      clientSecretEncrypted: sealSecret(secret, ssoSecretKey()),
    });
  }
  await tx.delete(orgSsoDomains).where(eq(orgSsoDomains.orgId, ctx.org.id));
  const inserted = await tx
    .insert(orgSsoDomains)
    .values(input.allowedDomains.map((domain) => ({ domain, orgId: ctx.org.id })))
    .onConflictDoNothing({ target: orgSsoDomains.domain })
    .returning({ domain: orgSsoDomains.domain });
  const taken = input.allowedDomains.filter((d) => !inserted.some((i) => i.domain === d));
  if (taken.length > 0) {
    const message = `${taken.join(', ')} ${taken.length === 1 ? 'is' : 'are'} already used for single sign-on by another organization.`;
    throw validationError(message, { allowedDomains: [message] });
  }
  const after = await readSettings(tx, ctx.org.id);
  if (!after) throw new AppError('INTERNAL', 'The SSO settings were not saved.');
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'settings.sso',
    entityType: 'organization',
    entityId: ctx.org.id,
    before: before && { ...before, updatedAt: undefined },
    after: { ...after, updatedAt: undefined, clientSecretChanged: Boolean(secret) },
  });
  return after;
}

/**
 * Removes the acting organization's provider (and its domains): password sign-in applies to
 * everyone again. Audited `settings.sso_remove`. Permission: `settings.manage`. Tenant: ctx.org.
 */
export async function deleteSsoConfig(ctx: OrgContext, tx: Tx): Promise<{ removed: true }> {
  assertCan(ctx, 'settings.manage');
  const before = await readSettings(tx, ctx.org.id);
  if (!before) throw notFoundError();
  await tx.delete(orgSsoConfigs).where(eq(orgSsoConfigs.orgId, ctx.org.id));
  await appendAudit(tx, {
    orgId: ctx.org.id,
    actorUserId: ctx.actor.userId,
    action: 'settings.sso_remove',
    entityType: 'organization',
    entityId: ctx.org.id,
    before: { ...before, updatedAt: undefined },
  });
  return { removed: true };
}
