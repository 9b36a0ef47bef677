// `npm run db:seed -- --demo | --synthetic [--kpis N --people N --months N --depth N --seed N]`:
// seeds the demo organization (idempotent) and/or a large synthetic one, on DATABASE_URL or the
// embedded database, printing row counts and per-phase timings.
import { parseArgs } from 'node:util';
import { getDbHandle } from '@/db/client';
import { ensureDemoOrganization } from '@/lib/seed/demo';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '@/lib/seed/demo-data';
import { createSyntheticOrganization, SYNTHETIC_DEFAULTS } from '@/lib/seed/synthetic';
import type { PhaseTimings } from '@/lib/seed/write';
import { runCli } from '@/db/cli/run';

const USAGE = `Usage: npm run db:seed -- [--demo] [--synthetic [--kpis ${SYNTHETIC_DEFAULTS.kpis}] [--people ${SYNTHETIC_DEFAULTS.people}] [--months ${SYNTHETIC_DEFAULTS.months}] [--depth ${SYNTHETIC_DEFAULTS.depth}] [--seed ${SYNTHETIC_DEFAULTS.seed}]]`;

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) {
    throw new Error(`--${name} must be a positive whole number, got "${raw}"\n${USAGE}`);
  }
  return n;
}

function printTimings(timings: PhaseTimings): void {
  const total = timings.reduce((a, [, ms]) => a + ms, 0);
  for (const [phase, ms] of timings)
    console.log(`  ${phase.padEnd(16)} ${(ms / 1000).toFixed(2).padStart(7)} s`);
  console.log(`  ${'total'.padEnd(16)} ${(total / 1000).toFixed(2).padStart(7)} s`);
}

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      synthetic: { type: 'boolean', default: false },
      kpis: { type: 'string' },
      people: { type: 'string' },
      months: { type: 'string' },
      depth: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help || (!values.demo && !values.synthetic)) {
    console.log(USAGE);
    return values.help ? 0 : 1;
  }

  const opened = performance.now();
  const handle = await getDbHandle();
  const where = handle.driver === 'postgres' ? 'DATABASE_URL' : 'the embedded database';
  console.log(
    `Database: ${where} (opened and migrated in ${((performance.now() - opened) / 1000).toFixed(2)} s)`,
  );

  if (values.demo) {
    const result = await ensureDemoOrganization();
    if (result.status === 'exists') {
      console.log(`Demo organization "${result.slug}" already exists: nothing to do.`);
    } else if (result.status === 'created') {
      const c = result.counts;
      console.log(
        `Created the demo organization "${result.slug}": ${c.units} units, ${c.memberships} people, ${c.kpis} KPIs, ` +
          `${c.targets} target overrides, ${c.checkins} check-ins, ${c.periodValues} period values.`,
      );
      console.log(
        `Current period: ${result.statuses.on_track} on track, ${result.statuses.at_risk} at risk, ` +
          `${result.statuses.off_track} off track, ${result.statuses.in_progress} in progress, ` +
          `${result.statuses.no_data} without data.`,
      );
      printTimings(result.timings);
    }
    console.log(`Demo sign-ins (password for all: ${DEMO_PASSWORD}):`);
    for (const p of DEMO_PEOPLE) {
      if (p.persona) console.log(`  ${p.persona.label.padEnd(16)} ${p.email}`);
    }
  }

  if (values.synthetic) {
    const options = {
      kpis: positiveInt('kpis', values.kpis, SYNTHETIC_DEFAULTS.kpis),
      people: positiveInt('people', values.people, SYNTHETIC_DEFAULTS.people),
      months: positiveInt('months', values.months, SYNTHETIC_DEFAULTS.months),
      depth: positiveInt('depth', values.depth, SYNTHETIC_DEFAULTS.depth),
      seed: positiveInt('seed', values.seed, SYNTHETIC_DEFAULTS.seed),
    };
    console.log(
      `Creating a synthetic organization: ${options.kpis} KPIs, ${options.people} people, ${options.months} months, depth ${options.depth}, seed ${options.seed}...`,
    );
    const result = await createSyntheticOrganization(options);
    const c = result.counts;
    console.log(
      `Created "${result.slug}": ${c.units} units, ${c.memberships} people, ${c.kpis} KPIs (cascade depth ${result.depth}), ` +
        `${c.targets} target overrides, ${c.checkins} check-ins, ${c.periodValues} period values.`,
    );
    printTimings(result.timings);
    console.log(`Sign-ins (password for all: ${result.password}):`);
    for (const s of result.signIns) console.log(`  ${s.label.padEnd(16)} ${s.email}  ${s.detail}`);
  }
  return 0;
});
