import { Dec, roundValue, sumDec, toDec, toPlainString } from '@/lib/domain/decimal';
import { dateParts } from '@/lib/domain/dates';

/**
 * Time aggregation: how the values observed inside one period combine into the period's value.
 * `sum` for flows (revenue), `last` for levels (MRR, headcount), `average` for rates (NPS).
 */
export type TimeAggregation = 'sum' | 'last' | 'average';

/** All time aggregations. */
export const TIME_AGGREGATIONS = [
  'sum',
  'last',
  'average',
] as const satisfies readonly TimeAggregation[];

/**
 * One check-in as the aggregation sees it: an exact decimal string, the org-local date it was
 * observed on, and the instant it was recorded (ISO timestamp, any offset; compared as instants,
 * sub-millisecond digits included).
 */
export type Sample = { value: string; observedOn: string; recordedAt: string };

/** A period value from samples plus how many samples went into it. */
export type SampleAggregate = { value: string | null; count: number };

const TIMESTAMP_FRACTION = /[T ]\d{2}:\d{2}:\d{2}\.(\d+)/;

/**
 * Orders two ISO timestamps as instants (-1, 0, 1). Offsets are honoured; digits beyond the
 * millisecond (Postgres keeps microseconds) break ties that `Date.parse` cannot see.
 */
export function compareInstants(a: string, b: string): -1 | 0 | 1 {
  const ms = (t: string): number => {
    const n = Date.parse(t);
    if (Number.isNaN(n)) throw new RangeError(`Not a timestamp: ${JSON.stringify(t)}`);
    return n;
  };
  const diff = ms(a) - ms(b);
  if (diff !== 0) return diff < 0 ? -1 : 1;
  const sub = (t: string): string =>
    (TIMESTAMP_FRACTION.exec(t)?.[1] ?? '').slice(3).padEnd(9, '0');
  const sa = sub(a);
  const sb = sub(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * The sample `last` picks: the latest `observedOn`, ties broken by the latest `recordedAt`; on a
 * complete tie the one later in the input wins (callers pass a stable order, such as by id).
 */
export function latestSample<S extends Sample>(samples: readonly S[]): S | undefined {
  let best: S | undefined;
  for (const s of samples) {
    dateParts(s.observedOn);
    if (
      best === undefined ||
      s.observedOn > best.observedOn ||
      (s.observedOn === best.observedOn && compareInstants(s.recordedAt, best.recordedAt) >= 0)
    ) {
      best = s;
    }
  }
  return best;
}

/**
 * Combines the check-ins dated inside one period. `sum` is exact, `last` takes the latest
 * sample (see `latestSample`), `average` is the exact sum divided by the count, rounded to
 * `VALUE_SCALE` places. No samples gives `{ value: null, count: 0 }`.
 */
export function aggregateSamples(
  method: TimeAggregation,
  samples: readonly Sample[],
): SampleAggregate {
  const count = samples.length;
  if (count === 0) return { value: null, count: 0 };
  if (method === 'last') {
    const latest = latestSample(samples);
    return { value: latest ? toPlainString(toDec(latest.value)) : null, count };
  }
  return {
    value: aggregateValues(
      method,
      samples.map((s) => s.value),
    ),
    count,
  };
}

/**
 * Combines a shorter-cadence child's period values inside one parent period (for example the
 * three monthly values of a quarter), given in chronological order: `sum` exact, `last` the last
 * value, `average` rounded to `VALUE_SCALE` places. An empty list gives null.
 */
export function aggregateValues(method: TimeAggregation, values: readonly string[]): string | null {
  const last = values[values.length - 1];
  if (last === undefined) return null;
  switch (method) {
    case 'sum':
      return toPlainString(sumDec(values));
    case 'last':
      return toPlainString(toDec(last));
    case 'average':
      return roundValue(sumDec(values).div(new Dec(values.length)));
  }
}
