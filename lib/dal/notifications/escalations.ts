import { and, eq, isNull } from 'drizzle-orm';
import { withOrgTx } from '@/db/client';
import { units } from '@/db/schema';
import type { Cadence } from '@/lib/domain/periods';
import { leadChain, type EscalationSlot, type UnitNode } from '@/lib/domain/escalation';
import { createNotifications, type DraftMail, type NotificationDraft } from './create';
import { listMissingValues } from './missing-values';

/** A missing value escalated to one lead. */
export type EscalationItem = {
  leadUserId: string;
  kpiId: string;
  kpiName: string;
  ownerName: string;
  cadence: Cadence;
  periodStart: string;
  dueDate: string;
  step: number;
};

/**
 * In one tenant transaction: finds the values still missing in `slots`, sends each to the lead
 * its step reaches (the owner's unit lead at step 1, one lead further up per step; none past the
 * top), lets `draft` make one notification per lead, and creates those not created before.
 * Returns how many were new. Tenant: orgId.
 */
export async function recordDueEscalations(
  orgId: string,
  slots: readonly EscalationSlot[],
  opts: {
    now: Date;
    smtpConfigured: boolean;
    messageIdHost: string;
    draft: (items: EscalationItem[]) => NotificationDraft[];
    renderMail: (draft: NotificationDraft, recipient: { name: string; email: string }) => DraftMail;
  },
): Promise<number> {
  if (slots.length === 0) return 0;
  return withOrgTx(orgId, async (tx) => {
    const missing = await listMissingValues(tx, orgId, slots);
    if (missing.length === 0) return 0;
    const rows = await tx
      .select({ id: units.id, parentId: units.parentId, leadUserId: units.leadUserId })
      .from(units)
      .where(and(eq(units.orgId, orgId), isNull(units.archivedAt)));
    const tree = new Map<string, UnitNode>(rows.map((u) => [u.id, u]));
    const items = slots.flatMap((slot) =>
      missing
        .filter((m) => m.cadence === slot.cadence && m.periodStart === slot.periodStart)
        .flatMap((m) => {
          const lead = leadChain(m.ownerHomeUnitId, m.ownerUserId, tree)[slot.step - 1];
          return lead
            ? [
                {
                  leadUserId: lead,
                  kpiId: m.kpiId,
                  kpiName: m.kpiName,
                  ownerName: m.ownerName,
                  cadence: slot.cadence,
                  periodStart: slot.periodStart,
                  dueDate: slot.dueDate,
                  step: slot.step,
                },
              ]
            : [];
        }),
    );
    const created = await createNotifications(tx, orgId, opts.draft(items), opts);
    return created.length;
  });
}
