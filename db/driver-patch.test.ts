import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DRIVER_FILES, GUARD_MARK, guardNextWrite } from './driver-patch.mjs';

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
