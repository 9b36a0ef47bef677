CREATE TABLE "kpi_leads" (
	"org_id" uuid NOT NULL,
	"lead_kpi_id" uuid NOT NULL,
	"lagging_kpi_id" uuid NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_leads_pkey" PRIMARY KEY("org_id","lead_kpi_id","lagging_kpi_id"),
	CONSTRAINT "kpi_leads_not_self" CHECK ("kpi_leads"."lead_kpi_id" <> "kpi_leads"."lagging_kpi_id")
);
--> statement-breakpoint
ALTER TABLE "kpi_leads" ADD CONSTRAINT "kpi_leads_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_leads" ADD CONSTRAINT "kpi_leads_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_leads" ADD CONSTRAINT "kpi_leads_lead_fk" FOREIGN KEY ("org_id","lead_kpi_id") REFERENCES "public"."kpis"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_leads" ADD CONSTRAINT "kpi_leads_lagging_fk" FOREIGN KEY ("org_id","lagging_kpi_id") REFERENCES "public"."kpis"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kpi_leads_lagging_idx" ON "kpi_leads" USING btree ("org_id","lagging_kpi_id");--> statement-breakpoint
-- Tenant table: row-level security like every table with org_id.
ALTER TABLE kpi_leads ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE kpi_leads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON kpi_leads
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
-- The runtime role adds and removes links; a link is never edited in place.
GRANT SELECT, INSERT, DELETE ON kpi_leads TO kpi_app;
