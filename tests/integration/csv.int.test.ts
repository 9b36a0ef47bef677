/**
 * CSV on a real database: export of period values (formula-safe), the template, an import
 * round trip where a second import of the same file writes nothing, bad files refused with clear
 * errors and nothing written, and who may import what (another org's KPI reads like a missing one).
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as exportRoute } from '@/app/api/o/[orgSlug]/checkins.csv/route';
import { GET as templateRoute } from '@/app/api/o/[orgSlug]/checkins-template.csv/route';
import { importCheckinsAction, previewCheckinImportAction } from '@/lib/actions/imports';
import { createKpiAction } from '@/lib/actions/kpis';
import { createUnitAction, setUnitLeadAction } from '@/lib/actions/units';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import {
  as,
  checkinCount,
  expectNoDrift,
  kpiInput,
  must,
  refused,
  valuesOf,
} from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';

async function buildOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const tag = randomUUID().slice(0, 6);
  const sales = await as(owner, async () =>
    must(
      await createUnitAction(org.slug, { parentId: rootUnitId, kind: 'department', name: 'Sales' }),
    ),
  );
  const eng = await as(owner, async () =>
    must(
      await createUnitAction(org.slug, {
        parentId: rootUnitId,
        kind: 'department',
        name: 'Engineering',
      }),
    ),
  );
  const rep = await addTestMember(org.id, { role: 'member', homeUnitId: sales.id });
  const other = await addTestMember(org.id, { role: 'member', homeUnitId: sales.id });
  const lead = await addTestMember(org.id, { role: 'member', homeUnitId: sales.id });
  const engLead = await addTestMember(org.id, { role: 'member', homeUnitId: eng.id });
  await as(owner, async () =>
    must(await setUnitLeadAction(org.slug, { unitId: sales.id, leadUserId: lead.userId })),
  );
  await as(owner, async () =>
    must(await setUnitLeadAction(org.slug, { unitId: eng.id, leadUserId: engLead.userId })),
  );
  const total = await as(owner, async () =>
    must(
      await createKpiAction(
        org.slug,
        kpiInput(sales.id, { name: 'Bookings', rollup: 'sum', key: `sales.bookings_${tag}` }),
      ),
    ),
  );
  const deals = await as(owner, async () =>
    must(
      await createKpiAction(
        org.slug,
        kpiInput(sales.id, {
          name: '=Deals (formula-looking name)',
          key: `sales.deals_${tag}`,
          parentId: total.id,
          ownerUserId: rep.userId,
        }),
      ),
    ),
  );
  const calls = await as(owner, async () =>
    must(
      await createKpiAction(
        org.slug,
        kpiInput(sales.id, {
          name: 'Calls',
          key: `sales.calls_${tag}`,
          parentId: total.id,
          ownerUserId: rep.userId,
        }),
      ),
    ),
  );
  return {
    org,
    owner,
    rootUnitId,
    sales,
    eng,
    rep,
    other,
    lead,
    engLead,
    total,
    deals,
    calls,
    tag,
  };
}

type Org = Awaited<ReturnType<typeof buildOrg>>;

function getCsv(
  handler: typeof exportRoute,
  claims: SessionClaims | null,
  slug: string,
  query = '',
) {
  return runWithSession(claims, () =>
    handler(new Request(`http://localhost/api/o/${slug}/x.csv${query}`), {
      params: Promise.resolve({ orgSlug: slug }),
    }),
  );
}

describe('CSV import and export', () => {
  let a: Org;
  let b: Org;
  let today: string;
  beforeAll(async () => {
    a = await buildOrg();
    b = await buildOrg();
    today = todayInTimeZone(a.org.timeZone);
  }, 60_000);

  it('round-trips: a template filled in imports once, a second import writes nothing, the export shows the rollup', async () => {
    const template = await getCsv(templateRoute, a.rep, a.org.slug);
    expect(template.status).toBe(200);
    expect(template.headers.get('content-type')).toContain('text/csv');
    const templateRows: string[][] = parse((await template.text()).replace(/^\uFEFF/, ''));
    expect(templateRows[0]).toEqual(['kpi', 'kpi_name', 'observed_on', 'value', 'note']);
    // The rep records on the two KPIs they own; the rolled-up parent is not offered.
    expect(
      templateRows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([`sales.calls_${a.tag}`, `sales.deals_${a.tag}`].sort());
    expect(templateRows.find((r) => r[0] === `sales.deals_${a.tag}`)![1]).toBe(
      "'=Deals (formula-looking name)",
    );

    const yesterday = addDays(today, -1);
    const file = [
      'kpi,kpi_name,observed_on,value,note',
      `sales.deals_${a.tag},Deals,${yesterday},4,first batch`,
      `sales.calls_${a.tag},Calls,${yesterday},10.25,`,
      `sales.calls_${a.tag},Calls,${today},,`,
    ].join('\n');
    const before = await checkinCount(a.org.id);
    const preview = await as(a.rep, async () =>
      must(await previewCheckinImportAction(a.org.slug, { csv: file })),
    );
    expect(preview.counts).toEqual({ new: 2, duplicate: 0, blank: 1, error: 0, unusual: 0 });
    expect(preview.rows.map((r) => r.kpiName)).toEqual([
      '=Deals (formula-looking name)',
      'Calls',
      null,
    ]);
    expect(await checkinCount(a.org.id)).toBe(before);

    const first = await as(a.rep, async () =>
      must(await importCheckinsAction(a.org.slug, { csv: file })),
    );
    expect(first).toEqual({ created: 2, duplicates: 0, warnings: [], refused: [] });
    expect(await checkinCount(a.org.id)).toBe(before + 2);
    expect(Object.values(await valuesOf(a.org.id, a.total.id))).toContain('14.25');
    const again = await as(a.rep, async () =>
      must(await importCheckinsAction(a.org.slug, { csv: file })),
    );
    expect(again).toEqual({ created: 0, duplicates: 2, warnings: [], refused: [] });
    expect(await checkinCount(a.org.id)).toBe(before + 2);

    const exported = await getCsv(
      exportRoute,
      a.owner,
      a.org.slug,
      `?from=${addDays(today, -40)}&to=${today}&unit=${a.sales.id}`,
    );
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toContain('attachment');
    const rows: string[][] = parse((await exported.text()).replace(/^\uFEFF/, ''));
    expect(rows[0]).toEqual([
      'kpi_key',
      'kpi_name',
      'unit',
      'period_start',
      'period',
      'target',
      'actual',
      'status',
      'measure',
    ]);
    const bookings = rows.filter((r) => r[0] === `sales.bookings_${a.tag}`);
    expect(bookings.length).toBeGreaterThanOrEqual(2);
    expect(bookings.map((r) => r[6])).toContain('14.25');
    // Formula-looking text is exported as text, never as a formula.
    expect(rows.filter((r) => r[1]!.startsWith('=')).length).toBe(0);
    expect(rows.some((r) => r[1] === "'=Deals (formula-looking name)")).toBe(true);
    await expectNoDrift(a.org.id);
  });

  it('refuses bad files and bad rows with clear errors, and writes nothing', async () => {
    const before = await checkinCount(a.org.id);
    const key = `sales.deals_${a.tag}`;
    const cases: [string, RegExp][] = [
      ['name,date,amount\nx,2026-01-01,1', /missing: kpi, value/],
      ['kpi;observed_on;value\n', /no check-ins/],
      ['kpi,observed_on,value\n"broken,2026-01-01,1', /not valid CSV/],
    ];
    for (const [csv, message] of cases) {
      const preview = await as(a.rep, async () =>
        must(await previewCheckinImportAction(a.org.slug, { csv })),
      );
      expect(preview.fileError).toMatch(message);
      const error = refused(await as(a.rep, () => importCheckinsAction(a.org.slug, { csv })));
      expect(error.code).toBe('VALIDATION');
      expect(error.message).toMatch(message);
    }
    const tooBig = refused(
      await as(a.rep, () =>
        importCheckinsAction(a.org.slug, {
          csv: 'kpi,observed_on,value\n' + 'x'.repeat(10 * 1024 * 1024),
        }),
      ),
    );
    expect(tooBig.fieldErrors?.csv?.[0]).toContain('larger than 2 MB');

    const rowsFile = [
      'kpi;observed_on;value;note',
      `${key};${addDays(today, -2)};12,5;semicolons and a decimal comma are fine`,
      `${key};2025-02-30;1;`,
      `${key};${addDays(today, -2)};1e309;`,
      `${key};${addDays(today, -2)};=1+2;`,
      `no.such_kpi;${addDays(today, -2)};1;`,
      `${b.deals.id};${addDays(today, -2)};1;`,
      `${randomUUID()};${addDays(today, -2)};1;`,
      `sales.bookings_${a.tag};${addDays(today, -2)};1;`,
      `${key};${addDays(today, 3)};1;`,
    ].join('\n');
    const preview = await as(a.rep, async () =>
      must(await previewCheckinImportAction(a.org.slug, { csv: `\uFEFF${rowsFile}` })),
    );
    expect(preview.counts).toEqual({ new: 1, duplicate: 0, blank: 0, error: 8, unusual: 0 });
    const byLine = new Map(preview.rows.map((r) => [r.line, r]));
    expect(byLine.get(2)).toMatchObject({ status: 'new', value: '12.5' });
    expect(byLine.get(3)!.errors.join()).toMatch(/^observed_on: /);
    expect(byLine.get(4)!.errors.join()).toMatch(/^value: /);
    expect(byLine.get(5)!.errors.join()).toMatch(/^value: /);
    expect(byLine.get(6)!.errors).toEqual(['kpi: no KPI with this key or id']);
    // Another org's KPI id reads exactly like a random one.
    expect(byLine.get(7)!.errors).toEqual(byLine.get(8)!.errors);
    expect(byLine.get(7)!.errors).toEqual(['kpi: no KPI with this key or id']);
    expect(byLine.get(9)!.errors).toEqual(['kpi: You may not record values on this KPI']);
    expect(byLine.get(10)!.errors.join()).toMatch(/^observed_on: Choose a date on or before today/);
    const error = refused(
      await as(a.rep, () => importCheckinsAction(a.org.slug, { csv: rowsFile })),
    );
    expect(error.message).toBe('Nothing was imported: 8 rows need fixing.');
    expect(Object.keys(error.fieldErrors ?? {})).toEqual([
      'line 3',
      'line 4',
      'line 5',
      'line 6',
      'line 7',
      'line 8',
      'line 9',
      'line 10',
    ]);
    expect(await checkinCount(a.org.id)).toBe(before);
    expect(await checkinCount(b.org.id)).toBe(0);
    // Even the owner cannot type a value into a KPI that rolls up from its children.
    const rolled = await as(a.owner, async () =>
      must(
        await previewCheckinImportAction(a.org.slug, {
          csv: `kpi,observed_on,value\nsales.bookings_${a.tag},${today},1`,
        }),
      ),
    );
    expect(rolled.rows[0]!.errors.join()).toContain('come from its children');
  });

  it('lets only people who may record on a KPI import it; outsiders get not found', async () => {
    const csv = `kpi,observed_on,value\n${a.deals.id},${addDays(today, -3)},1`;
    const verdict = async (claims: SessionClaims | null) => {
      const result = await runWithSession(claims, () =>
        previewCheckinImportAction(a.org.slug, { csv }),
      );
      if (!result.ok) return result.error.code;
      return result.data.rows[0]!.status === 'new' ? 'allowed' : result.data.rows[0]!.errors.join();
    };
    const admin = await addTestMember(a.org.id, { role: 'admin', homeUnitId: a.rootUnitId });
    expect(await verdict(a.owner)).toBe('allowed');
    expect(await verdict(admin)).toBe('allowed');
    expect(await verdict(a.lead)).toBe('allowed');
    expect(await verdict(a.rep)).toBe('allowed');
    expect(await verdict(a.other)).toBe('kpi: You may not record values on this KPI');
    expect(await verdict(a.engLead)).toBe('kpi: You may not record values on this KPI');
    expect(await verdict(b.owner)).toBe('NOT_FOUND');
    expect(await verdict(null)).toBe('UNAUTHENTICATED');
    // The export answers the same: a foreign or missing slug is 404, signed out is 401.
    expect((await getCsv(exportRoute, b.owner, a.org.slug)).status).toBe(404);
    expect((await getCsv(exportRoute, a.owner, `no-such-${a.tag}`)).status).toBe(404);
    expect((await getCsv(exportRoute, null, a.org.slug)).status).toBe(401);
    // A unit of another org in the export scope is not found either.
    expect((await getCsv(exportRoute, a.owner, a.org.slug, `?unit=${b.sales.id}`)).status).toBe(
      404,
    );
  });
});
