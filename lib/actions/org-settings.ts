'use server';
// Organization settings actions (owners and admins): preview and save name, time zone, fiscal
// year and locale; set the status thresholds. Each authenticates and authorizes itself.
import {
  previewOrgGeneralSettings,
  updateOrgGeneralSettings,
  updateStatusThresholds,
} from '@/lib/dal/org-general-settings';
import { orgAction } from '@/lib/server/org-action';
import {
  updateOrgGeneralSchema,
  updateStatusThresholdsSchema,
} from '@/lib/validation/org-settings';

export const previewOrgGeneralSettingsAction = orgAction({
  permission: 'settings.manage',
  input: updateOrgGeneralSchema,
  readOnly: true,
  run: ({ ctx, input, tx }) => previewOrgGeneralSettings(ctx, tx, input),
});

export const updateOrgGeneralSettingsAction = orgAction({
  permission: 'settings.manage',
  input: updateOrgGeneralSchema,
  run: ({ ctx, input, tx }) => updateOrgGeneralSettings(ctx, tx, input),
});

export const updateStatusThresholdsAction = orgAction({
  permission: 'settings.manage',
  input: updateStatusThresholdsSchema,
  run: ({ ctx, input, tx }) => updateStatusThresholds(ctx, tx, input),
});
