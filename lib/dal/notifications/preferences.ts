import { and, eq, sql } from 'drizzle-orm';
import { withOrgRead, withOrgTx, type Tx } from '@/db/client';
import { memberships, notificationPreferences } from '@/db/schema';
import { NOTIFICATION_KINDS, type NotificationKind } from '@/lib/notify/kinds';
import type { OrgContext } from '@/lib/server/org-context';
import type { SetEmailPreferenceInput } from '@/lib/validation/notifications';

/*
 * Per person and kind: e-mail on or off (no row means on). A person reads and changes only
 * their own (ctx.actor in ctx.org); the unsubscribe link changes the one its signed token names.
 */

/** The actor's e-mail preference per kind in this organization. */
export async function getMyEmailPreferences(
  ctx: OrgContext,
): Promise<Record<NotificationKind, boolean>> {
  const rows = await withOrgRead(ctx.org.id, (db) =>
    db
      .select({ kind: notificationPreferences.kind, email: notificationPreferences.email })
      .from(notificationPreferences)
      .where(
        and(
          eq(notificationPreferences.orgId, ctx.org.id),
          eq(notificationPreferences.userId, ctx.actor.userId),
        ),
      ),
  );
  const result = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, true])) as Record<
    NotificationKind,
    boolean
  >;
  for (const r of rows) result[r.kind] = r.email;
  return result;
}

async function upsertPreference(
  tx: Tx,
  orgId: string,
  userId: string,
  kind: NotificationKind,
  email: boolean,
): Promise<void> {
  await tx
    .insert(notificationPreferences)
    .values({ orgId, userId, kind, email })
    .onConflictDoUpdate({
      target: [
        notificationPreferences.orgId,
        notificationPreferences.userId,
        notificationPreferences.kind,
      ],
      set: { email, updatedAt: sql`now()` },
    });
}

/** Sets the actor's own e-mail preference for one kind. */
export async function setMyEmailPreference(
  ctx: OrgContext,
  tx: Tx,
  input: SetEmailPreferenceInput,
): Promise<SetEmailPreferenceInput> {
  await upsertPreference(tx, ctx.org.id, ctx.actor.userId, input.kind, input.email);
  return input;
}

/**
 * Turns e-mail off for the person, organization and kind a verified unsubscribe token names.
 * False when that person is no longer a member there (nothing to change).
 */
export async function unsubscribeByToken(claims: {
  orgId: string;
  userId: string;
  kind: NotificationKind;
}): Promise<boolean> {
  return withOrgTx(claims.orgId, async (tx) => {
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.orgId, claims.orgId), eq(memberships.userId, claims.userId)));
    if (!member) return false;
    await upsertPreference(tx, claims.orgId, claims.userId, claims.kind, false);
    return true;
  });
}
