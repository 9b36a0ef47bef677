import { afterAll } from 'vitest';
import { runtimeRoleUrl } from '@/db/runtime-url';

// Point the app's database client at the test database before any test imports it: the app
// connects as the runtime role (row-level security applies), migrations and fixtures
// (getOwnerDb) as the owner.
if (process.env.TEST_DATABASE_URL) {
  // TEST_POOLER_URL: the app's connection goes through a pooler in front of the same database
  // (with DATABASE_POOLER=transaction for pgbouncer in transaction mode; README "Running several
  // instances"); fixtures and migrations still connect directly.
  process.env.DATABASE_URL = runtimeRoleUrl(
    process.env.TEST_POOLER_URL ?? process.env.TEST_DATABASE_URL,
  );
  process.env.MIGRATION_DATABASE_URL = process.env.TEST_DATABASE_URL;
} else {
  delete process.env.DATABASE_URL;
  delete process.env.MIGRATION_DATABASE_URL;
  process.env.PGLITE_DIR = 'memory://';
}

// Webhook tests receive on a loopback HTTP server (README "Webhooks").
process.env.WEBHOOKS_ALLOW_PRIVATE = '1';

afterAll(async () => {
  const { closeDb } = await import('@/db/client');
  await closeDb();
});
