import { eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { kpis } from '@/db/schema';
import type { FormulaNode } from '@/lib/domain/formula/ast';
import type { CatalogueKpi } from '@/lib/domain/formula/catalogue';
import { checkFormula, formulasUsing, labelList } from '@/lib/domain/formula/check';
import {
  dependencyGraph,
  describeCycle,
  findCycleThrough,
} from '@/lib/domain/formula/dependency-graph';
import { ParseError } from '@/lib/domain/formula/parse-error';
import { parseFormula } from '@/lib/domain/formula/parser';
import { printFormula } from '@/lib/domain/formula/printer';
import { formulaInputKeys } from '@/lib/domain/formula/references';
import { validationError } from '@/lib/errors';
import type { KpiDto } from '@/lib/dal/cascade/kpi-rows';

/*
 * The checks KPI writes make for formula KPIs, against the organization's catalogue (every KPI,
 * archived ones flagged) read in the write's transaction: a formula is parsed and checked by the
 * pure rules (lib/domain/formula/check.ts) before it is saved, a KPI a formula reads cannot be
 * archived or re-keyed, and a change to an input or a link may not break a formula (cadence,
 * unit, cycle). Refusals are VALIDATION errors on the `formula` field with the position of the
 * problem ("Unknown KPI 'x'; did you mean 'y'? at 12"). Tenant: the org id given; the callers
 * hold the org cascade lock and have authorized the write.
 */

/** The KPI fields a formula check reads. */
type Definition = Pick<
  KpiDto,
  'id' | 'key' | 'name' | 'cadence' | 'timeAggregation' | 'measureUnit' | 'currency' | 'parentId'
> & { archivedOn?: string | null };

/** Every KPI of the org as the formula checks see it. */
export async function loadFormulaCatalogue(tx: Tx, orgId: string): Promise<CatalogueKpi[]> {
  const rows = await tx
    .select({
      id: kpis.id,
      key: kpis.key,
      name: kpis.name,
      cadence: kpis.cadence,
      timeAggregation: kpis.timeAggregation,
      measureUnit: kpis.measureUnit,
      currency: kpis.currency,
      rollup: kpis.rollup,
      formula: kpis.formula,
      parentId: kpis.parentId,
      archivedOn: kpis.archivedOn,
    })
    .from(kpis)
    .where(eq(kpis.orgId, orgId));
  return rows.map((r) => ({
    ...r,
    formula: r.formula === null ? null : parseFormula(r.formula),
    archived: r.archivedOn !== null,
  }));
}

function catalogueEntry(
  kpi: Definition,
  rollup: CatalogueKpi['rollup'],
  formula: FormulaNode | null,
): CatalogueKpi {
  return {
    id: kpi.id,
    key: kpi.key,
    name: kpi.name,
    cadence: kpi.cadence,
    timeAggregation: kpi.timeAggregation,
    measureUnit: kpi.measureUnit,
    currency: kpi.currency,
    rollup,
    formula,
    parentId: kpi.parentId,
    archived: Boolean(kpi.archivedOn),
  };
}

function formulaError(message: string): never {
  throw validationError(`The formula cannot be saved: ${message}`, { formula: [message] });
}

/**
 * Parses and checks the formula of the KPI `kpi` (its new definition; a new KPI's id too) and
 * returns what to store: the canonical text and the keys it reads. VALIDATION with the position
 * of the first problem otherwise.
 */
export async function prepareFormula(
  tx: Tx,
  orgId: string,
  kpi: Definition,
  text: string | null | undefined,
): Promise<{ formula: string; formulaInputs: string[] }> {
  if (text === null || text === undefined || text.trim() === '') {
    formulaError('Enter a formula at 0');
  }
  let node: FormulaNode;
  try {
    node = parseFormula(text);
  } catch (error) {
    if (error instanceof ParseError) formulaError(error.message);
    throw error;
  }
  const catalogue = await loadFormulaCatalogue(tx, orgId);
  const problems = checkFormula(catalogueEntry(kpi, 'formula', node), node, catalogue);
  const first = problems[0];
  if (first) formulaError(first.message);
  const formula = printFormula(node);
  return { formula, formulaInputs: formulaInputKeys(formula) };
}

/**
 * Refuses to archive or re-key a KPI that active formulas read, naming them ("used by
 * company.arr, marketing.mql_to_sql"). `what` says what was attempted.
 */
export async function assertNotUsedByFormulas(
  tx: Tx,
  orgId: string,
  kpi: Pick<KpiDto, 'id' | 'key'>,
  what: 'archive' | 'rekey',
): Promise<void> {
  if (kpi.key === null) return;
  const users = formulasUsing(kpi, await loadFormulaCatalogue(tx, orgId));
  if (users.length === 0) return;
  const names = labelList(users);
  if (what === 'archive') {
    throw validationError(
      `This KPI is used by formulas: ${names}. Change those formulas first, or choose a KPI to replace it in them.`,
      { replacementKpiId: [`Used by formulas: ${names}`] },
    );
  }
  throw validationError(`Formulas use this key: ${names}. Change those formulas first.`, {
    key: [`Used by formulas: ${names}`],
  });
}

/**
 * After an edit of `kpi` (its new definition) or a new link: every active formula that reads it
 * (and its own formula, when it has one) must still pass the checks, and the links and formula
 * references must stay free of cycles. VALIDATION naming the formula and the problem otherwise.
 */
export async function assertFormulasStillHold(
  tx: Tx,
  orgId: string,
  kpi: Definition & Pick<KpiDto, 'rollup' | 'formula'>,
): Promise<void> {
  const stored = await loadFormulaCatalogue(tx, orgId);
  const self = catalogueEntry(
    kpi,
    kpi.rollup,
    kpi.rollup === 'formula' && kpi.formula !== null ? parseFormula(kpi.formula) : null,
  );
  const catalogue = [...stored.filter((k) => k.id !== kpi.id), self];
  const readers = formulasUsing(self, catalogue);
  if (self.formula !== null) readers.push(self);
  for (const f of readers) {
    if (f.formula === null) continue;
    const first = checkFormula(f, f.formula, catalogue)[0];
    if (first) {
      const label = f.id === kpi.id ? 'Its formula' : `The formula of ${labelList([f])}`;
      throw validationError(`${label} would break: ${first.detail}.`, {
        formula: [`${label} would break: ${first.message}`],
      });
    }
  }
  const cycle = findCycleThrough(dependencyGraph(catalogue), kpi.id);
  if (cycle) {
    throw validationError(`This would make a cycle: ${describeCycle(cycle, catalogue)}.`, {
      parentId: [`Cycle: ${describeCycle(cycle, catalogue)}`],
    });
  }
}
