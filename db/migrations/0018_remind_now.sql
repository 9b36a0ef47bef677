CREATE TABLE "notification_items" (
	"org_id" uuid NOT NULL,
	"notification_id" uuid NOT NULL,
	"kpi_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	CONSTRAINT "notification_items_pkey" PRIMARY KEY("notification_id","kpi_id","period_start")
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "escalation_delay_days" smallint DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_items" ADD CONSTRAINT "notification_items_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_items" ADD CONSTRAINT "notification_items_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_items" ADD CONSTRAINT "notification_items_kpi_fk" FOREIGN KEY ("org_id","kpi_id") REFERENCES "public"."kpis"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notification_items_kpi_idx" ON "notification_items" USING btree ("org_id","kpi_id","period_start");--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_escalation_delay_days_range" CHECK ("organizations"."escalation_delay_days" between 1 and 30);--> statement-breakpoint
-- Row-level security like every tenant table: a notification's items are visible and writable
-- only in its organization's transaction.
ALTER TABLE notification_items ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE notification_items FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON notification_items
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
-- The runtime role records and reads items; they go with their notification, never one by one.
GRANT SELECT, INSERT ON notification_items TO kpi_app;
