ALTER TYPE "public"."rollup_method" ADD VALUE 'formula';--> statement-breakpoint
ALTER TABLE "kpis" ADD COLUMN "formula" text;--> statement-breakpoint
ALTER TABLE "kpis" ADD COLUMN "formula_inputs" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "kpis" ADD COLUMN "missing_policy" text DEFAULT 'strict' NOT NULL;--> statement-breakpoint
CREATE INDEX "kpis_formula_inputs_idx" ON "kpis" USING gin ("formula_inputs");--> statement-breakpoint
ALTER TABLE "kpis" ADD CONSTRAINT "kpis_formula_iff_formula_rollup" CHECK (("kpis"."rollup"::text = 'formula') = ("kpis"."formula" is not null));--> statement-breakpoint
ALTER TABLE "kpis" ADD CONSTRAINT "kpis_missing_policy" CHECK ("kpis"."missing_policy" in ('strict', 'zero'));