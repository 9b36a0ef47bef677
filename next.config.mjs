/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite must stay a real Node module: bundling it breaks its URL-based asset loading.
  // pdfkit reads its font metrics from its own folder at run time: keep it unbundled too.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'pdfkit'],
  // A separate build folder lets two Playwright runs (E2E_PORT, NEXT_DIST_DIR) build side by side.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
