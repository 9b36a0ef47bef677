CREATE TABLE "kpi_templates" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"department" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"measure_unit" "measure_unit" NOT NULL,
	"currency" text,
	"decimals" smallint DEFAULT 0 NOT NULL,
	"direction" "kpi_direction" NOT NULL,
	"cadence" "kpi_cadence" NOT NULL,
	"time_aggregation" time_aggregation NOT NULL,
	"category" "kpi_category" DEFAULT 'operational' NOT NULL,
	"indicator" "kpi_indicator" DEFAULT 'lagging' NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_templates_pkey" PRIMARY KEY("org_id","id"),
	CONSTRAINT "kpi_templates_id_key" UNIQUE("id"),
	CONSTRAINT "kpi_templates_department_known" CHECK ("kpi_templates"."department" in ('sales', 'marketing', 'customer_service', 'finance', 'people', 'engineering', 'saas', 'executive', 'product')),
	CONSTRAINT "kpi_templates_currency_iff_currency_unit" CHECK (("kpi_templates"."measure_unit" = 'currency') = ("kpi_templates"."currency" is not null)),
	CONSTRAINT "kpi_templates_decimals_range" CHECK ("kpi_templates"."decimals" between 0 and 6),
	CONSTRAINT "kpi_templates_name_length" CHECK (char_length("kpi_templates"."name") between 1 and 120)
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "max_kpis_per_unit" smallint DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "max_kpis_per_person" smallint DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "kpi_templates" ADD CONSTRAINT "kpi_templates_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_templates" ADD CONSTRAINT "kpi_templates_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "kpi_templates_org_name_key" ON "kpi_templates" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE INDEX "kpi_templates_org_department_idx" ON "kpi_templates" USING btree ("org_id","department");--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_max_kpis_per_unit_range" CHECK ("organizations"."max_kpis_per_unit" between 1 and 100);--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_max_kpis_per_person_range" CHECK ("organizations"."max_kpis_per_person" between 1 and 100);