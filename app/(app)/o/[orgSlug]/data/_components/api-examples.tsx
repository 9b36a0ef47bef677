// Worked examples of the REST API for the Data page (server-rendered text, no client code).

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

/**
 * The API's worked examples, each folded under its summary: a KPI tree built by API and values
 * pushed to it. Other examples (webhooks, SQL pulls) go beside it as further `<details>`.
 */
export function ApiExamples() {
  return (
    <div className="mt-4 space-y-2">
      <details className="rounded-lg border border-gray-200 bg-gray-50 p-3">
        <summary className="cursor-pointer text-sm font-medium text-gray-900">
          Example: build a KPI tree by API and push values
        </summary>
        <p className="mt-2 text-sm text-gray-600">
          With a key that may change definitions in <code>$KEY</code>, the company unit&apos;s id in{' '}
          <code>$COMPANY</code>, a department&apos;s in <code>$SALES</code> and a member&apos;s user
          id in <code>$OWNER</code>. The same checks, limits and permissions as the KPI form apply;
          a retry with the same <code>Idempotency-Key</code> writes nothing twice.
        </p>
        <pre className="mt-2 overflow-x-auto rounded bg-gray-900 p-3 text-xs leading-relaxed text-gray-100">
          <code>{TREE_EXAMPLE}</code>
        </pre>
      </details>
    </div>
  );
}
