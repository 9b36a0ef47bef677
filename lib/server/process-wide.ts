/**
 * One value per Node process, whichever bundle of the server asks: Next compiles route handlers,
 * pages and server actions into separate bundles, each with its own copy of a module, so a
 * module-level cache would be one per bundle. `name` keys the value on `globalThis` (through
 * `Symbol.for`, shared by every copy); `create` runs the first time only.
 */
export function processWide<T>(name: string, create: () => T): T {
  const key = Symbol.for(`kpi-cascade.${name}`);
  const g = globalThis as typeof globalThis & { [key]?: T };
  if (!(key in g)) g[key] = create();
  return g[key] as T;
}
