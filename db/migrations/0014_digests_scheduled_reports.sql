CREATE TYPE "public"."report_frequency" AS ENUM('weekly', 'monthly');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'weekly_digest';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'scheduled_report';--> statement-breakpoint
CREATE TABLE "report_schedule_recipients" (
	"org_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "report_schedule_recipients_pkey" PRIMARY KEY("org_id","schedule_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "report_schedules" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"scope_unit_id" uuid,
	"frequency" "report_frequency" NOT NULL,
	"weekday" smallint,
	"day_of_month" smallint,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_schedules_pkey" PRIMARY KEY("org_id","id"),
	CONSTRAINT "report_schedules_id_key" UNIQUE("id"),
	CONSTRAINT "report_schedules_day" CHECK (("report_schedules"."frequency" = 'weekly' and "report_schedules"."weekday" between 1 and 7 and "report_schedules"."day_of_month" is null)
        or ("report_schedules"."frequency" = 'monthly' and "report_schedules"."day_of_month" between 1 and 28 and "report_schedules"."weekday" is null))
);
--> statement-breakpoint
ALTER TABLE "mail_deliveries" ADD COLUMN "attachment_name" text;--> statement-breakpoint
ALTER TABLE "mail_deliveries" ADD COLUMN "attachment_type" text;--> statement-breakpoint
ALTER TABLE "mail_deliveries" ADD COLUMN "attachment" "bytea";--> statement-breakpoint
ALTER TABLE "report_schedule_recipients" ADD CONSTRAINT "report_schedule_recipients_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedule_recipients" ADD CONSTRAINT "report_schedule_recipients_schedule_fk" FOREIGN KEY ("org_id","schedule_id") REFERENCES "public"."report_schedules"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedule_recipients" ADD CONSTRAINT "report_schedule_recipients_member_fk" FOREIGN KEY ("org_id","user_id") REFERENCES "public"."memberships"("org_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_schedules" ADD CONSTRAINT "report_schedules_scope_unit_fk" FOREIGN KEY ("org_id","scope_unit_id") REFERENCES "public"."units"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_deliveries" ADD CONSTRAINT "mail_deliveries_attachment_whole" CHECK (("mail_deliveries"."attachment_name" is null) = ("mail_deliveries"."attachment" is null) and ("mail_deliveries"."attachment_type" is null) = ("mail_deliveries"."attachment" is null));--> statement-breakpoint
-- Row-level security like every tenant table (0006_rls.sql).
ALTER TABLE report_schedules ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE report_schedules FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON report_schedules
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
ALTER TABLE report_schedule_recipients ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE report_schedule_recipients FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON report_schedule_recipients
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
-- The runtime role: admins create and delete schedules (recipients go with them).
GRANT SELECT, INSERT, DELETE ON report_schedules, report_schedule_recipients TO kpi_app;
