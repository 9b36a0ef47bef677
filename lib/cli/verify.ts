// `npm run db:verify`: recomputes every stored KPI period value from scratch and reports drift (exit 1).
// `--test-database` verifies TEST_DATABASE_URL instead (`npm test` ends with it, after every suite).
import { closeDb, getDbHandle } from '@/db/client';
import { describeDrift, verifyAllOrganizations } from '@/lib/dal/verify';

if (process.argv.includes('--test-database')) {
  if (!process.env.TEST_DATABASE_URL) {
    if (process.env.CI) {
      console.error(
        'db:verify --test-database: TEST_DATABASE_URL is not set (CI needs a real Postgres).',
      );
      process.exit(2);
    }
    console.log(
      'db:verify --test-database: TEST_DATABASE_URL is not set; the suites used throwaway embedded databases.',
    );
    process.exit(0);
  }
  // The database is opened lazily below, so the configuration is read after this line.
  process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
}

const handle = await getDbHandle();
const started = performance.now();
let exitCode = 0;
try {
  const report = await verifyAllOrganizations();
  const where = handle.driver === 'postgres' ? 'DATABASE_URL' : 'embedded database';
  const ms = Math.round(performance.now() - started);
  console.log(
    `Checked ${report.valuesChecked} period values in ${report.organizations} organizations (${where}, ${ms} ms).`,
  );
  for (const drift of report.drifts) console.log(`DRIFT ${describeDrift(drift)}`);
  for (const e of report.errors) console.log(`ERROR ${e.orgSlug}: ${e.message}`);
  if (report.drifts.length > 0 || report.errors.length > 0) {
    console.log(
      `${report.drifts.length} drifted values, ${report.errors.length} organizations not verifiable.`,
    );
    exitCode = 1;
  } else {
    console.log('No drift.');
  }
} catch (error) {
  console.error('db:verify failed:', error);
  exitCode = 2;
} finally {
  await closeDb();
}
process.exit(exitCode);
