ALTER TABLE "organizations" DROP CONSTRAINT "organizations_max_kpis_per_unit_range";--> statement-breakpoint
ALTER TABLE "organizations" DROP CONSTRAINT "organizations_max_kpis_per_person_range";--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_max_kpis_per_unit_range" CHECK ("organizations"."max_kpis_per_unit" between 1 and 1000);--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_max_kpis_per_person_range" CHECK ("organizations"."max_kpis_per_person" between 1 and 1000);