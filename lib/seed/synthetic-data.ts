import type { TimeAggregation } from '@/lib/domain/aggregation';
import type { MeasureUnit } from '@/lib/domain/format';
import type { Direction } from '@/lib/domain/progress';
import type { ArithmeticRollup } from '@/lib/domain/rollup';
import type { SeedKpi } from './plan';

// The fixed vocabulary of the synthetic organization: KPI families, department names, people's names.

/** A family of KPIs sharing a measure unit, so any rollup inside it is valid. */
export type Family = {
  label: string;
  measureUnit: MeasureUnit;
  currency: string | null;
  decimals: number;
  timeAggregation: TimeAggregation;
  direction: Direction;
  rollups: readonly ArithmeticRollup[];
  /** Range of a leaf's monthly level. */
  base: readonly [number, number];
  category: SeedKpi['category'];
  indicator: SeedKpi['indicator'];
};

export const FAMILIES: readonly Family[] = [
  {
    label: 'Bookings',
    measureUnit: 'currency',
    currency: 'USD',
    decimals: 2,
    timeAggregation: 'sum',
    direction: 'increase',
    rollups: ['sum'],
    base: [2_000, 60_000],
    category: 'functional',
    indicator: 'lagging',
  },
  {
    label: 'Contract value',
    measureUnit: 'currency',
    currency: 'EUR',
    decimals: 0,
    timeAggregation: 'last',
    direction: 'increase',
    rollups: ['sum', 'max'],
    base: [10_000, 400_000],
    category: 'strategic',
    indicator: 'lagging',
  },
  {
    label: 'Qualified leads',
    measureUnit: 'count',
    currency: null,
    decimals: 0,
    timeAggregation: 'sum',
    direction: 'increase',
    rollups: ['sum', 'max', 'min'],
    base: [5, 400],
    category: 'operational',
    indicator: 'leading',
  },
  {
    label: 'Defects',
    measureUnit: 'count',
    currency: null,
    decimals: 0,
    timeAggregation: 'sum',
    direction: 'decrease',
    rollups: ['sum'],
    base: [1, 40],
    category: 'operational',
    indicator: 'lagging',
  },
  {
    label: 'Satisfaction',
    measureUnit: 'percent',
    currency: null,
    decimals: 1,
    timeAggregation: 'average',
    direction: 'increase',
    rollups: ['average', 'weighted_average', 'min'],
    base: [55, 95],
    category: 'functional',
    indicator: 'leading',
  },
  {
    label: 'Churn',
    measureUnit: 'percent',
    currency: null,
    decimals: 2,
    timeAggregation: 'average',
    direction: 'decrease',
    rollups: ['average', 'max'],
    base: [1, 10],
    category: 'functional',
    indicator: 'lagging',
  },
  {
    label: 'Cycle time (hours)',
    measureUnit: 'duration',
    currency: null,
    decimals: 1,
    timeAggregation: 'average',
    direction: 'decrease',
    rollups: ['average', 'max', 'weighted_average'],
    base: [2, 72],
    category: 'operational',
    indicator: 'lagging',
  },
  {
    label: 'Efficiency ratio',
    measureUnit: 'ratio',
    currency: null,
    decimals: 2,
    timeAggregation: 'last',
    direction: 'increase',
    rollups: ['average', 'weighted_average', 'min', 'max'],
    base: [0.5, 5],
    category: 'operational',
    indicator: 'leading',
  },
];

export const DEPARTMENTS = [
  'Sales',
  'Marketing',
  'Customer Success',
  'Finance',
  'Engineering',
  'IT',
  'People',
  'Operations',
  'Product',
  'Legal',
  'Procurement',
  'Data',
] as const;
export const FIRST_NAMES = [
  'Ada',
  'Ben',
  'Cara',
  'Dev',
  'Elif',
  'Finn',
  'Gita',
  'Hugo',
  'Ines',
  'Jon',
  'Kira',
  'Leo',
  'Maya',
  'Nils',
  'Omar',
  'Pia',
  'Quinn',
  'Rosa',
  'Sam',
  'Tara',
  'Uma',
  'Vik',
  'Wen',
  'Xavi',
  'Yara',
  'Zane',
] as const;
export const LAST_NAMES = [
  'Abbott',
  'Brandt',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Novak',
  'Okafor',
  'Patel',
  'Quist',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Ueda',
  'Varga',
  'Weber',
  'Xu',
  'Yilmaz',
  'Zimmer',
] as const;
export const WEIGHTS = ['0.5', '1', '1', '1.5', '2', '3'] as const;
