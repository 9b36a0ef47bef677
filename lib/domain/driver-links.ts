/**
 * A KPI's formula links besides its parent link: the KPIs a formula KPI is computed from (its
 * drivers) and the formula KPIs a KPI feeds. Read from the stored `formulaInputs` keys (see
 * lib/domain/formula/references: `formulaInputKeys`), so nothing is parsed here.
 */

/** What the links read of a KPI. */
export type LinkableKpi = {
  id: string;
  key: string | null;
  formulaInputs: readonly string[];
};

/** The formula links of one KPI, as the KPIs given (so as the caller's own DTOs). */
export type DriverLinks<T> = {
  /** The inputs of its formula among the KPIs given, in the order of `formulaInputs` (by key). */
  drivers: T[];
  /** Inputs of its formula that are not among the KPIs given (the actor may not see them). */
  hiddenDrivers: number;
  /** Its formula reads its own earlier value (`prev` of itself: a stock carried forward). */
  readsOwnPrevious: boolean;
  /** The formula KPIs among those given that read it, in the order given. */
  feeds: T[];
};

/**
 * The formula links of each KPI given, keyed by id; a KPI with neither drivers nor feeds has no
 * entry. Only the KPIs given are linked: the caller passes the KPIs of one organization that the
 * actor may see (an org-scoped, visibility-filtered list), so no link can point elsewhere. A
 * self-reference is `readsOwnPrevious`, neither a driver nor a feed. Pure.
 */
export function driverLinksOf<T extends LinkableKpi>(
  kpis: readonly T[],
): Map<string, DriverLinks<T>> {
  const byKey = new Map<string, T>();
  for (const k of kpis) if (k.key !== null) byKey.set(k.key, k);
  const links = new Map<string, DriverLinks<T>>();
  const entry = (k: T): DriverLinks<T> => {
    let e = links.get(k.id);
    if (!e) {
      e = { drivers: [], hiddenDrivers: 0, readsOwnPrevious: false, feeds: [] };
      links.set(k.id, e);
    }
    return e;
  };
  for (const formula of kpis) {
    for (const key of new Set(formula.formulaInputs)) {
      if (key === formula.key) {
        entry(formula).readsOwnPrevious = true;
        continue;
      }
      const driver = byKey.get(key);
      if (!driver) {
        entry(formula).hiddenDrivers += 1;
        continue;
      }
      entry(formula).drivers.push(driver);
      entry(driver).feeds.push(formula);
    }
  }
  return links;
}

/** A linked KPI as a client component takes it: its id (for the link) and its name. */
export type KpiLinkRef = { id: string; name: string };

/** The links with each KPI narrowed to its id and name (client props). Pure. */
export function toLinkRefs(
  links: DriverLinks<KpiLinkRef> | undefined,
): DriverLinks<KpiLinkRef> | undefined {
  if (!links) return undefined;
  const ref = ({ id, name }: KpiLinkRef): KpiLinkRef => ({ id, name });
  return { ...links, drivers: links.drivers.map(ref), feeds: links.feeds.map(ref) };
}
