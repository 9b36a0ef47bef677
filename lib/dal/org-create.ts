import { eq, sql } from 'drizzle-orm';
import { getDb, type Tx } from '@/db/client';
import { memberships, organizations, units, users } from '@/db/schema';
import { validationError } from '@/lib/errors';
import { slugCandidate, slugify } from '@/lib/validation/slug';
import { appendAudit } from './audit';

/*
 * Creating an organization: its row, its company root unit and its first owner, audited
 * `org.create`. Sign-up (a new person) and a signed-in person's further organization share it.
 */

/** Shown when a chosen slug belongs to another organization. */
export const SLUG_TAKEN = 'This web address is taken: choose another.';

type SlugChoice = { exact: string } | { fromName: true };

async function insertOrgRow(
  tx: Tx,
  name: string,
  choice: SlugChoice,
): Promise<{ id: string; slug: string }> {
  const insert = (slug: string) =>
    tx
      .insert(organizations)
      .values({ name, slug })
      .onConflictDoNothing({ target: organizations.slug })
      .returning({ id: organizations.id, slug: organizations.slug });
  if ('exact' in choice) {
    const [org] = await insert(choice.exact);
    if (!org) throw validationError(SLUG_TAKEN, { slug: [SLUG_TAKEN] });
    return org;
  }
  const base = slugify(name);
  for (let attempt = 1; attempt <= 50; attempt += 1) {
    const [org] = await insert(slugCandidate(base, attempt));
    if (org) return org;
  }
  const suffix = crypto.randomUUID().slice(0, 8);
  const [org] = await insert(`${base.slice(0, 39)}-${suffix}`);
  if (!org) throw new Error('organization insert returned nothing');
  return org;
}

/**
 * Inserts an organization named `name` with its company root unit and `ownerUserId` as owner
 * (home unit: the root), makes it the person's last organization and audits `org.create`, in the
 * caller's transaction. The slug is `exact` (taken: VALIDATION on `slug`) or the first free one
 * derived from the name. Input must already be validated. No tenant yet: sets `app.org_id` to
 * the new organization for the rest of the transaction.
 */
export async function insertOrganization(
  tx: Tx,
  input: { ownerUserId: string; name: string; slug: SlugChoice },
): Promise<{ id: string; slug: string; rootUnitId: string }> {
  const org = await insertOrgRow(tx, input.name, input.slug);
  await tx.execute(sql`select set_config('app.org_id', ${org.id}, true)`);
  const [root] = await tx
    .insert(units)
    .values({ orgId: org.id, kind: 'company', name: input.name })
    .returning({ id: units.id });
  if (!root) throw new Error('root unit insert returned nothing');
  await tx
    .insert(memberships)
    .values({ orgId: org.id, userId: input.ownerUserId, role: 'owner', homeUnitId: root.id });
  await tx.update(users).set({ lastOrgId: org.id }).where(eq(users.id, input.ownerUserId));
  await appendAudit(tx, {
    orgId: org.id,
    actorUserId: input.ownerUserId,
    action: 'org.create',
    entityType: 'organization',
    entityId: org.id,
    after: { name: input.name, slug: org.slug, rootUnitId: root.id },
  });
  return { ...org, rootUnitId: root.id };
}

/**
 * A signed-in person's further organization: `name` and the chosen `slug` (taken: VALIDATION on
 * `slug`, nothing written); they become its owner. `userId` must be the session's active person
 * (the action checks it). One transaction.
 */
export async function createOrganizationForUser(
  userId: string,
  input: { name: string; slug: string },
): Promise<{ id: string; slug: string }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const org = await insertOrganization(tx, {
      ownerUserId: userId,
      name: input.name,
      slug: { exact: input.slug },
    });
    return { id: org.id, slug: org.slug };
  });
}
