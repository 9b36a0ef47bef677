import { z } from 'zod';

const postgresUrl = (name: string) =>
  z.string().regex(/^postgres(ql)?:\/\//, `${name} must be a postgres:// or postgresql:// URL`);

/** The database settings; lib/env.ts validates them with the rest of the server configuration. */
export const databaseEnvShape = {
  DATABASE_URL: postgresUrl('DATABASE_URL').optional(),
  /** The owner role that runs migrations (default: DATABASE_URL, the app's runtime role). */
  MIGRATION_DATABASE_URL: postgresUrl('MIGRATION_DATABASE_URL').optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * `transaction`: DATABASE_URL points at a pooler in transaction mode (pgbouncer before 1.21),
   * which cannot keep named prepared statements: every statement is sent unnamed. Nothing of the
   * app keeps session state outside a transaction either way (README "Running several instances").
   */
  DATABASE_POOLER: z
    .enum(['none', 'transaction'], { error: 'DATABASE_POOLER must be none or transaction' })
    .default('none'),
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),
};

const databaseEnvSchema = z.object(databaseEnvShape);

export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;

/** Parses an environment record with `schema`; throws one readable error listing every problem. */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined>,
): z.infer<S> {
  const blankToUndefined = Object.fromEntries(
    Object.entries(source).map(([k, v]) => [k, v === '' ? undefined : v]),
  );
  const result = schema.safeParse(blankToUndefined);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `  - ${i.path.join('.') || 'env'}: ${i.message}`)
      .join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return result.data;
}

let cached: DatabaseEnv | undefined;

/** The validated database settings of this process (parsed on first use). */
export function databaseEnv(): DatabaseEnv {
  cached ??= parseConfig(databaseEnvSchema, process.env);
  return cached;
}
