import { describe, expect, it } from 'vitest';
import { LruCache, ReadThroughCache, heapShareBytes } from './read-cache';

describe('LruCache', () => {
  it('evicts the least recently used entry past its byte budget', () => {
    const lru = new LruCache<string>(100, 10);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    lru.set('c', 'C', 40); // 120 > 100: b goes
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    expect(lru.get('c')).toBe('C');
    expect(lru.totalBytes).toBe(80);
  });

  it('evicts past its entry count, replaces in place and keeps nothing larger than itself', () => {
    const lru = new LruCache<number>(1000, 2);
    lru.set('a', 1, 1);
    lru.set('b', 2, 1);
    lru.set('a', 3, 5);
    expect(lru.totalBytes).toBe(6);
    lru.set('c', 4, 1); // three entries: b (oldest) goes
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([3, undefined, 4]);
    lru.set('huge', 5, 2000);
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.size).toBe(2);
  });

  it('drops an organization’s older entries by prefix', () => {
    const lru = new LruCache<number>(1000, 10);
    lru.set('org1|1|x', 1, 1);
    lru.set('org1|2|x', 2, 1);
    lru.set('org2|1|x', 3, 1);
    lru.deletePrefix('org1|', 'org1|2|');
    expect([lru.get('org1|1|x'), lru.get('org1|2|x'), lru.get('org2|1|x')]).toEqual([
      undefined,
      2,
      3,
    ]);
    expect(lru.totalBytes).toBe(2);
  });
});

describe('ReadThroughCache', () => {
  it('computes a key once for concurrent misses and caches the result', async () => {
    const cache = new ReadThroughCache(new LruCache<number>(1000, 10), () => 1);
    let calls = 0;
    const compute = async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 5));
      return 42;
    };
    const results = await Promise.all([cache.get('k', compute), cache.get('k', compute)]);
    expect(results).toEqual([42, 42]);
    expect(await cache.get('k', compute)).toBe(42);
    expect(calls).toBe(1);
  });

  it('does not cache a failure', async () => {
    const cache = new ReadThroughCache(new LruCache<number>(1000, 10), () => 1);
    await expect(cache.get('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('k', async () => 7)).toBe(7);
  });
});

describe('heapShareBytes', () => {
  const MB = 1024 * 1024;

  it('is the share of the heap limit, at most the maximum', () => {
    expect(heapShareBytes(1 / 5, 128 * MB, 368 * MB)).toBe(Math.floor((368 * MB) / 5));
    expect(heapShareBytes(1 / 5, 128 * MB, 4144 * MB)).toBe(128 * MB);
  });

  it("reads this process's own heap limit by default", () => {
    expect(heapShareBytes(1, Number.MAX_SAFE_INTEGER)).toBeGreaterThan(16 * MB);
  });
});
