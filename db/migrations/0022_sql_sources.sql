ALTER TYPE "public"."checkin_source" ADD VALUE 'sql';--> statement-breakpoint
CREATE TABLE "kpi_sql_pulls" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kpi_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"query" text NOT NULL,
	"schedule" text NOT NULL,
	"next_run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_sql_pulls_pkey" PRIMARY KEY("org_id","id"),
	CONSTRAINT "kpi_sql_pulls_id_key" UNIQUE("id"),
	CONSTRAINT "kpi_sql_pulls_schedule" CHECK ("kpi_sql_pulls"."schedule" in ('hourly', 'daily', 'weekly')),
	CONSTRAINT "kpi_sql_pulls_query_length" CHECK (char_length("kpi_sql_pulls"."query") between 1 and 10000)
);
--> statement-breakpoint
CREATE TABLE "sql_pull_runs" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"source_id" uuid NOT NULL,
	"kpi_id" uuid NOT NULL,
	"status" text NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_written" integer DEFAULT 0 NOT NULL,
	"error" text,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sql_pull_runs_pkey" PRIMARY KEY("org_id","id"),
	CONSTRAINT "sql_pull_runs_status" CHECK ("sql_pull_runs"."status" in ('ok', 'failed')),
	CONSTRAINT "sql_pull_runs_trigger" CHECK ("sql_pull_runs"."trigger" in ('schedule', 'manual'))
);
--> statement-breakpoint
CREATE TABLE "sql_sources" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"url_encrypted" text NOT NULL,
	"host" text NOT NULL,
	"database" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sql_sources_pkey" PRIMARY KEY("org_id","id"),
	CONSTRAINT "sql_sources_id_key" UNIQUE("id"),
	CONSTRAINT "sql_sources_name_length" CHECK (char_length("sql_sources"."name") between 1 and 80)
);
--> statement-breakpoint
ALTER TABLE "kpi_sql_pulls" ADD CONSTRAINT "kpi_sql_pulls_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_sql_pulls" ADD CONSTRAINT "kpi_sql_pulls_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_sql_pulls" ADD CONSTRAINT "kpi_sql_pulls_kpi_fk" FOREIGN KEY ("org_id","kpi_id") REFERENCES "public"."kpis"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_sql_pulls" ADD CONSTRAINT "kpi_sql_pulls_source_fk" FOREIGN KEY ("org_id","source_id") REFERENCES "public"."sql_sources"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sql_pull_runs" ADD CONSTRAINT "sql_pull_runs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sql_pull_runs" ADD CONSTRAINT "sql_pull_runs_kpi_fk" FOREIGN KEY ("org_id","kpi_id") REFERENCES "public"."kpis"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sql_pull_runs" ADD CONSTRAINT "sql_pull_runs_source_fk" FOREIGN KEY ("org_id","source_id") REFERENCES "public"."sql_sources"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sql_sources" ADD CONSTRAINT "sql_sources_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sql_sources" ADD CONSTRAINT "sql_sources_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_sql_pulls_kpi_key" ON "kpi_sql_pulls" USING btree ("org_id","kpi_id");--> statement-breakpoint
CREATE INDEX "kpi_sql_pulls_due_idx" ON "kpi_sql_pulls" USING btree ("org_id","next_run_at");--> statement-breakpoint
CREATE INDEX "sql_pull_runs_source_idx" ON "sql_pull_runs" USING btree ("org_id","source_id","finished_at");--> statement-breakpoint
CREATE INDEX "sql_pull_runs_kpi_idx" ON "sql_pull_runs" USING btree ("org_id","kpi_id","finished_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sql_sources_name_key" ON "sql_sources" USING btree ("org_id","name");--> statement-breakpoint
-- Row-level security like every tenant table (0006_rls.sql).
ALTER TABLE sql_sources ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sql_sources FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON sql_sources
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE kpi_sql_pulls ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE kpi_sql_pulls FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON kpi_sql_pulls
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE sql_pull_runs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sql_pull_runs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON sql_pull_runs
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
-- The runtime role: sources are created and deleted (never edited: a new URL is a new source);
-- pulls are saved and re-scheduled; the pull log is append-only.
REVOKE ALL ON sql_sources, kpi_sql_pulls, sql_pull_runs FROM kpi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON sql_sources TO kpi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON kpi_sql_pulls TO kpi_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON sql_pull_runs TO kpi_app;
