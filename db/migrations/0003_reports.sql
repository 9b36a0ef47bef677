CREATE TABLE "kpi_commentaries" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kpi_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"revision" integer NOT NULL,
	"analysis" text NOT NULL,
	"next_action" text DEFAULT '' NOT NULL,
	"action_owner_user_id" uuid,
	"action_due_on" date,
	"author_user_id" uuid,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_commentaries_pkey" PRIMARY KEY("org_id","id"),
	CONSTRAINT "kpi_commentaries_id_key" UNIQUE("id"),
	CONSTRAINT "kpi_commentaries_revision_positive" CHECK ("kpi_commentaries"."revision" >= 1),
	CONSTRAINT "kpi_commentaries_analysis_length" CHECK (char_length("kpi_commentaries"."analysis") between 1 and 2000),
	CONSTRAINT "kpi_commentaries_next_action_length" CHECK (char_length("kpi_commentaries"."next_action") <= 500)
);
--> statement-breakpoint
CREATE TABLE "report_shares" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"scope_unit_id" uuid,
	"period_key" text NOT NULL,
	"title" text NOT NULL,
	"snapshot" jsonb NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "report_shares_pkey" PRIMARY KEY("org_id","id"),
	CONSTRAINT "report_shares_id_key" UNIQUE("id"),
	CONSTRAINT "report_shares_token_hash_format" CHECK ("report_shares"."token_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "report_shares_expires_after_created" CHECK ("report_shares"."expires_at" > "report_shares"."created_at")
);
--> statement-breakpoint
ALTER TABLE "kpi_commentaries" ADD CONSTRAINT "kpi_commentaries_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_commentaries" ADD CONSTRAINT "kpi_commentaries_action_owner_user_id_users_id_fk" FOREIGN KEY ("action_owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_commentaries" ADD CONSTRAINT "kpi_commentaries_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_commentaries" ADD CONSTRAINT "kpi_commentaries_kpi_fk" FOREIGN KEY ("org_id","kpi_id") REFERENCES "public"."kpis"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_shares" ADD CONSTRAINT "report_shares_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_shares" ADD CONSTRAINT "report_shares_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_shares" ADD CONSTRAINT "report_shares_scope_unit_fk" FOREIGN KEY ("org_id","scope_unit_id") REFERENCES "public"."units"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_commentaries_revision_key" ON "kpi_commentaries" USING btree ("org_id","kpi_id","period_start","revision");--> statement-breakpoint
CREATE UNIQUE INDEX "report_shares_token_hash_key" ON "report_shares" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "report_shares_org_created_idx" ON "report_shares" USING btree ("org_id","created_at");