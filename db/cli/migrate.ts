// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or the embedded database.
import { getDbHandle } from '@/db/client';
import { runCli } from './run';

await runCli(async () => {
  const handle = await getDbHandle();
  console.log(`Migrations applied (${handle.driver === 'postgres' ? 'DATABASE_URL' : 'embedded database'}).`);
});
