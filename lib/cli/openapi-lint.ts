// `npm run lint:openapi`: writes the generated OpenAPI document to a temporary file and lints it
// with Redocly (redocly.yaml: the recommended-strict rules, so a warning fails like an error).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApiDocument } from '@/lib/server/openapi';

const dir = mkdtempSync(path.join(tmpdir(), 'openapi-'));
const file = path.join(dir, 'openapi.json');
try {
  writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
  const bin = path.join(process.cwd(), 'node_modules', '.bin', 'redocly');
  const result = spawnSync(bin, ['lint', file, '--config', 'redocly.yaml'], {
    stdio: 'inherit',
    // No usage data sent and no update check from CI.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
