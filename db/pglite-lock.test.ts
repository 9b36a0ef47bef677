import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock } from './pglite-lock';

describe('acquireDataDirLock', () => {
  let dir: string;
  let lockPath: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pglite-lock-'));
    lockPath = path.join(dir, 'data.lock');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes our pid and removes the file on release', () => {
    const release = acquireDataDirLock(lockPath);
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it('refuses a folder held by another live process, naming it', () => {
    fs.writeFileSync(lockPath, String(process.ppid));
    expect(() => acquireDataDirLock(lockPath)).toThrow(
      new RegExp(`already in use by process ${process.ppid}`),
    );
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(String(process.ppid));
  });

  it('takes over a stale lock left by a process that is gone', () => {
    // Above the kernel's pid limit (2^22), so no process can have it.
    fs.writeFileSync(lockPath, String(2 ** 22 + 1));
    const release = acquireDataDirLock(lockPath);
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
    release();
  });

  it('does not remove a lock another process has taken since', () => {
    const release = acquireDataDirLock(lockPath);
    fs.writeFileSync(lockPath, String(process.ppid));
    release();
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(String(process.ppid));
  });
});
