/**
 * Values that make sense, on a real database: a KPI's valid range (percent KPIs default to 0-100,
 * set and checked on the KPI form) refuses a value outside it on every write path (single
 * check-in, edit, save all, CSV import, API) with the database unchanged; a value far from the
 * recent readings is refused by the forms until confirmed and then saved, and flagged, not
 * refused, by CSV imports and the API.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { auditLog, kpis } from '@/db/schema';
import { POST as postCheckins } from '@/app/api/v1/checkins/route';
import { createApiKeyAction } from '@/lib/actions/api-keys';
import {
  recordCheckinAction,
  saveCheckinsAction,
  updateCheckinAction,
} from '@/lib/actions/checkins';
import { importCheckinsAction, previewCheckinImportAction } from '@/lib/actions/imports';
import { saveKpiFormAction } from '@/lib/actions/kpis';
import type { SessionClaims } from '@/lib/auth/session';
import { addDays, todayInTimeZone, formatDay } from '@/lib/domain/dates';
import {
  as,
  expectNoDrift,
  kpiInput,
  kpiVersion,
  must,
  refused,
  snapshotOrg,
} from './cascade-helpers';
import { createTestOrg } from './factories';

type Org = Awaited<ReturnType<typeof createTestOrg>>;

const OUTSIDE = 'Availability must be between 0% and 100%; 102% is outside it.';

async function rangeOf(kpiId: string) {
  const db = await getOwnerDb();
  const [row] = await db
    .select({ validMin: kpis.validMin, validMax: kpis.validMax })
    .from(kpis)
    .where(eq(kpis.id, kpiId));
  return (
    row && {
      validMin: row.validMin === null ? null : Number(row.validMin),
      validMax: row.validMax === null ? null : Number(row.validMax),
    }
  );
}

async function postApi(secret: string, body: unknown) {
  const response = await postCheckins(
    new Request('http://localhost/api/v1/checkins', {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({} as never) },
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as any };
}

describe('value ranges and unusual values', () => {
  let org: Org['org'];
  let owner: SessionClaims;
  let rootUnitId: string;
  let today: string;
  let secret: string;
  const act = <T>(fn: () => Promise<T>) => as(owner, fn);

  /** A KPI created through the KPI form, as a person would. */
  const createKpi = (over: Record<string, unknown>) =>
    act(async () =>
      must(
        await saveKpiFormAction(org.slug, {
          mode: 'create',
          ...kpiInput(rootUnitId, { timeAggregation: 'last', ...over }),
        }),
      ),
    );

  /** A manual KPI with four readings around 100 on the four days before today. */
  async function usualKpi(name = 'Tickets') {
    const kpi = await createKpi({ name, key: `ops.tickets_${randomUUID().slice(0, 6)}` });
    for (const [i, value] of ['100', '95', '110', '105'].entries()) {
      await act(async () =>
        must(
          await recordCheckinAction(org.slug, {
            kpiId: kpi.id,
            observedOn: addDays(today, i - 4),
            value,
          }),
        ),
      );
    }
    return kpi;
  }

  beforeAll(async () => {
    ({ org, owner, rootUnitId } = await createTestOrg());
    today = todayInTimeZone(org.timeZone);
    secret = (
      await act(async () =>
        must(await createApiKeyAction(org.slug, { name: 'ingest', scope: 'write' })),
      )
    ).secret;
  }, 60_000);

  describe('the KPI form', () => {
    it('gives a new percent KPI 0-100 unless a range is given; clears and sets it', async () => {
      const percent = await createKpi({ name: 'Availability', measureUnit: 'percent' });
      expect(percent).toMatchObject({ validMin: '0', validMax: '100' });
      expect(await rangeOf(percent.id)).toEqual({ validMin: 0, validMax: 100 });
      const nrr = await createKpi({
        name: 'NRR',
        measureUnit: 'percent',
        validMin: '0',
        validMax: '300',
      });
      expect(nrr).toMatchObject({ validMin: '0', validMax: '300' });
      const unbounded = await createKpi({
        name: 'Margin',
        measureUnit: 'percent',
        validMin: '',
        validMax: null,
      });
      expect(await rangeOf(unbounded.id)).toEqual({ validMin: null, validMax: null });
      const count = await createKpi({ name: 'Deals' });
      expect(await rangeOf(count.id)).toEqual({ validMin: null, validMax: null });

      // editable: widen, audited with before and after
      const edited = await act(async () =>
        must(
          await saveKpiFormAction(org.slug, {
            mode: 'edit',
            kpiId: percent.id,
            version: await kpiVersion(percent.id),
            validMax: '120',
          }),
        ),
      );
      expect(edited).toMatchObject({ validMin: '0', validMax: '120' });
      const db = await getOwnerDb();
      const [audit] = await db
        .select({ before: auditLog.before, after: auditLog.after })
        .from(auditLog)
        .where(and(eq(auditLog.entityId, percent.id), eq(auditLog.action, 'kpi.update')))
        .orderBy(desc(auditLog.id))
        .limit(1);
      expect(audit?.before).toMatchObject({ validMax: '100' });
      expect(audit?.after).toMatchObject({ validMax: '120' });
    });

    it('refuses a lower bound above the upper one, on create and on edit, writing nothing', async () => {
      const before = await snapshotOrg(org.id);
      const error = await act(async () =>
        refused(
          await saveKpiFormAction(org.slug, {
            mode: 'create',
            ...kpiInput(rootUnitId, { validMin: '100', validMax: '9' }),
          }),
        ),
      );
      expect(error.code).toBe('VALIDATION');
      expect(error.fieldErrors?.validMax?.[0]).toMatch(/lower bound/);
      const kpi = await createKpi({ name: 'Ratio', validMin: '5' });
      const snapshot = await snapshotOrg(org.id);
      const editError = await act(async () =>
        refused(
          await saveKpiFormAction(org.slug, {
            mode: 'edit',
            kpiId: kpi.id,
            version: await kpiVersion(kpi.id),
            validMax: '4',
          }),
        ),
      );
      expect(editError.fieldErrors?.validMax?.[0]).toMatch(/lower bound/);
      expect(await snapshotOrg(org.id)).toEqual(snapshot);
      expect(before.kpis + 1).toBe(snapshot.kpis);
    });

    it('refuses a range that an existing reading lies outside, naming it', async () => {
      const kpi = await createKpi({ name: 'Uptime', measureUnit: 'percent', validMax: null });
      await act(async () =>
        must(
          await recordCheckinAction(org.slug, {
            kpiId: kpi.id,
            observedOn: addDays(today, -2),
            value: '104.5',
          }),
        ),
      );
      const before = await snapshotOrg(org.id);
      const error = await act(async () =>
        refused(
          await saveKpiFormAction(org.slug, {
            mode: 'edit',
            kpiId: kpi.id,
            version: await kpiVersion(kpi.id),
            validMax: '100',
          }),
        ),
      );
      expect(error.fieldErrors?.validMax?.[0]).toBe(
        `1 reading lies outside between 0% and 100%, the first 104.5% on ${formatDay(addDays(today, -2), 'en-US')}: correct it first, or widen the range.`,
      );
      expect(await snapshotOrg(org.id)).toEqual(before);
    });
  });

  describe('a value outside the range is refused on every path, nothing written', () => {
    let availability: { id: string; key: string | null };
    beforeAll(async () => {
      availability = await createKpi({
        name: 'Availability',
        measureUnit: 'percent',
        decimals: 2,
        key: `eng.availability_${randomUUID().slice(0, 6)}`,
      });
      await act(async () =>
        must(
          await recordCheckinAction(org.slug, {
            kpiId: availability.id,
            observedOn: addDays(today, -1),
            value: '99.9',
          }),
        ),
      );
    });

    it('single check-in: refused with the range named, also when confirmed', async () => {
      const before = await snapshotOrg(org.id);
      for (const confirmUnusual of [undefined, true]) {
        const error = await act(async () =>
          refused(
            await recordCheckinAction(org.slug, {
              kpiId: availability.id,
              observedOn: today,
              value: '102',
              ...(confirmUnusual ? { confirmUnusual } : {}),
            }),
          ),
        );
        expect(error.code).toBe('VALIDATION');
        expect(error.fieldErrors?.value).toEqual([OUTSIDE]);
      }
      const edge = await act(async () =>
        refused(
          await recordCheckinAction(org.slug, {
            kpiId: availability.id,
            observedOn: today,
            value: '100.96',
          }),
        ),
      );
      expect(edge.message).toBe('Availability must be between 0% and 100%; 100.96% is outside it.');
      expect(await snapshotOrg(org.id)).toEqual(before);
    });

    it('edit of a check-in: refused, the reading unchanged', async () => {
      const { id } = must(
        await act(() =>
          recordCheckinAction(org.slug, {
            kpiId: availability.id,
            observedOn: addDays(today, -3),
            value: '99.5',
          }),
        ),
      );
      const before = await snapshotOrg(org.id);
      const error = await act(async () =>
        refused(await updateCheckinAction(org.slug, { checkinId: id, version: 1, value: '102' })),
      );
      expect(error.fieldErrors?.value).toEqual([OUTSIDE]);
      expect(await snapshotOrg(org.id)).toEqual(before);
    });

    it('save all: the bad row named, no row saved', async () => {
      const other = await createKpi({ name: 'Visits' });
      const before = await snapshotOrg(org.id);
      const error = await act(async () =>
        refused(
          await saveCheckinsAction(org.slug, {
            items: [
              { kind: 'record', kpiId: other.id, observedOn: today, value: '7' },
              { kind: 'record', kpiId: availability.id, observedOn: today, value: '102' },
            ],
          }),
        ),
      );
      expect(error.code).toBe('VALIDATION');
      expect(error.fieldErrors).toEqual({ 'items.1.value': [OUTSIDE] });
      expect(await snapshotOrg(org.id)).toEqual(before);
    });

    it('CSV import: the preview marks the row as an error; the import writes nothing', async () => {
      const csv = `kpi,observed_on,value\n${availability.key},${today},99\n${availability.key},${today},102\n`;
      const preview = await act(async () =>
        must(await previewCheckinImportAction(org.slug, { csv })),
      );
      expect(preview.rows.map((r) => r.status)).toEqual(['new', 'error']);
      expect(preview.rows[1]?.errors).toEqual([`value: ${OUTSIDE}`]);
      const before = await snapshotOrg(org.id);
      const error = await act(async () => refused(await importCheckinsAction(org.slug, { csv })));
      expect(error.fieldErrors?.['line 3']).toEqual([`value: ${OUTSIDE}`]);
      expect(await snapshotOrg(org.id)).toEqual(before);
    });

    it('API: 422 naming the item and the range; a batch writes nothing', async () => {
      const before = await snapshotOrg(org.id);
      const single = await postApi(secret, {
        kpi: availability.key,
        observedOn: today,
        value: '102',
      });
      expect(single.status).toBe(422);
      expect(single.body.error.details).toEqual([{ path: 'value', message: OUTSIDE }]);
      const batch = await postApi(secret, {
        items: [
          { kpi: availability.key, observedOn: today, value: '98' },
          { kpi: availability.key, observedOn: today, value: '102' },
        ],
      });
      expect(batch.status).toBe(422);
      expect(batch.body.error.details).toEqual([{ path: 'items.1.value', message: OUTSIDE }]);
      expect(await snapshotOrg(org.id)).toEqual(before);
      await expectNoDrift(org.id);
    });
  });

  describe('an unusual value', () => {
    it('single check-in: asks for confirmation, writes nothing, then saves when confirmed', async () => {
      const kpi = await usualKpi();
      const before = await snapshotOrg(org.id);
      const input = { kpiId: kpi.id, observedOn: today, value: '1250' };
      const error = await act(async () => refused(await recordCheckinAction(org.slug, input)));
      expect(error.code).toBe('VALIDATION');
      expect(error.fieldErrors).toEqual({
        confirmUnusual: [
          'This is 12x your usual value (about 103, the median of recent readings). Save anyway?',
        ],
      });
      expect(await snapshotOrg(org.id)).toEqual(before);
      const saved = await act(async () =>
        must(await recordCheckinAction(org.slug, { ...input, confirmUnusual: true })),
      );
      expect(saved.value).toBe('1250');
      expect((await snapshotOrg(org.id)).checkins).toBe(before.checkins + 1);
      // an ordinary value needs no confirmation
      must(
        await act(() =>
          recordCheckinAction(org.slug, { kpiId: kpi.id, observedOn: today, value: '120' }),
        ),
      );
      await expectNoDrift(org.id);
    });

    it('edit of a check-in: asks, then saves when confirmed', async () => {
      const kpi = await usualKpi();
      const last = must(
        await act(() =>
          recordCheckinAction(org.slug, { kpiId: kpi.id, observedOn: today, value: '101' }),
        ),
      );
      const before = await snapshotOrg(org.id);
      const edit = { checkinId: last.id, version: last.version, value: '5' };
      const error = await act(async () => refused(await updateCheckinAction(org.slug, edit)));
      expect(error.fieldErrors?.confirmUnusual?.[0]).toMatch(/^This is 1\/20 of your usual value/);
      expect(await snapshotOrg(org.id)).toEqual(before);
      const saved = await act(async () =>
        must(await updateCheckinAction(org.slug, { ...edit, confirmUnusual: true })),
      );
      expect(saved.value).toBe('5');
    });

    it('save all: the row asks for confirmation, nothing saved; saved when confirmed', async () => {
      const kpi = await usualKpi();
      const plain = await createKpi({ name: 'Calls' });
      const before = await snapshotOrg(org.id);
      const items = [
        { kind: 'record' as const, kpiId: plain.id, observedOn: today, value: '3' },
        { kind: 'record' as const, kpiId: kpi.id, observedOn: today, value: '-90' },
      ];
      const error = await act(async () => refused(await saveCheckinsAction(org.slug, { items })));
      expect(Object.keys(error.fieldErrors ?? {})).toEqual(['items.1.confirmUnusual']);
      expect(error.fieldErrors?.['items.1.confirmUnusual']?.[0]).toMatch(
        /^-90 is negative, unlike every recent reading/,
      );
      expect(await snapshotOrg(org.id)).toEqual(before);
      must(
        await act(() =>
          saveCheckinsAction(org.slug, {
            items: [items[0]!, { ...items[1]!, confirmUnusual: true }],
          }),
        ),
      );
      expect((await snapshotOrg(org.id)).checkins).toBe(before.checkins + 2);
      await expectNoDrift(org.id);
    });

    it('CSV import: flagged in the preview and the result, imported all the same', async () => {
      const kpi = await usualKpi();
      const csv = `kpi,observed_on,value\n${kpi.key},${today},2000\n${kpi.key},${today},99\n`;
      const preview = await act(async () =>
        must(await previewCheckinImportAction(org.slug, { csv })),
      );
      expect(preview.rows.map((r) => r.status)).toEqual(['new', 'new']);
      expect(preview.rows[0]?.warnings).toEqual([
        'This is 19x your usual value (about 103, the median of recent readings).',
      ]);
      expect(preview.rows[1]?.warnings).toEqual([]);
      expect(preview.counts.unusual).toBe(1);
      const before = await snapshotOrg(org.id);
      const result = await act(async () => must(await importCheckinsAction(org.slug, { csv })));
      expect(result.created).toBe(2);
      expect(result.warnings).toEqual([{ line: 2, messages: [preview.rows[0]!.warnings[0]] }]);
      expect((await snapshotOrg(org.id)).checkins).toBe(before.checkins + 2);
    });

    it('API: recorded with a warning naming the item', async () => {
      const kpi = await usualKpi();
      const before = await snapshotOrg(org.id);
      const answer = await postApi(secret, {
        items: [
          { kpi: kpi.key, observedOn: today, value: '104' },
          { kpi: kpi.key, observedOn: today, value: '5000' },
        ],
      });
      expect(answer.status).toBe(201);
      expect(answer.body.data.count).toBe(2);
      expect(answer.body.warnings).toEqual([
        {
          path: 'items.1.value',
          message: 'This is 48x your usual value (about 103, the median of recent readings).',
        },
      ]);
      const single = await postApi(secret, { kpi: kpi.key, observedOn: today, value: '100' });
      expect(single.status).toBe(201);
      expect(single.body.warnings).toEqual([]);
      expect((await snapshotOrg(org.id)).checkins).toBe(before.checkins + 3);
      await expectNoDrift(org.id);
    });

    it('is not judged with fewer than three earlier readings', async () => {
      const kpi = await createKpi({ name: 'New thing' });
      for (const [i, value] of ['10', '10000'].entries()) {
        must(
          await act(() =>
            recordCheckinAction(org.slug, {
              kpiId: kpi.id,
              observedOn: addDays(today, i - 2),
              value,
            }),
          ),
        );
      }
      // two earlier readings (10 and 10,000): no judgement yet
      must(
        await act(() =>
          recordCheckinAction(org.slug, { kpiId: kpi.id, observedOn: today, value: '1' }),
        ),
      );
    });
  });
});
