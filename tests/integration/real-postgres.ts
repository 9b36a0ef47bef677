/**
 * True when integration tests run on a real server. Locking and concurrency only mean something
 * there; the global setup fails in CI without one, so `describe.runIf(realPostgres)` never
 * skips in CI.
 */
export const realPostgres = Boolean(process.env.TEST_DATABASE_URL);
