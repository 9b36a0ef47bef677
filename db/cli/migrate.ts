// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or the embedded database.
import { closeDb, getDbHandle } from '@/db/client';

const handle = await getDbHandle();
console.log(`Migrations applied (${handle.driver === 'postgres' ? 'DATABASE_URL' : 'embedded database'}).`);
await closeDb();
