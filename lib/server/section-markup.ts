import { heapShareBytes, LruCache, ReadThroughCache } from '@/lib/dal/read-cache';
import { processWide } from './process-wide';

/**
 * Rendered sections of a page, kept with the cached data they were rendered from: `data` is a
 * value of a read cache (the dashboard view, cached by data version, scope, period and day), so
 * the same object means the same data. `part` names the section and every input that is not in
 * `data` (locale, slug, period flags). Concurrent first requests share one rendering and a failed
 * one is not kept (ReadThroughCache). The markup has a byte budget of its own, as large as the
 * views' (a twentieth of the heap limit, at most 64 MB: about as many bytes as the views it is
 * drawn from), least recently used first out; markup of a view the view cache has dropped is
 * never asked for again and leaves as the budget needs room.
 */

type Sections = {
  cache: ReadThroughCache<string>;
  /** A number per data object: the cache's keys are strings. */
  ids: WeakMap<object, number>;
  nextId: number;
};

const MB = 1024 * 1024;

/** One cache per process, whichever bundle of the server asks (as the dashboard caches). */
function sections(): Sections {
  return processWide('section-markup', () => ({
    // UTF-16 in the heap: two bytes a character.
    cache: new ReadThroughCache(
      new LruCache<string>(heapShareBytes(1 / 20, 64 * MB), 20_000),
      (html) => 2 * html.length,
    ),
    ids: new WeakMap(),
    nextId: 0,
  }));
}

export function sectionMarkup(
  data: object,
  part: string,
  render: () => Promise<string>,
): Promise<string> {
  const s = sections();
  let id = s.ids.get(data);
  if (id === undefined) s.ids.set(data, (id = s.nextId += 1));
  return s.cache.get(`${id}|${part}`, render);
}

/** What the markup cache holds (benchmarks and tests). */
export function sectionMarkupStats(): { entries: number; bytes: number; maxBytes: number } {
  const { lru } = sections().cache;
  return { entries: lru.size, bytes: lru.totalBytes, maxBytes: lru.maxBytes };
}
