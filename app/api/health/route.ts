// GET /api/health: 200 when the app can reach its database, else 503 (load balancers, benchmarks).
import { pingDatabase } from '@/lib/dal/health';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    await pingDatabase();
    return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
  } catch {
    return Response.json(
      { status: 'unavailable' },
      { status: 503, headers: { 'Cache-Control': 'no-store' } },
    );
  }
}
