import { closeDb } from '@/db/client';

/** Runs a CLI body, prints errors as one readable line (no stack), closes the database, sets the exit code. */
export async function runCli(main: () => Promise<number | void>): Promise<void> {
  let code = 0;
  try {
    code = (await main()) ?? 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    code = 1;
  } finally {
    await closeDb().catch(() => undefined);
  }
  process.exit(code);
}
