CREATE TABLE "org_data_versions" (
	"org_id" uuid NOT NULL,
	"slot" integer NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "org_data_versions_pkey" PRIMARY KEY("org_id","slot")
);
--> statement-breakpoint
ALTER TABLE "org_data_versions" ADD CONSTRAINT "org_data_versions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The organization's data version (see db/schema/read-model.ts): caches of dashboard data are
-- keyed by the sum of an org's slots, and every write to a table dashboards read adds 1 to a slot
-- in its own transaction. Row-level security like every tenant table (0006_rls).
ALTER TABLE org_data_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE org_data_versions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON org_data_versions
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
-- Written by the triggers only (as the writing role); never deleted but with its organization.
REVOKE ALL ON org_data_versions FROM kpi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON org_data_versions TO kpi_app;
--> statement-breakpoint
-- New slots take fresh numbers, so two transactions creating one at once never collide (wait).
CREATE SEQUENCE org_data_version_slots AS integer;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE org_data_version_slots TO kpi_app;
--> statement-breakpoint
-- Statement-level: once per statement, whatever the number of rows (a CSV import or a rollup of
-- 50 period values costs one bump), and once per transaction and org (app.data_version_bumped
-- remembers it transaction-locally; a rolled-back savepoint forgets both). The slot: the first
-- of the org's slots no other transaction holds (SKIP LOCKED), else a new one, so writers of one
-- organization never wait on each other here and the org has about as many slots as it has
-- concurrent writers. Runs as the writer: row-level security applies to the slots as well.
CREATE FUNCTION bump_org_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  o uuid;
  s integer;
  done text := coalesce(current_setting('app.data_version_bumped', true), '');
BEGIN
  FOR o IN SELECT DISTINCT org_id FROM changed LOOP
    CONTINUE WHEN position(o::text IN done) > 0;
    SELECT slot INTO s FROM org_data_versions WHERE org_id = o
      ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF FOUND THEN
      UPDATE org_data_versions SET version = version + 1 WHERE org_id = o AND slot = s;
    ELSE
      -- Not for an organization being deleted (its cascade deletes rows of these tables).
      INSERT INTO org_data_versions (org_id, slot, version)
        SELECT o, nextval('org_data_version_slots'), 1
        WHERE EXISTS (SELECT FROM organizations WHERE id = o);
    END IF;
    done := done || o::text || ',';
    PERFORM set_config('app.data_version_bumped', done, true);
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Every table a dashboard reads (users: names never change in the app; a new member arrives as
-- a membership; organization settings are part of the cache key instead).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['units', 'memberships', 'kpis', 'kpi_targets', 'checkins', 'kpi_period_values'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_org_data_version()', t || '_data_version_ins', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_org_data_version()', t || '_data_version_upd', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bump_org_data_version()', t || '_data_version_del', t);
  END LOOP;
END $$;
--> statement-breakpoint
-- The version in one round trip (no transaction of its own): sets app.org_id for the statement's
-- implicit transaction when none is set, so row-level security applies as in withOrgRead; inside
-- a transaction of another organization it refuses.
CREATE FUNCTION org_data_version(o uuid) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  cur text := nullif(current_setting('app.org_id', true), '');
BEGIN
  IF cur IS NULL THEN
    PERFORM set_config('app.org_id', o::text, true);
  ELSIF cur <> o::text THEN
    RAISE EXCEPTION 'app.org_id is set to another organization';
  END IF;
  RETURN (SELECT coalesce(sum(version), 0)::text FROM org_data_versions WHERE org_id = o);
END $$;
