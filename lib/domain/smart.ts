import { toDec } from './decimal';
import type { MeasureUnit } from './format';
import type { Cadence } from './periods';
import type { Direction } from './progress';
import type { RollupMethod } from './rollup';

/**
 * The SMART check of a KPI definition: specific, measurable, attainable, relevant, time-bound,
 * and owned. Pure: the caller passes what the KPI is and the values of its recent periods.
 */

export type SmartCriterion =
  'specific' | 'measurable' | 'attainable' | 'relevant' | 'time_bound' | 'owned';

export const SMART_CRITERIA: readonly SmartCriterion[] = [
  'specific',
  'measurable',
  'attainable',
  'relevant',
  'time_bound',
  'owned',
];

/** `unknown`: nothing to judge yet (no target, too little history); it does not fail the check. */
export type SmartState = 'met' | 'missing' | 'unknown';

/** Where a missing item is fixed: the edit control the checklist links to. */
export type SmartFix =
  'description' | 'measure' | 'checkin' | 'children' | 'target' | 'parent' | 'cadence' | 'owner';

export type SmartItem = {
  criterion: SmartCriterion;
  state: SmartState;
  label: string;
  detail: string;
  fix: SmartFix | null;
};

export type SmartResult = {
  items: SmartItem[];
  /** The criteria that are missing (in checklist order). */
  missing: SmartCriterion[];
  /** True when nothing is missing (unknown items do not count against it). */
  complete: boolean;
};

export type SmartInput = {
  description: string;
  measureUnit: MeasureUnit | null;
  currency: string | null;
  rollup: RollupMethod;
  cadence: Cadence | null;
  direction: Direction;
  /**
   * Values of the KPI's most recent periods of its cadence, oldest first, the current (open)
   * period last; null where a period has no value.
   */
  recentValues: readonly (string | null)[];
  /** Target of the current period (override or default), null when none. */
  currentTarget: string | null;
  parentId: string | null;
  isNorthStar: boolean;
  ownerUserId: string | null;
};

export const SMART_LABELS: Record<SmartCriterion, string> = {
  specific: 'Specific',
  measurable: 'Measurable',
  attainable: 'Attainable',
  relevant: 'Relevant',
  time_bound: 'Time-bound',
  owned: 'Owned',
};

/** A description shorter than this cannot say what is counted and how. */
export const MIN_DESCRIPTION_LENGTH = 15;
/** Values must have arrived in one of this many latest periods (the current one included). */
export const VALUE_WINDOW = 3;
/** Closed periods with a value needed before a target can be judged against history. */
export const MIN_HISTORY = 3;
/**
 * How far outside the recent range (lowest to highest value) a target may sit, as a share of the
 * range's magnitude: beyond it on the good side the target is out of reach, on the bad side it
 * asks for no progress. A target just under the range (an SLA kept with margin) is plausible.
 */
export const STRETCH = '0.5';

const PLACEHOLDERS = new Set(['tbd', 'todo', 'n/a', 'na', 'none', '-', '--', '...', 'tba', 'xxx']);

function item(
  criterion: SmartCriterion,
  state: SmartState,
  detail: string,
  fix: SmartFix | null = null,
): SmartItem {
  return { criterion, state, label: SMART_LABELS[criterion], detail, fix };
}

function specific(input: SmartInput): SmartItem {
  const text = input.description.trim();
  if (text === '' || PLACEHOLDERS.has(text.toLowerCase())) {
    return item(
      'specific',
      'missing',
      'Add a description: what is counted, how, and why it matters.',
      'description',
    );
  }
  if (text.length < MIN_DESCRIPTION_LENGTH) {
    return item(
      'specific',
      'missing',
      'The description is too short to say what is counted and how.',
      'description',
    );
  }
  return item('specific', 'met', 'Described.');
}

