import { eq } from 'drizzle-orm';
import { withOrgRead, withSlugOrgTx, withSsoDomainOrgTx, type Executor } from '@/db/client';
import { organizations, orgSsoConfigs, orgSsoDomains } from '@/db/schema';
import { ssoSecretKey } from '@/lib/auth/sso/key';
import { emailDomain, ssoProviderId } from '@/lib/domain/sso';
import { openSecret } from '@/lib/security/secret-box';

/*
 * Reads before anyone is signed in: which organization's provider serves an address or a slug,
 * and the provider configuration the next-auth handler builds its provider from. Each is scoped
 * to the one organization it names (row-level security: app.sso_domain, the slug, the id).
 */

/** Where "Continue with SSO" goes: the provider id and the organization it signs into. */
export type SsoTarget = { providerId: string; orgSlug: string; orgName: string };

async function targetOf(db: Executor, orgId: string): Promise<SsoTarget | null> {
  const [row] = await db
    .select({ slug: organizations.slug, name: organizations.name })
    .from(orgSsoConfigs)
    .innerJoin(organizations, eq(organizations.id, orgSsoConfigs.orgId))
    .where(eq(orgSsoConfigs.orgId, orgId));
  return row ? { providerId: ssoProviderId(orgId), orgSlug: row.slug, orgName: row.name } : null;
}

/** The provider serving this (validated) e-mail address's domain, or null. */
export async function findSsoByEmail(email: string): Promise<SsoTarget | null> {
  const domain = emailDomain(email);
  if (!domain) return null;
  return withSsoDomainOrgTx(domain, async (tx, orgId) => (orgId ? targetOf(tx, orgId) : null));
}

/** The provider of the organization with this slug, or null. */
export async function findSsoBySlug(slug: string): Promise<SsoTarget | null> {
  return withSlugOrgTx(slug, async (tx, orgId) => (orgId ? targetOf(tx, orgId) : null));
}

/** What next-auth needs to talk to an organization's provider (the secret decrypted). */
export type SsoProviderConfig = {
  orgId: string;
  orgSlug: string;
  issuer: string;
  clientId: string;
  /** Null when the stored secret cannot be opened with the current key. */
  clientSecret: string | null;
  allowedDomains: string[];
};

/**
 * The provider configuration of an organization (its id from the next-auth URL, already checked
 * to be a uuid), or null when it has none. Server only: the secret never leaves the server.
 */
export async function getSsoProviderConfig(orgId: string): Promise<SsoProviderConfig | null> {
  return withOrgRead(orgId, async (db) => {
    const [row] = await db
      .select({
        issuer: orgSsoConfigs.issuer,
        clientId: orgSsoConfigs.clientId,
        secret: orgSsoConfigs.clientSecretEncrypted,
        slug: organizations.slug,
      })
      .from(orgSsoConfigs)
      .innerJoin(organizations, eq(organizations.id, orgSsoConfigs.orgId))
      .where(eq(orgSsoConfigs.orgId, orgId));
    if (!row) return null;
    const domains = await db
      .select({ domain: orgSsoDomains.domain })
      .from(orgSsoDomains)
      .where(eq(orgSsoDomains.orgId, orgId));
    return {
      orgId,
      orgSlug: row.slug,
      issuer: row.issuer,
      clientId: row.clientId,
      clientSecret: openSecret(row.secret, ssoSecretKey()),
      allowedDomains: domains.map((d) => d.domain),
    };
  });
}
