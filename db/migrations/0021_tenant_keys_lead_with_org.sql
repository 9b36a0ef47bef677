ALTER TABLE "mail_deliveries" DROP CONSTRAINT "mail_deliveries_notification_id_notifications_id_fk";
--> statement-breakpoint
ALTER TABLE "notification_items" DROP CONSTRAINT "notification_items_notification_id_notifications_id_fk";
--> statement-breakpoint
DROP INDEX "kpi_value_events_org_idx";
--> statement-breakpoint
DROP INDEX "audit_log_org_id_idx";
--> statement-breakpoint
DROP INDEX "mail_deliveries_notification_key";
--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_org_id_key" ON "notifications" USING btree ("org_id","id");
--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_value_events_org_idx" ON "kpi_value_events" USING btree ("org_id","seq");
--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_org_id_idx" ON "audit_log" USING btree ("org_id","id");
--> statement-breakpoint
CREATE UNIQUE INDEX "mail_deliveries_notification_key" ON "mail_deliveries" USING btree ("org_id","notification_id");
--> statement-breakpoint
ALTER TABLE "mail_deliveries" ADD CONSTRAINT "mail_deliveries_notification_fk" FOREIGN KEY ("org_id","notification_id") REFERENCES "public"."notifications"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "notification_items" ADD CONSTRAINT "notification_items_notification_fk" FOREIGN KEY ("org_id","notification_id") REFERENCES "public"."notifications"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "notification_items" DROP CONSTRAINT "notification_items_pkey";
--> statement-breakpoint
ALTER TABLE "notification_items" ADD CONSTRAINT "notification_items_pkey" PRIMARY KEY("org_id","notification_id","kpi_id","period_start");
