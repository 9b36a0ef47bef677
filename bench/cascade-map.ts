// The cascade map on a large organization, over HTTP against a running app: the map view's page
// (first payload: the company and its departments), the first slice as JSON, and the server time
// of opening one branch. Used by bench/run.ts; alone:
// `npx tsx bench/cascade-map.ts --url <base> --slug <org> --email <owner> [--n 10]`.
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import type { MapSlice } from '@/lib/domain/cascade-map';
import { signIn } from './support/sign-in';
import { percentile } from './support/stats';

export type CascadeMapFigures = {
  pageMs: { first: number; p50: number; p95: number };
  pageKb: number;
  pageGzipKb: number;
  slice: { kpis: number; units: number; kb: number; gzipKb: number; p50: number };
  expand: { unitName: string; kpis: number; units: number; kb: number; p50: number; p95: number };
};

async function timed(url: string, cookie: string): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${url}`);
  return { ms: performance.now() - started, body };
}

async function series(url: string, cookie: string, n: number) {
  const first = await timed(url, cookie);
  const rest: number[] = [];
  let body = first.body;
  for (let i = 0; i < n; i += 1) {
    const r = await timed(url, cookie);
    rest.push(r.ms);
    body = r.body;
  }
  rest.sort((a, b) => a - b);
  return { first: first.ms, p50: percentile(rest, 50), p95: percentile(rest, 95), body };
}

const kb = (s: string) => Buffer.byteLength(s) / 1024;
const gzKb = (s: string) => gzipSync(s).length / 1024;

/** Sequential requests as one signed-in viewer (cookie): the first cold, then `n` warm. */
export async function measureCascadeMap(
  base: string,
  slug: string,
  cookie: string,
  n = 10,
): Promise<CascadeMapFigures> {
  const page = await series(`${base}/o/${slug}/kpis?view=map`, cookie, n);
  const api = `${base}/api/o/${slug}/cascade-map`;
  const slice = await series(api, cookie, n);
  const first = JSON.parse(slice.body) as MapSlice;
  // The closed branch with the most units below it among the departments' children.
  const closed = first.units
    .filter((u) => !first.opened.includes(u.id))
    .sort((a, b) => b.childUnitCount - a.childUnitCount)[0];
  if (!closed) throw new Error('the first view has no closed branch to open');
  const expand = await series(`${api}?unit=${closed.id}`, cookie, n);
  const opened = JSON.parse(expand.body) as MapSlice;
  return {
    pageMs: { first: page.first, p50: page.p50, p95: page.p95 },
    pageKb: kb(page.body),
    pageGzipKb: gzKb(page.body),
    slice: {
      kpis: first.kpis.length,
      units: first.units.length,
      kb: kb(slice.body),
      gzipKb: gzKb(slice.body),
      p50: slice.p50,
    },
    expand: {
      unitName: closed.name,
      kpis: opened.kpis.length,
      units: opened.units.length,
      kb: kb(expand.body),
      p50: expand.p50,
      p95: expand.p95,
    },
  };
}

/** The figures as the lines bench/run.ts prints and records. */
export function formatCascadeMap(f: CascadeMapFigures, totalKpis?: number): string[] {
  return [
    `Cascade map first view (owner, page ?view=map): first ${f.pageMs.first.toFixed(0)} ms, warm p50 ${f.pageMs.p50.toFixed(0)} ms, ` +
      `p95 ${f.pageMs.p95.toFixed(0)} ms; HTML ${f.pageKb.toFixed(1)} KB (${f.pageGzipKb.toFixed(1)} KB gzip)`,
    `  first slice: ${f.slice.kpis} KPIs${totalKpis ? ` of ${totalKpis}` : ''} and ${f.slice.units} units, ` +
      `${f.slice.kb.toFixed(1)} KB JSON (${f.slice.gzipKb.toFixed(1)} KB gzip), route p50 ${f.slice.p50.toFixed(0)} ms`,
    `  expand "${f.expand.unitName}": ${f.expand.kpis} KPIs and ${f.expand.units} units, ${f.expand.kb.toFixed(1)} KB, ` +
      `server p50 ${f.expand.p50.toFixed(0)} ms, p95 ${f.expand.p95.toFixed(0)} ms`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      slug: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string', default: 'synthetic-seed-2026' },
      n: { type: 'string', default: '10' },
    },
  });
  const cookie = await signIn(values.url!, values.email!, values.password!);
  const figures = await measureCascadeMap(values.url!, values.slug!, cookie, Number(values.n));
  for (const line of formatCascadeMap(figures)) console.log(line);
}
