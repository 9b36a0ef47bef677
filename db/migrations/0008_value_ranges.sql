ALTER TABLE "organizations" ADD COLUMN "grading_min_elapsed" numeric(6, 4) DEFAULT '0.3333' NOT NULL;--> statement-breakpoint
ALTER TABLE "kpis" ADD COLUMN "valid_min" numeric(20, 6);--> statement-breakpoint
ALTER TABLE "kpis" ADD COLUMN "valid_max" numeric(20, 6);--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_grading_min_elapsed_range" CHECK ("organizations"."grading_min_elapsed" >= 0 and "organizations"."grading_min_elapsed" < 1);--> statement-breakpoint
ALTER TABLE "kpis" ADD CONSTRAINT "kpis_valid_range_order" CHECK ("kpis"."valid_min" is null or "kpis"."valid_max" is null or "kpis"."valid_min" <= "kpis"."valid_max");--> statement-breakpoint
-- Percent KPIs default to the range 0-100 (DESIGN.md, "Targets, progress and status"), where every
-- reading already recorded lies inside it; a percent KPI with readings outside (net revenue
-- retention at 112%) stays unbounded until someone sets its range.
UPDATE "kpis" k SET "valid_min" = 0, "valid_max" = 100
WHERE k."measure_unit" = 'percent'
  AND NOT EXISTS (
    SELECT 1 FROM "checkins" c
    WHERE c."org_id" = k."org_id" AND c."kpi_id" = k."id" AND (c."value" < 0 OR c."value" > 100)
  );
