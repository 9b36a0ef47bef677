'use server';
// KPI actions: the KPI form's one save, and create, edit, archive, link/unlink, north star, owner, targets, leads links.
import { archiveKpi } from '@/lib/dal/kpis/archive';
import { createKpi } from '@/lib/dal/kpis/create';
import { addKpiLead, removeKpiLead } from '@/lib/dal/kpis/lead-links';
import { linkKpi, unlinkKpi } from '@/lib/dal/kpis/links';
import { setNorthStar } from '@/lib/dal/kpis/north-star';
import { assignKpiOwner } from '@/lib/dal/kpis/owner';
import { previewFormula } from '@/lib/dal/kpis/formula-preview';
import { saveKpiForm } from '@/lib/dal/kpis/save-kpi-form';
import { clearTarget, setTarget } from '@/lib/dal/kpis/targets';
import { updateKpi } from '@/lib/dal/kpis/update';
import { orgAction } from '@/lib/server/org-action';
import {
  archiveKpiSchema,
  assignKpiOwnerSchema,
  clearTargetSchema,
  createKpiSchema,
  kpiLeadSchema,
  linkKpiSchema,
  previewFormulaSchema,
  saveKpiFormSchema,
  setNorthStarSchema,
  setTargetSchema,
  unlinkKpiSchema,
  updateKpiSchema,
} from '@/lib/validation/kpis';

/** The KPI form (new or edit): fields, owner, parent, north star and targets in one transaction. */
export const saveKpiFormAction = orgAction({
  permission: 'kpis.write',
  input: saveKpiFormSchema,
  run: ({ ctx, input, tx }) => saveKpiForm(ctx, tx, input),
});

/** The KPI form's live formula preview: the last periods from current data; writes nothing. */
export const previewFormulaAction = orgAction({
  permission: 'kpis.write',
  input: previewFormulaSchema,
  readOnly: true,
  run: ({ ctx, input, tx }) => previewFormula(ctx, tx, input),
});

export const createKpiAction = orgAction({
  permission: 'kpis.write',
  input: createKpiSchema,
  run: ({ ctx, input, tx }) => createKpi(ctx, tx, input),
});

export const updateKpiAction = orgAction({
  permission: 'kpis.write',
  input: updateKpiSchema,
  run: ({ ctx, input, tx }) => updateKpi(ctx, tx, input),
});

export const archiveKpiAction = orgAction({
  permission: 'kpis.write',
  input: archiveKpiSchema,
  run: ({ ctx, input, tx }) => archiveKpi(ctx, tx, input),
});

export const linkKpiAction = orgAction({
  permission: 'kpis.write',
  input: linkKpiSchema,
  run: ({ ctx, input, tx }) => linkKpi(ctx, tx, input),
});

export const unlinkKpiAction = orgAction({
  permission: 'kpis.write',
  input: unlinkKpiSchema,
  run: ({ ctx, input, tx }) => unlinkKpi(ctx, tx, input),
});

export const setNorthStarAction = orgAction({
  permission: 'kpis.write',
  input: setNorthStarSchema,
  run: ({ ctx, input, tx }) => setNorthStar(ctx, tx, input),
});

export const assignKpiOwnerAction = orgAction({
  permission: 'kpis.assign_owner',
  input: assignKpiOwnerSchema,
  run: ({ ctx, input, tx }) => assignKpiOwner(ctx, tx, input),
});

export const setTargetAction = orgAction({
  permission: 'targets.write',
  input: setTargetSchema,
  run: ({ ctx, input, tx }) => setTarget(ctx, tx, input),
});

export const clearTargetAction = orgAction({
  permission: 'targets.write',
  input: clearTargetSchema,
  run: ({ ctx, input, tx }) => clearTarget(ctx, tx, input),
});

/** Links a KPI as leading this one (issue 24, item 3): `kpis.write` on the lagging KPI. */
export const addKpiLeadAction = orgAction({
  permission: 'kpis.write',
  input: kpiLeadSchema,
  run: ({ ctx, input, tx }) => addKpiLead(ctx, tx, input),
});

/** Removes an explicit "leads" link: `kpis.write` on the lagging KPI. */
export const removeKpiLeadAction = orgAction({
  permission: 'kpis.write',
  input: kpiLeadSchema,
  run: ({ ctx, input, tx }) => removeKpiLead(ctx, tx, input),
});
