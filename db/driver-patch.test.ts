import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DRIVER_FILES,
  GUARD_MARK,
  guardNextWrite,
  ONEXECUTE_MARK,
  runOnExecute,
} from './driver-patch.mjs';

const UNGUARDED = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)
    nextWriteTimer !== null && clearImmediate(nextWriteTimer)`;

describe('the postgres.js nextWrite guard (db/driver-patch.mjs)', () => {
  it('is applied to every copy of the installed driver that writes on a socket', () => {
    const present = DRIVER_FILES.filter((f) => fs.existsSync(f));
    expect(present.length).toBeGreaterThan(0);
    for (const file of present) {
      const text = fs.readFileSync(file, 'utf8');
      // Either guarded by the install step, or a driver release without the unguarded write.
      expect(text.includes(GUARD_MARK) || !text.includes('const x = socket.write(chunk, fn)')).toBe(
        true,
      );
    }
  });

  it('checks for a closed socket before writing, and rejects the waiting queries', () => {
    const patched = guardNextWrite(`x\n${UNGUARDED}\n`)!;
    const guard = patched.indexOf('if (!socket)');
    expect(guard).toBeGreaterThan(-1);
    expect(guard).toBeLessThan(patched.indexOf('socket.write(chunk, fn)'));
    expect(patched).toContain("error(Errors.connection('CONNECTION_CLOSED', options))");
    // Idempotent: a second install leaves it as it is.
    expect(guardNextWrite(patched)).toBeNull();
  });
});

describe('the postgres.js onexecute guard (db/driver-patch.mjs)', () => {
  const CHAIN = `      return write(toBuffer(q))
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline
        && (!q.options.onexecute || q.options.onexecute(connection))`;

  it('is applied to every copy of the installed driver', () => {
    for (const file of DRIVER_FILES.filter((f) => fs.existsSync(f))) {
      const text = fs.readFileSync(file, 'utf8');
      expect(
        text.includes(ONEXECUTE_MARK) || !text.includes('q.options.onexecute(connection))'),
      ).toBe(true);
    }
  });

  it('runs the callback whatever stops the chain, and answers as before', () => {
    const patched = runOnExecute(`x\n${CHAIN}\n`)!;
    // The patched statement, run: a BEGIN (onexecute) on a connection that takes no further
    // statement (max_pipeline 0) still reserves it; other statements answer as the chain did.
    const body = patched.slice(patched.indexOf(ONEXECUTE_MARK));
    const run = new Function(
      'write',
      'toBuffer',
      'q',
      'sent',
      'max_pipeline',
      'connection',
      body,
    ) as (...a: unknown[]) => unknown;
    let reserved: unknown = null;
    const begin = { options: { onexecute: (c: unknown) => void (reserved = c) } };
    expect(
      run(
        () => true,
        () => 0,
        begin,
        [],
        0,
        'conn',
      ),
    ).toBe(false);
    expect(reserved).toBe('conn');
    const plain = { options: {}, describeFirst: false, cursorFn: null };
    expect(
      run(
        () => true,
        () => 0,
        plain,
        [],
        100,
        'conn',
      ),
    ).toBe(true);
    expect(
      run(
        () => true,
        () => 0,
        plain,
        [],
        0,
        'conn',
      ),
    ).toBe(false);
    expect(
      run(
        () => false,
        () => 0,
        plain,
        [],
        100,
        'conn',
      ),
    ).toBe(false);
    expect(runOnExecute(patched)).toBeNull();
  });
});
