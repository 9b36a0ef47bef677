'use client';

import { ConfirmActionButton } from '@/components/ui/confirm-action-button';
import { deleteSqlSourceAction } from '@/lib/actions/sql-sources';

/** Deletes a SQL source (and the pulls that use it) after a confirmation. */
export function DeleteSourceButton({
  orgSlug,
  sourceId,
  name,
}: {
  orgSlug: string;
  sourceId: string;
  name: string;
}) {
  return (
    <ConfirmActionButton
      ariaLabel={`Delete source ${name}`}
      confirm={`Delete "${name}"? The KPIs pulling from it stop; their values stay.`}
      run={() => deleteSqlSourceAction(orgSlug, { sourceId })}
    >
      Delete
    </ConfirmActionButton>
  );
}
