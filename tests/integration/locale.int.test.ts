/**
 * The organization's locale on a real database: a de-DE check-in typed `1.234,5` through the
 * server actions (the org's locale, never one the client sends), a refused English-style value
 * that writes nothing, and the CSV import reading de-DE numbers and dates, taking the valid rows
 * on request while listing the refused ones (nothing else written); period labels the pages read
 * written the German way (`Dez. 2026`, `Q4 GJ2026`).
 */
import { and, asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { checkins } from '@/db/schema';
import { recordCheckinAction, saveCheckinsAction } from '@/lib/actions/checkins';
import { importCheckinsAction, previewCheckinImportAction } from '@/lib/actions/imports';
import { createKpiAction } from '@/lib/actions/kpis';
import type { SessionClaims } from '@/lib/auth/session';
import { addDays, dateParts, formatDay, todayInTimeZone } from '@/lib/domain/dates';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { getCommentaryPanel } from '@/lib/dal/commentaries';
import { getTargetGrid } from '@/lib/dal/kpis/target-grid';
import { resolveOrgContext } from '@/lib/server/org-context';
import { as, checkinCount, kpiInput, must, refused, snapshotOrg } from './cascade-helpers';
import { createTestOrg } from './factories';

let slug: string;
let orgId: string;
let owner: SessionClaims;
let kpiId: string;
let key: string;
let today: string;

async function readings(id: string) {
  const db = await getOwnerDb();
  const rows = await db
    .select({ observedOn: checkins.observedOn, value: checkins.value, source: checkins.source })
    .from(checkins)
    .where(and(eq(checkins.orgId, orgId), eq(checkins.kpiId, id)))
    .orderBy(asc(checkins.observedOn), asc(checkins.createdAt));
  return rows.map((r) => ({ ...r, value: normalizeDecimal(r.value) }));
}

beforeAll(async () => {
  const created = await createTestOrg({ locale: 'de-DE' });
  expect(created.org.locale).toBe('de-DE');
  slug = created.org.slug;
  orgId = created.org.id;
  owner = created.owner;
  today = todayInTimeZone(created.org.timeZone);
  key = `umsatz_${Math.random().toString(36).slice(2, 8)}`;
  const kpi = await as(owner, async () =>
    must(await createKpiAction(slug, kpiInput(created.rootUnitId, { name: 'Umsatz', key }))),
  );
  kpiId = kpi.id;
});

describe('a de-DE check-in through the server actions', () => {
  it('reads 1.234,5 as 1234.5 (record) and 2.000,25 as 2000.25 (save all)', async () => {
    must(
      await as(owner, () =>
        recordCheckinAction(slug, {
          kpiId,
          observedOn: addDays(today, -10),
          value: '1.234,5',
        }),
      ),
    );
    must(
      await as(owner, () =>
        saveCheckinsAction(slug, {
          items: [
            { kind: 'record', kpiId, observedOn: addDays(today, -9), value: '2.000,25', note: '' },
          ],
        }),
      ),
    );
    expect(await readings(kpiId)).toEqual([
      { observedOn: addDays(today, -10), value: '1234.5', source: 'manual' },
      { observedOn: addDays(today, -9), value: '2000.25', source: 'manual' },
    ]);
  });

  it('refuses an English-style number with the expected form named, writing nothing', async () => {
    const before = await snapshotOrg(orgId);
    const error = refused(
      await as(owner, () =>
        recordCheckinAction(slug, { kpiId, observedOn: addDays(today, -8), value: '1,234.5' }),
      ),
    );
    expect(error.code).toBe('VALIDATION');
    expect(error.fieldErrors?.value?.[0]).toContain('1.234,5');
    expect(await snapshotOrg(orgId)).toEqual(before);
  });

  it('takes no locale from the client: an extra field is refused, nothing written', async () => {
    const before = await snapshotOrg(orgId);
    const error = refused(
      await as(owner, () =>
        recordCheckinAction(slug, {
          kpiId,
          observedOn: addDays(today, -8),
          value: '1,234.5',
          locale: 'en-US',
        } as never),
      ),
    );
    expect(error.code).toBe('VALIDATION');
    expect(await snapshotOrg(orgId)).toEqual(before);
  });
});

describe('CSV import in de-DE', () => {
  const day = (n: number) => addDays(today, -n);
  const file = () =>
    [
      'kpi;observed_on;value;note',
      `${key};${formatDay(day(5), 'de-DE')};1.234,5;deutsch`,
      `${key};${day(4)};1234.5;ISO date and a plain number`,
      `${key};${formatDay(day(3), 'de-DE')};12,5;`,
      `${key};31.02.2026;1;no such day`,
      `${key};${formatDay(day(2), 'de-DE')};1,234.5;English number`,
      `no_such_kpi;${formatDay(day(2), 'de-DE')};1;`,
    ].join('\n');

  it('previews each row, reading de-DE numbers and dates (and ISO and plain ones)', async () => {
    const preview = must(await as(owner, () => previewCheckinImportAction(slug, { csv: file() })));
    expect(preview.counts).toEqual({ new: 3, duplicate: 0, blank: 0, error: 3, unusual: 0 });
    const byLine = new Map(preview.rows.map((r) => [r.line, r]));
    expect(byLine.get(2)).toMatchObject({ status: 'new', value: '1234.5', observedOn: day(5) });
    expect(byLine.get(3)).toMatchObject({ status: 'new', value: '1234.5', observedOn: day(4) });
    expect(byLine.get(4)).toMatchObject({ status: 'new', value: '12.5', observedOn: day(3) });
    expect(byLine.get(5)!.errors.join()).toMatch(/^observed_on: Write the date as 31\.12\.2026/);
    expect(byLine.get(6)!.errors.join()).toMatch(/^value: Write the number as 1\.234,5/);
    expect(byLine.get(7)!.errors).toEqual(['kpi: no KPI with this key or id']);
  });

  it('all or nothing by default; with "import the valid rows" writes exactly those', async () => {
    const before = await snapshotOrg(orgId);
    const error = refused(await as(owner, () => importCheckinsAction(slug, { csv: file() })));
    expect(error.message).toBe('Nothing was imported: 3 rows need fixing.');
    expect(await snapshotOrg(orgId)).toEqual(before);

    const countBefore = await checkinCount(orgId);
    const done = must(
      await as(owner, () => importCheckinsAction(slug, { csv: file(), acceptValid: true })),
    );
    expect(done.created).toBe(3);
    expect(done.refused.map((r) => r.line)).toEqual([5, 6, 7]);
    expect(done.refused[1]!.errors.join()).toContain('1.234,5');
    expect(await checkinCount(orgId)).toBe(countBefore + 3);
    const imported = (await readings(kpiId)).filter((r) => r.source === 'csv');
    expect(imported).toEqual([
      { observedOn: day(5), value: '1234.5', source: 'csv' },
      { observedOn: day(4), value: '1234.5', source: 'csv' },
      { observedOn: day(3), value: '12.5', source: 'csv' },
    ]);

    // The same file again: the valid rows are duplicates now, the refused ones still refused.
    const again = must(
      await as(owner, () => importCheckinsAction(slug, { csv: file(), acceptValid: true })),
    );
    expect(again).toMatchObject({ created: 0, duplicates: 3 });
    expect(await checkinCount(orgId)).toBe(countBefore + 3);
  });

  it('an all-valid file imports as before', async () => {
    const csv = `kpi,observed_on,value\n${key},${formatDay(day(20), 'de-DE')},7\n`;
    const done = must(await as(owner, () => importCheckinsAction(slug, { csv })));
    expect(done).toMatchObject({ created: 1, duplicates: 0, refused: [] });
  });
});

describe('period labels in de-DE', () => {
  /** A month as Intl writes it in de-DE, independently of lib/domain/periods. */
  const germanMonth = (start: string) => {
    const { year, month } = dateParts(start);
    return new Intl.DateTimeFormat('de-DE', {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(Date.UTC(year, month - 1, 1)));
  };

  it('the commentary panel and the target grid name periods the German way', async () => {
    const ctx = await as(owner, () => resolveOrgContext(slug));
    expect(ctx.org.locale).toBe('de-DE');
    const panel = await getCommentaryPanel(ctx, kpiId);
    expect(panel.periods.length).toBeGreaterThan(0);
    for (const p of panel.periods) expect(p.label).toBe(germanMonth(p.start));
    expect(panel.periods.map((p) => p.label).join()).toMatch(/\d{4}/);

    const grid = await getTargetGrid(ctx, 'month', today);
    expect(grid.periods).toHaveLength(12);
    expect(grid.periods.map((p) => p.label)).toContain(
      `Dez. ${dateParts(grid.fiscalYear.start).year}`,
    );
    expect(grid.fiscalYear.label).toMatch(/^GJ\d{4}$/);
    const quarters = await getTargetGrid(ctx, 'quarter', today);
    expect(quarters.periods.map((p) => p.label)).toEqual(
      [1, 2, 3, 4].map((q) => `Q${q} ${quarters.fiscalYear.label}`),
    );
  });
});
