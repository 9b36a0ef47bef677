// Role dashboards under load: for each sign-in, GET the organization's dashboard with its
// session cookie from N concurrent connections (autocannon), next to the app's trivial page.
import autocannon, { type Request } from 'autocannon';
import { sampleRss, treeCpuMs, type ProcessRss } from './support/proc-stats';

export type LoadResult = {
  label: string;
  path: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU time of the app's process tree over the run divided by the requests (0 without a pid). */
  cpuMsPerRequest: number;
  /** The app's process tree's largest resident memory sampled during the run, bytes (0: no pid). */
  maxRssBytes: number;
  /** Each process of the tree at that largest sample. */
  rssProcesses: ProcessRss[];
};

/** One autocannon run; p95 is interpolated from its histogram's p90 and p97.5. */
export async function load(
  baseUrl: string,
  label: string,
  path: string,
  options: {
    seconds: number;
    connections: number;
    cookie?: string;
    appPid?: number;
    /** A query parameter given a new value on every request: each asks for a new address. */
    uniqueQuery?: string;
  },
): Promise<LoadResult> {
  const pid = options.appPid;
  const cpuBefore = pid ? treeCpuMs(pid) : 0;
  const rss = pid ? sampleRss(pid) : null;
  const result = await autocannon({
    url: `${baseUrl}${path}`,
    connections: options.connections,
    duration: options.seconds,
    // A slow page is measured, not cut off (autocannon's default gives up after 10 s).
    timeout: 120,
    headers: options.cookie ? { cookie: options.cookie } : {},
    ...(options.uniqueQuery
      ? { requests: [{ setupRequest: uniqueAddress(path, options.uniqueQuery) }] }
      : {}),
  });
  const peak = rss ? rss.stop() : { bytes: 0, processes: [] };
  const cpuMs = pid ? treeCpuMs(pid) - cpuBefore : 0;
  const l = result.latency;
  // autocannon reports p90 and p97.5 (no p95): linear interpolation between them.
  const p95 = l.p90 + ((95 - 90) / (97.5 - 90)) * (l.p97_5 - l.p90);
  return {
    label,
    path,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: l.p50,
    p95,
    p99: l.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuMsPerRequest: result.requests.total > 0 ? cpuMs / result.requests.total : 0,
    maxRssBytes: peak.bytes,
    rssProcesses: peak.processes,
  };
}

/** autocannon's request setup giving each request `path?<name>=<n>`, n counting up. */
function uniqueAddress(path: string, name: string) {
  let n = 0;
  return (req: Request): Request => {
    n += 1;
    return { ...req, path: `${path}${path.includes('?') ? '&' : '?'}${name}=${n}` };
  };
}

export function formatLoad(r: LoadResult, floorP95?: number): string {
  const ratio = floorP95 ? `  ${(r.p95 / floorP95).toFixed(2)}x trivial p95` : '';
  return (
    `${r.label.padEnd(27)} ${r.rps.toFixed(0).padStart(5)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  ` +
    `p95 ${r.p95.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  ` +
    `${r.errors + r.non2xx} failed` +
    (r.cpuMsPerRequest > 0 ? `  CPU ${r.cpuMsPerRequest.toFixed(1).padStart(5)} ms/req` : '') +
    ratio
  );
}
