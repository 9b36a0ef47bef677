import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { units } from '@/db/schema';
import { AppError } from '@/lib/errors';

/**
 * Refuses a home unit that is not an active unit of this organization (invitations and home-unit
 * changes): another organization's unit answers exactly like a missing or archived one, as a
 * NOT_FOUND on `field`. Tenant: orgId, inside the caller's transaction.
 */
export async function requireActiveUnit(tx: Tx, orgId: string, unitId: string, field: string): Promise<void> {
  const [unit] = await tx
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.orgId, orgId), eq(units.id, unitId), isNull(units.archivedAt)))
    .limit(1);
  if (!unit) {
    throw new AppError('NOT_FOUND', 'That unit was not found.', {
      [field]: ['That unit was not found. Reload the page and choose another.'],
    });
  }
}
