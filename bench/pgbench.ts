// pgbench's TPC-B-like script on a scratch database of the same server, for the check-in ratio.
//   npx tsx bench/pgbench.ts --url postgres://postgres@127.0.0.1:5432/scratch [--seconds 20]
// The database is initialised with `pgbench -i` (scale 1, as the design's reference). Last line:
// `RESULT {json}`.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { machineBusySeconds } from './support/machine';

export type PgbenchResult = {
  tps: number;
  latencyMeanMs: number;
  /** Machine-wide CPU per transaction (pgbench and the server together), ms. */
  cpuPerTxMs: number;
  clients: number;
  seconds: number;
};

export function runPgbench(url: string, seconds: number, clients = 8, threads = 2): PgbenchResult {
  execFileSync('pgbench', ['-i', '-q', url], { stdio: 'ignore' });
  const busyBefore = machineBusySeconds();
  const out = execFileSync(
    'pgbench',
    ['-c', String(clients), '-j', String(threads), '-T', String(seconds), url],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1];
  const latency = /latency average = ([\d.]+) ms/.exec(out)?.[1];
  if (!tps || !latency) throw new Error(`could not read pgbench output:\n${out}`);
  const busy = machineBusySeconds() - busyBefore;
  const cpuPerTxMs = (busy * 1000) / (Number(tps) * seconds);
  return { tps: Number(tps), latencyMeanMs: Number(latency), cpuPerTxMs, clients, seconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, seconds: { type: 'string', default: '20' } },
    strict: true,
  });
  if (!values.url) throw new Error('--url is required');
  const r = runPgbench(values.url, Number(values.seconds));
  console.log(
    `pgbench TPC-B-like, ${r.clients} clients: ${r.tps.toFixed(0)} tx/s, mean ${r.latencyMeanMs} ms`,
  );
  console.log(`RESULT ${JSON.stringify(r)}`);
}
