// `npm run apikey:create -- --org <slug> --name <name> --scope read|write|write:definitions`: creates an API key acting
// as the organization's owner and prints the secret on its last line (shown once, stored hashed).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { getOwnerDb, withOrgTx } from '@/db/client';
import { memberships, organizations, users } from '@/db/schema';
import { createApiKey } from '@/lib/dal/api-keys/keys';
import { getMembershipBySlug } from '@/lib/dal/memberships';
import { createApiKeySchema } from '@/lib/validation/api-keys';
import { runCli } from '@/db/cli/run';

const USAGE =
  'Usage: npm run apikey:create -- --org <slug> --name <name> --scope read|write|write:definitions';

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      org: { type: 'string' },
      name: { type: 'string' },
      scope: { type: 'string', default: 'read' },
    },
    strict: true,
  });
  if (!values.org) throw new Error(`--org is required\n${USAGE}`);
  const parsed = createApiKeySchema.safeParse({ name: values.name ?? '', scope: values.scope });
  if (!parsed.success)
    throw new Error(`${parsed.error.issues.map((i) => i.message).join('; ')}\n${USAGE}`);
  // The owner lookup reads across the org's memberships before any org is set: as the owner role.
  const db = await getOwnerDb();
  const [owner] = await db
    .select({ userId: users.id, sessionVersion: users.sessionVersion })
    .from(organizations)
    .innerJoin(
      memberships,
      and(eq(memberships.orgId, organizations.id), eq(memberships.role, 'owner')),
    )
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(organizations.slug, values.org))
    .limit(1);
  const found = owner ? await getMembershipBySlug(owner, values.org) : null;
  if (!found) throw new Error(`No organization "${values.org}"`);
  const ctx = { ...found, requestId: randomUUID() };
  const { key, secret } = await withOrgTx(found.org.id, (tx) => createApiKey(ctx, tx, parsed.data));
  console.log(
    `Created ${key.scope} key "${key.name}" (${key.prefix}…) for ${found.org.slug}, acting as ${found.user.email}.`,
  );
  console.log(secret);
});
