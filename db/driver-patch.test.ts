import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DESCRIBE_MARK,
  DRIVER_FILES,
  GUARD_MARK,
  guardNextWrite,
  ONEXECUTE_MARK,
  runOnExecute,
  skipScalarDescribe,
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

describe('the postgres.js describe rule (db/driver-patch.mjs)', () => {
  const RULE = `    q.describeFirst = q.onlyDescribe || (parameters.length && !q.prepared)`;

  it('is applied to every copy of the installed driver', () => {
    const present = DRIVER_FILES.filter((f) => fs.existsSync(f));
    expect(present.length).toBeGreaterThan(0);
    for (const file of present) {
      const text = fs.readFileSync(file, 'utf8');
      expect(text.includes(DESCRIBE_MARK) || !text.includes(RULE.trim())).toBe(true);
    }
  });

  it('describes first only what is prepared, or has a parameter that is not a scalar', () => {
    const patched = skipScalarDescribe(`x\n${RULE}\n`)!;
    const body = `${patched.slice(patched.indexOf(DESCRIBE_MARK))}\nreturn Boolean(q.describeFirst)`;
    const describes = new Function('q', 'parameters', body) as (
      q: Record<string, unknown>,
      parameters: unknown[],
    ) => boolean;
    const unprepared = () => ({ prepare: false, prepared: false, onlyDescribe: false });
    const scalars = ['text', 42, 1n, true, null, Buffer.from([1])];
    // Behind a pooler (nothing prepared): scalars go at once, arrays and objects are described.
    expect(describes(unprepared(), scalars)).toBe(false);
    expect(describes(unprepared(), [])).toBe(false);
    expect(describes(unprepared(), ['a', ['b']])).toBe(true);
    expect(describes(unprepared(), [{ k: 1 }])).toBe(true);
    expect(describes(unprepared(), [new Date()])).toBe(true);
    // A statement to prepare is described the first time, as before; a prepared one is not.
    expect(describes({ prepare: true, prepared: false, onlyDescribe: false }, scalars)).toBe(true);
    expect(describes({ prepare: true, prepared: true, onlyDescribe: false }, scalars)).toBe(false);
    expect(describes({ ...unprepared(), onlyDescribe: true }, [])).toBe(true);
    expect(skipScalarDescribe(patched)).toBeNull();
  });
});
