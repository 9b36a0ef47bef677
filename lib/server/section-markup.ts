/**
 * Rendered sections of a page, kept with the cached data they were rendered from: `data` is a
 * value of a read cache (the dashboard view, cached by data version, scope, period and day), so
 * the same object means the same data, and its markup lives exactly as long as it does (a
 * WeakMap: when the read cache drops the view, its sections go with it; the view cache's byte
 * budget does not count them, about as many bytes again). `part` names the section and every
 * input that is not in `data` (locale, slug, period flags); concurrent first requests share one
 * rendering; a failed one is not kept.
 */
const rendered = new WeakMap<object, Map<string, Promise<string>>>();

export function sectionMarkup(
  data: object,
  part: string,
  render: () => Promise<string>,
): Promise<string> {
  let parts = rendered.get(data);
  if (!parts) {
    parts = new Map();
    rendered.set(data, parts);
  }
  const hit = parts.get(part);
  if (hit) return hit;
  const promise = render();
  parts.set(part, promise);
  promise.catch(() => {
    if (parts.get(part) === promise) parts.delete(part);
  });
  return promise;
}
