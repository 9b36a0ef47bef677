ALTER TABLE "audit_log" ADD COLUMN "subject_kpi_id" text GENERATED ALWAYS AS (case entity_type
        when 'kpi' then entity_id
        when 'kpi_commentary' then entity_id
        when 'kpi_target' then split_part(entity_id, ':', 1)
        when 'checkin' then coalesce(after ->> 'kpiId', before ->> 'kpiId')
      end) STORED;--> statement-breakpoint
CREATE INDEX "audit_log_org_id_idx" ON "audit_log" USING btree ("org_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_subject_kpi_idx" ON "audit_log" USING btree ("org_id","subject_kpi_id","id");