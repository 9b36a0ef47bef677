'use server';
// Report actions: commentary on a KPI's period, read-only share links to a frozen report, and
// report schedules (the period report e-mailed with its PDF).
import { saveKpiCommentary } from '@/lib/dal/commentaries';
import { createReportSchedule, deleteReportSchedule } from '@/lib/dal/reports/schedules';
import { createReportShare, getShareSnapshot, revokeReportShare } from '@/lib/dal/reports/shares';
import { orgAction } from '@/lib/server/org-action';
import {
  createReportScheduleSchema,
  createReportShareSchema,
  deleteReportScheduleSchema,
  revokeReportShareSchema,
  saveKpiCommentarySchema,
} from '@/lib/validation/reports';

export const saveKpiCommentaryAction = orgAction({
  permission: 'checkins.write',
  input: saveKpiCommentarySchema,
  run: ({ ctx, input, tx }) => saveKpiCommentary(ctx, tx, input),
});

export const createReportShareAction = orgAction({
  permission: 'reports.share',
  input: createReportShareSchema,
  load: ({ ctx, input }) => getShareSnapshot(ctx, input),
  run: ({ ctx, input, tx, loaded }) => createReportShare(ctx, tx, input, loaded),
});

export const revokeReportShareAction = orgAction({
  permission: 'reports.share',
  input: revokeReportShareSchema,
  run: ({ ctx, input, tx }) => revokeReportShare(ctx, tx, input),
});

export const createReportScheduleAction = orgAction({
  permission: 'reports.schedule',
  input: createReportScheduleSchema,
  run: ({ ctx, input, tx }) => createReportSchedule(ctx, tx, input),
});

export const deleteReportScheduleAction = orgAction({
  permission: 'reports.schedule',
  input: deleteReportScheduleSchema,
  run: ({ ctx, input, tx }) => deleteReportSchedule(ctx, tx, input),
});
