import { describe, expect, it } from 'vitest';
import {
  actorKeyNote,
  actorLabel,
  AUDIT_KINDS,
  MAX_VALUE_LENGTH,
  describeChanges,
  entityLabel,
  isAuditKind,
  kindOfAction,
  referencedIds,
  summarizeAction,
  valueText,
  type ChangeContext,
} from './audit-history';
import { zonedTimestamp } from './dates';

const usd: ChangeContext = {
  measure: { measureUnit: 'currency', currency: 'USD', decimals: 0 },
  cadence: 'month',
  fyStartMonth: 1,
  locale: 'en-US',
};

describe('kindOfAction', () => {
  it.each([
    ['kpi.update', 'kpis'],
    ['kpi.set_north_star', 'kpis'],
    ['commentary.create', 'kpis'],
    ['target.set', 'targets'],
    ['target.clear', 'targets'],
    ['checkin.create', 'checkins'],
    ['unit.move', 'units'],
    ['member.role_change', 'people'],
    ['invitation.create', 'people'],
    ['settings.kpi_limits', 'settings'],
    ['kpi_template.create', 'settings'],
    ['org.create', 'settings'],
    ['org.transfer', 'access'],
    ['apikey.revoke', 'access'],
    ['authz.denied', 'access'],
    ['report_share.create', 'access'],
    ['something.new', 'other'],
    ['kpi', 'other'],
  ])('%s is %s', (action, kind) => {
    expect(kindOfAction(action)).toBe(kind);
  });

  it('kpi_template.* is not a KPI change (the prefix needs its dot)', () => {
    expect(kindOfAction('kpi_template.delete')).toBe('settings');
  });

  it('knows its own kinds only', () => {
    for (const k of AUDIT_KINDS) expect(isAuditKind(k.kind)).toBe(true);
    expect(isAuditKind('other')).toBe(false);
    expect(isAuditKind('kpis; drop table')).toBe(false);
  });
});

describe('summarizeAction', () => {
  it('says what happened', () => {
    expect(summarizeAction('target.set', { target: '1' }, { target: '2' })).toBe(
      'changed the target',
    );
    expect(summarizeAction('target.set', null, { target: '2' })).toBe('set a target');
    expect(summarizeAction('checkin.create', null, {})).toBe('recorded a check-in');
    expect(summarizeAction('kpi.set_north_star', {}, { isNorthStar: false })).toBe(
      'removed the north-star mark',
    );
    expect(summarizeAction('kpi.set_north_star', {}, { isNorthStar: true })).toBe(
      'made the KPI a north star',
    );
    expect(summarizeAction('settings.locale', null, null)).toBe('changed the settings');
    expect(summarizeAction('weird.thing', null, null)).toBe('did weird.thing');
  });
});

