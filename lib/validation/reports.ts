import { z } from 'zod';
import { parseIsoDate } from '@/lib/domain/dates';
import { idString, isoDateString } from './fields';
import { safeText } from './text';

/**
 * Commentary on one KPI for one of its periods: why it is where it is, and the next action with
 * who does it by when (both required once a next action is written). The period must be one of
 * the KPI's own periods and not in the future, and the action owner a member: the DAL checks those.
 */
export const saveKpiCommentarySchema = z
  .object({
    kpiId: idString,
    periodStart: isoDateString,
    analysis: safeText('analysis', { multiline: true, error: 'Write a short analysis' })
      .trim()
      .min(1, 'Write a short analysis')
      .max(2000, 'Use at most 2000 characters'),
    nextAction: safeText('next action', { multiline: true })
      .trim()
      .max(500, 'Use at most 500 characters')
      .optional()
      .default(''),
    actionOwnerUserId: z
      .union([z.literal('').transform(() => null), z.null(), idString])
      .optional(),
    actionDueOn: z.union([z.literal('').transform(() => null), z.null(), isoDateString]).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (!value.nextAction) return;
    if (!value.actionOwnerUserId)
      ctx.addIssue({ code: 'custom', path: ['actionOwnerUserId'], message: 'Choose who does it' });
    if (!value.actionDueOn)
      ctx.addIssue({ code: 'custom', path: ['actionDueOn'], message: 'Choose a due date' });
  });
export type SaveKpiCommentaryInput = z.output<typeof saveKpiCommentarySchema>;

/** `company` or a unit id: whose subtree a report covers. */
export const reportScopeString = z.union([z.literal('company'), idString]);

/** A dashboard period key such as `quarter-2026-04-01`, in the supported years (no 0000, 0001). */
export const periodKeyString = z
  .string()
  .regex(/^(month|quarter|year)-\d{4}-\d{2}-01$/, { message: 'Choose a period', abort: true })
  .refine((key) => parseIsoDate(key.slice(key.indexOf('-') + 1)).ok, 'Choose a period');

/** A read-only link to a frozen report for people outside the app. */
export const createReportShareSchema = z
  .object({
    scope: reportScopeString,
    period: periodKeyString,
    expiresInDays: z
      .number({ error: 'Choose how long the link works' })
      .int()
      .min(1, 'At least 1 day')
      .max(90, 'At most 90 days')
      .optional()
      .default(30),
  })
  .strict();
export type CreateReportShareInput = z.output<typeof createReportShareSchema>;

export const revokeReportShareSchema = z.object({ shareId: idString }).strict();
export type RevokeReportShareInput = z.output<typeof revokeReportShareSchema>;
