import type { TimeAggregation } from './aggregation';
import type { MeasureUnit } from './format';
import type { Cadence } from './periods';
import type { Direction } from './progress';

/**
 * The built-in KPI template library, grouped by department, and the search over it and an
 * organization's own templates. A template is a KPI definition without unit, owner, parent or
 * target: choosing one pre-fills the new KPI form. Pure data and functions. Templates carry no
 * rollup (an organization's own templates are rows without one), so the formula templates
 * (conversion rate, gross margin, CAC, LTV:CAC, runway) give their formula as text in the
 * description: `FORMULA_IN_DESCRIPTION` finds it.
 */

/** The formula a template's description suggests, in backquotes after "formula KPI". */
export const FORMULA_IN_DESCRIPTION = /formula KPI[^`]*`([^`]+)`/;

/**
 * The formula a template suggests (its example keys are placeholders for the organization's
 * own), or null: choosing such a template opens the form with rollup Formula and this text.
 */
export function templateFormula(template: Pick<KpiTemplate, 'description'>): string | null {
  return FORMULA_IN_DESCRIPTION.exec(template.description)?.[1] ?? null;
}

export const TEMPLATE_DEPARTMENTS = [
  'executive',
  'saas',
  'sales',
  'marketing',
  'customer_service',
  'finance',
  'people',
  'engineering',
  'product',
] as const;
export type TemplateDepartment = (typeof TEMPLATE_DEPARTMENTS)[number];

export const DEPARTMENT_LABELS: Record<TemplateDepartment, string> = {
  executive: 'Executive',
  saas: 'SaaS',
  sales: 'Sales',
  marketing: 'Marketing',
  customer_service: 'Customer service',
  finance: 'Finance',
  people: 'People',
  engineering: 'IT & engineering',
  product: 'Product',
};

export type KpiTemplate = {
  /** `builtin:<slug>` for the library, the row id for an organization's own templates. */
  id: string;
  source: 'builtin' | 'org';
  department: TemplateDepartment;
  name: string;
  description: string;
  measureUnit: MeasureUnit;
  currency: string | null;
  decimals: number;
  direction: Direction;
  cadence: Cadence;
  timeAggregation: TimeAggregation;
  category: 'strategic' | 'operational' | 'functional';
  indicator: 'leading' | 'lagging';
};

type Def = Omit<KpiTemplate, 'id' | 'source' | 'department' | 'currency' | 'decimals'> & {
  slug: string;
  currency?: string;
  decimals?: number;
};

const up = 'increase' as const;
const down = 'decrease' as const;
const usd = { measureUnit: 'currency', currency: 'USD' } as const;
const pct = { measureUnit: 'percent', decimals: 1 } as const;
const count = { measureUnit: 'count' } as const;
const ratio = { measureUnit: 'ratio', decimals: 2 } as const;
const dur = { measureUnit: 'duration', decimals: 1 } as const;
const flow = { cadence: 'month', timeAggregation: 'sum' } as const;
const level = { cadence: 'month', timeAggregation: 'last' } as const;
const rate = { cadence: 'month', timeAggregation: 'average' } as const;

const LIBRARY: Record<TemplateDepartment, Def[]> = {
  executive: [
    {
      slug: 'net-profit-margin',
      name: 'Net profit margin',
      description: 'Net profit as a share of revenue for the period, from the closed books.',
      ...pct,
      direction: up,
      ...level,
      cadence: 'quarter',
      category: 'strategic',
      indicator: 'lagging',
    },
    {
      slug: 'revenue-growth',
      name: 'Revenue growth rate',
      description: 'Revenue of the period compared with the same period last year, in percent.',
      ...pct,
      direction: up,
      ...level,
      cadence: 'quarter',
      category: 'strategic',
      indicator: 'lagging',
    },
    {
      slug: 'ltv-cac',
      name: 'LTV to CAC ratio',
      description:
        'Customer lifetime value divided by the cost of acquiring a customer; 3 or more is healthy. Can be a formula KPI (rollup Formula, with your own keys): `finance.ltv / marketing.cac`.',
      ...ratio,
      direction: up,
      ...level,
      cadence: 'quarter',
      category: 'strategic',
      indicator: 'lagging',
    },
    {
      slug: 'cac-payback',
      name: 'CAC payback (months)',
      description: 'Months of gross margin a new customer needs to repay what acquiring them cost.',
      ...dur,
      direction: down,
      ...level,
      cadence: 'quarter',
      category: 'strategic',
      indicator: 'lagging',
    },
    {
      slug: 'debt-to-equity',
      name: 'Debt-to-equity ratio',
      description: 'Total liabilities divided by shareholder equity at the end of the period.',
      ...ratio,
      direction: down,
      ...level,
      cadence: 'quarter',
      category: 'strategic',
      indicator: 'lagging',
    },
  ],
  saas: [
    {
      slug: 'arr',
      name: 'Annual recurring revenue (ARR)',
      description: 'Contracted recurring revenue, annualized, at the end of the month.',
      ...usd,
      direction: up,
      ...level,
      category: 'strategic',
      indicator: 'lagging',
    },
    {
      slug: 'mrr',
      name: 'Monthly recurring revenue (MRR)',
      description: 'Recurring revenue billed per month at the end of the month, from billing.',
      ...usd,
      direction: up,
      ...level,
      category: 'strategic',
      indicator: 'lagging',
    },
    {
      slug: 'new-mrr',
      name: 'New MRR',
      description: 'MRR added by customers who signed this month, summed over the deals.',
      ...usd,
      direction: up,
      ...flow,
      category: 'operational',
      indicator: 'lagging',
    },
    {
      slug: 'arpa',
      name: 'Average revenue per account (ARPA)',
      description: 'MRR divided by the number of paying accounts at the end of the month.',
      ...usd,
      direction: up,
      ...level,
      category: 'operational',
      indicator: 'lagging',
    },
    {
      slug: 'revenue-churn',
      name: 'Revenue churn rate',
      description:
        'MRR lost to cancellations and downgrades as a share of MRR at the start of the month.',
      ...pct,
      direction: down,
      ...rate,
      category: 'strategic',
      indicator: 'lagging',
    },
    {
      slug: 'nrr',
      name: 'Net revenue retention',
      description: 'Revenue kept and grown from existing customers over twelve months, in percent.',
      ...pct,
      direction: up,
      ...level,
      cadence: 'quarter',
      category: 'strategic',
      indicator: 'lagging',
    },
  ],
  sales: [
    {
      slug: 'new-inbound-leads',
      name: 'New inbound leads',
      description: 'Leads that came in through the website, events and referrals this month.',
      ...count,
      direction: up,
      ...flow,
      category: 'operational',
      indicator: 'leading',
    },
    {
      slug: 'qualified-opportunities',
      name: 'Qualified opportunities',
      description: 'Opportunities that passed qualification this month, from every source.',
      ...count,
      direction: up,
      ...flow,
      category: 'operational',
      indicator: 'leading',
    },
    {
      slug: 'pipeline-value',
      name: 'Pipeline value',
      description: 'Value of open opportunities at the latest pipeline review.',
      ...usd,
      direction: up,
      ...level,
      category: 'operational',
      indicator: 'leading',
    },
    {
      slug: 'sales-volume',
      name: 'Sales volume',
      description: 'Value of deals closed won this month, at contract value.',
      ...usd,
      direction: up,
      ...flow,
      category: 'functional',
      indicator: 'lagging',
    },
    {
      slug: 'average-deal-size',
      name: 'Average deal size',
      description: 'Contract value of closed-won deals divided by their number, per month.',
      ...usd,
      direction: up,
      ...rate,
      category: 'functional',
      indicator: 'lagging',
    },
    {
      slug: 'close-rate',
      name: 'Close rate',
      description: 'Opportunities won as a share of opportunities closed (won or lost) this month.',
      ...pct,
      direction: up,
      ...rate,
      category: 'functional',
      indicator: 'lagging',
    },
    {
      slug: 'lead-to-win',
      name: 'Lead-to-win rate',
      description: 'Share of the leads created in the period that became customers.',
      ...pct,
      direction: up,
      ...rate,
      cadence: 'quarter',
      category: 'functional',
      indicator: 'lagging',
    },
    {
      slug: 'pipeline-velocity',
      name: 'Pipeline velocity (per day)',
      description: 'Opportunities x win rate x deal size, divided by the sales cycle in days.',
      ...usd,
      direction: up,
      ...level,
      category: 'operational',
      indicator: 'leading',
    },
  ],
  marketing: [
    {
      slug: 'mqls',
      name: 'Marketing-qualified leads (MQLs)',
      description: 'Leads that reached the MQL score this month, from every channel.',
      ...count,
      direction: up,
      ...flow,
      category: 'operational',
      indicator: 'leading',
    },
    {
      slug: 'sqls',
      name: 'Sales-qualified leads (SQLs)',
      description: 'MQLs that sales accepted as worth pursuing this month.',
      ...count,
      direction: up,
      ...flow,
      category: 'operational',
      indicator: 'leading',
    },
    {
      slug: 'conversion-rate',
      name: 'MQL-to-SQL conversion rate',
      description:
        'SQLs as a share of the MQLs handed to sales in the month. Can be a formula KPI (rollup Formula, with your own keys): `marketing.sqls / marketing.mqls * 100`.',
      ...pct,
      direction: up,
      ...rate,
      category: 'functional',
      indicator: 'leading',
    },
    {
      slug: 'cac',
      name: 'Customer acquisition cost (CAC)',
      description:
        'Sales and marketing spend divided by the new customers won in the month. Can be a formula KPI (rollup Formula, with your own keys): `(marketing.spend + sales.spend) / sales.new_customers`.',
      ...usd,
      direction: down,
      ...rate,
      category: 'functional',
      indicator: 'lagging',
    },
    {
      slug: 'cost-per-lead',
      name: 'Cost per lead',
      description: 'Marketing spend of the month divided by the new leads it brought in.',
      ...usd,
      direction: down,
      ...rate,
      category: 'functional',
      indicator: 'leading',
    },
    {
      slug: 'roas',
      name: 'Return on ad spend',
      description: 'Revenue attributed to paid campaigns divided by their spend.',
      ...ratio,
      direction: up,
      ...rate,
      category: 'functional',
      indicator: 'lagging',
    },
    {
      slug: 'website-traffic',
      name: 'Website visitors',
      description: 'Unique visitors to the website this month, from web analytics.',
      ...count,
      direction: up,
      ...flow,
      category: 'operational',
      indicator: 'leading',
    },
    {
      slug: 'blog-articles',
      name: 'Blog articles published',
      description: 'Articles published on the blog this month, one check-in per article.',
      ...count,
      direction: up,
      ...flow,
      category: 'operational',
      indicator: 'leading',
    },
  ],
  customer_service: [
    {
      slug: 'first-contact-resolution',
      name: 'First-contact resolution',
      description: 'Share of support conversations solved in the first reply, per month.',
      ...pct,
      direction: up,
      ...rate,
      category: 'operational',
      indicator: 'leading',
    },
    {
      slug: 'first-response-time',
      name: 'Average first response time (minutes)',
      description:
        'Minutes from a new conversation to the first human reply, averaged over the month.',
      ...dur,
      direction: down,
      ...rate,
      category: 'operational',
      indicator: 'leading',
    },
    {
      slug: 'csat',
      name: 'Customer satisfaction (CSAT)',
      description: 'Share of survey answers rating the support 4 or 5 out of 5.',
      ...pct,
      direction: up,
      ...rate,
      category: 'functional',
      indicator: 'lagging',
    },
    {
      slug: 'nps',
      name: 'Net Promoter Score (NPS)',
      description: 'Promoters minus detractors from the quarterly survey, from -100 to 100.',
      measureUnit: 'count',
      decimals: 0,
      direction: up,
      ...level,
      cadence: 'quarter',
      category: 'strategic',
      indicator: 'leading',
    },
    {
      slug: 'customer-effort',
      name: 'Customer effort score',
      description:
        'Average answer to "how easy was it to get help?" on a 1 to 7 scale (lower is easier).',
      ...ratio,
      direction: down,
      ...rate,
      category: 'functional',
      indicator: 'leading',
    },
    {
      slug: 'cost-per-conversation',
      name: 'Cost per conversation',
      description: 'Support cost of the month divided by the conversations handled.',
      ...usd,
      direction: down,
      ...rate,
      category: 'functional',
      indicator: 'lagging',
    },
  ],
  finance: [
    {
      slug: 'gross-margin',
      name: 'Gross margin',
      description:
        'Revenue minus cost of revenue, as a share of revenue, per month. Can be a formula KPI (rollup Formula, with your own keys): `(finance.revenue - finance.cost_of_revenue) / finance.revenue * 100`.',
      ...pct,
      direction: up,
      ...level,
      category: 'strategic',
      indicator: 'lagging',
    },
    {
      slug: 'operating-margin',
      name: 'Operating margin',
      description: 'Operating income as a share of revenue for the period.',
      ...pct,
      direction: up,
      ...level,
      cadence: 'quarter',
      category: 'strategic',
      indicator: 'lagging',
    },
    {
      slug: 'opex-ratio',
      name: 'Operating expense ratio',
      description: 'Operating expenses as a share of revenue, per month.',
      ...pct,
      direction: down,
      ...level,
      category: 'functional',
      indicator: 'lagging',
    },
    {
      slug: 'net-burn',
      name: 'Net burn',
      description: 'Cash out minus cash in over the month, from the bank accounts.',
      ...usd,
      direction: down,
      ...flow,
      category: 'functional',
      indicator: 'lagging',
    },
    {
      slug: 'cash-runway',
      name: 'Cash runway (months)',
      description:
        'Cash on hand divided by the average net burn of the last three months. Can be a formula KPI (rollup Formula, with your own keys): `finance.cash / ((finance.net_burn + prev(finance.net_burn) + prev(finance.net_burn, 2)) / 3)`.',
      ...dur,
      direction: up,
      ...level,
      category: 'strategic',
      indicator: 'leading',
    },
    {
      slug: 'working-capital',
      name: 'Working capital ratio',
      description: 'Current assets divided by current liabilities at the end of the month.',
      ...ratio,
      direction: up,
      ...level,
      category: 'functional',
      indicator: 'lagging',
    },
  ],
  people: [
    {
      slug: 'turnover',
      name: 'Employee turnover rate',
      description: 'People who left in the month as a share of the average headcount.',
      ...pct,
      direction: down,
      ...rate,
      category: 'functional',
      indicator: 'lagging',
    },
    {
      slug: 'time-to-hire',
      name: 'Time to hire (days)',
      description:
        'Days from a job opening to an accepted offer, averaged over the hires of the month.',
      ...dur,
      direction: down,
      ...rate,
      category: 'functional',
      indicator: 'leading',
    },
    {
      slug: 'cost-per-hire',
      name: 'Cost per hire',
      description: 'Recruiting spend of the month divided by the hires who started in it.',
      ...usd,
      direction: down,
      ...rate,
      category: 'functional',
      indicator: 'lagging',
    },
    {
      slug: 'employee-satisfaction',
      name: 'Employee satisfaction (eNPS)',
      description: 'Promoters minus detractors from the quarterly pulse survey, from -100 to 100.',
      measureUnit: 'count',
      decimals: 0,
      direction: up,
      ...level,
      cadence: 'quarter',
      category: 'strategic',
      indicator: 'leading',
    },
    {
      slug: 'training-hours',
      name: 'Training hours per person',
      description: 'Hours of training completed this month divided by the headcount.',
      ...dur,
      direction: up,
      ...flow,
      category: 'operational',
      indicator: 'leading',
    },
  ],
  engineering: [
    {
      slug: 'downtime',
      name: 'System downtime (minutes)',
      description:
        'Minutes a customer-facing system was unavailable this month, from the status page.',
      ...dur,
      direction: down,
      ...flow,
      category: 'operational',
      indicator: 'lagging',
    },
    {
      slug: 'tickets-resolved',
      name: 'Tickets resolved',
      description: 'Support and IT tickets closed as resolved this month.',
      ...count,
      direction: up,
      ...flow,
      category: 'operational',
      indicator: 'lagging',
    },
    {
      slug: 'reopened-tickets',
      name: 'Reopened tickets',
      description: 'Tickets reopened after being marked resolved, this month.',
      ...count,
      direction: down,
      ...flow,
      category: 'operational',
      indicator: 'leading',
    },
    {
      slug: 'resolution-time',
      name: 'Resolution time (hours)',
      description: 'Hours from a ticket being opened to resolved, averaged over the month.',
      ...dur,
      direction: down,
      ...rate,
      category: 'operational',
      indicator: 'lagging',
    },
    {
      slug: 'features-shipped',
      name: 'Features shipped',
      description: 'Customer-visible features released to everyone this month.',
      ...count,
      direction: up,
      ...flow,
      category: 'functional',
      indicator: 'leading',
    },
    {
      slug: 'critical-bugs',
      name: 'Critical bugs opened',
      description: 'Bugs opened at critical severity this month, from the issue tracker.',
      ...count,
      direction: down,
      ...flow,
      category: 'operational',
      indicator: 'leading',
    },
    {
      slug: 'it-cost-revenue',
      name: 'IT cost vs revenue',
      description: 'IT and infrastructure spend as a share of revenue, per month.',
      ...pct,
      direction: down,
      ...level,
      category: 'functional',
      indicator: 'lagging',
    },
  ],
  product: [
    {
      slug: 'dau',
      name: 'Daily active users',
      description: 'People who used the product on a day, averaged over the days of the month.',
      ...count,
      direction: up,
      ...rate,
      category: 'strategic',
      indicator: 'leading',
    },
    {
      slug: 'feature-adoption',
      name: 'Feature adoption',
      description: 'Share of active accounts that used the feature at least once in the month.',
      ...pct,
      direction: up,
      ...level,
      category: 'functional',
      indicator: 'leading',
    },
    {
      slug: 'activation-rate',
      name: 'Activation rate',
      description: 'Share of new sign-ups who reach the first moment of value within 7 days.',
      ...pct,
      direction: up,
      ...rate,
      category: 'operational',
      indicator: 'leading',
    },
    {
      slug: 'product-nps',
      name: 'Product NPS',
      description: 'Promoters minus detractors from the in-app survey, from -100 to 100.',
      measureUnit: 'count',
      decimals: 0,
      direction: up,
      ...level,
      cadence: 'quarter',
      category: 'functional',
      indicator: 'leading',
    },
  ],
};

/** Every built-in template, in library order. */
export const BUILTIN_TEMPLATES: readonly KpiTemplate[] = TEMPLATE_DEPARTMENTS.flatMap(
  (department) =>
    LIBRARY[department].map(({ slug, currency, decimals, ...def }) => ({
      ...def,
      id: `builtin:${department}.${slug}`,
      source: 'builtin' as const,
      department,
      currency: def.measureUnit === 'currency' ? (currency ?? 'USD') : null,
      decimals: decimals ?? 0,
    })),
);

function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Templates matching every word of `query` (in name, description or department label; case and
 * accents ignored), in their order. An empty query matches everything.
 */
export function searchTemplates<T extends KpiTemplate>(
  templates: readonly T[],
  query: string,
): T[] {
  const words = normalize(query).split(' ').filter(Boolean);
  if (words.length === 0) return [...templates];
  return templates.filter((t) => {
    const haystack = normalize(`${t.name} ${t.description} ${DEPARTMENT_LABELS[t.department]}`);
    return words.every((w) => haystack.includes(w));
  });
}

/** Templates grouped by department, in library order; empty groups left out. */
export function groupTemplates<T extends KpiTemplate>(
  templates: readonly T[],
): { department: TemplateDepartment; label: string; templates: T[] }[] {
  return TEMPLATE_DEPARTMENTS.map((department) => ({
    department,
    label: DEPARTMENT_LABELS[department],
    templates: templates.filter((t) => t.department === department),
  })).filter((g) => g.templates.length > 0);
}
