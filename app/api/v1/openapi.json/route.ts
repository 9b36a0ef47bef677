// GET /api/v1/openapi.json: the API's OpenAPI 3.1 document, generated from the route schemas (public).
import { NextResponse } from 'next/server';
import { otherMethods } from '@/lib/server/api-route';
import { openApiDocument } from '@/lib/server/openapi';

export const dynamic = 'force-dynamic';

export const { POST, PUT, PATCH, DELETE } = otherMethods('GET');

export function GET(): NextResponse {
  return NextResponse.json(openApiDocument(), {
    headers: { 'cache-control': 'public, max-age=300' },
  });
}
