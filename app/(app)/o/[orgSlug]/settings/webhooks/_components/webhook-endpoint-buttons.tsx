'use client';

import { ConfirmActionButton } from '@/components/ui/confirm-action-button';
import {
  deleteWebhookEndpointAction,
  resendWebhookDeliveryAction,
  updateWebhookEndpointAction,
} from '@/lib/actions/webhooks';

/** Turns an endpoint on or off (after a confirmation). */
export function ToggleEndpointButton({
  orgSlug,
  endpointId,
  url,
  enabled,
}: {
  orgSlug: string;
  endpointId: string;
  url: string;
  enabled: boolean;
}) {
  return (
    <ConfirmActionButton
      ariaLabel={`${enabled ? 'Turn off' : 'Turn on'} ${url}`}
      confirm={enabled ? `Stop sending to ${url}?` : `Send to ${url} again?`}
      run={() => updateWebhookEndpointAction(orgSlug, { endpointId, enabled: !enabled })}
    >
      {enabled ? 'Turn off' : 'Turn on'}
    </ConfirmActionButton>
  );
}

/** Deletes an endpoint with its log (after a confirmation). */
export function DeleteEndpointButton({
  orgSlug,
  endpointId,
  url,
}: {
  orgSlug: string;
  endpointId: string;
  url: string;
}) {
  return (
    <ConfirmActionButton
      ariaLabel={`Delete ${url}`}
      confirm={`Delete ${url} and its delivery log?`}
      run={() => deleteWebhookEndpointAction(orgSlug, { endpointId })}
    >
      Delete
    </ConfirmActionButton>
  );
}

/** Sends a delivery again (same webhook-id and body) with the next delivery run. */
export function ResendDeliveryButton({
  orgSlug,
  deliveryId,
  label,
}: {
  orgSlug: string;
  deliveryId: string;
  label: string;
}) {
  return (
    <ConfirmActionButton
      ariaLabel={`Resend ${label}`}
      confirm={`Send ${label} again?`}
      run={() => resendWebhookDeliveryAction(orgSlug, { deliveryId })}
    >
      Resend
    </ConfirmActionButton>
  );
}
