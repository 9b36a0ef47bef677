// Lighthouse's mobile preset (its default config: a mid-range phone, simulated slow 4G and 4x CPU
// slowdown) on the sign-in page and three signed-in pages, driving Debian's chromium through
// chrome-launcher. DESIGN section 6: performance at least 90 on the dashboard, a KPI page and the
// member's check-in (the one-screen check-in of the member's dashboard), and their total blocking
// time within 2x the sign-in page's in the same run. Signed-in pages get the session cookie as
// an extra header (Chromium will not store production's __Secure- cookie for http://).
// Standalone: npx tsx bench/lighthouse.ts --url http://127.0.0.1:3000 --slug acme \
//   --owner owner@x --member member@x [--password ...] [--runs 3]
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { signIn } from './support/sign-in';

export type LighthousePage = { label: string; path: string; cookie?: string };

export type LighthouseFigures = {
  label: string;
  path: string;
  /** Medians over the runs. */
  score: number;
  tbtMs: number;
  lcpMs: number;
  /** Main-thread script time per URL (bootup-time audit) of the median run, largest first. */
  scripts: { url: string; scriptingMs: number }[];
  /** The longest main-thread tasks of the median run. */
  longTasks: { url: string; ms: number }[];
  /** Every run's total blocking time, in the order run. */
  runsTbtMs: number[];
};

export const LIGHTHOUSE_BUDGET = { score: 90, tbtRatio: 2 };

const CHROMIUM = '/usr/bin/chromium';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Details = { items?: Record<string, unknown>[] };

/**
 * Trace failures Lighthouse itself says to retry ("Please run Lighthouse again"): a run that
 * hits one is run again, at most twice; any other error fails the measurement.
 */
const TRANSIENT_ERRORS = new Set(['NO_NAVSTART', 'NO_TRACING_STARTED', 'NO_FCP', 'PROTOCOL_TIMEOUT']);

/** One Lighthouse run of a page, retried on a transient trace failure. */
async function auditOnce(port: number, url: string, page: LighthousePage) {
  for (let attempt = 1; ; attempt += 1) {
    const result = await lighthouse(url, {
      port,
      logLevel: 'error',
      onlyCategories: ['performance'],
      ...(page.cookie ? { extraHeaders: { Cookie: page.cookie } } : {}),
    });
    const lhr = result?.lhr;
    if (!lhr) throw new Error(`Lighthouse returned nothing for ${page.path}`);
    if (!lhr.runtimeError) return lhr;
    if (attempt >= 3 || !TRANSIENT_ERRORS.has(lhr.runtimeError.code)) {
      throw new Error(`${page.path}: ${lhr.runtimeError.message}`);
    }
    console.log(`  ${page.path}: ${lhr.runtimeError.code}, running it again`);
  }
}

/**
 * Runs each page `runs` times (one Chromium for all) and keeps the median run's figures. The runs
 * are interleaved (every page once, then every page again): a machine that slows down or speeds
 * up during the measurement moves every page's figures alike, not the last page's alone, so the
 * ratios to the sign-in page's stay comparable.
 */
