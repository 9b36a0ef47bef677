'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, useTransition, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { useOrgLocale } from '@/components/locale/org-locale';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { previewFormulaAction, saveKpiFormAction } from '@/lib/actions/kpis';
import { TemplatePicker } from '@/components/kpis/template-picker';
import {
  OwnerPicker,
  ParentPicker,
  type OwnerChoice,
  type ParentChoice,
} from '@/components/kpis/kpi-pickers';
import type { KpiFormOptions, LinkCandidate } from '@/lib/dal/kpis/editor-options';
import type { KpiLoad } from '@/lib/dal/kpi-quality/limits';
import { describeBreach, limitBreaches } from '@/lib/domain/kpi-limits';
import type { FormulaPreview } from '@/lib/dal/kpis/formula-preview';
import { templateFormula, type KpiTemplate } from '@/lib/domain/kpi-templates';
import {
  CATEGORY_LABEL,
  INDICATOR_LABEL,
  type KpiCategory,
  type KpiIndicator,
} from '@/lib/domain/kpi-kinds';
import {
  CADENCES,
  CATEGORIES,
  DIRECTIONS,
  INDICATORS,
  kpiKeyString,
  MEASURE_UNITS,
  MISSING_POLICIES,
  ROLLUPS,
  saveKpiFormSchema,
  TIME_AGGREGATIONS,
} from '@/lib/validation/kpis';
import { toLocaleInput } from '@/lib/domain/locale-number';
import { parseGridNumber } from '@/lib/domain/target-grid';
import type { ResultError } from '@/lib/result';
import { CheckboxField, indent, SelectField, TextAreaField } from './form-controls';
import { FormulaField, FormulaPreviewTable } from './formula-field';
import { rangeFields, ValidRangeFields } from './valid-range-fields';
import { linkProblems } from './parent-options';
import {
  targetChanges,
  TargetFields,
  type TargetDrafts,
  type TargetEditorProps,
} from './target-editor';

/** Every KPI field as the form holds it (strings for inputs; parsed by the shared schema). */
export type KpiFormValues = {
  name: string;
  key: string;
  description: string;
  unitId: string;
  ownerUserId: string;
  parentId: string;
  isIndividual: boolean;
  measureUnit: (typeof MEASURE_UNITS)[number];
  currency: string;
  decimals: string;
  direction: (typeof DIRECTIONS)[number];
  cadence: (typeof CADENCES)[number];
  timeAggregation: (typeof TIME_AGGREGATIONS)[number];
  rollup: (typeof ROLLUPS)[number];
  /** The formula text (sent only with rollup `formula`). */
  formula: string;
  missingPolicy: (typeof MISSING_POLICIES)[number];
  weight: string;
  baseline: string;
  defaultTarget: string;
  validMin: string;
  validMax: string;
  category: KpiCategory;
  indicator: KpiIndicator;
  isNorthStar: boolean;
};

const LABELS = {
  measureUnit: {
    count: 'Count',
    currency: 'Currency',
    percent: 'Percent',
    ratio: 'Ratio',
    duration: 'Duration',
  },
  direction: { increase: 'Higher is better', decrease: 'Lower is better' },
  cadence: { month: 'Monthly', quarter: 'Quarterly', year: 'Yearly' },
  timeAggregation: {
    sum: 'Sum (flows: revenue, demos)',
    last: 'Last value (levels: MRR, headcount)',
    average: 'Average (rates: NPS)',
  },
  rollup: {
    manual: 'Manual (values recorded here)',
    sum: 'Sum of its children',
    average: 'Average of its children',
    weighted_average: 'Weighted average of its children',
    min: 'Lowest of its children',
    max: 'Highest of its children',
    formula: 'Formula over other KPIs',
  },
  missingPolicy: {
    strict: 'Strict: no value until every input has one',
    zero: 'Count missing inputs as zero',
  },
  category: CATEGORY_LABEL,
  indicator: INDICATOR_LABEL,
} as const;

type Errors = Record<string, string>;

function firstErrors(fieldErrors: Record<string, string[]> | undefined): Errors {
  const out: Errors = {};
  for (const [key, messages] of Object.entries(fieldErrors ?? {})) {
    if (messages[0]) out[key] = messages[0];
  }
  return out;
}

function zodErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Errors {
  const out: Errors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.') || '_form';
    out[key] ??= issue.message;
  }
  return out;
}

/** The form's decimal fields: typed the way the organization's locale writes numbers. */
const DECIMAL_FIELDS = ['weight', 'baseline', 'defaultTarget', 'validMin', 'validMax'] as const;

/** Stored (plain) decimals shown the locale's way (`1234,5` in de-DE), so they read back alike. */
function localizedValues(v: KpiFormValues, locale: string): KpiFormValues {
  const out = { ...v };
  for (const f of DECIMAL_FIELDS) out[f] = v[f].trim() === '' ? v[f] : toLocaleInput(v[f], locale);
  return out;
}

/**
 * The decimal fields as exact plain decimals for the shared schema, and the ones that are no
 * number in the locale's way (their message names the form expected). A field that does not
 * read is sent as typed, so the schema refuses it too.
 */
function plainDecimals(
  v: KpiFormValues,
  locale: string,
): { values: KpiFormValues; errors: Errors } {
  const values = { ...v };
  const errors: Errors = {};
  for (const f of DECIMAL_FIELDS) {
    const read = parseGridNumber(v[f], locale);
    if (read.ok) values[f] = read.value ?? '';
    else errors[f] = read.error;
  }
  return { values, errors };
}

function editablePayload(v: KpiFormValues) {
  return {
    name: v.name,
    description: v.description,
    key: v.key,
    unitId: v.unitId,
    measureUnit: v.measureUnit,
    currency: v.measureUnit === 'currency' ? v.currency.trim().toUpperCase() : null,
    decimals: v.decimals.trim() === '' ? Number.NaN : Number(v.decimals),
    direction: v.direction,
    cadence: v.cadence,
    timeAggregation: v.timeAggregation,
    rollup: v.rollup,
    formula: v.rollup === 'formula' ? v.formula : null,
    missingPolicy: v.missingPolicy,
    weight: v.weight.trim(),
    baseline: v.baseline.trim(),
    defaultTarget: v.defaultTarget.trim(),
    validMin: v.validMin.trim(),
    validMax: v.validMax.trim(),
    category: v.category,
    indicator: v.indicator,
  };
}

/**
 * Splits errors keyed `targets.<index>.<field>` (index into `sent`) off into errors per period
 * start; the rest stay keyed by field.
 */
function splitTargetErrors(
  errors: Errors,
  sent: readonly { periodStart: string }[],
): { fields: Errors; targets: Errors } {
  const fields: Errors = {};
  const targets: Errors = {};
  for (const [key, message] of Object.entries(errors)) {
    const match = /^targets\.(\d+)\./.exec(key);
    const start = match ? sent[Number(match[1])]?.periodStart : undefined;
    if (start) targets[start] ??= message;
    else fields[key] = message;
  }
  return { fields, targets };
}

/**
 * Creates or edits a KPI with every field, validated by the shared zod schema before sending
 * (the server validates again and its field errors come back here, next to their fields). One
 * save sends one action: fields, owner, parent, north star and, when editing, the per-period
 * targets, saved together or not at all. The parent and owner pickers search on the server as
 * one types: the parent picker only offers KPIs this one may roll up into (the save checks the
 * link again, cycles included), the owner picker only people the actor may assign.
 */
