-- Defense in depth: a least-privilege runtime role and row-level security on every tenant table.
-- Migrations run as the owner (MIGRATION_DATABASE_URL); the app connects as kpi_app, which owns
-- nothing, bypasses nothing and gets only the grants below. Every statement is its own step
-- (the embedded database runs one statement per query).

-- 1. The runtime role: created here when the migrating role may (CI, the embedded database), else
-- it must exist already. Never a superuser, never BYPASSRLS: row-level security would not apply.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'kpi_app') THEN
    BEGIN
      CREATE ROLE kpi_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL; -- another database created it just now
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'role kpi_app does not exist and % may not create it: run CREATE ROLE kpi_app LOGIN PASSWORD ''...'' NOSUPERUSER NOBYPASSRLS as an administrator first', current_user;
    END;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'kpi_app' AND (rolsuper OR rolbypassrls)) THEN
    RAISE EXCEPTION 'role kpi_app must be NOSUPERUSER NOBYPASSRLS: row-level security does not apply to it';
  END IF;
END $$;
--> statement-breakpoint
-- 2. Timeouts, applied at every login of the role (also through pgbouncer): a stuck query, a lock
-- wait or an abandoned transaction cannot pin a connection. Keep in step with
-- RUNTIME_ROLE_TIMEOUTS in db/runtime-role.ts. Needs CREATEROLE: skipped with a notice otherwise.
DO $$
BEGIN
  ALTER ROLE kpi_app SET statement_timeout = '30s';
  ALTER ROLE kpi_app SET lock_timeout = '10s';
  ALTER ROLE kpi_app SET idle_in_transaction_session_timeout = '1min';
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'could not set the timeouts of kpi_app (needs CREATEROLE): set them as an administrator';
END $$;
--> statement-breakpoint
-- 3. Grants: exactly what the app does. No TRUNCATE anywhere; the audit log is append-only.
DO $$
BEGIN
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'could not revoke CREATE on schema public from PUBLIC (not its owner)';
END $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO kpi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON users, organizations, units, kpis, invitations, api_keys, report_shares TO kpi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships, sign_in_attempts, kpi_targets, checkins, kpi_period_values, kpi_templates, api_idempotency, api_rate_windows TO kpi_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_log, kpi_commentaries TO kpi_app;
--> statement-breakpoint
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO kpi_app;
--> statement-breakpoint
-- Tables and sequences later migrations create get the ordinary grants (a new append-only table
-- revokes UPDATE and DELETE in its own migration); row-level security they must add themselves
-- (tests/integration/rls.int.test.ts fails for an org_id table without it).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kpi_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO kpi_app;
--> statement-breakpoint
-- 4. Row-level security on every table with org_id, enabled and forced (table owners are subject
-- too). A row is visible and writable only when its org_id is the transaction's app.org_id; with
-- no setting (or an empty one, as a session that once set it sees) nothing is visible and every
-- write is refused.
DO $$
DECLARE
  t record;
  tenant text := $p$org_id = nullif(current_setting('app.org_id', true), '')::uuid$p$;
BEGIN
  FOR t IN
    SELECT c.relname
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    ORDER BY c.relname
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.relname);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t.relname);
    IF t.relname = 'audit_log' THEN
      -- Append-only: read and insert in the org; no policy lets a row be updated or deleted.
      EXECUTE format('CREATE POLICY tenant_read ON %I FOR SELECT USING (%s)', t.relname, tenant);
      EXECUTE format('CREATE POLICY tenant_append ON %I FOR INSERT WITH CHECK (%s)', t.relname, tenant);
    ELSE
      EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (%s) WITH CHECK (%s)', t.relname, tenant, tenant);
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint
-- 5. The lookups that come before an organization is known, each narrowed by its own setting.
-- A person's own memberships across organizations (org switcher, landing after sign-in):
CREATE POLICY own_memberships ON memberships FOR SELECT
  USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
--> statement-breakpoint
-- The one row a presented secret names (its sha256): invitation links, API keys, share links.
CREATE POLICY by_token_hash ON invitations FOR SELECT
  USING (token_hash = nullif(current_setting('app.token_hash', true), ''));
--> statement-breakpoint
CREATE POLICY by_token_hash ON api_keys FOR SELECT
  USING (token_hash = nullif(current_setting('app.token_hash', true), ''));
--> statement-breakpoint
CREATE POLICY by_token_hash ON report_shares FOR SELECT
  USING (token_hash = nullif(current_setting('app.token_hash', true), ''));
