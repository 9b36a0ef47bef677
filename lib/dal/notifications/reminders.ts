import { withOrgTx, type Tx } from '@/db/client';
import type { DueItem, ReminderSlot } from '@/lib/domain/reminders';
import { createNotifications, type DraftMail, type NotificationDraft } from './create';
import { listMissingValues } from './missing-values';

/** The slots' missing values, one item per (KPI, slot). Tenant: orgId. */
async function listDueItems(
  tx: Tx,
  orgId: string,
  slots: readonly ReminderSlot[],
): Promise<DueItem[]> {
  const missing = await listMissingValues(tx, orgId, slots);
  return slots.flatMap((slot) =>
    missing
      .filter((m) => m.cadence === slot.cadence && m.periodStart === slot.periodStart)
      .map((m) => ({
        ownerUserId: m.ownerUserId,
        kpiId: m.kpiId,
        kpiName: m.kpiName,
        stage: slot.stage,
        cadence: slot.cadence,
        periodStart: slot.periodStart,
        lastDay: slot.lastDay,
        dueDate: slot.dueDate,
      })),
  );
}

/**
 * In one tenant transaction: finds what is due in `slots`, lets `draft` turn it into one
 * notification per person (with its mail), and creates those not created before (their
 * deduplication keys). Returns how many were new. Tenant: orgId.
 */
export async function recordDueReminders(
  orgId: string,
  slots: readonly ReminderSlot[],
  opts: {
    now: Date;
    smtpConfigured: boolean;
    messageIdHost: string;
    draft: (items: DueItem[]) => NotificationDraft[];
    renderMail: (draft: NotificationDraft, recipient: { name: string; email: string }) => DraftMail;
  },
): Promise<number> {
  return withOrgTx(orgId, async (tx) => {
    const items = await listDueItems(tx, orgId, slots);
    const drafts = opts.draft(items);
    const created = await createNotifications(tx, orgId, drafts, opts);
    return created.length;
  });
}