function measurable(input: SmartInput): SmartItem {
  if (input.measureUnit === null) {
    return item('measurable', 'missing', 'Choose a unit of measure.', 'measure');
  }
  if (input.measureUnit === 'currency' && !input.currency) {
    return item('measurable', 'missing', 'Choose the currency it is measured in.', 'measure');
  }
  const recent = input.recentValues.slice(-VALUE_WINDOW);
  if (recent.some((v) => v !== null)) return item('measurable', 'met', 'Values are arriving.');
  return input.rollup === 'manual'
    ? item(
        'measurable',
        'missing',
        `No value in the last ${VALUE_WINDOW} periods: record one.`,
        'checkin',
      )
    : item(
        'measurable',
        'missing',
        `No value in the last ${VALUE_WINDOW} periods: link KPIs that report into it.`,
        'children',
      );
}

function attainable(input: SmartInput): SmartItem {
  if (input.currentTarget === null) {
    return item('attainable', 'unknown', 'No target to judge yet.');
  }
  const history = input.recentValues.slice(0, -1).filter((v): v is string => v !== null);
  if (history.length < MIN_HISTORY) {
    return item(
      'attainable',
      'unknown',
      `Not enough history to judge the target yet (${history.length} of ${MIN_HISTORY} periods).`,
    );
  }
  const values = history.map(toDec);
  let lo = values[0]!;
  let hi = values[0]!;
  for (const v of values) {
    if (v.lt(lo)) lo = v;
    if (v.gt(hi)) hi = v;
  }
  const magnitude = [hi.abs(), lo.abs(), hi.minus(lo)].reduce((a, b) => (b.gt(a) ? b : a));
  if (magnitude.isZero()) {
    return item('attainable', 'unknown', 'Every recent value is zero: nothing to compare with.');
  }
  const allowance = magnitude.times(STRETCH);
  const target = toDec(input.currentTarget);
  const up = input.direction === 'increase';
  if (target.gt(hi.plus(allowance))) {
    return up
      ? item(
          'attainable',
          'missing',
          'The target is far above the best recent value: set one within reach.',
          'target',
        )
      : item(
          'attainable',
          'missing',
          'The target is far above every recent value: it asks for no progress.',
          'target',
        );
  }
  if (target.lt(lo.minus(allowance))) {
    return up
      ? item(
          'attainable',
          'missing',
          'The target is far below every recent value: it asks for no progress.',
          'target',
        )
      : item(
          'attainable',
          'missing',
          'The target is far below the best recent value: set one within reach.',
          'target',
        );
  }
  return item('attainable', 'met', 'The target is within reach of recent values.');
}

function relevant(input: SmartInput): SmartItem {
  if (input.isNorthStar) return item('relevant', 'met', 'A north star.');
  if (input.parentId !== null) return item('relevant', 'met', 'Rolls up into a parent KPI.');
  return item(
    'relevant',
    'missing',
    'Link it to the KPI it moves, or mark it as a north star.',
    'parent',
  );
}

function timeBound(input: SmartInput): SmartItem {
  if (input.cadence === null) {
    return item('time_bound', 'missing', 'Choose how often it is measured.', 'cadence');
  }
  if (input.currentTarget === null) {
    return item('time_bound', 'missing', 'Set a target for the current period.', 'target');
  }
  return item('time_bound', 'met', 'Has a cadence and a target for this period.');
}

function owned(input: SmartInput): SmartItem {
  return input.ownerUserId !== null
    ? item('owned', 'met', 'Has an owner.')
    : item('owned', 'missing', 'Name the person who answers for this number.', 'owner');
}

/** Runs every SMART rule on a KPI definition and its recent values. */
export function checkSmart(input: SmartInput): SmartResult {
  const items = [
    specific(input),
    measurable(input),
    attainable(input),
    relevant(input),
    timeBound(input),
    owned(input),
  ];
  const missing = items.filter((i) => i.state === 'missing').map((i) => i.criterion);
  return { items, missing, complete: missing.length === 0 };
}