describe('describeChanges', () => {
  it('a target change reads in the KPI unit with its period', () => {
    const changes = describeChanges(
      {
        action: 'target.set',
        before: { kpiId: 'k', periodStart: '2026-12-01', target: '100000' },
        after: { kpiId: 'k', periodStart: '2026-12-01', target: '120000' },
      },
      usd,
    );
    expect(changes).toEqual([
      { field: 'target', label: 'Target (Dec 2026)', before: '$100,000', after: '$120,000' },
    ]);
  });

  it('a new target has no before; a cleared one no after', () => {
    expect(
      describeChanges(
        { action: 'target.set', before: null, after: { periodStart: '2026-12-01', target: '5' } },
        usd,
      ),
    ).toEqual([{ field: 'target', label: 'Target (Dec 2026)', before: '—', after: '$5' }]);
    expect(
      describeChanges(
        { action: 'target.clear', before: { periodStart: '2026-12-01', target: '5' }, after: null },
        usd,
      ),
    ).toEqual([{ field: 'target', label: 'Target (Dec 2026)', before: '$5', after: '—' }]);
  });

  it('a period start of another cadence falls back to the day', () => {
    const [change] = describeChanges(
      { action: 'target.set', before: null, after: { periodStart: '2026-12-01', target: '5' } },
      { ...usd, cadence: 'quarter' },
    );
    expect(change?.label).toBe('Target (12/01/2026)');
  });

  it('an update lists only the fields that changed, skipping bookkeeping', () => {
    const names = new Map([
      ['u1', 'Ada Lovelace'],
      ['u2', 'Grace Hopper'],
    ]);
    const changes = describeChanges(
      {
        action: 'kpi.update',
        before: {
          id: 'k',
          version: 3,
          name: 'ARR',
          ownerUserId: 'u1',
          isNorthStar: false,
          defaultTarget: '10',
        },
        after: {
          id: 'k',
          version: 4,
          name: 'ARR',
          ownerUserId: 'u2',
          isNorthStar: true,
          defaultTarget: '12.5',
        },
      },
      { ...usd, measure: { measureUnit: 'percent', currency: null, decimals: 1 }, names },
    );
    expect(changes).toEqual([
      { field: 'ownerUserId', label: 'Owner', before: 'Ada Lovelace', after: 'Grace Hopper' },
      { field: 'isNorthStar', label: 'North star', before: 'no', after: 'yes' },
      { field: 'defaultTarget', label: 'Default target', before: '10.0%', after: '12.5%' },
    ]);
  });

  it('a check-in correction shows the value and date that changed', () => {
    const changes = describeChanges(
      {
        action: 'checkin.update',
        before: {
          id: 'c',
          kpiId: 'k',
          observedOn: '2026-11-30',
          value: '1200',
          note: '',
          version: 1,
        },
        after: {
          id: 'c',
          kpiId: 'k',
          observedOn: '2026-11-29',
          value: '1250',
          note: 'fixed',
          version: 2,
        },
      },
      usd,
    );
    expect(changes.map((c) => `${c.label}: ${c.before} → ${c.after}`)).toEqual([
      'Date: 11/30/2026 → 11/29/2026',
      'Value: $1,200 → $1,250',
      'Note: (empty) → fixed',
    ]);
  });

  it('a creation lists the fields it set, leaving out empty ones', () => {
    const changes = describeChanges(
      {
        action: 'checkin.create',
        before: null,
        after: {
          id: 'c',
          kpiId: 'k',
          observedOn: '2026-11-30',
          value: '7',
          note: '',
          source: 'csv',
        },
      },
      { fyStartMonth: 1, locale: 'en-US' },
    );
    expect(changes.map((c) => [c.label, c.before, c.after])).toEqual([
      ['Date', '—', '11/30/2026'],
      ['Value', '—', '7'],
      ['Source', '—', 'csv'],
    ]);
  });

  it('unknown fields show their key and JSON text; long values are cut', () => {
    const long = 'x'.repeat(500);
    const changes = describeChanges(
      {
        action: 'x.y',
        before: { mystery: { a: 1 }, text: 'short' },
        after: { mystery: { a: 2 }, text: long, list: [1, 2] },
      },
      { fyStartMonth: 1, locale: 'en-US' },
    );
    expect(changes[0]).toEqual({
      field: 'mystery',
      label: 'mystery',
      before: '{"a":1}',
      after: '{"a":2}',
    });
    expect(changes[1]!.after).toHaveLength(MAX_VALUE_LENGTH);
    expect(changes[1]!.after.endsWith('…')).toBe(true);
    expect(changes[2]).toEqual({ field: 'list', label: 'list', before: '—', after: '[1,2]' });
  });

  it('nulls, missing snapshots and non-object snapshots do not throw', () => {
    expect(
      describeChanges(
        { action: 'a', before: null, after: null },
        { fyStartMonth: 1, locale: 'en-US' },
      ),
    ).toEqual([]);
    expect(
      describeChanges(
        { action: 'a', before: undefined, after: undefined },
        { fyStartMonth: 1, locale: 'en-US' },
      ),
    ).toEqual([]);
    expect(
      describeChanges(
        { action: 'a', before: 'old', after: 'new' },
        { fyStartMonth: 1, locale: 'en-US' },
      ),
    ).toEqual([{ field: 'value', label: 'Value', before: 'old', after: 'new' }]);
    expect(
      describeChanges(
        { action: 'a', before: [1], after: [1] },
        { fyStartMonth: 1, locale: 'en-US' },
      ),
    ).toEqual([]);
    expect(
      describeChanges(
        { action: 'a', before: { v: null }, after: { v: 3 } },
        { fyStartMonth: 1, locale: 'en-US' },
      ),
    ).toEqual([{ field: 'v', label: 'v', before: '—', after: '3' }]);
  });

  it('an id without a name shows shortened; a non-decimal amount as text', () => {
    expect(valueText('unitId', '0123456789abcdef', { fyStartMonth: 1, locale: 'en-US' })).toBe(
      '#01234567',
    );
    expect(valueText('target', 'n/a', usd)).toBe('n/a');
    expect(valueText('target', 5, usd)).toBe('$5');
  });
});

describe('referencedIds and entityLabel', () => {
  it('collects the ids to name', () => {
    expect(
      referencedIds(
        { ownerUserId: 'a', name: 'x' },
        { ownerUserId: 'b', unitId: 'u', note: 'n' },
      ).sort(),
    ).toEqual(['a', 'b', 'u']);
    expect(referencedIds(null, 'text')).toEqual([]);
  });

  it('names what a record is about', () => {
    const names = new Map([
      ['u1', 'Sales'],
      ['p1', 'Ada'],
    ]);
    const label = (entityType: string, entityId: string, after: unknown = null) =>
      entityLabel({ entityType, entityId, before: null, after }, names);
    expect(label('unit', 'u1')).toBe('Unit Sales');
    expect(label('membership', 'p1')).toBe('Ada');
    expect(label('membership', 'p2', { email: 'b@x.test' })).toBe('b@x.test');
    expect(label('organization', 'o')).toBe('The organization');
    expect(label('api_key', 'k', { name: 'CRM' })).toBe('API key CRM');
    expect(label('attempt', 'kpis.write')).toBe('Attempt: kpis.write');
    expect(label('thing', 'id')).toBe('thing id');
  });
});

describe('zonedTimestamp', () => {
  it('writes the wall clock of the zone with its offset', () => {
    const instant = new Date('2026-12-05T15:03:21.789Z');
    expect(zonedTimestamp(instant, 'UTC')).toBe('2026-12-05T15:03:21+00:00');
    expect(zonedTimestamp(instant, 'Europe/Berlin')).toBe('2026-12-05T16:03:21+01:00');
    expect(zonedTimestamp(instant, 'America/New_York')).toBe('2026-12-05T10:03:21-05:00');
    expect(zonedTimestamp(instant, 'Asia/Kolkata')).toBe('2026-12-05T20:33:21+05:30');
    expect(zonedTimestamp(new Date('2026-07-01T00:00:00Z'), 'Europe/Berlin')).toBe(
      '2026-07-01T02:00:00+02:00',
    );
  });
});

describe('actorLabel', () => {
  it('names the person, System without one, and the API key a write came through', () => {
    expect(actorLabel({ name: 'Ada', apiKey: null })).toBe('Ada');
    expect(actorLabel({ name: null, apiKey: null })).toBe('System');
    expect(actorLabel({ name: 'Ada', apiKey: 'CRM sync' })).toBe('Ada (API key “CRM sync”)');
    expect(actorKeyNote({ apiKey: 'CRM sync' })).toBe(' (API key “CRM sync”)');
    expect(actorKeyNote({ apiKey: null })).toBe('');
  });
});
