/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite must stay a real Node module: bundling it breaks its URL-based asset loading.
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
