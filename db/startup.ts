import { getDbHandle } from './client';

/** Opens (and migrates) the database when the server starts. */
export async function prepareDatabase(): Promise<void> {
  await getDbHandle();
}
