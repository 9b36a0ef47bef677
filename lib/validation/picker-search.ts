import { z } from 'zod';
import { CADENCES, currencyString, MEASURE_UNITS, ROLLUPS } from './kpis';
import { idString } from './fields';

/** How many matches a picker shows unless it asks for fewer; the most it may ask for. */
export const PICKER_LIMIT = 20;
export const PICKER_LIMIT_MAX = 50;

/** What a search-as-you-type picker sends: the text typed (may be empty) and how many matches. */
export const pickerSearchFields = {
  q: z.string().max(100, 'Search with at most 100 characters.').default(''),
  limit: z.coerce
    .number({ error: 'Give the limit as a whole number.' })
    .int('Give the limit as a whole number.')
    .min(1, 'Ask for at least 1 match.')
    .max(PICKER_LIMIT_MAX, `Ask for at most ${PICKER_LIMIT_MAX} matches.`)
    .default(PICKER_LIMIT),
};

/** GET owner-search: people the actor may make a KPI owner. */
export const ownerSearchQuery = z.strictObject(pickerSearchFields);

/** GET members: members by name or email, `exclude` (a user id, such as the owner) left out. */
export const memberSearchQuery = z.strictObject({
  ...pickerSearchFields,
  exclude: idString.optional(),
});

/**
 * GET kpi-parent-search: KPIs a KPI may roll up into, for the KPI as the form holds it now
 * (`kpi`: the one being edited; absent when creating; its unit, cadence, rollup and measure as
 * drafted, since the rules depend on them).
 */
export const parentSearchQuery = z.strictObject({
  ...pickerSearchFields,
  kpi: z.uuid('Give the KPI as kpi=<id>.').optional(),
  unit: z.uuid('Give the unit as unit=<id>.'),
  cadence: z.enum(CADENCES, { error: 'Give cadence=month, quarter or year.' }),
  rollup: z.enum(ROLLUPS, { error: 'Give a rollup method.' }),
  measure: z.enum(MEASURE_UNITS, { error: 'Give a measure unit.' }),
  currency: currencyString.optional(),
});
