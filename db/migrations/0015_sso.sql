CREATE TABLE "org_sso_configs" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_encrypted" text NOT NULL,
	"require_sso" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_sso_configs_issuer_length" CHECK (char_length("org_sso_configs"."issuer") between 8 and 500),
	CONSTRAINT "org_sso_configs_client_id_length" CHECK (char_length("org_sso_configs"."client_id") between 1 and 300),
	CONSTRAINT "org_sso_configs_secret_format" CHECK ("org_sso_configs"."client_secret_encrypted" like 'v1.%')
);
--> statement-breakpoint
CREATE TABLE "org_sso_domains" (
	"domain" text PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	CONSTRAINT "org_sso_domains_lowercase" CHECK ("org_sso_domains"."domain" = lower("org_sso_domains"."domain"))
);
--> statement-breakpoint
ALTER TABLE "org_sso_configs" ADD CONSTRAINT "org_sso_configs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_sso_domains" ADD CONSTRAINT "org_sso_domains_org_id_org_sso_configs_org_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."org_sso_configs"("org_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "org_sso_domains_org_idx" ON "org_sso_domains" USING btree ("org_id");--> statement-breakpoint
-- Row-level security like every tenant table (0006_rls.sql).
ALTER TABLE org_sso_configs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE org_sso_configs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON org_sso_configs
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
-- A password sign-in asks whether any of the person's organizations requires SSO: under
-- app.user_id they see the configurations of their own organizations (the DAL reads only
-- require_sso of them).
CREATE POLICY own_organizations ON org_sso_configs FOR SELECT
  USING (EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = org_sso_configs.org_id
    AND m.user_id = nullif(current_setting('app.user_id', true), '')::uuid));
--> statement-breakpoint
ALTER TABLE org_sso_domains ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE org_sso_domains FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON org_sso_domains
  USING (org_id = nullif(current_setting('app.org_id', true), '')::uuid)
  WITH CHECK (org_id = nullif(current_setting('app.org_id', true), '')::uuid);
--> statement-breakpoint
-- "Continue with SSO": the one row naming the domain of the address typed (app.sso_domain).
CREATE POLICY by_sso_domain ON org_sso_domains FOR SELECT
  USING (domain = nullif(current_setting('app.sso_domain', true), ''));
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON org_sso_configs, org_sso_domains TO kpi_app;
