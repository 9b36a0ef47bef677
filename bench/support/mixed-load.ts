// The mixed load of the resilience and scale-out scripts: dashboards, the one-screen check-in's
// server action, API ingests, sign-ins and health probes, as closed loops of clients.
import fs from 'node:fs';
import os from 'node:os';
import { BENCH_DIST_DIR } from './app-server';
import { signIn } from './sign-in';
import { sleep } from './stats';

export type Kind = 'dashboard' | 'checkin' | 'ingest' | 'signin' | 'health';
export type Sample = {
  kind: Kind;
  start: number;
  end: number;
  ok: boolean;
  status: number;
  /** What went wrong (the start of the answer, or the error), for a failed request. */
  detail?: string;
  /** The instance that answered, when a load balancer names it (HAProxy's X-Served-By). */
  instance?: string;
};

export type Target = {
  /** Base URL the load goes to (one instance, or a load balancer in front of several). */
  url: string;
  slug: string;
  cookie: string;
  /** API keys the ingests take in turn (several, so one key's rate limit is not the bottleneck). */
  apiKeys: string[];
  kpiIds: string[];
  kpiKeys: string[];
  /** The id of the check-in screen's save-all server action in this build. */
  saveAction: string;
  /**
   * Who the sign-ins sign in as, in turn: several people, as on a real morning. One account
   * signed in from 8 clients at once is what the sign-in back-off counts as a burst of guesses
   * (every attempt counts as failed until it succeeds, 5 are free): it refused one of 101 in a
   * `test:scale` run once.
   */
  accounts: { email: string; password: string }[];
};

/** The owner of a synthetic organization and `others` of its members (the seed's password). */
export function syntheticAccounts(
  ownerEmail: string,
  password: string,
  others = 7,
): Target['accounts'] {
  const domain = ownerEmail.slice(ownerEmail.indexOf('@'));
  const members = Array.from({ length: others }, (_, i) => ({
    email: `member-${String(i + 1).padStart(5, '0')}${domain}`,
    password,
  }));
  return [{ email: ownerEmail, password }, ...members];
}

const t0 = performance.now();
/** Milliseconds since the script started. */
export const now = (): number => performance.now() - t0;

/** The id of a server action in this build (what a browser sends as `Next-Action`). */
export function actionId(file: string, name: string): string {
  const manifest = JSON.parse(
    fs.readFileSync(`${BENCH_DIST_DIR}/server/server-reference-manifest.json`, 'utf8'),
  ) as { node: Record<string, { filename: string; exportedName: string }> };
  const found = Object.entries(manifest.node).find(
    ([, v]) => v.filename === file && v.exportedName === name,
  );
  if (!found) throw new Error(`no server action ${name} in ${file}`);
  return found[0];
}

/** A client's patience on an uncontended machine: no page or ingest of the load nears it. */
export const BASE_REQUEST_TIMEOUT_MS = 20_000;
/** The most any client waits, however loaded the machine (HAProxy's timeouts sit above it). */
export const MAX_REQUEST_TIMEOUT_MS = 120_000;

/**
 * How oversubscribed the CPUs are right now: the 1-minute load average per core, at least 1. On
 * the shared 2-core machine at load 25, each runnable process gets about a twelfth of a core, so
 * a request that takes 1.5 s on an idle machine takes about 18 s there.
 */
export function cpuOversubscription(): number {
  return Math.max(1, os.loadavg()[0]! / Math.max(1, os.cpus().length));
}

/**
 * How long a client waits for one answer: BASE_REQUEST_TIMEOUT_MS scaled by cpuOversubscription()
 * when the request starts, at most MAX_REQUEST_TIMEOUT_MS. Only the machine's own contention
 * stretches it; a request that does not answer within it, or answers with an error, still fails.
 */
export function requestTimeoutMs(): number {
  return Math.min(
    MAX_REQUEST_TIMEOUT_MS,
    Math.round(BASE_REQUEST_TIMEOUT_MS * cpuOversubscription()),
  );
}

/** How many dates each KPI of the load (by its index in `kpiIds`/`kpiKeys`) has been given. */
const datesGiven = new Map<number, number>();
/**
 * A past date no other request of the load gives this KPI, and not one the synthetic seed
 * recorded on (its monthly reading falls in the month's last 7 days, or today): a second reading
 * of one KPI on one date is refused by the form (it would be a correction), so colliding dates
 * would fail the load for a reason of its own making.
 */
function nextDate(kpiIndex: number): string {
  const n = (datesGiven.get(kpiIndex) ?? 0) + 1;
  datesGiven.set(kpiIndex, n);
  let usable = 0;
  for (let back = 2; ; back += 1) {
    const d = new Date(Date.now() - back * 86_400_000);
    if (d.getUTCDate() > 21) continue;
    usable += 1;
    if (usable === n) return d.toISOString().slice(0, 10);
  }
}

