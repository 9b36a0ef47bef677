import { getHeapStatistics } from 'node:v8';
import { cache } from 'react';
import { sql } from 'drizzle-orm';
import { execRows, getDb } from '@/db/client';

/**
 * The data versions a server render read in its page frame (lib/dal/org-page-frame.ts), by org
 * id: one map per request where React's request cache applies (a page's render), a new empty one
 * on every call anywhere else (actions, routes, jobs), which then read the version themselves.
 */
const requestDataVersions = cache((): Map<string, string> => new Map());

/** Keeps the version this request's page frame read, for getOrgDataVersion in the same render. */
export function rememberOrgDataVersion(orgId: string, version: string): void {
  requestDataVersions().set(orgId, version);
}

/**
 * The organization's data version: the sum of its slots in `org_data_versions`, which triggers
 * bump in the same transaction as every write to a table dashboards read (migration 0007). Any
 * committed write changes it, and a read that starts after a commit sees the new sum, so a cache
 * keyed by it is never stale for the writer's next read (nor anyone's). Tenant: orgId (RLS).
 */
export async function getOrgDataVersion(orgId: string): Promise<string> {
  // A page's render read it with its membership (one round trip for both): as fresh, since the
  // render's reads all come after it.
  const known = requestDataVersions().get(orgId);
  if (known !== undefined) return known;
  // Elsewhere one statement, no transaction around it (org_data_version sets app.org_id for it).
  const [row] = await execRows<{ v: string }>(
    await getDb(),
    sql`select org_data_version(${orgId}::uuid) as v`,
  );
  return row?.v ?? '0';
}

/**
 * A cache's byte budget as a share of this process's heap limit (V8's, which
 * --max-old-space-size sets), at most `max`: caches sized so leave the rest of the app its room.
 */
export function heapShareBytes(
  share: number,
  max: number,
  heapLimit: number = getHeapStatistics().heap_size_limit,
): number {
  return Math.min(max, Math.floor(heapLimit * share));
}

type Entry<T> = { value: T; bytes: number };

/**
 * A least-recently-used map bounded by an estimate of its entries' sizes (bytes) and a count.
 * In-process and per instance: the keys carry everything that decides the value (tenant, data
 * version, scope, period, day), so instances never need to agree on anything.
 */
export class LruCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private bytes = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxEntries: number,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Map keeps insertion order: re-inserting makes it the most recent.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: T, bytes: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.bytes;
    }
    // An entry larger than the whole cache is not kept (it would evict everything).
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    while (this.bytes > this.maxBytes || this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.bytes -= this.entries.get(oldest.value)!.bytes;
      this.entries.delete(oldest.value);
    }
  }

  /** Drops every key starting with `prefix` but not with `keepPrefix` (an org's older versions). */
  deletePrefix(prefix: string, keepPrefix?: string): void {
    for (const [key, entry] of this.entries) {
      if (key.startsWith(prefix) && !(keepPrefix && key.startsWith(keepPrefix))) {
        this.entries.delete(key);
        this.bytes -= entry.bytes;
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/**
 * Read-through with one computation per key at a time: concurrent misses of one key share the
 * promise (eight connections asking for the same dashboard after a write compute it once). A
 * failed computation is not cached.
 */
export class ReadThroughCache<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  constructor(
    readonly lru: LruCache<T>,
    private readonly sizeOf: (value: T) => number,
  ) {}

  async get(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.lru.get(key);
    if (hit !== undefined) return hit;
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const promise = compute().then(
      (value) => {
        this.lru.set(key, value, this.sizeOf(value));
        this.inflight.delete(key);
        return value;
      },
      (error: unknown) => {
        this.inflight.delete(key);
        throw error;
      },
    );
    this.inflight.set(key, promise);
    return promise;
  }
}
