/** The least-privilege role the app runs as (created and granted by migration 0006_rls). */
export const RUNTIME_ROLE = 'kpi_app';

/**
 * Per-session limits of the runtime role, so a stuck query or an abandoned transaction cannot pin
 * a connection. On a server the migration sets them with ALTER ROLE (applied at every login, also
 * through pgbouncer); the embedded database switches role with SET ROLE, which does not apply
 * role settings, so it sets them itself. Keep in step with db/migrations/0006_rls.sql.
 */
export const RUNTIME_ROLE_TIMEOUTS = {
  statement_timeout: '30s',
  lock_timeout: '10s',
  idle_in_transaction_session_timeout: '1min',
} as const;
