import { formatDay } from './dates';
import { formatValue, type MeasureUnit } from './format';
import { periodLabel, type Cadence } from './periods';

/*
 * History you can read: an audit record's before/after snapshots as the changes a person reads
 * ("Target (Dec 2026): 100,000 USD → 120,000 USD"), a one-line summary per action, and the
 * families of actions the history filters by. Pure: names of the people, units and KPIs a record
 * points at come in from the caller.
 */

/** Families of actions, as the history filters them. */
export type AuditKind =
  'kpis' | 'targets' | 'checkins' | 'units' | 'people' | 'settings' | 'access' | 'other';

/**
 * Each filterable family with the actions it holds: `x.` is every action starting so, anything
 * else one action exactly. The first family that matches an action is its kind.
 */
export const AUDIT_KINDS: readonly {
  kind: Exclude<AuditKind, 'other'>;
  label: string;
  actions: readonly string[];
}[] = [
  { kind: 'kpis', label: 'KPIs', actions: ['kpi.', 'commentary.'] },
  { kind: 'targets', label: 'Targets', actions: ['target.'] },
  { kind: 'checkins', label: 'Check-ins', actions: ['checkin.'] },
  { kind: 'units', label: 'Units', actions: ['unit.'] },
  { kind: 'people', label: 'People', actions: ['member.', 'invitation.'] },
  {
    kind: 'settings',
    label: 'Settings',
    actions: ['settings.', 'kpi_template.', 'sql_source.', 'org.create'],
  },
  {
    kind: 'access',
    label: 'Access',
    actions: ['apikey.', 'report_share.', 'authz.', 'org.transfer'],
  },
];

const KIND_VALUES = new Set<string>(AUDIT_KINDS.map((k) => k.kind));

/** True for a kind the history can filter by (URL input). */
export function isAuditKind(value: string): value is Exclude<AuditKind, 'other'> {
  return KIND_VALUES.has(value);
}

function matches(action: string, pattern: string): boolean {
  return pattern.endsWith('.') ? action.startsWith(pattern) : action === pattern;
}

/** The family an action belongs to (`other` for an action no family names). */
export function kindOfAction(action: string): AuditKind {
  return AUDIT_KINDS.find((k) => k.actions.some((p) => matches(action, p)))?.kind ?? 'other';
}

/** The label of a kind ("Check-ins"). */
export function kindLabel(kind: AuditKind): string {
  return AUDIT_KINDS.find((k) => k.kind === kind)?.label ?? 'Other';
}

