// GET /api/v1/openapi.json: the API's OpenAPI 3.1 document, generated from the route schemas (public).
import { NextResponse } from 'next/server';
import { openApiDocument } from '@/lib/server/openapi';

export const dynamic = 'force-dynamic';

export function GET(): NextResponse {
  return NextResponse.json(openApiDocument(), {
    headers: { 'cache-control': 'public, max-age=300' },
  });
}
