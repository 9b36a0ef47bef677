import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionClaims } from '@/lib/auth/session';
import { recordCheckinAction, updateCheckinAction } from '@/lib/actions/checkins';
import {
  createKpiAction,
  linkKpiAction,
  setTargetAction,
  updateKpiAction,
} from '@/lib/actions/kpis';
import { createUnitAction } from '@/lib/actions/units';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import type { Result } from '@/lib/result';
import { createTestOrg } from './factories';
import { as, kpiInput, kpiVersion, must, refused, snapshotOrg } from './cascade-helpers';

type Fixture = {
  slug: string;
  orgId: string;
  owner: SessionClaims;
  rootUnitId: string;
  manual: { id: string };
  sumParent: { id: string };
  monthlyParent: { id: string };
  yearly: { id: string };
  percent: { id: string };
  eurParent: { id: string };
  usd: { id: string };
  a: { id: string };
  b: { id: string };
  checkin: { id: string; version: number };
  foreignKpiId: string;
  foreignUnitId: string;
  tomorrow: string;
};

let f: Fixture;

beforeAll(async () => {
  // Pacific/Kiritimati is UTC+14: "tomorrow" there is checked against the org's zone, not UTC.
  const { org, owner, rootUnitId } = await createTestOrg({ timeZone: 'Pacific/Kiritimati' });
  const other = await createTestOrg();
  const create = (over: Record<string, unknown>) =>
    as(owner, async () => must(await createKpiAction(org.slug, kpiInput(rootUnitId, over))));
  const manual = await create({ name: 'Manual' });
  const sumParent = await create({ name: 'Sum', rollup: 'sum', cadence: 'quarter' });
  const monthlyParent = await create({ name: 'Monthly sum', rollup: 'sum' });
  const yearly = await create({ name: 'Yearly', cadence: 'year' });
  const percent = await create({ name: 'Percent', measureUnit: 'percent' });
  const eurParent = await create({
    name: 'EUR',
    rollup: 'sum',
    measureUnit: 'currency',
    currency: 'EUR',
  });
  const usd = await create({ name: 'USD', measureUnit: 'currency', currency: 'USD' });
  const a = await create({ name: 'A', rollup: 'sum' });
  const b = await create({ name: 'B', rollup: 'sum', parentId: a.id });
  must(
    await as(owner, () =>
      updateKpiAction(org.slug, { kpiId: manual.id, version: 1, description: 'seen by others' }),
    ),
  );
  const checkin = await as(owner, async () =>
    must(
      await recordCheckinAction(org.slug, {
        kpiId: manual.id,
        observedOn: '2025-06-01',
        value: '5',
      }),
    ),
  );
  const foreign = await as(other.owner, async () =>
    must(await createKpiAction(other.org.slug, kpiInput(other.rootUnitId, { rollup: 'sum' }))),
  );
  f = {
    slug: org.slug,
    orgId: org.id,
    owner,
    rootUnitId,
    manual,
    sumParent,
    monthlyParent,
    yearly,
    percent,
    eurParent,
    usd,
    a,
    b,
    checkin,
    foreignKpiId: foreign.id,
    foreignUnitId: other.rootUnitId,
    tomorrow: addDays(todayInTimeZone('Pacific/Kiritimati'), 1),
  };
});

type Case = {
  name: string;
  run: () => Promise<Result<unknown>>;
  code: string;
  /** Where the message should be: a field (fieldErrors) or the top-level message. */
  field?: string;
  message: RegExp;
};

const record =
  (value: unknown, observedOn: unknown = '2025-06-02') =>
  () =>
    recordCheckinAction(f.slug, { kpiId: f.manual.id, observedOn, value } as never);
const link = (kpiId: () => string, parentId: () => string) => async () =>
  linkKpiAction(f.slug, {
    kpiId: kpiId(),
    parentId: parentId(),
    version: await kpiVersion(kpiId()),
  });

