/** Headers on every response; the per-request Content-Security-Policy comes from proxy.ts. */
function securityHeaders(production) {
  return [
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
    { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
    // Browsers ignore HSTS over plain http, so production (https) is where it belongs.
    ...(production
      ? [{ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' }]
      : []),
  ];
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite must stay a real Node module: bundling it breaks its URL-based asset loading.
  // pdfkit reads its font metrics from its own folder at run time: keep it unbundled too.
  // pg-boss and pg (the job queue) load optional native bindings: plain Node modules as well.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'pdfkit', 'pg-boss', 'pg'],
  // The report PDF reads its embedded fonts from this folder at run time (pdf-fonts.ts).
  outputFileTracingIncludes: {
    '/api/o/[orgSlug]/reports/pdf': ['./lib/server/report-export/fonts/*'],
  },
  // A separate build folder lets two Playwright runs (E2E_PORT, NEXT_DIST_DIR) build side by side.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // proxy.ts answers a larger action body with 413 before Next would (with a 500): keep equal to
  // SERVER_ACTION_BODY_LIMIT_BYTES in lib/security/action-body.ts. Files go through route handlers.
  experimental: { serverActions: { bodySizeLimit: '1mb' } },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders(process.env.NODE_ENV === 'production') }];
  },
  reactStrictMode: true,
};

export default nextConfig;
