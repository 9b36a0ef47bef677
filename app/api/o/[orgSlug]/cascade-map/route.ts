// The cascade map a branch at a time: `?unit=` opens one unit, `?q=` searches KPIs by name or key, neither gives the first view.
import { z } from 'zod';
import { getCascadeMapSlice, searchCascadeMap } from '@/lib/dal/kpis/cascade-map';
import { validationError } from '@/lib/errors';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

const Query = z.strictObject({
  unit: z.uuid().optional(),
  q: z.string().trim().min(1).max(100).optional(),
});

export const GET = orgGetRoute(async (ctx, request) => {
  const parsed = Query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success || (parsed.data.unit && parsed.data.q)) {
    const message = 'Give a unit id (unit=) or a search of 1 to 100 characters (q=), not both.';
    throw validationError(message);
  }
  const { unit, q } = parsed.data;
  if (q) return { hits: await searchCascadeMap(ctx, q) };
  return getCascadeMapSlice(ctx, unit);
});