function record(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

const SUMMARIES: Record<string, string> = {
  'kpi.create': 'created the KPI',
  'kpi.update': 'edited the KPI',
  'kpi.archive': 'archived the KPI',
  'kpi.link': 'linked the KPI under a parent',
  'kpi.unlink': 'unlinked the KPI from its parent',
  'kpi.lead_add': 'linked a leading indicator',
  'kpi.lead_remove': 'removed a leading indicator link',
  'kpi.assign_owner': 'changed the owner',
  'kpi.formula_input_replace': 'replaced an input of the formula',
  'kpi.sql_pull_save': 'set up a pull from a SQL source',
  'kpi.sql_pull_delete': 'stopped the pull from a SQL source',
  'sql_source.create': 'registered a SQL source',
  'sql_source.delete': 'deleted a SQL source',
  'target.clear': 'cleared the target',
  'checkin.create': 'recorded a check-in',
  'checkin.update': 'corrected a check-in',
  'checkin.delete': 'deleted a check-in',
  'commentary.create': 'wrote a commentary',
  'unit.create': 'created a unit',
  'unit.rename': 'renamed a unit',
  'unit.move': 'moved a unit',
  'unit.archive': 'archived a unit',
  'unit.set_lead': 'changed a unit lead',
  'member.role_change': 'changed a role',
  'member.home_unit_change': 'changed a home unit',
  'member.remove': 'removed a member',
  'member.join': 'joined the organization',
  'invitation.create': 'invited someone',
  'invitation.revoke': 'revoked an invitation',
  'settings.kpi_limits': 'changed the KPI limits',
  'settings.reminders': 'changed the check-in reminders',
  'kpi_template.create': 'saved a KPI template',
  'kpi_template.delete': 'removed a KPI template',
  'apikey.create': 'created an API key',
  'apikey.revoke': 'revoked an API key',
  'report_share.create': 'shared a report',
  'report_share.revoke': 'revoked a report link',
  'org.create': 'created the organization',
  'org.transfer': 'transferred ownership',
  'authz.denied': 'was refused',
};

/** One line saying what an audit record did ("changed the target", "recorded a check-in"). */
export function summarizeAction(action: string, before: unknown, after: unknown): string {
  if (action === 'target.set') return before === null ? 'set a target' : 'changed the target';
  if (action === 'kpi.set_north_star') {
    return record(after)?.isNorthStar === false
      ? 'removed the north-star mark'
      : 'made the KPI a north star';
  }
  const known = SUMMARIES[action];
  if (known) return known;
  if (action.startsWith('settings.')) return 'changed the settings';
  return `did ${action}`;
}

/** Fields a person reads under another name. Anything else shows under its key. */
const LABELS: Record<string, string> = {
  name: 'Name',
  query: 'Query',
  schedule: 'Pull',
  sourceId: 'SQL source',
  host: 'Host',
  database: 'Database',
  key: 'Key',
  description: 'Description',
  unitId: 'Unit',
  ownerUserId: 'Owner',
  parentId: 'Parent KPI',
  isIndividual: 'Individual',
  measureUnit: 'Measure',
  currency: 'Currency',
  decimals: 'Decimals',
  direction: 'Direction',
  cadence: 'Cadence',
  timeAggregation: 'Time aggregation',
  rollup: 'Rollup',
  formula: 'Formula',
  missingPolicy: 'Missing inputs',
  weight: 'Weight',
  baseline: 'Baseline',
  defaultTarget: 'Default target',
  validMin: 'Valid from',
  validMax: 'Valid to',
  category: 'Category',
  indicator: 'Indicator',
  isNorthStar: 'North star',
  archivedOn: 'Archived on',
  archived: 'Archived',
  target: 'Target',
  value: 'Value',
  observedOn: 'Date',
  note: 'Note',
  source: 'Source',
  role: 'Role',
  homeUnitId: 'Home unit',
  leadUserId: 'Lead',
  kind: 'Kind',
  email: 'Email',
  perUnit: 'KPI limit per unit',
  perPerson: 'KPI limit per person',
  daysBefore: 'Reminder days before the period ends',
  graceDays: 'Grace days after the period',
  analysis: 'Analysis',
  nextAction: 'Next action',
  actionOwnerUserId: 'Action owner',
  actionDueOn: 'Action due',
  reason: 'Reason',
  removedTargets: 'Removed targets',
  title: 'Title',
  expiresAt: 'Expires',
};

/** Values that are amounts in the KPI's measure. */
const MEASURED = new Set(['target', 'defaultTarget', 'baseline', 'validMin', 'validMax', 'value']);
/** Values that are the id of a person, a unit or a KPI. */
const REFERENCES = new Set([
  'unitId',
  'ownerUserId',
  'parentId',
  'homeUnitId',
  'leadUserId',
  'actionOwnerUserId',
  'rootUnitId',
]);
/** Values that are calendar dates. */
const DATES = new Set(['observedOn', 'archivedOn', 'actionDueOn', 'periodStart']);
/** Bookkeeping that is never a change a person made. */
const IGNORED = new Set([
  'id',
  'version',
  'kpiId',
  'orgId',
  'createdAt',
  'updatedAt',
  'authorUserId',
  'periodStart',
  'revision',
  'sortOrder',
  'requestId',
]);

/** Longest value text shown before it is cut with an ellipsis. */
export const MAX_VALUE_LENGTH = 120;

function truncate(text: string): string {
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** A readable change of one field of one audit record. */
export type AuditChange = { field: string; label: string; before: string; after: string };

/** What the caller knows around a record: its KPI's measure and cadence, names of ids. */
export type ChangeContext = {
  measure?: { measureUnit: MeasureUnit; currency: string | null; decimals: number } | null;
  cadence?: Cadence | null;
  fyStartMonth: number;
  /** The organization's locale: amounts and days are written its way. */
  locale: string;
  /** Names of people, units and KPIs by id (an id without a name shows shortened). */
  names?: ReadonlyMap<string, string>;
};

const DECIMAL = /^-?\d+(\.\d+)?$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One value as text: `—` for none, amounts in the KPI's measure, names for ids, JSON else. */
export function valueText(field: string, value: unknown, context: ChangeContext): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') {
    if (MEASURED.has(field) && context.measure && DECIMAL.test(value)) {
      return formatValue(value, context.measure, context.locale);
    }
    if (REFERENCES.has(field)) return context.names?.get(value) ?? `#${value.slice(0, 8)}`;
    if (DATES.has(field) && ISO_DAY.test(value)) return formatDay(value, context.locale);
    return value === '' ? '(empty)' : truncate(value.replace(/\s+/g, ' '));
  }
  if (typeof value === 'number') {
    return MEASURED.has(field) && context.measure && Number.isFinite(value)
      ? formatValue(String(value), context.measure, context.locale)
      : String(value);
  }
  return truncate(JSON.stringify(value) ?? String(value));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Worth listing when a record is created or removed (no before or no after). */
function meaningful(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === false) return false;
  return !(Array.isArray(value) && value.length === 0);
}

