/**
 * The daemon helpers the pooler test and `npm run test:scale` start pgbouncer and HAProxy with
 * (tests/integration/pgbouncer.ts): a wait for a daemon that will never be ready ends as soon as
 * the daemon has exited, naming how and where its log is, instead of at its deadline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { daemon, waitFor } from './pgbouncer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-daemon-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('waitFor a daemon', () => {
  it('stops at once when the daemon exits with a code, naming it and its log', async () => {
    const log = path.join(dir, 'exits.log');
    const child = daemon('sh', ['-c', 'echo starting; exit 3'], log);
    const started = Date.now();
    await expect(
      waitFor('the test daemon', () => false, { ms: 20_000, child, log }),
    ).rejects.toThrow(`the test daemon exited (3): see ${log}`);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fs.readFileSync(log, 'utf8')).toBe('starting\n');
  });

  it('stops at once when the daemon is killed by a signal', async () => {
    const log = path.join(dir, 'killed.log');
    const child = daemon('sleep', ['30'], log);
    setTimeout(() => child.kill('SIGKILL'), 200);
    await expect(waitFor('sleep', () => false, { ms: 20_000, child, log })).rejects.toThrow(
      'sleep exited (SIGKILL)',
    );
  });

  it('resolves once ready, and gives up at its deadline when never ready', async () => {
    let polls = 0;
    await waitFor('ready on the third poll', () => (polls += 1) >= 3, { ms: 5_000 });
    expect(polls).toBe(3);
    await expect(waitFor('never ready', () => false, { ms: 300 })).rejects.toThrow(
      'never ready did not start within 0.3 s',
    );
  });
});
