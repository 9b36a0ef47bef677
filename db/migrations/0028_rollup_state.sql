ALTER TABLE "kpi_period_values" ADD COLUMN "state_sum" numeric;--> statement-breakpoint
ALTER TABLE "kpi_period_values" ADD COLUMN "state_weight" numeric;--> statement-breakpoint
-- The rollup state of a period value (lib/domain/rollup-state.ts is the definition) and the
-- check-in rollup by difference that keeps it (lib/dal/cascade/rollup-by-difference.ts calls it).

-- The end (exclusive) of a period from its start: one month, quarter or year later.
CREATE FUNCTION kpi_period_end(start date, cadence kpi_cadence) RETURNS date
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT (start + CASE cadence WHEN 'month' THEN interval '1 month'
                               WHEN 'quarter' THEN interval '3 months'
                               ELSE interval '1 year' END)::date
$$;
--> statement-breakpoint
-- a / b as lib/domain/decimal.ts computes an average: the quotient rounded half away from zero
-- to 60 significant digits (decimal.js's precision), then to 10 places (roundValue). Exact: the
-- quotient is truncated at 100 places by integer division, which decides both roundings (a
-- rounding half away from zero at d <= 99 places reads only the digit after the d-th).
CREATE FUNCTION kpi_div_round(a numeric, b numeric) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  t numeric;
  e int;
  d int;
BEGIN
  IF b = 0 THEN RAISE EXCEPTION 'kpi_div_round: division by zero'; END IF;
  t := div(abs(a) * 1e100::numeric, abs(b));
  IF t = 0 THEN RETURN 0; END IF;
  -- position of the first significant digit: e > 0 integer digits, e <= 0 leading zeros
  e := length(t::text) - 100;
  d := 60 - e;
  IF d > 99 THEN RETURN 0; END IF; -- |a / b| < 1e-39: rounds to 0 at 10 places
  RETURN sign(a) * sign(b) * round(round(t * 1e-100::numeric, d), 10);
END
$$;
--> statement-breakpoint
-- Backfill 1: a manual `average` KPI's state is the exact sum of the check-ins of the period.
UPDATE kpi_period_values v SET state_sum = s.total
  FROM (
    SELECT p.org_id, p.kpi_id, p.period_start, sum(c.value) AS total
      FROM kpi_period_values p
      JOIN kpis k ON k.org_id = p.org_id AND k.id = p.kpi_id
       AND k.rollup = 'manual' AND k.time_aggregation = 'average'
      JOIN checkins c ON c.org_id = p.org_id AND c.kpi_id = p.kpi_id
       AND c.observed_on >= p.period_start AND c.observed_on < kpi_period_end(p.period_start, k.cadence)
     GROUP BY p.org_id, p.kpi_id, p.period_start
  ) s
 WHERE v.org_id = s.org_id AND v.kpi_id = s.kpi_id AND v.period_start = s.period_start;
--> statement-breakpoint
-- Backfill 2: an `average` parent's state is the sum of its included children's contributions
-- (a shorter-cadence child's values inside the period combined by its own time aggregation); a
-- `weighted_average` parent's, the sum of contribution x weight and the sum of the weights.
UPDATE kpi_period_values v SET state_sum = s.total, state_weight = s.weights
  FROM (
    SELECT c.org_id, c.kpi_id, c.period_start,
           CASE WHEN c.rollup = 'average' THEN sum(c.value) ELSE sum(c.value * c.weight) END AS total,
           CASE WHEN c.rollup = 'weighted_average' THEN sum(c.weight) END AS weights
      FROM (
        SELECT p.org_id, p.kpi_id, p.period_start, k.rollup, ch.weight,
               CASE ch.time_aggregation
                 WHEN 'sum' THEN sum(cv.value)
                 WHEN 'average' THEN kpi_div_round(sum(cv.value), count(*))
                 ELSE (array_agg(cv.value ORDER BY cv.period_start DESC))[1]
               END AS value
          FROM kpi_period_values p
          JOIN kpis k ON k.org_id = p.org_id AND k.id = p.kpi_id
           AND k.rollup IN ('average', 'weighted_average')
          JOIN kpis ch ON ch.org_id = k.org_id AND ch.parent_id = k.id
           AND (ch.archived_on IS NULL OR p.period_start < ch.archived_on)
          JOIN kpi_period_values cv ON cv.org_id = ch.org_id AND cv.kpi_id = ch.id
           AND cv.period_start >= p.period_start AND cv.period_start < kpi_period_end(p.period_start, k.cadence)
         GROUP BY p.org_id, p.kpi_id, p.period_start, k.rollup, ch.id, ch.weight, ch.time_aggregation
      ) c
     GROUP BY c.org_id, c.kpi_id, c.period_start, c.rollup
  ) s
 WHERE v.org_id = s.org_id AND v.kpi_id = s.kpi_id AND v.period_start = s.period_start;
--> statement-breakpoint
-- New check-ins of one org rolled up by difference: each source's period value and every
-- ancestor's, with no sibling read: a `sum` parent adds the child's change, an `average` parent
-- adds it to its state_sum and divides by its reporting children, a `weighted_average` parent
-- adds change x weight and (for a child that starts reporting) the weight to state_weight.
-- `items`: a JSON array of {kpi_id, value, m, q, y}, each with the starts of the month, quarter
-- and year containing its date (computed by the caller with lib/domain/periods.ts), in the
-- order the check-ins are recorded. Only when every chain can: the sources are `manual` with time
-- aggregation `sum` or `average`, every computing ancestor reached is `sum`, `average` or
-- `weighted_average` fed by a child of its own cadence or with time aggregation `sum`, and every
-- state it needs is stored. Otherwise it returns false and changes nothing (its writes are undone
-- with the block's subtransaction): the caller takes the full recompute. The caller inserts the
-- check-ins, holds the cascade locks and runs the formula pass of any formula reading the chains
-- (this evaluates no formula); this writes the period values and one alerts-outbox row
-- per (KPI, period) whose value changed (the old value before the first item, the new after the
-- last), as periodValueWriteCtes does.
CREATE FUNCTION kpi_rollup_checkins(o uuid, items json) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  it record;
  c record;
  p record;
  r record;
  depth int;
  start date;
  c_start date;
  old_value numeric;
  new_value numeric;
  delta numeric;
  was_null boolean;
  appeared boolean;
  reported int;
  expected int;
  st numeric;
  sw numeric;
  -- (KPI, period) -> its value before the first item and after the last (the outbox rows)
  olds jsonb := '{}'::jsonb;
  news jsonb := '{}'::jsonb;
  key text;
BEGIN
  FOR it IN SELECT * FROM json_to_recordset(items)
      AS x(kpi_id uuid, value numeric, m date, q date, y date) LOOP
    SELECT k.id, k.parent_id, k.cadence, k.time_aggregation, k.rollup, k.archived_on, k.weight
      INTO c FROM kpis k WHERE k.org_id = o AND k.id = it.kpi_id;
    IF NOT FOUND OR c.rollup <> 'manual' OR c.time_aggregation NOT IN ('sum', 'average') THEN
      RAISE EXCEPTION USING ERRCODE = 'KP001';
    END IF;
    -- The source: its own period's value from its check-ins.
    start := CASE c.cadence WHEN 'month' THEN it.m WHEN 'quarter' THEN it.q ELSE it.y END;
    SELECT v.value, v.sample_count, v.state_sum INTO r
      FROM kpi_period_values v
     WHERE v.org_id = o AND v.kpi_id = c.id AND v.period_start = start FOR UPDATE;
    IF FOUND THEN
      old_value := r.value;
      reported := r.sample_count + 1;
      st := r.state_sum;
      IF c.time_aggregation = 'average' AND st IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'KP001';
      END IF;
    ELSE
      old_value := NULL;
      reported := 1;
      st := 0;
    END IF;
    IF c.time_aggregation = 'sum' THEN
      st := NULL;
      new_value := coalesce(old_value, 0) + it.value;
    ELSE
      st := st + it.value;
      new_value := kpi_div_round(st, reported);
    END IF;
    key := c.id::text || '|' || start::text;
    IF NOT olds ? key THEN olds := olds || jsonb_build_object(key, old_value); END IF;
    news := news || jsonb_build_object(key, new_value);
    INSERT INTO kpi_period_values AS v (org_id, kpi_id, period_start, value, sample_count,
        children_reported, children_expected, state_sum, state_weight, updated_at)
      VALUES (o, c.id, start, new_value, reported, 0, 0, st, NULL, now())
      ON CONFLICT (org_id, kpi_id, period_start) DO UPDATE SET value = excluded.value,
        sample_count = excluded.sample_count, state_sum = excluded.state_sum, updated_at = now();
    delta := new_value - coalesce(old_value, 0);
    was_null := old_value IS NULL;
    c_start := start;
    depth := 0;
    -- Up the chain while something changes.
    LOOP
      EXIT WHEN c.parent_id IS NULL OR (delta = 0 AND NOT was_null);
      IF depth > 64 THEN RAISE EXCEPTION USING ERRCODE = 'KP001'; END IF;
      SELECT k.id, k.parent_id, k.cadence, k.time_aggregation, k.rollup, k.archived_on, k.weight
        INTO p FROM kpis k WHERE k.org_id = o AND k.id = c.parent_id;
      EXIT WHEN NOT FOUND;
      start := CASE p.cadence WHEN 'month' THEN it.m WHEN 'quarter' THEN it.q ELSE it.y END;
      EXIT WHEN c.archived_on IS NOT NULL AND start >= c.archived_on; -- left the rollup
      EXIT WHEN p.rollup::text IN ('manual', 'formula'); -- children only show alignment
      IF p.rollup::text NOT IN ('sum', 'average', 'weighted_average')
         OR (c.cadence <> p.cadence AND c.time_aggregation <> 'sum') THEN
        RAISE EXCEPTION USING ERRCODE = 'KP001';
      END IF;
      -- The child starts to contribute when it had no value in the parent's period before.
      appeared := was_null AND (c.cadence = p.cadence OR NOT EXISTS (
        SELECT 1 FROM kpi_period_values v
         WHERE v.org_id = o AND v.kpi_id = c.id AND v.period_start >= start
           AND v.period_start < kpi_period_end(start, p.cadence) AND v.period_start <> c_start));
      SELECT v.value, v.children_reported, v.children_expected, v.state_sum, v.state_weight
        INTO r FROM kpi_period_values v
       WHERE v.org_id = o AND v.kpi_id = p.id AND v.period_start = start FOR UPDATE;
      IF FOUND THEN
        old_value := r.value;
        reported := r.children_reported;
        expected := r.children_expected;
        st := r.state_sum;
        sw := r.state_weight;
        IF (p.rollup <> 'sum' AND st IS NULL) OR (p.rollup = 'weighted_average' AND sw IS NULL) THEN
          RAISE EXCEPTION USING ERRCODE = 'KP001';
        END IF;
      ELSE
        old_value := NULL;
        reported := 0;
        SELECT count(*) INTO expected FROM kpis k
         WHERE k.org_id = o AND k.parent_id = p.id
           AND (k.archived_on IS NULL OR start < k.archived_on);
        st := 0;
        sw := 0;
      END IF;
      IF appeared THEN reported := reported + 1; END IF;
      IF p.rollup = 'sum' THEN
        st := NULL;
        sw := NULL;
        new_value := coalesce(old_value, 0) + delta;
      ELSIF p.rollup = 'average' THEN
        st := st + delta;
        sw := NULL;
        new_value := kpi_div_round(st, reported);
      ELSE
        st := st + delta * c.weight;
        sw := sw + CASE WHEN appeared THEN c.weight ELSE 0 END;
        new_value := kpi_div_round(st, sw);
      END IF;
      key := p.id::text || '|' || start::text;
      IF NOT olds ? key THEN olds := olds || jsonb_build_object(key, old_value); END IF;
      news := news || jsonb_build_object(key, new_value);
      INSERT INTO kpi_period_values AS v (org_id, kpi_id, period_start, value, sample_count,
          children_reported, children_expected, state_sum, state_weight, updated_at)
        VALUES (o, p.id, start, new_value, reported, reported, expected, st, sw, now())
        ON CONFLICT (org_id, kpi_id, period_start) DO UPDATE SET value = excluded.value,
          sample_count = excluded.sample_count, children_reported = excluded.children_reported,
          state_sum = excluded.state_sum, state_weight = excluded.state_weight, updated_at = now();
      delta := new_value - coalesce(old_value, 0);
      was_null := old_value IS NULL;
      c := p;
      c_start := start;
      depth := depth + 1;
    END LOOP;
  END LOOP;

  -- The alerts outbox: one row per (KPI, period) whose value changed over the whole call (from
  -- the values kept above: a join with kpi_period_values here would scan the org's values under
  -- row-level security, whose filter comes before the non-leakproof split_part).
  INSERT INTO kpi_value_events (org_id, kpi_id, period_start, old_value, new_value)
  SELECT o, split_part(b.key, '|', 1)::uuid, split_part(b.key, '|', 2)::date,
         (b.value #>> '{}')::numeric, (a.value #>> '{}')::numeric
    FROM jsonb_each(olds) b
    JOIN jsonb_each(news) a ON a.key = b.key
   WHERE (b.value #>> '{}')::numeric IS DISTINCT FROM (a.value #>> '{}')::numeric;
  RETURN true;
EXCEPTION WHEN SQLSTATE 'KP001' THEN
  RETURN false; -- not by difference: every write of this call is undone
END
$$;
