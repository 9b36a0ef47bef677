ALTER TYPE "public"."notification_kind" ADD VALUE 'status_alert';--> statement-breakpoint
CREATE TABLE "kpi_value_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"org_id" uuid NOT NULL,
	"kpi_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"old_value" numeric(38, 10),
	"new_value" numeric(38, 10),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kpi_value_events" ADD CONSTRAINT "kpi_value_events_kpi_fk" FOREIGN KEY ("org_id","kpi_id") REFERENCES "public"."kpis"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kpi_value_events_org_idx" ON "kpi_value_events" USING btree ("org_id","seq");--> statement-breakpoint
-- Row-level security like every tenant table (0006_rls.sql). The runtime role writes events in
-- the writer's transaction and the status-alerts job deletes those it handled.
ALTER TABLE kpi_value_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE kpi_value_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON kpi_value_events
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON kpi_value_events TO kpi_app;
--> statement-breakpoint
-- The status-alerts job serves every organization but sees one at a time (row-level security):
-- this names the organizations with value events waiting, and nothing else about them.
CREATE FUNCTION orgs_with_value_events() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT DISTINCT org_id FROM kpi_value_events
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION orgs_with_value_events() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION orgs_with_value_events() TO kpi_app;

--> statement-breakpoint
GRANT USAGE ON SEQUENCE kpi_value_events_seq_seq TO kpi_app;
