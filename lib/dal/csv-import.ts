import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '@/db/client';
import { checkins, kpis } from '@/db/schema';
import { parseCheckinCsv, type CsvCheckinRow } from '@/lib/domain/csv-import';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { validationError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { parseLocaleDay } from '@/lib/domain/dates';
import { parseLocaleDecimal } from '@/lib/domain/locale-number';
import { KPI_KEY_PATTERN } from '@/lib/validation/kpis';
import { safeText } from '@/lib/validation/text';
import { lockOrgCascade } from './cascade/locks';
import {
  findCheckinsBatchProblems,
  recordCheckinsBatch,
  type CheckinBatchItem,
} from './checkins/batch';

/** One row of an import as the preview shows it. */
export type ImportRow = {
  line: number;
  kpi: string;
  kpiName: string | null;
  observedOn: string;
  value: string;
  note: string;
  /**
   * `new`: will be recorded; `duplicate`: the same check-in exists already (or earlier in the
   * file); `blank`: no value given (a template row left empty), ignored.
   */
  status: 'new' | 'duplicate' | 'blank' | 'error';
  errors: string[];
  /** A new value far from its KPI's recent readings: imported, but worth a second look. */
  warnings: string[];
};

export type ImportPreview = {
  fileError: string | null;
  rows: ImportRow[];
  counts: { new: number; duplicate: number; blank: number; error: number; unusual: number };
};

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A row's cells, read in the organization's locale: `1.234,5` and `31.12.2026` in de-DE, also
 * the machine forms `1234.5` and `2026-12-31` (what CSV exports write) in every locale.
 */
function rowSchema(locale: string) {
  return z.object({
    observedOn: z.string().transform((raw, ctx) => {
      const parsed = parseLocaleDay(raw, locale);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed.value;
    }),
    value: z.string().transform((raw, ctx) => {
      const parsed = parseLocaleDecimal(raw, locale, { allowPlain: true });
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.error });
        return z.NEVER;
      }
      return parsed.value;
    }),
    note: safeText('note', { multiline: true }).max(2000, 'Use at most 2000 characters in a note'),
  });
}

type Parsed = { row: ImportRow; item: CheckinBatchItem | null };

/** KPI ids and names for the references a file uses (ids or keys), in the org. */
async function lookupKpis(tx: Tx, orgId: string, refs: string[]) {
  const ids = refs.filter((r) => UUID_PATTERN.test(r)).map((r) => r.toLowerCase());
  // Neither an id nor a key's shape (garbage, a NUL): unknown, without asking the database.
  const keys = refs.filter((r) => !UUID_PATTERN.test(r) && KPI_KEY_PATTERN.test(r));
  const rows = [
    ...(ids.length
      ? await tx
          .select({ id: kpis.id, key: kpis.key, name: kpis.name })
          .from(kpis)
          .where(and(eq(kpis.orgId, orgId), inArray(kpis.id, ids)))
      : []),
    ...(keys.length
      ? await tx
          .select({ id: kpis.id, key: kpis.key, name: kpis.name })
          .from(kpis)
          .where(and(eq(kpis.orgId, orgId), inArray(kpis.key, keys)))
      : []),
  ];
  const byRef = new Map<string, { id: string; name: string }>();
  for (const r of rows) {
    byRef.set(r.id, r);
    if (r.key) byRef.set(r.key, r);
  }
  return (ref: string) => byRef.get(UUID_PATTERN.test(ref) ? ref.toLowerCase() : ref) ?? null;
}

const dedupeKey = (kpiId: string, observedOn: string, value: string, note: string) =>
  `${kpiId}|${observedOn}|${normalizeDecimal(value)}|${note}`;

/**
 * Checks an import file without writing anything: the file's shape, then each row (date, number,
 * KPI, permission, a manual KPI, not in the future, inside the KPI's valid range), flags new values
 * far from their KPI's recent readings (`warnings`; imported all the same), and marks rows that repeat a check-in that
 * exists already (same KPI, date, value and note) or an earlier row, so importing a file twice
 * records nothing new. Runs in the caller's tenant transaction. Tenant: ctx.org. Permission:
 * `checkins.write` on each row's KPI (a hidden or foreign KPI reads "not found").
 */