const cases: Case[] = [
  {
    name: 'NaN value',
    run: record('NaN'),
    code: 'VALIDATION',
    field: 'value',
    message: /Write the number as 1,234\.5/,
  },
  {
    name: 'NaN as a JS number',
    run: record(Number.NaN),
    code: 'VALIDATION',
    field: 'value',
    message: /Enter a number/,
  },
  {
    name: 'a float instead of a string',
    run: record(0.1),
    code: 'VALIDATION',
    field: 'value',
    message: /Enter a number/,
  },
  {
    name: 'Infinity',
    run: record('Infinity'),
    code: 'VALIDATION',
    field: 'value',
    message: /Write the number as 1,234\.5/,
  },
  {
    name: '-Infinity',
    run: record('-Infinity'),
    code: 'VALIDATION',
    field: 'value',
    message: /Write the number as 1,234\.5/,
  },
  {
    name: "'1e309'",
    run: record('1e309'),
    code: 'VALIDATION',
    field: 'value',
    message: /Write the number as 1,234\.5/,
  },
  {
    name: 'empty value',
    run: record(''),
    code: 'VALIDATION',
    field: 'value',
    message: /Enter a number/,
  },
  {
    name: 'blank value',
    run: record('   '),
    code: 'VALIDATION',
    field: 'value',
    message: /Enter a number/,
  },
  {
    name: '21 digits',
    run: record('123456789012345678901'),
    code: 'VALIDATION',
    field: 'value',
    message: /at most 20 digits/,
  },
  {
    name: '7 decimals',
    run: record('1.1234567'),
    code: 'VALIDATION',
    field: 'value',
    message: /at most 6 decimal places/,
  },
  {
    name: "date 'infinity'",
    run: record('1', 'infinity'),
    code: 'VALIDATION',
    field: 'observedOn',
    message: /YYYY-MM-DD/,
  },
  {
    name: "date 'epoch'",
    run: record('1', 'epoch'),
    code: 'VALIDATION',
    field: 'observedOn',
    message: /YYYY-MM-DD/,
  },
  {
    name: 'date 2025-02-30',
    run: record('1', '2025-02-30'),
    code: 'VALIDATION',
    field: 'observedOn',
    message: /does not exist/,
  },
  {
    name: 'empty date',
    run: record('1', ''),
    code: 'VALIDATION',
    field: 'observedOn',
    message: /YYYY-MM-DD/,
  },
  {
    name: 'a timestamp',
    run: record('1', '2025-06-02T10:00:00Z'),
    code: 'VALIDATION',
    field: 'observedOn',
    message: /YYYY-MM-DD/,
  },
  {
    name: 'future date (org time zone)',
    run: () => record('1', f.tomorrow)(),
    code: 'VALIDATION',
    field: 'observedOn',
    message: /on or before today/,
  },
  {
    name: 'unknown key',
    run: () =>
      recordCheckinAction(f.slug, {
        kpiId: f.manual.id,
        observedOn: '2025-06-02',
        value: '1',
        orgId: f.orgId,
      } as never),
    code: 'VALIDATION',
    field: '_form',
    message: /nrecognized key/,
  },
  {
    name: 'malformed id',
    run: () =>
      recordCheckinAction(f.slug, { kpiId: 'not-a-uuid', observedOn: '2025-06-02', value: '1' }),
    code: 'VALIDATION',
    field: 'kpiId',
    message: /Invalid id/,
  },
  {
    name: 'check-in on another org’s KPI',
    run: () =>
      recordCheckinAction(f.slug, { kpiId: f.foreignKpiId, observedOn: '2025-06-02', value: '1' }),
    code: 'NOT_FOUND',
    message: /Not found/,
  },
  {
    name: 'link to a parent in another org',
    run: link(
      () => f.manual.id,
      () => f.foreignKpiId,
    ),
    code: 'NOT_FOUND',
    message: /Not found/,
  },
  {
    name: 'link a KPI of another org',
    run: () =>
      linkKpiAction(f.slug, { kpiId: f.foreignKpiId, parentId: f.sumParent.id, version: 1 }),
    code: 'NOT_FOUND',
    message: /Not found/,
  },
  {
    name: 'KPI in another org’s unit',
    run: () => createKpiAction(f.slug, kpiInput(f.foreignUnitId)),
    code: 'NOT_FOUND',
    message: /Not found/,
  },
  {
    name: 'cycle',
    run: link(
      () => f.a.id,
      () => f.b.id,
    ),
    code: 'VALIDATION',
    field: 'parentId',
    message: /cannot roll up into one of the KPIs that already roll up into it/,
  },
  {
    name: 'a KPI under itself',
    run: link(
      () => f.a.id,
      () => f.a.id,
    ),
    code: 'VALIDATION',
    field: 'parentId',
    message: /cannot roll up into itself/,
  },
  {
    name: 'cadence longer than the parent',
    run: link(
      () => f.yearly.id,
      () => f.monthlyParent.id,
    ),
    code: 'VALIDATION',
    field: 'parentId',
    message: /yearly KPI cannot roll up into a monthly one/,
  },
  {
    name: 'measure-unit mismatch',
    run: link(
      () => f.percent.id,
      () => f.sumParent.id,
    ),
    code: 'VALIDATION',
    field: 'parentId',
    message: /measured in percent/,
  },
  {
    name: 'currency mismatch',
    run: link(
      () => f.usd.id,
      () => f.eurParent.id,
    ),
    code: 'VALIDATION',
    field: 'parentId',
    message: /currency \(USD\)/,
  },
  {
    name: 'rollup change that breaks a child link',
    run: async () =>
      updateKpiAction(f.slug, {
        kpiId: f.a.id,
        version: await kpiVersion(f.a.id),
        measureUnit: 'percent',
      }),
    code: 'VALIDATION',
    field: 'measureUnit',
    message: /"B" rolls up into this KPI/,
  },
  {
    name: 'stale KPI version',
    // the fixture renamed it once, so version 1 is what a stale form still holds
    run: () => updateKpiAction(f.slug, { kpiId: f.manual.id, version: 1, name: 'Renamed' }),
    code: 'CONFLICT',
    message: /changed this in the meantime/,
  },
  {
    name: 'stale check-in version',
    run: () =>
      updateCheckinAction(f.slug, {
        checkinId: f.checkin.id,
        version: f.checkin.version + 1,
        value: '6',
      }),
    code: 'CONFLICT',
    message: /changed this in the meantime/,
  },
  {
    name: 'bad key format',
    run: () => createKpiAction(f.slug, kpiInput(f.rootUnitId, { key: 'Sales MRR' })),
    code: 'VALIDATION',
    field: 'key',
    message: /lowercase letters/,
  },
  {
    name: 'name too long',
    run: () => createKpiAction(f.slug, kpiInput(f.rootUnitId, { name: 'x'.repeat(121) })),
    code: 'VALIDATION',
    field: 'name',
    message: /at most 120/,
  },
  {
    name: 'empty name',
    run: () => createKpiAction(f.slug, kpiInput(f.rootUnitId, { name: '  ' })),
    code: 'VALIDATION',
    field: 'name',
    message: /Enter a name/,
  },
  {
    name: 'currency KPI without currency',
    run: () => createKpiAction(f.slug, kpiInput(f.rootUnitId, { measureUnit: 'currency' })),
    code: 'VALIDATION',
    field: 'currency',
    message: /Choose the currency/,
  },
  {
    name: 'lowercase currency',
    run: () =>
      createKpiAction(f.slug, kpiInput(f.rootUnitId, { measureUnit: 'currency', currency: 'eur' })),
    code: 'VALIDATION',
    field: 'currency',
    message: /three-letter/,
  },
  {
    name: 'currency on a count KPI',
    run: () => createKpiAction(f.slug, kpiInput(f.rootUnitId, { currency: 'EUR' })),
    code: 'VALIDATION',
    field: 'currency',
    message: /Only KPIs measured in a currency/,
  },
  {
    name: 'zero weight',
    run: () => createKpiAction(f.slug, kpiInput(f.rootUnitId, { weight: '0' })),
    code: 'VALIDATION',
    field: 'weight',
    message: /greater than 0/,
  },
  {
    name: 'negative weight',
    run: () => createKpiAction(f.slug, kpiInput(f.rootUnitId, { weight: '-1' })),
    code: 'VALIDATION',
    field: 'weight',
    message: /greater than 0/,
  },
  {
    name: 'individual KPI without owner',
    run: () => createKpiAction(f.slug, kpiInput(f.rootUnitId, { isIndividual: true })),
    code: 'VALIDATION',
    field: 'ownerUserId',
    message: /needs an owner/,
  },
  {
    name: 'NaN target',
    run: () =>
      setTargetAction(f.slug, { kpiId: f.manual.id, periodStart: '2025-06-01', target: 'NaN' }),
    code: 'VALIDATION',
    field: 'target',
    message: /Enter a number/,
  },
  {
    name: 'a second company unit',
    run: () =>
      createUnitAction(f.slug, { parentId: f.rootUnitId, kind: 'company' as never, name: 'X' }),
    code: 'VALIDATION',
    field: 'kind',
    message: /department or team/,
  },
];

describe('bad input is refused clearly and writes nothing', () => {
  it.each(cases)('$name', async (c) => {
    const before = await snapshotOrg(f.orgId);
    const error = refused(await as(f.owner, c.run));
    expect(error.code).toBe(c.code);
    if (c.field) expect(error.fieldErrors?.[c.field]?.join(' ')).toMatch(c.message);
    else expect(error.message).toMatch(c.message);
    expect(JSON.stringify(error)).not.toMatch(/select|insert|constraint|violates|stack/i);
    expect(await snapshotOrg(f.orgId)).toEqual(before);
  });

  it('still accepts the boundary values', async () => {
    const ok = await as(f.owner, () =>
      recordCheckinAction(f.slug, {
        kpiId: f.manual.id,
        observedOn: todayInTimeZone('Pacific/Kiritimati'),
        value: '-99999999999999.999999',
      }),
    );
    expect(must(ok).value).toBe('-99999999999999.999999');
  });
});
