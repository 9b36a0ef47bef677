CREATE TYPE "public"."kpi_cadence" AS ENUM('month', 'quarter', 'year');--> statement-breakpoint
CREATE TYPE "public"."kpi_category" AS ENUM('strategic', 'operational', 'functional');--> statement-breakpoint
CREATE TYPE "public"."checkin_source" AS ENUM('manual', 'csv', 'api');--> statement-breakpoint
CREATE TYPE "public"."kpi_direction" AS ENUM('increase', 'decrease');--> statement-breakpoint
CREATE TYPE "public"."kpi_indicator" AS ENUM('leading', 'lagging');--> statement-breakpoint
CREATE TYPE "public"."measure_unit" AS ENUM('count', 'currency', 'percent', 'ratio', 'duration');--> statement-breakpoint
CREATE TYPE "public"."member_role" AS ENUM('owner', 'admin', 'member');--> statement-breakpoint
CREATE TYPE "public"."rollup_method" AS ENUM('manual', 'sum', 'average', 'weighted_average', 'min', 'max');--> statement-breakpoint
CREATE TYPE "public"."time_aggregation" AS ENUM('sum', 'last', 'average');--> statement-breakpoint
CREATE TYPE "public"."unit_kind" AS ENUM('company', 'department', 'team');--> statement-breakpoint
CREATE TABLE "memberships" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "member_role" DEFAULT 'member' NOT NULL,
	"home_unit_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_pkey" PRIMARY KEY("org_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"fy_start_month" smallint DEFAULT 1 NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"green_threshold" numeric(6, 4) DEFAULT '1' NOT NULL,
	"amber_threshold" numeric(6, 4) DEFAULT '0.85' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_fy_start_month_range" CHECK ("organizations"."fy_start_month" between 1 and 12),
	CONSTRAINT "organizations_thresholds_order" CHECK ("organizations"."amber_threshold" > 0 and "organizations"."amber_threshold" <= "organizations"."green_threshold")
);
--> statement-breakpoint
CREATE TABLE "sign_in_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"ip" text NOT NULL,
	"succeeded" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"session_version" integer DEFAULT 1 NOT NULL,
	"last_org_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_lowercase" CHECK ("users"."email" = lower("users"."email"))
);
--> statement-breakpoint
CREATE TABLE "checkins" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kpi_id" uuid NOT NULL,
	"observed_on" date NOT NULL,
	"value" numeric(20, 6) NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"author_user_id" uuid,
	"source" "checkin_source" DEFAULT 'manual' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkins_pkey" PRIMARY KEY("org_id","id"),
	CONSTRAINT "checkins_id_key" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "kpi_period_values" (
	"org_id" uuid NOT NULL,
	"kpi_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"value" numeric(38, 10) NOT NULL,
	"sample_count" integer NOT NULL,
	"children_reported" integer DEFAULT 0 NOT NULL,
	"children_expected" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_period_values_pkey" PRIMARY KEY("org_id","kpi_id","period_start")
);
--> statement-breakpoint
CREATE TABLE "kpi_targets" (
	"org_id" uuid NOT NULL,
	"kpi_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"target" numeric(20, 6) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpi_targets_pkey" PRIMARY KEY("org_id","kpi_id","period_start")
);
--> statement-breakpoint
CREATE TABLE "kpis" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"key" text,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"unit_id" uuid NOT NULL,
	"owner_user_id" uuid,
	"parent_id" uuid,
	"is_individual" boolean DEFAULT false NOT NULL,
	"measure_unit" "measure_unit" NOT NULL,
	"currency" text,
	"decimals" smallint DEFAULT 0 NOT NULL,
	"direction" "kpi_direction" NOT NULL,
	"cadence" "kpi_cadence" NOT NULL,
	"time_aggregation" time_aggregation NOT NULL,
	"rollup" "rollup_method" DEFAULT 'manual' NOT NULL,
	"weight" numeric(20, 6) DEFAULT '1' NOT NULL,
	"baseline" numeric(20, 6),
	"default_target" numeric(20, 6),
	"category" "kpi_category" DEFAULT 'operational' NOT NULL,
	"indicator" "kpi_indicator" DEFAULT 'lagging' NOT NULL,
	"is_north_star" boolean DEFAULT false NOT NULL,
	"archived_on" date,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kpis_pkey" PRIMARY KEY("org_id","id"),
	CONSTRAINT "kpis_id_key" UNIQUE("id"),
	CONSTRAINT "kpis_not_own_parent" CHECK ("kpis"."parent_id" is distinct from "kpis"."id"),
	CONSTRAINT "kpis_individual_has_owner" CHECK (not "kpis"."is_individual" or "kpis"."owner_user_id" is not null),
	CONSTRAINT "kpis_currency_iff_currency_unit" CHECK (("kpis"."measure_unit" = 'currency') = ("kpis"."currency" is not null)),
	CONSTRAINT "kpis_weight_positive" CHECK ("kpis"."weight" > 0),
	CONSTRAINT "kpis_decimals_range" CHECK ("kpis"."decimals" between 0 and 6)
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"parent_id" uuid,
	"kind" "unit_kind" NOT NULL,
	"name" text NOT NULL,
	"lead_user_id" uuid,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "units_pkey" PRIMARY KEY("org_id","id"),
	CONSTRAINT "units_id_key" UNIQUE("id"),
	CONSTRAINT "units_root_has_no_parent" CHECK (("units"."kind" = 'company') = ("units"."parent_id" is null))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_home_unit_fk" FOREIGN KEY ("org_id","home_unit_id") REFERENCES "public"."units"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_author_user_id_users_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_kpi_fk" FOREIGN KEY ("org_id","kpi_id") REFERENCES "public"."kpis"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_period_values" ADD CONSTRAINT "kpi_period_values_kpi_fk" FOREIGN KEY ("org_id","kpi_id") REFERENCES "public"."kpis"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpi_targets" ADD CONSTRAINT "kpi_targets_kpi_fk" FOREIGN KEY ("org_id","kpi_id") REFERENCES "public"."kpis"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpis" ADD CONSTRAINT "kpis_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpis" ADD CONSTRAINT "kpis_unit_fk" FOREIGN KEY ("org_id","unit_id") REFERENCES "public"."units"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpis" ADD CONSTRAINT "kpis_owner_fk" FOREIGN KEY ("org_id","owner_user_id") REFERENCES "public"."memberships"("org_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kpis" ADD CONSTRAINT "kpis_parent_fk" FOREIGN KEY ("org_id","parent_id") REFERENCES "public"."kpis"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_parent_fk" FOREIGN KEY ("org_id","parent_id") REFERENCES "public"."units"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_lead_fk" FOREIGN KEY ("org_id","lead_user_id") REFERENCES "public"."memberships"("org_id","user_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "memberships_user_idx" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "memberships_home_unit_idx" ON "memberships" USING btree ("org_id","home_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organizations_slug_key" ON "organizations" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_email_idx" ON "sign_in_attempts" USING btree ("email","created_at");--> statement-breakpoint
CREATE INDEX "sign_in_attempts_ip_idx" ON "sign_in_attempts" USING btree ("ip","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "checkins_kpi_observed_idx" ON "checkins" USING btree ("org_id","kpi_id","observed_on");--> statement-breakpoint
CREATE UNIQUE INDEX "kpis_org_key_key" ON "kpis" USING btree ("org_id","key");--> statement-breakpoint
CREATE INDEX "kpis_parent_idx" ON "kpis" USING btree ("org_id","parent_id");--> statement-breakpoint
CREATE INDEX "kpis_unit_idx" ON "kpis" USING btree ("org_id","unit_id");--> statement-breakpoint
CREATE INDEX "kpis_owner_idx" ON "kpis" USING btree ("org_id","owner_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "units_one_company_root" ON "units" USING btree ("org_id") WHERE "units"."kind" = 'company';--> statement-breakpoint
CREATE INDEX "units_parent_idx" ON "units" USING btree ("org_id","parent_id");--> statement-breakpoint
CREATE INDEX "audit_log_org_created_idx" ON "audit_log" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("org_id","entity_type","entity_id");