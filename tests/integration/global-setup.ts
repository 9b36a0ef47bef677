// Integration tests run on TEST_DATABASE_URL (a real Postgres; CI always sets it), else on an
// embedded in-memory database per test file. In CI a missing server is a failure, never a skip.
export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    if (process.env.CI) {
      throw new Error('TEST_DATABASE_URL is not set: integration tests need a real Postgres in CI.');
    }
    console.warn('TEST_DATABASE_URL is not set: using embedded Postgres; real-server tests are skipped.');
    return;
  }
  const { migratePostgres } = await import('../../db/migrate');
  await migratePostgres(url);
}