export async function measureLighthouse(
  baseUrl: string,
  pages: LighthousePage[],
  runs = 3,
): Promise<LighthouseFigures[]> {
  const chrome = await chromeLauncher.launch({
    ...(fs.existsSync(CHROMIUM) ? { chromePath: CHROMIUM } : {}),
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const results: LighthouseFigures[][] = pages.map(() => []);
    for (let run = 0; run < runs; run += 1) {
      for (const [index, page] of pages.entries()) {
        const lhr = await auditOnce(chrome.port, `${baseUrl}${page.path}`, page);
        const final = new URL(lhr.finalDisplayedUrl);
        if (final.pathname !== new URL(page.path, baseUrl).pathname)
          throw new Error(`${page.path} ended on ${final.pathname} (signed out?)`);
        const bootup = (lhr.audits['bootup-time']?.details ?? {}) as Details;
        const tasks = (lhr.audits['long-tasks']?.details ?? {}) as Details;
        results[index]!.push({
          label: page.label,
          path: page.path,
          score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
          tbtMs: lhr.audits['total-blocking-time']?.numericValue ?? NaN,
          lcpMs: lhr.audits['largest-contentful-paint']?.numericValue ?? NaN,
          runsTbtMs: [],
          scripts: (bootup.items ?? [])
            .map((i) => ({ url: String(i.url), scriptingMs: Number(i.scripting) }))
            .sort((a, b) => b.scriptingMs - a.scriptingMs)
            .slice(0, 4),
          longTasks: (tasks.items ?? [])
            .map((i) => ({ url: String(i.url), ms: Number(i.duration) }))
            .sort((a, b) => b.ms - a.ms)
            .slice(0, 3),
        });
      }
    }
    return results.map((pageRuns) => {
      const tbts = pageRuns.map((r) => r.tbtMs);
      const mid = median(tbts);
      const chosen = pageRuns.find((r) => r.tbtMs === mid)!;
      return { ...chosen, score: median(pageRuns.map((r) => r.score)), runsTbtMs: tbts };
    });
  } finally {
    chrome.kill();
  }
}

const short = (url: string) => {
  try {
    const u = new URL(url);
    return u.pathname.replace(/^\/_next\/static\/chunks\//, '') || url;
  } catch {
    return url;
  }
};

/** One line per page, its heaviest scripts and tasks, and the verdicts against the sign-in page. */
export function formatLighthouse(figures: LighthouseFigures[], runs: number): string[] {
  const signIn = figures.find((f) => f.path === '/sign-in');
  const lines = [
    `Lighthouse mobile preset (median of ${runs} run${runs === 1 ? '' : 's'} a page, the pages interleaved):`,
  ];
  for (const f of figures) {
    const budgeted = f !== signIn;
    const ratio = signIn ? f.tbtMs / Math.max(signIn.tbtMs, 1) : NaN;
    lines.push(
      `  ${f.label.padEnd(22)} performance ${String(f.score).padStart(3)}  TBT ${f.tbtMs.toFixed(0).padStart(5)} ms` +
        `  LCP ${(f.lcpMs / 1000).toFixed(1)} s` +
        (budgeted && signIn
          ? `  ${ratio.toFixed(2)}x sign-in's TBT` +
            ` (score >= ${LIGHTHOUSE_BUDGET.score}: ${f.score >= LIGHTHOUSE_BUDGET.score ? 'met' : 'MISSED'};` +
            ` TBT <= ${LIGHTHOUSE_BUDGET.tbtRatio}x: ${ratio <= LIGHTHOUSE_BUDGET.tbtRatio ? 'met' : 'MISSED'})`
          : ''),
    );
    if (f.runsTbtMs.length > 1)
      lines.push(`    TBT by run: ${f.runsTbtMs.map((t) => t.toFixed(0)).join(', ')} ms`);
    lines.push(
      `    scripting: ${f.scripts.map((s) => `${short(s.url)} ${s.scriptingMs.toFixed(0)} ms`).join(', ')}`,
    );
    if (f.longTasks.length)
      lines.push(
        `    longest tasks: ${f.longTasks.map((t) => `${t.ms.toFixed(0)} ms (${short(t.url)})`).join(', ')}`,
      );
  }
  return lines;
}

/** The first KPI page the dashboard links to. */
export async function firstKpiPath(baseUrl: string, slug: string, cookie: string): Promise<string> {
  const html = await (await fetch(`${baseUrl}/o/${slug}`, { headers: { cookie } })).text();
  const match = new RegExp(`/o/${slug}/kpis/[0-9a-f-]{36}`).exec(html);
  if (!match) throw new Error('the dashboard links to no KPI page');
  return match[0];
}

/** The four pages of the budget: sign-in, the owner's dashboard, a KPI page, the member's check-in. */
export async function lighthousePages(
  baseUrl: string,
  slug: string,
  owner: string,
  member: string,
): Promise<LighthousePage[]> {
  return [
    { label: 'sign-in', path: '/sign-in' },
    { label: 'dashboard (owner)', path: `/o/${slug}`, cookie: owner },
    { label: 'KPI page (owner)', path: await firstKpiPath(baseUrl, slug, owner), cookie: owner },
    { label: 'check-in (member)', path: `/o/${slug}`, cookie: member },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      slug: { type: 'string' },
      owner: { type: 'string' },
      member: { type: 'string' },
      password: { type: 'string', default: 'synthetic-seed-2026' },
      runs: { type: 'string', default: '3' },
    },
  });
  const url = values.url!;
  const pages = await lighthousePages(
    url,
    values.slug!,
    await signIn(url, values.owner!, values.password),
    await signIn(url, values.member!, values.password),
  );
  const runs = Number(values.runs);
  for (const line of formatLighthouse(await measureLighthouse(url, pages, runs), runs))
    console.log(line);
}
