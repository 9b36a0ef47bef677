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
-- The min or max of a computing KPI's included children's contributions over one of its periods
-- [ps, pe) (a shorter-cadence child's values combined by its own time aggregation), as
-- lib/domain/cascade-compute.ts's childContribution and rollupChildren give it: what
-- kpi_rollup_checkins reads when the child that held the extreme moved away from it.
CREATE FUNCTION kpi_children_extreme(o uuid, parent uuid, method text, ps date, pe date)
RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN method = 'min' THEN min(c.value) ELSE max(c.value) END
    FROM kpis ch
    CROSS JOIN LATERAL (
      SELECT CASE ch.time_aggregation
               WHEN 'sum' THEN sum(cv.value)
               WHEN 'average' THEN kpi_div_round(sum(cv.value), count(*))
               ELSE (array_agg(cv.value ORDER BY cv.period_start DESC))[1]
             END AS value
        FROM kpi_period_values cv
       WHERE cv.org_id = o AND cv.kpi_id = ch.id AND cv.period_start >= ps AND cv.period_start < pe
    ) c
   WHERE ch.org_id = o AND ch.parent_id = parent AND (ch.archived_on IS NULL OR ps < ch.archived_on)
$$;
--> statement-breakpoint
-- New check-ins of one org rolled up their chains in the server, by difference where the kind
-- allows: a `sum` parent adds its child's change, an `average` parent adds it to its state_sum
-- and divides by its reporting children, a `weighted_average` parent adds change x weight (and
-- the weight to state_weight when the child starts reporting); a `min` or `max` parent takes the
-- child's new contribution when it is at least as extreme, keeps its value when the child did not
-- hold the extreme, and only when the child held it and moved away takes the extreme of all its
-- children (kpi_children_extreme). A child's contribution is its value, or for a shorter cadence
-- its values in the parent's period combined by its own time aggregation (its own rows). A
-- source's value: `sum` adds, `average` from its state, `last` is its newest check-in (the
-- latest date, then the latest recorded, then the greatest id, as latestSample orders them).
-- `items`: a JSON array of {kpi_id, value, m, q, y}, each with the starts of the month, quarter
-- and year containing its date (computed by the caller with lib/domain/periods.ts), in the
-- order the check-ins are recorded. Manual and formula ancestors end a chain (their children
-- only show alignment), an archived child's too from its archiving date. It returns false and
-- changes nothing (its writes are undone with the block's subtransaction) when a source is not a
-- `manual` KPI of the org or a state it needs is missing or does not give the stored value (a
-- writer that did not keep it): the caller then takes the full recompute. The caller inserts the
-- check-ins first, holds the cascade locks and runs the formula pass of any formula reading the
-- chains (this evaluates no formula); this writes the period values and one alerts-outbox row
-- per (KPI, period) whose value changed (the old value before the first item, the new after the
-- last), as periodValueWriteCtes does.
CREATE FUNCTION kpi_rollup_checkins(o uuid, items json) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  it record;
  c record;
  p record;
  r record;
  agg record;
  depth int;
  start date;
  c_start date;
  old_value numeric;
  new_value numeric;
  c_before numeric;
  c_after numeric;
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
    IF NOT FOUND OR c.rollup <> 'manual' THEN
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
      -- A state that does not give the stored value (missing, or left behind by a writer that
      -- does not keep it) is not used.
      IF c.time_aggregation = 'average'
         AND (st IS NULL OR kpi_div_round(st, r.sample_count) <> old_value) THEN
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
    ELSIF c.time_aggregation = 'average' THEN
      st := st + it.value;
      new_value := kpi_div_round(st, reported);
    ELSE
      st := NULL;
      SELECT ch.value INTO new_value FROM checkins ch
       WHERE ch.org_id = o AND ch.kpi_id = c.id AND ch.observed_on >= start
         AND ch.observed_on < kpi_period_end(start, c.cadence)
       ORDER BY ch.observed_on DESC, ch.created_at DESC, ch.id DESC LIMIT 1;
      IF new_value IS NULL THEN RAISE EXCEPTION USING ERRCODE = 'KP001'; END IF; -- not inserted
    END IF;
    key := c.id::text || '|' || start::text;
    IF NOT olds ? key THEN olds := olds || jsonb_build_object(key, old_value); END IF;
    news := news || jsonb_build_object(key, new_value);
    INSERT INTO kpi_period_values AS v (org_id, kpi_id, period_start, value, sample_count,
        children_reported, children_expected, state_sum, state_weight, updated_at)
      VALUES (o, c.id, start, new_value, reported, 0, 0, st, NULL, now())
      ON CONFLICT (org_id, kpi_id, period_start) DO UPDATE SET value = excluded.value,
        sample_count = excluded.sample_count, state_sum = excluded.state_sum, updated_at = now();
    c_start := start;
    depth := 0;
    -- Up the chain while a value changes (or appears).
    LOOP
      EXIT WHEN c.parent_id IS NULL OR (old_value IS NOT NULL AND new_value = old_value);
      IF depth > 64 THEN RAISE EXCEPTION USING ERRCODE = 'KP001'; END IF;
      SELECT k.id, k.parent_id, k.cadence, k.time_aggregation, k.rollup, k.archived_on, k.weight
        INTO p FROM kpis k WHERE k.org_id = o AND k.id = c.parent_id;
      EXIT WHEN NOT FOUND;
      start := CASE p.cadence WHEN 'month' THEN it.m WHEN 'quarter' THEN it.q ELSE it.y END;
      EXIT WHEN c.archived_on IS NOT NULL AND start >= c.archived_on; -- left the rollup
      EXIT WHEN p.rollup::text IN ('manual', 'formula'); -- children only show alignment
      -- The child's contribution before and after (its row at c_start is already written).
      IF c.cadence = p.cadence THEN
        c_before := old_value;
        c_after := new_value;
      ELSE
        SELECT count(*) AS n, sum(v.value) AS total,
               (array_agg(v.value ORDER BY v.period_start DESC))[1] AS last1,
               (array_agg(v.period_start ORDER BY v.period_start DESC))[1] AS last_start,
               (array_agg(v.value ORDER BY v.period_start DESC))[2] AS last2
          INTO agg FROM kpi_period_values v
         WHERE v.org_id = o AND v.kpi_id = c.id AND v.period_start >= start
           AND v.period_start < kpi_period_end(start, p.cadence);
        IF c.time_aggregation = 'sum' THEN
          c_after := agg.total;
          c_before := CASE WHEN old_value IS NULL AND agg.n = 1 THEN NULL
                         ELSE agg.total - new_value + coalesce(old_value, 0) END;
        ELSIF c.time_aggregation = 'average' THEN
          c_after := kpi_div_round(agg.total, agg.n);
          c_before := CASE WHEN old_value IS NULL AND agg.n = 1 THEN NULL
                         ELSE kpi_div_round(agg.total - new_value + coalesce(old_value, 0),
                                            agg.n - CASE WHEN old_value IS NULL THEN 1 ELSE 0 END) END;
        ELSE
          c_after := agg.last1;
          c_before := CASE WHEN agg.last_start <> c_start THEN agg.last1
                         WHEN old_value IS NOT NULL THEN old_value
                         ELSE agg.last2 END;
        END IF;
      END IF;
      appeared := c_before IS NULL;
      SELECT v.value, v.children_reported, v.children_expected, v.state_sum, v.state_weight
        INTO r FROM kpi_period_values v
       WHERE v.org_id = o AND v.kpi_id = p.id AND v.period_start = start FOR UPDATE;
      IF FOUND THEN
        old_value := r.value;
        reported := r.children_reported;
        expected := r.children_expected;
        st := r.state_sum;
        sw := r.state_weight;
        IF (p.rollup = 'average' AND (st IS NULL OR kpi_div_round(st, reported) <> old_value))
           OR (p.rollup = 'weighted_average' AND (st IS NULL OR sw IS NULL OR sw = 0
               OR kpi_div_round(st, sw) <> old_value)) THEN
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
        new_value := coalesce(old_value, 0) + c_after - coalesce(c_before, 0);
      ELSIF p.rollup = 'average' THEN
        st := st + c_after - coalesce(c_before, 0);
        sw := NULL;
        new_value := kpi_div_round(st, reported);
      ELSIF p.rollup = 'weighted_average' THEN
        st := st + (c_after - coalesce(c_before, 0)) * c.weight;
        sw := sw + CASE WHEN appeared THEN c.weight ELSE 0 END;
        new_value := kpi_div_round(st, sw);
      ELSE -- min, max
        st := NULL;
        sw := NULL;
        IF old_value IS NULL OR c_after = old_value
           OR (p.rollup = 'max' AND c_after > old_value) OR (p.rollup = 'min' AND c_after < old_value) THEN
          new_value := c_after;
        ELSIF c_before = old_value THEN
          new_value := kpi_children_extreme(o, p.id, p.rollup::text, start,
                                            kpi_period_end(start, p.cadence));
        ELSE
          new_value := old_value;
        END IF;
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
--> statement-breakpoint
-- kpi_rollup_checkins for a caller that sends COMMIT without waiting for the answer (the
-- pipelined check-in): a refusal raises (SQLSTATE KP002), so the transaction fails and the
-- caller retries it through the full recompute.
CREATE FUNCTION kpi_rollup_checkins_or_raise(o uuid, items json) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT kpi_rollup_checkins(o, items) THEN
    RAISE EXCEPTION 'kpi_rollup_checkins refused' USING ERRCODE = 'KP002';
  END IF;
  RETURN true;
END
$$;
