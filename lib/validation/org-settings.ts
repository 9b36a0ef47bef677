import { z } from 'zod';
import {
  isListedTimeZone,
  MAX_THRESHOLD_PERCENT,
  MIN_THRESHOLD_PERCENT,
  ORG_LOCALES,
  MAX_GRADE_AFTER_PERCENT,
  thresholdsProblem,
} from '@/lib/domain/org-settings';
import { isValidSlug, SLUG_MAX_LENGTH } from './slug';
import { orgNameString } from './names';

/** The organization's name, time zone, fiscal-year start and locale (owners and admins). */
export const updateOrgGeneralSchema = z
  .object({
    name: orgNameString,
    timeZone: z
      .string({ error: 'Choose a time zone' })
      .max(64, 'Choose a time zone from the list')
      .refine(isListedTimeZone, 'Choose a time zone from the list, such as Europe/Berlin'),
    fyStartMonth: z
      .number({ error: 'Choose the month the fiscal year starts' })
      .int('Choose the month the fiscal year starts')
      .min(1, 'Choose the month the fiscal year starts')
      .max(12, 'Choose the month the fiscal year starts'),
    locale: z.enum(ORG_LOCALES, { error: 'Choose one of the listed locales' }),
  })
  .strict();
export type UpdateOrgGeneralInput = z.output<typeof updateOrgGeneralSchema>;

const percent = (label: string) =>
  z
    .number({ error: `${label}: enter a whole percentage` })
    .int(`${label}: enter a whole percentage`)
    .min(MIN_THRESHOLD_PERCENT, `${label}: at least ${MIN_THRESHOLD_PERCENT}%`)
    .max(MAX_THRESHOLD_PERCENT, `${label}: at most ${MAX_THRESHOLD_PERCENT}%`);

/**
 * Status thresholds as whole percentages of the target (on track above at risk), and the share of
 * an open period that must pass before a flow is graded (DESIGN.md, "Targets, progress and status").
 */
export const updateStatusThresholdsSchema = z
  .object({
    onTrackPercent: percent('On track at'),
    atRiskPercent: percent('At risk at'),
    gradeAfterPercent: z
      .number({ error: 'Grade flows after: enter a whole percentage' })
      .int('Grade flows after: enter a whole percentage')
      .min(0, 'Grade flows after: at least 0%')
      .max(MAX_GRADE_AFTER_PERCENT, `Grade flows after: at most ${MAX_GRADE_AFTER_PERCENT}%`),
  })
  .strict()
  .superRefine((v, ctx) => {
    const problem = thresholdsProblem(v.onTrackPercent, v.atRiskPercent);
    if (problem) ctx.addIssue({ code: 'custom', path: ['atRiskPercent'], message: problem });
  });
export type UpdateStatusThresholdsInput = z.output<typeof updateStatusThresholdsSchema>;

/** A further organization created by a signed-in person: its name and its URL slug. */
export const createOrganizationSchema = z
  .object({
    name: orgNameString,
    slug: z
      .string({ error: 'Enter a web address for the organization' })
      .trim()
      .toLowerCase()
      .max(SLUG_MAX_LENGTH, `Use at most ${SLUG_MAX_LENGTH} characters`)
      .refine(
        isValidSlug,
        'Use lowercase letters, digits and single dashes (not a reserved word such as "admin")',
      ),
  })
  .strict();
export type CreateOrganizationInput = z.output<typeof createOrganizationSchema>;
