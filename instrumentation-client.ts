// Runs in the browser before the app's own code (Next's client instrumentation hook).
import { config } from 'zod/v4/core';

// The client's zod schemas (forms check their action's schema before sending) must never probe
// `new Function`: the CSP has no 'unsafe-eval' (lib/security/headers.ts), and even a caught probe
// is reported as a violation. Set before any schema is built; the server keeps zod's fast path.
config({ jitless: true });