function labelOf(field: string, snapshot: Record<string, unknown>, context: ChangeContext): string {
  const label = LABELS[field] ?? field;
  const start = snapshot.periodStart;
  if (field !== 'target' || typeof start !== 'string' || !ISO_DAY.test(start)) return label;
  let period = formatDay(start, context.locale);
  if (context.cadence) {
    try {
      period = periodLabel(start, context.cadence, context.fyStartMonth, context.locale);
    } catch {
      // Not the start of a period of this cadence (the cadence changed since): the day it is.
    }
  }
  return `${label} (${period})`;
}

/**
 * The readable changes of one audit record: for an update the fields whose value differs
 * (before → after), for a creation or removal the fields it had. Known fields get labels and
 * values in the KPI's measure; unknown ones their key and JSON text; long values are cut.
 * A snapshot that is not an object is compared whole, as `Value`.
 */
export function describeChanges(
  entry: { action: string; before: unknown; after: unknown },
  context: ChangeContext,
): AuditChange[] {
  const before = record(entry.before);
  const after = record(entry.after);
  const wholeBefore = entry.before !== null && entry.before !== undefined && !before;
  const wholeAfter = entry.after !== null && entry.after !== undefined && !after;
  if (wholeBefore || wholeAfter) {
    if (same(entry.before, entry.after)) return [];
    return [
      {
        field: 'value',
        label: 'Value',
        before: valueText('', entry.before, context),
        after: valueText('', entry.after, context),
      },
    ];
  }
  const snapshot = { ...before, ...after };
  const fields = [...new Set([...Object.keys(after ?? {}), ...Object.keys(before ?? {})])];
  const changes: AuditChange[] = [];
  for (const field of fields) {
    if (IGNORED.has(field)) continue;
    const was = before?.[field];
    const is = after?.[field];
    if (before && after ? same(was, is) : !meaningful(before ? was : is)) continue;
    changes.push({
      field,
      label: labelOf(field, snapshot, context),
      before: valueText(field, was, context),
      after: valueText(field, is, context),
    });
  }
  return changes;
}

/** The ids of people, units and KPIs a record's snapshots point at (for the caller to name). */
export function referencedIds(before: unknown, after: unknown): string[] {
  const ids = new Set<string>();
  for (const snapshot of [record(before), record(after)]) {
    for (const [field, value] of Object.entries(snapshot ?? {})) {
      if (REFERENCES.has(field) && typeof value === 'string') ids.add(value);
    }
  }
  return [...ids];
}

/**
 * What a record that is not about a KPI is about, in words: a unit's or a person's name, a key's
 * or a template's name, an invitation's address, the refused attempt, or the organization.
 */
export function entityLabel(
  entry: { entityType: string; entityId: string; before: unknown; after: unknown },
  names: ReadonlyMap<string, string>,
): string {
  const snapshot = { ...record(entry.before), ...record(entry.after) };
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? truncate(v) : null);
  switch (entry.entityType) {
    case 'unit':
      return `Unit ${names.get(entry.entityId) ?? text(snapshot.name) ?? `#${entry.entityId.slice(0, 8)}`}`;
    case 'membership':
      return names.get(entry.entityId) ?? text(snapshot.name) ?? text(snapshot.email) ?? 'A person';
    case 'organization':
      return 'The organization';
    case 'invitation':
      return `Invitation ${text(snapshot.email) ?? ''}`.trim();
    case 'api_key':
      return `API key ${text(snapshot.name) ?? ''}`.trim();
    case 'kpi_template':
      return `Template ${text(snapshot.name) ?? ''}`.trim();
    case 'sql_source':
      return `SQL source ${text(snapshot.name) ?? ''}`.trim();
    case 'report_share':
      return `Report link ${text(snapshot.title) ?? ''}`.trim();
    case 'attempt':
      return `Attempt: ${truncate(entry.entityId)}`;
    default:
      return truncate(`${entry.entityType} ${entry.entityId}`);
  }
}

/** Who made a change, in words: the person (`System` without one), and the API key it came through. */
export function actorLabel(actor: { name: string | null; apiKey: string | null }): string {
  return `${actor.name ?? 'System'}${actorKeyNote(actor)}`;
}

/** What actorLabel adds after the person: the API key the change came through, or nothing. */
export function actorKeyNote(actor: { apiKey: string | null }): string {
  return actor.apiKey === null ? '' : ` (API key “${actor.apiKey}”)`;
}