export async function previewCheckinImport(
  ctx: OrgContext,
  tx: Tx,
  text: string,
): Promise<ImportPreview> {
  const file = parseCheckinCsv(text);
  if (!file.ok)
    return {
      fileError: file.error,
      rows: [],
      counts: { new: 0, duplicate: 0, blank: 0, error: 0, unusual: 0 },
    };
  const find = await lookupKpis(tx, ctx.org.id, [
    ...new Set(file.rows.map((r) => r.kpi).filter(Boolean)),
  ]);

  const schema = rowSchema(ctx.org.locale);
  const parsed: Parsed[] = file.rows.map((raw: CsvCheckinRow) => {
    const row: ImportRow = { ...raw, kpiName: null, status: 'new', errors: [], warnings: [] };
    if (raw.value === '') return { row: { ...row, status: 'blank' }, item: null };
    const kpi = raw.kpi ? find(raw.kpi) : null;
    if (!raw.kpi) row.errors.push('kpi: name the KPI by its key or id');
    else if (!kpi) row.errors.push('kpi: no KPI with this key or id');
    const checked = schema.safeParse(raw);
    if (!checked.success) {
      for (const issue of checked.error.issues)
        row.errors.push(`${columnName(String(issue.path[0]))}: ${issue.message}`);
    }
    if (row.errors.length > 0 || !kpi || !checked.success)
      return { row: { ...row, status: 'error' }, item: null };
    row.observedOn = checked.data.observedOn;
    row.value = checked.data.value;
    return {
      row,
      item: {
        kpiId: kpi.id,
        observedOn: checked.data.observedOn,
        value: checked.data.value,
        note: checked.data.note,
        source: 'csv',
      },
    };
  });

  // Permission, manual KPI, date and valid-range rules: the same checks the write runs, per row;
  // values far from their KPI's recent readings are flagged, not refused.
  const candidates = parsed.filter((p) => p.item !== null);
  if (candidates.length > 0) {
    const found = await findCheckinsBatchProblems(
      ctx,
      tx,
      candidates.map((p) => p.item!),
      { prefix: 'rows', kpi: 'kpi' },
    );
    for (const [path, messages] of Object.entries(found.fieldErrors)) {
      const [, index, field] = path.split('.');
      const target = candidates[Number(index)];
      if (!target) continue;
      target.row.errors.push(...messages.map((m) => `${columnName(field ?? '')}: ${m}`));
      target.row.status = 'error';
      target.item = null;
    }
    for (const w of found.warnings) {
      const target = candidates[w.index];
      if (target?.item) target.row.warnings.push(w.message);
    }
  }

  // Names only for KPIs the person may record on (a hidden KPI is reported as not found above).
  for (const p of parsed) if (p.item) p.row.kpiName = find(p.row.kpi)?.name ?? null;

  const valid = parsed.filter((p) => p.item !== null);
  const existing = new Set<string>();
  if (valid.length > 0) {
    const rows = await tx
      .select({
        kpiId: checkins.kpiId,
        observedOn: checkins.observedOn,
        value: checkins.value,
        note: checkins.note,
      })
      .from(checkins)
      .where(
        and(
          eq(checkins.orgId, ctx.org.id),
          inArray(checkins.kpiId, [...new Set(valid.map((p) => p.item!.kpiId))]),
          inArray(checkins.observedOn, [...new Set(valid.map((p) => p.item!.observedOn))]),
        ),
      );
    for (const r of rows) existing.add(dedupeKey(r.kpiId, r.observedOn, r.value, r.note));
  }
  for (const p of valid) {
    const key = dedupeKey(p.item!.kpiId, p.item!.observedOn, p.item!.value, p.item!.note ?? '');
    if (existing.has(key)) {
      p.row.status = 'duplicate';
      p.row.warnings = []; // skipped: nothing to look at again
    }
    existing.add(key);
  }

  const rows = parsed.map((p) => p.row);
  return {
    fileError: null,
    rows,
    counts: {
      new: rows.filter((r) => r.status === 'new').length,
      duplicate: rows.filter((r) => r.status === 'duplicate').length,
      blank: rows.filter((r) => r.status === 'blank').length,
      error: rows.filter((r) => r.status === 'error').length,
      unusual: rows.filter((r) => r.status === 'new' && r.warnings.length > 0).length,
    },
  };
}

function columnName(field: string): string {
  return field === 'observedOn' ? 'observed_on' : field;
}

/**
 * Imports a file in the caller's transaction. By default all or nothing: any bad row (or a bad
 * file) refuses the whole import with every problem named by line. With `acceptValid` (the person
 * saw the preview's refusals and chose "import the valid rows") the valid rows are recorded and
 * the refused ones come back in `refused`, with their line and reasons; nothing else is written.
 * Rows that repeat an existing check-in are skipped. Serialized with every other cascade write by
 * the org lock. Tenant: ctx.org. Permission: `checkins.write` on each row's KPI.
 */
export async function importCheckins(
  ctx: OrgContext,
  tx: Tx,
  text: string,
  { acceptValid = false }: { acceptValid?: boolean } = {},
): Promise<{
  created: number;
  duplicates: number;
  warnings: { line: number; messages: string[] }[];
  refused: { line: number; errors: string[] }[];
}> {
  await lockOrgCascade(tx, ctx.org.id);
  const preview = await previewCheckinImport(ctx, tx, text);
  if (preview.fileError) throw validationError(preview.fileError, { file: [preview.fileError] });
  if (preview.counts.new + preview.counts.duplicate === 0) {
    throw validationError('The file has no values to import.', {
      file: ['Every row has an empty value.'],
    });
  }
  const bad = preview.rows.filter((r) => r.status === 'error');
  if (bad.length > 0 && (!acceptValid || preview.counts.new + preview.counts.duplicate === 0)) {
    throw validationError(
      `Nothing was imported: ${bad.length} ${bad.length === 1 ? 'row needs' : 'rows need'} fixing.`,
      Object.fromEntries(bad.map((r) => [`line ${r.line}`, r.errors])),
    );
  }
  const fresh = preview.rows.filter((r) => r.status === 'new');
  const find = await lookupKpis(tx, ctx.org.id, [...new Set(fresh.map((r) => r.kpi))]);
  const { count } = await recordCheckinsBatch(
    ctx,
    tx,
    fresh.map((r) => ({
      kpiId: find(r.kpi)!.id,
      observedOn: r.observedOn,
      value: r.value,
      note: r.note,
      source: 'csv' as const,
    })),
  );
  const warnings = fresh
    .filter((r) => r.warnings.length > 0)
    .map((r) => ({ line: r.line, messages: r.warnings }));
  const refused = bad.map((r) => ({ line: r.line, errors: r.errors }));
  return { created: count, duplicates: preview.counts.duplicate, warnings, refused };
}
