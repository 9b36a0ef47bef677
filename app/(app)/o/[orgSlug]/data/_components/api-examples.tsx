// Worked examples of the REST API for the Data page (server-rendered text, no client code).
import type { ReactNode } from 'react';

const TREE_EXAMPLE = `API=https://your-app.example/api/v1
H=(-H "Authorization: Bearer $KEY" -H "Content-Type: application/json")

# 1. A company KPI: a north star, the sum of its children
curl -s -X POST $API/kpis "\${H[@]}" -H "Idempotency-Key: tree-company" -d '{
  "name":"New ARR","key":"company.new_arr","unitId":"'$COMPANY'",
  "measureUnit":"currency","currency":"USD","direction":"increase",
  "cadence":"month","timeAggregation":"sum","rollup":"sum","isNorthStar":true}'

# 2. A department KPI linked under it by key, and a count beside it
curl -s -X POST $API/kpis "\${H[@]}" -H "Idempotency-Key: tree-sales" -d '{
  "name":"New ARR","key":"sales.new_arr","unitId":"'$SALES'",
  "measureUnit":"currency","currency":"USD","direction":"increase",
  "cadence":"month","timeAggregation":"sum","parentId":"company.new_arr"}'
curl -s -X POST $API/kpis "\${H[@]}" -H "Idempotency-Key: tree-deals" -d '{
  "name":"Deals won","key":"sales.deals","unitId":"'$SALES'",
  "measureUnit":"count","direction":"increase","cadence":"month","timeAggregation":"sum"}'

# 3. A formula KPI computed from the two
curl -s -X POST $API/kpis "\${H[@]}" -H "Idempotency-Key: tree-avg" -d '{
  "name":"Average deal size","key":"sales.avg_deal","unitId":"'$SALES'",
  "measureUnit":"currency","currency":"USD","direction":"increase",
  "cadence":"month","timeAggregation":"average",
  "rollup":"formula","formula":"sales.new_arr / sales.deals"}'

# 4. Targets (null clears one)
curl -s -X PUT $API/kpis/sales.new_arr/targets "\${H[@]}" -d '{"targets":[
  {"periodStart":"2026-10-01","target":"50000"},
  {"periodStart":"2026-11-01","target":"55000"}]}'

# 5. An owner: send the version you read (a change made since: 409 with currentVersion)
V=$(curl -s $API/kpis/sales.new_arr "\${H[@]}" | jq .data.version)
curl -s -X PATCH $API/kpis/sales.new_arr "\${H[@]}" \\
  -d '{"version":'$V',"ownerUserId":"'$OWNER'"}'

# 6. Values, rolled up and computed at once
curl -s -X POST $API/checkins "\${H[@]}" -H "Idempotency-Key: crm-2026-10-31" -d '{"items":[
  {"kpi":"sales.new_arr","observedOn":"2026-10-31","value":"48000"},
  {"kpi":"sales.deals","observedOn":"2026-10-31","value":"12"}]}'`;

const WEBHOOK_EXAMPLE = `# Register an endpoint (a key that may change definitions); the answer shows the secret once
curl -s -X POST $API/webhooks "\${H[@]}" -d '{
  "url":"https://hooks.example.com/kpi","events":["checkin.recorded","period.closed"]}'

// The receiver (Node): check the Standard Webhooks signature on the raw body, then parse it
import { createHmac, timingSafeEqual } from 'node:crypto';

function verify(secret, headers, body) {
  const id = headers['webhook-id'], ts = headers['webhook-timestamp'];
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false; // replayed or stale
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(
    'v1,' + createHmac('sha256', key).update(\`\${id}.\${ts}.\${body}\`).digest('base64'));
  return headers['webhook-signature'].split(' ').some((sig) => {
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}`;

const SQL_PULL_EXAMPLE = `-- In the source database: a role that can only read, and a view with one row per date
CREATE ROLE kpi_reader LOGIN PASSWORD 'choose-one';
ALTER ROLE kpi_reader SET default_transaction_read_only = on;
CREATE VIEW kpi_active_customers AS
  SELECT day, count(*) AS customers FROM subscriptions_daily WHERE active GROUP BY day;
GRANT CONNECT ON DATABASE analytics TO kpi_reader;
GRANT USAGE ON SCHEMA public TO kpi_reader;
GRANT SELECT ON kpi_active_customers TO kpi_reader;

-- Settings > SQL sources: postgres://kpi_reader:choose-one@db.example.com:5432/analytics
-- Then on the KPI's page, "Pull from a SQL source", Preview, and save with a schedule:
select day, customers from kpi_active_customers where day >= current_date - 400`;

function Example({ summary, intro, code }: { summary: string; intro: ReactNode; code: string }) {
  return (
    <details className="rounded-lg border border-gray-200 bg-gray-50 p-3">
      <summary className="cursor-pointer text-sm font-medium text-gray-900">{summary}</summary>
      <p className="mt-2 text-sm text-gray-600">{intro}</p>
      <pre className="mt-2 overflow-x-auto rounded bg-gray-900 p-3 text-xs leading-relaxed text-gray-100">
        <code>{code}</code>
      </pre>
    </details>
  );
}

/**
 * The integrations' worked examples, each folded under its summary: a KPI tree built by API with
 * values pushed to it, a webhook received and its signature verified, a pull from a SQL view.
 */
export function ApiExamples() {
  return (
    <div className="mt-4 space-y-2">
      <Example
        summary="Example: build a KPI tree by API and push values"
        intro={
          <>
            With a key that may change definitions in <code>$KEY</code>, the company unit&apos;s id
            in <code>$COMPANY</code>, a department&apos;s in <code>$SALES</code> and a member&apos;s
            user id in <code>$OWNER</code>. The same checks, limits and permissions as the KPI form
            apply; a retry with the same <code>Idempotency-Key</code> writes nothing twice.
          </>
        }
        code={TREE_EXAMPLE}
      />
      <Example
        summary="Example: receive a webhook and verify its signature"
        intro={
          <>
            Every delivery carries <code>webhook-id</code>, <code>webhook-timestamp</code> and{' '}
            <code>webhook-signature</code> (HMAC-SHA256 over id, timestamp and body, keyed with the
            endpoint&apos;s secret); a retry or a resend keeps its <code>webhook-id</code>, so a
            receiver can drop duplicates. Endpoints are also managed under Settings → Webhooks.
          </>
        }
        code={WEBHOOK_EXAMPLE}
      />
      <Example
        summary="Example: pull a KPI's values from a SQL view"
        intro={
          <>
            Each row (date, value) becomes the KPI&apos;s reading of that date, upserted, so a
            re-pull changes nothing twice; the query runs read-only, with a time limit and a row
            cap, and a failing pull writes nothing and is logged.
          </>
        }
        code={SQL_PULL_EXAMPLE}
      />
    </div>
  );
}
