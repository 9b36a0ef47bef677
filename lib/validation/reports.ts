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

/**
 * A scheduled report: the period report of a scope, e-mailed with its PDF weekly on a weekday
 * (1 Monday .. 7 Sunday) or monthly on a day (1-28, so every month has it), to chosen members.
 */
export const createReportScheduleSchema = z
  .object({
    scope: reportScopeString,
    frequency: z.enum(['weekly', 'monthly'], { error: 'Choose weekly or monthly' }),
    weekday: z
      .number({ error: 'Choose a weekday' })
      .int('Choose a weekday')
      .min(1, 'Choose a weekday')
      .max(7, 'Choose a weekday')
      .nullable()
      .optional(),
    dayOfMonth: z
      .number({ error: 'Choose a day from 1 to 28' })
      .int('Choose a day from 1 to 28')
      .min(1, 'Choose a day from 1 to 28')
      .max(28, 'Choose a day from 1 to 28')
      .nullable()
      .optional(),
    recipientUserIds: z
      .array(idString, { error: 'Choose at least one member' })
      .min(1, 'Choose at least one member')
      .max(200, 'Choose at most 200 members')
      .refine((ids) => new Set(ids).size === ids.length, 'Choose each member once'),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.frequency === 'weekly' && value.weekday == null)
      ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'Choose a weekday' });
    if (value.frequency === 'monthly' && value.dayOfMonth == null)
      ctx.addIssue({ code: 'custom', path: ['dayOfMonth'], message: 'Choose a day from 1 to 28' });
  })
  .transform((value) => ({
    ...value,
    weekday: value.frequency === 'weekly' ? (value.weekday ?? null) : null,
    dayOfMonth: value.frequency === 'monthly' ? (value.dayOfMonth ?? null) : null,
  }));
export type CreateReportScheduleInput = z.output<typeof createReportScheduleSchema>;

export const deleteReportScheduleSchema = z.object({ scheduleId: idString }).strict();
export type DeleteReportScheduleInput = z.output<typeof deleteReportScheduleSchema>;
