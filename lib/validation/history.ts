import { z } from 'zod';
import { AUDIT_KINDS, type AuditKind } from '@/lib/domain/audit-history';
import { idString, isoDateString } from './fields';

const kinds = AUDIT_KINDS.map((k) => k.kind) as [Exclude<AuditKind, 'other'>, ...Exclude<AuditKind, 'other'>[]];

/**
 * The history's filters as the URL carries them (the page and its CSV export alike): person,
 * kind, first and last day (in the organization's time zone), KPI, and the page cursor.
 */
export const historyQuerySchema = z
  .object({
    person: idString.optional(),
    kind: z.enum(kinds, { error: 'Choose one of the listed kinds' }).optional(),
    from: isoDateString.optional(),
    to: isoDateString.optional(),
    kpi: idString.optional(),
    before: z.coerce
      .number({ error: 'Invalid page' })
      .int({ error: 'Invalid page' })
      .positive({ error: 'Invalid page' })
      .max(Number.MAX_SAFE_INTEGER, { error: 'Invalid page' })
      .optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: '`from` must be on or before `to`.',
    path: ['from'],
  });

export type HistoryQuery = z.output<typeof historyQuerySchema>;
