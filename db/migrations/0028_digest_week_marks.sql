CREATE TABLE "digest_week_marks" (
	"org_id" uuid NOT NULL,
	"week" text NOT NULL,
	CONSTRAINT "digest_week_marks_pkey" PRIMARY KEY("org_id")
);
--> statement-breakpoint
ALTER TABLE "digest_week_marks" ADD CONSTRAINT "digest_week_marks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE digest_week_marks ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE digest_week_marks FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON digest_week_marks
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
-- The runtime role: the digest job reads and moves its organization's mark.
GRANT SELECT, INSERT, UPDATE ON digest_week_marks TO kpi_app;
