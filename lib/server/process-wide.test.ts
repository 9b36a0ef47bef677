import { describe, expect, it, vi } from 'vitest';
import { processWide } from './process-wide';

describe('processWide', () => {
  it('creates once and hands every caller the same value', () => {
    const create = vi.fn(() => ({ made: Math.random() }));
    const a = processWide('test.once', create);
    const b = processWide('test.once', create);
    expect(b).toBe(a);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('is shared with another copy of the module (a second bundle) through globalThis', async () => {
    const first = processWide('test.shared', () => new Map<string, number>());
    vi.resetModules();
    const copy = (await import('./process-wide')).processWide;
    expect(copy).not.toBe(processWide);
    expect(copy('test.shared', () => new Map<string, number>())).toBe(first);
  });

  it('keeps values of different names apart, and a created falsy value', () => {
    const zero = vi.fn(() => 0);
    expect(processWide('test.zero', zero)).toBe(0);
    expect(processWide('test.zero', zero)).toBe(0);
    expect(zero).toHaveBeenCalledTimes(1);
    expect(processWide('test.other', () => 'x')).toBe('x');
  });
});
