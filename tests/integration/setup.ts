import { afterAll } from 'vitest';

// Point the app's database client at the test database before any test imports it.
if (process.env.TEST_DATABASE_URL) {
  process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
} else {
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DIR = 'memory://';
}

afterAll(async () => {
  const { closeDb } = await import('@/db/client');
  await closeDb();
});
