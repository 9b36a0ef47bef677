'use client';

import { ConfirmActionButton } from '@/components/ui/confirm-action-button';
import { deleteKpiTemplateAction } from '@/lib/actions/kpi-quality';

/** Removes one of the organization's templates after a confirmation. */
export function DeleteTemplateButton({
  orgSlug,
  templateId,
  name,
}: {
  orgSlug: string;
  templateId: string;
  name: string;
}) {
  return (
    <ConfirmActionButton
      ariaLabel={`Remove template ${name}`}
      confirm={`Remove the template "${name}"?`}
      run={() => deleteKpiTemplateAction(orgSlug, { templateId })}
    >
      Remove
    </ConfirmActionButton>
  );
}