/** One request of the given kind; never throws. */
export async function request(t: Target, kind: Kind, i: number): Promise<Sample> {
  const start = now();
  const timeoutMs = requestTimeoutMs();
  const signal = AbortSignal.timeout(timeoutMs);
  let status = 0;
  let ok = false;
  let detail: string | undefined;
  let instance: string | undefined;
  // Each response of a request of several steps (a sign-in): which one a timeout cut off.
  const steps: string[] = [];
  const servedBy = (res: Response) => {
    instance = res.headers.get('x-served-by') ?? instance;
    steps.push(
      `${new URL(res.url).pathname} ${res.status} at ${((now() - start) / 1000).toFixed(1)} s`,
    );
  };
  try {
    if (kind === 'dashboard') {
      const res = await fetch(`${t.url}/o/${t.slug}`, { headers: { cookie: t.cookie }, signal });
      servedBy(res);
      status = res.status;
      const text = await res.text();
      ok = res.ok && text.includes('north-star');
      if (!ok) detail = text.slice(0, 200);
    } else if (kind === 'health') {
      const res = await fetch(`${t.url}/api/health`, { signal });
      servedBy(res);
      status = res.status;
      ok = res.ok;
      await res.arrayBuffer();
    } else if (kind === 'signin') {
      const account = t.accounts[i % t.accounts.length]!;
      await signIn(t.url, account.email, account.password, {
        signal,
        onResponse: (res) => {
          servedBy(res);
          status = res.status;
        },
      });
      ok = true;
    } else if (kind === 'checkin') {
      // The check-in screen's server action (save all), as the browser calls it.
      const res = await fetch(`${t.url}/o/${t.slug}`, {
        method: 'POST',
        signal,
        headers: {
          cookie: t.cookie,
          // Browsers send it; proxy.ts refuses a page POST without a same-origin Origin.
          Origin: t.url,
          'Next-Action': t.saveAction,
          'Content-Type': 'text/plain;charset=UTF-8',
          Accept: 'text/x-component',
        },
        body: JSON.stringify([
          t.slug,
          {
            // Three rows of the one-screen check-in, saved together.
            items: [0, 1, 2].map((j) => ({
              kind: 'record',
              kpiId: t.kpiIds[(i * 3 + j) % t.kpiIds.length],
              observedOn: nextDate((i * 3 + j) % t.kpiIds.length),
              value: `${((i + j) % 90) + 1}.25`,
              confirmUnusual: true, // arbitrary load values: never refused as unusual
            })),
          },
        ]),
      });
      servedBy(res);
      status = res.status;
      const text = await res.text();
      ok = res.ok && text.includes('"ok":true');
      // The action's result sits among the re-rendered page's rows: show the refusal itself.
      const at = text.indexOf('"ok":false');
      if (!ok) detail = at >= 0 ? text.slice(at, at + 300) : text.slice(0, 200);
    } else {
      const items = Array.from({ length: 5 }, (_, j) => ({
        kpi: t.kpiKeys[(i * 5 + j) % t.kpiKeys.length],
        observedOn: nextDate((i * 5 + j) % t.kpiKeys.length),
        value: `${j + 1}.5`,
      }));
      const res = await fetch(`${t.url}/api/v1/checkins`, {
        method: 'POST',
        signal,
        headers: {
          Authorization: `Bearer ${t.apiKeys[i % t.apiKeys.length]}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ items }),
      });
      servedBy(res);
      status = res.status;
      ok = res.status === 201 || res.status === 200;
      const text = await res.text();
      if (!ok) detail = text.slice(0, 200);
    }
  } catch (error) {
    ok = false;
    detail =
      `${String(error)} (client timeout ${(timeoutMs / 1000).toFixed(0)} s)` +
      (steps.length > 0 ? `; answered before it: ${steps.join(', ')}` : '');
  }
  return {
    kind,
    start,
    end: now(),
    ok,
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(instance === undefined ? {} : { instance }),
  };
}

/** `workers` closed loops over `kinds` until `until()` is true; every request's sample is kept. */
export async function runLoad(
  t: Target,
  kinds: readonly Kind[],
  workers: number,
  until: () => boolean,
  samples: Sample[],
): Promise<void> {
  let n = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (!until()) {
        const i = n++;
        const s = await request(t, kinds[(i + w) % kinds.length]!, i);
        samples.push(s);
        if (!s.ok) await sleep(100); // a failing client backs off a little, as a real one would
      }
    }),
  );
}

/** "dashboard 120/120, checkin 118/120, ..." (succeeded / sent, per kind). */
export function okByKind(kinds: readonly Kind[], list: readonly Sample[]): string {
  return kinds
    .map((k) => {
      const of = list.filter((s) => s.kind === k);
      return `${k} ${of.filter((s) => s.ok).length}/${of.length}`;
    })
    .join(', ');
}