export function KpiForm({
  orgSlug,
  mode,
  initial,
  options,
  chosen,
  canLink = true,
  kpiId,
  version,
  companyUnitId,
  templates,
  load,
  targets,
}: {
  orgSlug: string;
  mode: 'create' | 'edit';
  initial: KpiFormValues;
  options: KpiFormOptions;
  /** The initial parent and owner by name (the pickers show them until changed). */
  chosen: { parent: ParentChoice | null; owner: OwnerChoice | null };
  /** False for an archived KPI: it links to nothing, so no parent picker. */
  canLink?: boolean;
  kpiId?: string;
  version?: number;
  companyUnitId: string | null;
  /** Create mode: the template library (built-in and the organization's own). */
  templates?: readonly KpiTemplate[];
  /** Create mode: active KPIs per unit and person, to warn before the limits. */
  load?: KpiLoad;
  /** Edit mode: the per-period targets, when the person may set them. */
  targets?: TargetEditorProps;
}) {
  const router = useRouter();
  const afterSave = useSaved();
  const locale = useOrgLocale();
  const [values, setValues] = useState<KpiFormValues>(() => localizedValues(initial, locale));
  const [errors, setErrors] = useState<Errors>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [targetDrafts, setTargetDrafts] = useState<TargetDrafts>({});
  const [targetErrors, setTargetErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [confirmOverLimit, setConfirmOverLimit] = useState(false);
  const [rangeTyped, setRangeTyped] = useState(mode === 'edit');
  // The chosen parent and owner by name; a parent picked here carries what the link rules need.
  const [parentChoice, setParentChoice] = useState<ParentChoice | LinkCandidate | null>(
    chosen.parent,
  );
  const [ownerChoice, setOwnerChoice] = useState<OwnerChoice | null>(chosen.owner);
  const set = <K extends keyof KpiFormValues>(key: K, value: KpiFormValues[K]) =>
    setValues((prev) => ({ ...prev, [key]: value }));
  /** A new KPI's range follows its measure (percent: 0-100) until someone types one. */
  const measure = (measureUnit: KpiFormValues['measureUnit']) =>
    rangeTyped ? { measureUnit } : { measureUnit, ...rangeFields(measureUnit) };

  const fieldError = (key: string) => errors[key];
  const isFormula = values.rollup === 'formula';
  const [preview, setPreview] = useState<FormulaPreview | null>(null);
  const [previewPending, startPreview] = useTransition();
  const previewInput = useMemo(() => {
    if (!isFormula || values.formula.trim() === '') return null;
    const decimals = Number(values.decimals);
    const currency = values.currency.trim().toUpperCase();
    return {
      ...(kpiId ? { kpiId } : {}),
      unitId: values.unitId,
      // A key still being typed (not valid yet) is left out rather than refused.
      key: kpiKeyString.safeParse(values.key).data ?? null,
      parentId: values.parentId || null,
      formula: values.formula,
      cadence: values.cadence,
      timeAggregation: values.timeAggregation,
      missingPolicy: values.missingPolicy,
      measureUnit: values.measureUnit,
      currency: values.measureUnit === 'currency' && /^[A-Z]{3}$/.test(currency) ? currency : null,
      decimals: Number.isInteger(decimals) && decimals >= 0 && decimals <= 6 ? decimals : 0,
      baseline: (() => {
        const read = parseGridNumber(values.baseline, locale);
        return read.ok ? read.value : null;
      })(),
    };
  }, [
    isFormula,
    locale,
    kpiId,
    values.unitId,
    values.key,
    values.parentId,
    values.formula,
    values.cadence,
    values.timeAggregation,
    values.missingPolicy,
    values.measureUnit,
    values.currency,
    values.decimals,
    values.baseline,
  ]);
  // The live preview: debounced, the newest draft wins (older answers are dropped).
  useEffect(() => {
    if (!previewInput) return;
    let stale = false;
    const timer = setTimeout(() => {
      startPreview(async () => {
        const result = await previewFormulaAction(orgSlug, previewInput);
        if (stale) return;
        setPreview(
          result.ok
            ? result.data
            : { ok: false, problem: { message: result.error.message, start: 0, end: 0 } },
        );
      });
    }, 400);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [orgSlug, previewInput]);
  // An empty formula shows no preview (an older answer is kept only while a draft exists).
  const shownPreview = previewInput ? preview : null;
  const draftProblem = shownPreview && !shownPreview.ok ? shownPreview.problem.message : undefined;

  const draftLink = useMemo(
    () => ({
      id: kpiId ?? '00000000-0000-0000-0000-000000000000',
      unitId: values.unitId,
      cadence: values.cadence,
      rollup: values.rollup,
      measureUnit: values.measureUnit,
      currency:
        values.measureUnit === 'currency' ? values.currency.trim().toUpperCase() || null : null,
    }),
    [kpiId, values.unitId, values.cadence, values.rollup, values.measureUnit, values.currency],
  );
  // A hint before saving: a parent picked here, re-checked as the draft changes (unit, cadence,
  // measure). The picker offered only fitting parents and never one under this KPI; the save
  // checks every rule again, cycles included.
  const pickedParent = parentChoice && 'cadence' in parentChoice ? parentChoice : null;
  const parentProblem =
    values.parentId &&
    pickedParent?.id === values.parentId &&
    (mode === 'create' || values.parentId !== initial.parentId)
      ? linkProblems(draftLink, values.parentId, [pickedParent], options.unitParents)[0]?.message
      : undefined;
  const writableUnits = options.units.filter((u) => u.canWriteKpis || u.id === initial.unitId);
  const northStarAllowed = values.unitId === companyUnitId && !values.isIndividual;

  // Guard rails: what one more KPI here would do to the unit's and the owner's counts.
  const breaches =
    mode === 'create' && load
      ? limitBreaches({
          isIndividual: values.isIndividual,
          unitCount: load.byUnit[values.unitId] ?? 0,
          personCount: values.ownerUserId ? (load.byPerson[values.ownerUserId] ?? 0) : null,
          limits: load.limits,
        }).map((b) =>
          describeBreach(
            b,
            b.kind === 'unit'
              ? (options.units.find((u) => u.id === values.unitId)?.name ?? 'This unit')
              : (ownerChoice?.name ?? 'The owner'),
          ),
        )
      : [];
  const limitWarnings =
    breaches.length > 0 ? breaches : errors.confirmOverLimit ? [errors.confirmOverLimit] : [];
  // Editing (a move or a new owner): the server's warning is only ever an admin's to confirm.
  const mayExceed = load?.mayExceed ?? (mode === 'edit' && Boolean(errors.confirmOverLimit));

  function applyTemplate(t: KpiTemplate) {
    const formula = templateFormula(t);
    setTemplateId(t.id);
    setErrors({});
    setValues((prev) => ({
      ...prev,
      name: t.name,
      description: t.description,
      ...measure(t.measureUnit),
      currency: t.currency ?? '',
      decimals: String(t.decimals),
      direction: t.direction,
      cadence: t.cadence,
      timeAggregation: t.timeAggregation,
      category: t.category,
      indicator: t.indicator,
      // A formula template opens as a formula KPI with its example keys to replace.
      ...(formula ? { rollup: 'formula' as const, formula } : {}),
    }));
  }

  /** Errors next to their fields; `typed`: targets (by period start) that are no number. */
  function showErrors(
    all: Errors,
    sent: readonly { periodStart: string }[],
    message: string,
    typed: Errors = {},
  ) {
    const split = splitTargetErrors(all, sent);
    setErrors(split.fields);
    setTargetErrors({ ...split.targets, ...typed });
    setAlert(message);
  }

  /** One payload for the whole form: in edit mode only the parts that changed besides fields. */
  function payloadOf(
    plain: KpiFormValues,
    sentTargets: { periodStart: string; target: string | null }[],
  ) {
    const base = editablePayload(plain);
    const star = values.isNorthStar && northStarAllowed;
    if (mode === 'create') {
      return {
        mode: 'create' as const,
        ...base,
        ownerUserId: values.ownerUserId || null,
        parentId: values.parentId || null,
        isIndividual: values.isIndividual,
        ...(confirmOverLimit && mayExceed ? { confirmOverLimit: true } : {}),
        ...(star ? { isNorthStar: true } : {}),
      };
    }
    return {
      mode: 'edit' as const,
      ...base,
      kpiId: kpiId!,
      version: version!,
      ...(values.ownerUserId !== initial.ownerUserId
        ? { ownerUserId: values.ownerUserId || null }
        : {}),
      ...(values.parentId !== initial.parentId ? { parentId: values.parentId || null } : {}),
      ...(values.isNorthStar !== initial.isNorthStar ? { isNorthStar: star } : {}),
      ...(sentTargets.length > 0 ? { targets: sentTargets } : {}),
      ...(confirmOverLimit && mayExceed ? { confirmOverLimit: true } : {}),
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAlert(null);
    setStatus(null);
    const typedTargets = targets
      ? targetChanges(targets.periods, targetDrafts, locale)
      : { changes: [], errors: {} };
    const sent = typedTargets.changes;
    const decimals = plainDecimals(values, locale);
    const payload = payloadOf(decimals.values, sent);
    // Every problem at once: the shared schema's, the parent's, and targets that are no number.
    const parsed = saveKpiFormSchema.safeParse(payload);
    const problems = {
      ...(parsed.success ? {} : zodErrors(parsed.error.issues)),
      ...decimals.errors,
    };
    if (parentProblem) problems.parentId ??= parentProblem;
    if (Object.keys(problems).length > 0 || Object.keys(typedTargets.errors).length > 0) {
      showErrors(problems, sent, 'Please fix the highlighted fields.', typedTargets.errors);
      return;
    }
    setSaving(true);
    try {
      const result = await saveKpiFormAction(orgSlug, payload);
      if (!result.ok) return showServerError(result.error, sent);
      if (mode === 'create') {
        router.push(`/o/${orgSlug}/kpis/${result.data.id}`);
        return;
      }
      setErrors({});
      setTargetErrors({});
      setTargetDrafts({});
      setStatus('Saved.');
      await afterSave();
    } finally {
      setSaving(false);
    }
  }

  function showServerError(error: ResultError, sent: readonly { periodStart: string }[]) {
    // A formula problem's position reads as a character number (the field draws a caret).
    const message = error.message.replace(
      / at (\d+)$/,
      (_, at: string) => ` (at character ${Number(at) + 1})`,
    );
    showErrors(firstErrors(error.fieldErrors), sent, message);
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      className="space-y-6"
      aria-label={mode === 'create' ? 'New KPI' : 'Edit KPI'}
    >
      {mode === 'create' && templates && templates.length > 0 ? (
        <details className="group rounded-lg border border-indigo-100 bg-indigo-50/50" open>
          <summary className="cursor-pointer list-none px-3 py-2 text-sm font-semibold text-indigo-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600">
            Start from a template{' '}
            <span className="font-normal text-indigo-800">
              {templateId
                ? `· ${templates.find((t) => t.id === templateId)?.name ?? ''} (edit anything below)`
                : '· pre-fills the definition; you choose unit, owner and target'}
            </span>
          </summary>
          <div className="px-3 pb-3">
            <TemplatePicker templates={templates} picked={templateId} onPick={applyTemplate} />
          </div>
        </details>
      ) : null}
      <FormAlert message={alert} />
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-gray-900">What it measures</legend>
        <Field
          id="kpi-name"
          label="Name"
          value={values.name}
          onChange={(e) => set('name', e.target.value)}
          error={fieldError('name')}
          required
          maxLength={120}
          className="sm:col-span-2"
        />
        <TextAreaField
          id="kpi-description"
          label="Description"
          value={values.description}
          onChange={(e) => set('description', e.target.value)}
          error={fieldError('description')}
          rows={2}
          className="sm:col-span-2"
          hint="How it is measured and why it matters."
        />
        <Field
          label="Key (optional)"
          value={values.key}
          onChange={(e) => set('key', e.target.value)}
          error={fieldError('key')}
          hint="A stable id for CSV and the API, such as sales.new_mrr."
          autoComplete="off"
        />
        <SelectField
          label="Category"
          value={values.category}
          onChange={(e) => set('category', e.target.value as KpiFormValues['category'])}
          error={fieldError('category')}
        >
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {LABELS.category[c]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Indicator"
          value={values.indicator}
          onChange={(e) => set('indicator', e.target.value as KpiFormValues['indicator'])}
          error={fieldError('indicator')}
          hint="Leading predicts; lagging records the past."
        >
          {INDICATORS.map((c) => (
            <option key={c} value={c}>
              {LABELS.indicator[c]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Direction"
          value={values.direction}
          onChange={(e) => set('direction', e.target.value as KpiFormValues['direction'])}
          error={fieldError('direction')}
        >
          {DIRECTIONS.map((c) => (
            <option key={c} value={c}>
              {LABELS.direction[c]}
            </option>
          ))}
        </SelectField>
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="mb-2 text-sm font-semibold text-gray-900">Unit of measure</legend>
        <SelectField
          id="kpi-measure"
          label="Measure"
          value={values.measureUnit}
          onChange={(e) =>
            setValues((prev) => ({
              ...prev,
              ...measure(e.target.value as KpiFormValues['measureUnit']),
            }))
          }
          error={fieldError('measureUnit')}
        >
          {MEASURE_UNITS.map((c) => (
            <option key={c} value={c}>
              {LABELS.measureUnit[c]}
            </option>
          ))}
        </SelectField>
        {values.measureUnit === 'currency' ? (
          <Field
            label="Currency"
            value={values.currency}
            onChange={(e) => set('currency', e.target.value)}
            error={fieldError('currency')}
            maxLength={3}
            placeholder="EUR"
            autoComplete="off"
          />
        ) : null}
        <Field
          label="Decimals"
          type="number"
          min={0}
          max={6}
          value={values.decimals}
          onChange={(e) => set('decimals', e.target.value)}
          error={fieldError('decimals')}
        />
        <ValidRangeFields
          validMin={values.validMin}
          validMax={values.validMax}
          errors={{ validMin: fieldError('validMin'), validMax: fieldError('validMax') }}
          onChange={(field, text) => {
            setRangeTyped(true);
            set(field, text);
          }}
        />
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-gray-900">Time and rollup</legend>
        <SelectField
          id="kpi-cadence"
          label="Cadence"
          value={values.cadence}
          onChange={(e) => set('cadence', e.target.value as KpiFormValues['cadence'])}
          error={fieldError('cadence')}
          hint="Quarters and years follow your fiscal year."
        >
          {CADENCES.map((c) => (
            <option key={c} value={c}>
              {LABELS.cadence[c]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Values within a period"
          value={values.timeAggregation}
          onChange={(e) =>
            set('timeAggregation', e.target.value as KpiFormValues['timeAggregation'])
          }
          error={fieldError('timeAggregation')}
        >
          {TIME_AGGREGATIONS.map((c) => (
            <option key={c} value={c}>
              {LABELS.timeAggregation[c]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Rollup"
          value={values.rollup}
          onChange={(e) => set('rollup', e.target.value as KpiFormValues['rollup'])}
          error={fieldError('rollup')}
          hint={
            isFormula
              ? 'Computed from other KPIs by the formula below; nothing is recorded on it.'
              : 'How this KPI combines the KPIs linked under it.'
          }
        >
          {ROLLUPS.map((c) => (
            <option key={c} value={c}>
              {LABELS.rollup[c]}
            </option>
          ))}
        </SelectField>
        <Field
          label="Weight"
          inputMode="decimal"
          value={values.weight}
          onChange={(e) => set('weight', e.target.value)}
          error={fieldError('weight')}
          hint="Used when the parent is a weighted average."
        />
        {isFormula ? (
          <>
            <FormulaField
              value={values.formula}
              onChange={(text) => {
                set('formula', text);
                setErrors(({ formula: _stale, ...rest }) => rest);
              }}
              error={fieldError('formula')}
              draftProblem={draftProblem}
              orgSlug={orgSlug}
              excludeKpiId={kpiId}
            />
            <SelectField
              id="kpi-missing-policy"
              label="Missing inputs"
              value={values.missingPolicy}
              onChange={(e) =>
                set('missingPolicy', e.target.value as KpiFormValues['missingPolicy'])
              }
              error={fieldError('missingPolicy')}
              hint={
                values.missingPolicy === 'strict'
                  ? 'A period has no value while any input lacks one ("2 of 3 inputs").'
                  : 'An input without a value counts as 0 (a period with no input at all stays empty).'
              }
            >
              {MISSING_POLICIES.map((c) => (
                <option key={c} value={c}>
                  {LABELS.missingPolicy[c]}
                </option>
              ))}
            </SelectField>
            <FormulaPreviewTable preview={shownPreview} pending={previewPending} />
          </>
        ) : null}
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-gray-900">Targets</legend>
        <Field
          id="kpi-default-target"
          label="Default target"
          inputMode="decimal"
          value={values.defaultTarget}
          onChange={(e) => set('defaultTarget', e.target.value)}
          error={fieldError('defaultTarget')}
          hint={
            targets
              ? 'Per period; override single periods below.'
              : 'Per period; override single periods on the KPI page.'
          }
        />
        <Field
          label="Baseline (optional)"
          inputMode="decimal"
          value={values.baseline}
          onChange={(e) => set('baseline', e.target.value)}
          error={fieldError('baseline')}
          hint="Where a level or rate starts, such as churn from 5%. Ignored for sums."
        />
        {targets ? (
          <TargetFields
            {...targets}
            drafts={targetDrafts}
            errors={targetErrors}
            onChange={(start, text) => setTargetDrafts((prev) => ({ ...prev, [start]: text }))}
          />
        ) : null}
      </fieldset>

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-gray-900">Place in the cascade</legend>
        <SelectField
          label="Unit"
          value={values.unitId}
          onChange={(e) => set('unitId', e.target.value)}
          error={fieldError('unitId')}
          required
        >
          {writableUnits.map((u) => (
            <option key={u.id} value={u.id}>
              {indent(u.name, u.depth)}
            </option>
          ))}
        </SelectField>
        <OwnerPicker
          orgSlug={orgSlug}
          value={ownerChoice}
          onChange={(owner) => {
            setOwnerChoice(owner);
            set('ownerUserId', owner?.userId ?? '');
          }}
          error={fieldError('ownerUserId')}
          hint="Who answers for this number and records it."
        />
        {canLink ? (
          <ParentPicker
            orgSlug={orgSlug}
            draft={{ ...draftLink, id: kpiId ?? null }}
            value={parentChoice}
            onChange={(parent) => {
              setParentChoice(parent);
              set('parentId', parent?.id ?? '');
            }}
            error={fieldError('parentId') ?? parentProblem}
            hint="Only KPIs this one can roll up into are offered: its unit or one above, a cadence no shorter, the same measure under a computing parent, never one under it."
            className="sm:col-span-2"
          />
        ) : null}
        <div className="space-y-3 sm:col-span-2">
          {mode === 'create' ? (
            <CheckboxField
              label="Individual KPI"
              hint="A person's own target: needs an owner; visible to them, their leads and admins."
              checked={values.isIndividual}
              onChange={(v) => set('isIndividual', v)}
            />
          ) : null}
          <CheckboxField
            id="kpi-north-star"
            label="North star"
            hint={
              northStarAllowed
                ? 'One of the one to three company KPIs everything else moves.'
                : 'Only company-level KPIs can be north stars.'
            }
            checked={values.isNorthStar && northStarAllowed}
            disabled={!northStarAllowed}
            onChange={(v) => set('isNorthStar', v)}
          />
        </div>
      </fieldset>

      {limitWarnings.length > 0 ? (
        <div
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="kpi-limit-warning"
        >
          <p className="font-medium">Over your organization&apos;s KPI limit</p>
          {limitWarnings.map((w) => (
            <p key={w}>{w}</p>
          ))}
          {mayExceed ? (
            <CheckboxField
              label={mode === 'create' ? 'Create it anyway' : 'Save it anyway'}
              hint="Too many KPIs dilute focus: consider archiving one that no longer drives decisions."
              checked={confirmOverLimit}
              onChange={setConfirmOverLimit}
            />
          ) : (
            <p>
              Archive a KPI here first, or ask an admin to{' '}
              {mode === 'create' ? 'create this one' : 'make this change'}.
            </p>
          )}
        </div>
      ) : null}

      <div className="flex flex-wrap items-center justify-end gap-3">
        <p aria-live="polite" className="text-sm text-emerald-700">
          {status ? <span role="status">{status}</span> : null}
        </p>
        <Button
          type="submit"
          disabled={saving || (limitWarnings.length > 0 && !(mayExceed && confirmOverLimit))}
        >
          {saving ? 'Saving…' : mode === 'create' ? 'Create KPI' : 'Save changes'}
        </Button>
      </div>
    </form>
  );
}
