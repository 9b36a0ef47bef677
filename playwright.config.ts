import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { runtimeRoleUrl } from './db/runtime-url';

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;
const systemChromium = '/usr/bin/chromium';

// A production build on a real Postgres when TEST_DATABASE_URL is set (CI), else on a fresh
// embedded database in a throwaway folder; the demo organization is seeded before the server
// starts and demo mode is on, so the persona journeys have believable data.
// On a server the app connects as the runtime role and migrates as the owner (TEST_DATABASE_URL).
const databaseEnv: Record<string, string> = process.env.TEST_DATABASE_URL
  ? {
      DATABASE_URL: runtimeRoleUrl(process.env.TEST_DATABASE_URL),
      MIGRATION_DATABASE_URL: process.env.TEST_DATABASE_URL,
    }
  : { PGLITE_DIR: `.data/e2e-${Date.now()}` };

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(fs.existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: `npm run build && npm run db:seed -- --demo && npx tsx e2e/seed-inbox.ts && npx next start -p ${PORT} -H 127.0.0.1`,
    url: `${baseURL}/sign-in`,
    // Build, seed and start: about 2 minutes on an idle 2-core machine, well over 4 when it is
    // busy (E2E_SERVER_TIMEOUT_MS changes the 10-minute limit).
    timeout: Number(process.env.E2E_SERVER_TIMEOUT_MS ?? 600_000),
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      ...databaseEnv,
      NODE_ENV: 'production',
      DEMO_MODE: '1',
      AUTH_SECRET: process.env.AUTH_SECRET ?? 'e2e-only-secret-0123456789abcdefghijklmnopqrstuvwxyz',
      NEXTAUTH_URL: baseURL,
      NEXT_TELEMETRY_DISABLED: '1',
      // e2e/identity.spec.ts runs a reverse proxy that connects from this address.
      TRUSTED_PROXIES: '127.0.0.10',
      // The suite signs up dozens of organizations from one address within minutes.
      SIGN_UP_LIMIT_PER_HOUR: '1000',
      // e2e/webhooks.spec.ts receives webhooks on a loopback HTTP server.
      WEBHOOKS_ALLOW_PRIVATE: '1',
    },
  },
});
