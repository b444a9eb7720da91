-- bench/scale_gen.sql: LINES declaration lines written straight into the ledger, as ingest
-- would have stored them, for bench/scale_bench.sh. Run by psql (autocommit) on a database
-- with the schema and the reference data, with the variables
--   first_year, last_year, last_month   the months covered: January of first_year up to
--                                        last_month of last_year
--   lines                               how many lines (1,000,000)
--   ref_year                            the year whose tariffs and rates price every line
-- and the temporary table gen_client (n, hash): client number -> the keyed HMAC of its BSN
-- (computed by the script with the daemon's client hash key, as ingest does; never a BSN).
--
-- The data, per provider with a rate and a designated group with C&A (70 in the demo
-- reference data): every month one submission (reference YYYY-MM, source csv) of the
-- month's lines, the lines spread evenly over all provider-months (1,000,000 lines over
-- 50 years x 12 months x 70 providers: 23 or 24 a submission). A line is one day of care
-- for one of the provider's 300 clients: time (15-240 minutes of the group's C&A
-- prestatie) or, one line in ten, travel (trips or kilometres). Priced as lib/pricing.c and
-- bench/ingest_gen.py do (rounded once, half away from zero). Besides:
--   rejected   line 14 of every other submission: prestatie CAXYZ (0582), amount 0
--   credits    line 21 of every third submission reverses line 6 of the provider's previous
--              month (same client, prestatie, period; minutes and amount negated)
--   received   8 days after the month's end at 12:00 Amsterdam time (never after today);
--              one submission in 31 after 45 days. A line received after the deadline of
--              its service month (17 working days after the month of date_from, weekends
--              and the reference holidays left out) is late: 0586 with ingest's text.
-- Submissions are inserted one year a transaction (so xact_id, the watermark column, grows
-- with the id as it does for real commits), with the documents ingest keeps: the canonical
-- content and its SHA-256, and the first answer. Every submission has its ingest_attempt.
--
-- Years the reference data has no tariffs for are priced at ref_year's: the snapshot sums
-- what the ledger holds, and the schema refuses reference years before 2000.
\set ON_ERROR_STOP 1

CREATE TEMP TABLE gen_provider AS
SELECT (row_number() OVER (ORDER BY p.agb) - 1)::int AS p, p.agb, p.zorgkantoor, r.rate_bp,
       g.code AS grp, t.code AS time_code, t.tariff_cents AS time_tariff,
       rt.code AS trip_code, rt.tariff_cents AS trip_tariff, rt.rate_applies AS trip_rate,
       km.code AS km_code, km.tariff_cents AS km_tariff, km.rate_applies AS km_rate
  FROM provider p
  JOIN provider_rate r ON r.agb = p.agb AND r.year = :ref_year
  JOIN LATERAL (SELECT d.target_group FROM designation d
                  JOIN target_group tg ON tg.code = d.target_group AND tg.ca_from IS NOT NULL
                 WHERE d.agb = p.agb ORDER BY d.valid_from, d.target_group LIMIT 1) dg ON true
  JOIN target_group g ON g.code = dg.target_group
  JOIN prestatie t ON t.year = :ref_year AND t.target_group = g.code AND t.kind = 'time'
  JOIN prestatie rt ON rt.year = :ref_year AND rt.target_group = g.code AND rt.unit = 'trip'
  JOIN prestatie km ON km.year = :ref_year AND km.target_group = g.code AND km.unit = 'km';
SELECT count(*) AS n_providers FROM gen_provider \gset

-- The months, each with the deadline of its lines (17 working days after its end).
CREATE TEMP TABLE gen_month AS
SELECT s, month, (month + interval '1 month' - interval '1 day')::date AS month_end
  FROM (SELECT s, make_date(:first_year + s / 12, 1 + s % 12, 1) AS month
          FROM generate_series(0, (:last_year - :first_year) * 12 + :last_month - 1) s) m;
ALTER TABLE gen_month ADD COLUMN deadline date;
UPDATE gen_month m SET deadline = (
    SELECT day FROM (SELECT day, row_number() OVER (ORDER BY day) AS k
                       FROM generate_series(m.month_end + 1, m.month_end + 40, interval '1 day') d(day)
                      WHERE extract(isodow FROM day) < 6
                        AND NOT EXISTS (SELECT 1 FROM holiday h WHERE h.day = d.day::date)) w
     WHERE k = 17)::date;
SELECT count(*) AS n_months FROM gen_month \gset
CREATE UNIQUE INDEX ON gen_month (s);

-- One slot (submission) per provider and month, in time order; its received day.
CREATE TEMP TABLE gen_slot AS
SELECT (m.s * :n_providers + p.p)::bigint AS slot, m.s, p.p, m.month,
       least(m.month_end + CASE WHEN (m.s * 7 + p.p) % 31 = 0 THEN 45 ELSE 8 END,
             current_date) AS received_on
  FROM gen_month m CROSS JOIN gen_provider p;
CREATE UNIQUE INDEX ON gen_slot (slot);
SELECT (:n_months * :n_providers)::bigint AS n_slots \gset

-- The lines: line g of LINES goes to slot g * slots / LINES (23 or 24 a slot), as its j-th.
CREATE TEMP TABLE gen_line AS
WITH placed AS (
    SELECT g, g * :n_slots / :lines AS slot FROM generate_series(0::bigint, :lines - 1) g
), shaped AS (
    SELECT pl.g, pl.slot, sl.s, sl.p, sl.month, sl.received_on,
           pl.g - (pl.slot * :lines + :n_slots - 1) / :n_slots AS j
      FROM placed pl JOIN gen_slot sl USING (slot)
), kinds AS (
    SELECT *, CASE WHEN j = 13 AND s % 2 = 0 THEN 'rejected'
                   WHEN j = 20 AND s % 3 = 1 THEN 'credit'
                   WHEN j % 10 = 9 THEN 'travel'
                   ELSE 'time' END AS kind,
              s * 24 + j AS n, -- the provider's running line number
              -- the line this one is, or (a credit) reverses: its month and position
              CASE WHEN j = 20 AND s % 3 = 1 THEN s - 1 ELSE s END AS ds,
              CASE WHEN j = 20 AND s % 3 = 1 THEN 5 ELSE j END AS dj
      FROM shaped
)
SELECT k.*, dm.month AS service_month, dm.deadline,
       (dm.month + ((dj * 3 + ds) % 28)::int) AS day,
       to_char(k.month, 'YYYY-MM') || '-' || lpad((j + 1)::text, 4, '0') AS line_ref,
       to_char(dm.month, 'YYYY-MM') || '-' || lpad((dj + 1)::text, 4, '0') AS debit_ref,
       c.hash AS client_hash, 15 + ((ds * 24 + dj) * 37) % 226 AS debit_minutes
  FROM kinds k
  JOIN gen_month dm ON dm.s = k.ds
  JOIN gen_client c ON c.n = k.p * 300 + (k.dj * 7 + k.ds * 11) % 300;

-- Priced: the columns ingest writes.
CREATE TEMP TABLE gen_row AS
SELECT l.g, l.slot, l.j, l.s, l.received_on, p.agb, l.line_ref, l.client_hash,
       l.day AS date_from, l.service_month, p.zorgkantoor, l.kind,
       CASE l.kind WHEN 'rejected' THEN 'CAXYZ'
                   WHEN 'travel' THEN CASE WHEN (l.n / 10) % 2 = 0 THEN p.trip_code ELSE p.km_code END
                   ELSE p.time_code END AS prestatie,
       CASE WHEN l.kind = 'travel' AND (l.n / 10) % 2 = 0 THEN 1 + l.n % 3
            WHEN l.kind = 'travel' THEN 5 + l.n % 146
            ELSE l.debit_minutes END AS quantity,
       CASE WHEN l.kind = 'travel' AND (l.n / 10) % 2 = 0 THEN p.trip_tariff
            WHEN l.kind = 'travel' THEN p.km_tariff
            ELSE p.time_tariff END AS tariff,
       CASE WHEN l.kind = 'travel' AND (l.n / 10) % 2 = 0 AND NOT p.trip_rate THEN 10000
            WHEN l.kind = 'travel' AND (l.n / 10) % 2 = 1 AND NOT p.km_rate THEN 10000
            ELSE p.rate_bp END AS factor,
       p.rate_bp, p.grp, l.debit_ref, l.deadline
  FROM gen_line l JOIN gen_provider p USING (p);

-- round_half_away(num, den): the one rounding of lib/money.c, for num of either sign.
CREATE FUNCTION pg_temp.round_half_away(num numeric, den numeric) RETURNS bigint
    LANGUAGE sql IMMUTABLE AS
    $$ SELECT (sign(num) * floor((abs(num) + floor(den / 2)) / den))::bigint $$;

CREATE TEMP TABLE gen_ledger AS
SELECT r.slot, r.g, (r.j + 1)::int AS line_no, r.agb AS provider_agb, r.line_ref,
       r.client_hash, r.prestatie,
       CASE WHEN r.kind = 'rejected' THEN NULL ELSE r.grp END AS target_group,
       r.zorgkantoor, r.date_from, r.date_from AS date_to, r.service_month,
       r.quantity::bigint AS quantity,
       CASE r.kind WHEN 'time' THEN r.quantity WHEN 'credit' THEN -r.quantity ELSE 0 END::bigint
           AS minutes,
       CASE WHEN r.kind = 'travel'
            THEN pg_temp.round_half_away(r.quantity::numeric * r.tariff * r.factor, 10000)
            ELSE 0 END AS travel_cents,
       CASE WHEN r.kind = 'credit' THEN 'C' ELSE 'D' END AS debit_credit,
       CASE WHEN r.kind = 'credit' THEN r.debit_ref END AS corrects_ref,
       CASE WHEN r.kind <> 'rejected' THEN r.tariff END::bigint AS tariff_cents,
       CASE WHEN r.kind <> 'rejected' THEN r.rate_bp END AS rate_bp,
       CASE r.kind
           WHEN 'rejected' THEN 0
           WHEN 'travel' THEN pg_temp.round_half_away(r.quantity::numeric * r.tariff * r.factor, 10000)
           WHEN 'credit' THEN -pg_temp.round_half_away(r.quantity::numeric * r.tariff * r.rate_bp, 600000)
           ELSE pg_temp.round_half_away(r.quantity::numeric * r.tariff * r.rate_bp, 600000)
       END AS amount_cents,
       r.kind <> 'rejected' AS accepted,
       r.kind <> 'rejected' AND r.received_on > r.deadline AS late,
       r.received_on, r.deadline
  FROM gen_row r;
ALTER TABLE gen_ledger ADD COLUMN codes text[], ADD COLUMN reason text, ADD COLUMN error_field text;
UPDATE gen_ledger SET codes = CASE WHEN NOT accepted THEN '{0582}'::text[]
                                   WHEN late THEN '{0586}' ELSE '{}' END,
       reason = CASE WHEN NOT accepted THEN '0582: prestatie ' || prestatie
                                            || ' is on no C&A prestatie list of any year'
                     WHEN late THEN format('0586: received %s, after the deadline %s of the service '
                                           'month of %s (17 working days); counted, but flagged',
                                           to_char(received_on, 'YYYY-MM-DD'),
                                           to_char(deadline, 'YYYY-MM-DD'),
                                           to_char(date_from, 'YYYY-MM-DD')) END,
       error_field = CASE WHEN NOT accepted THEN 'prestatie' END;
CREATE INDEX ON gen_ledger (slot);

-- The submissions with their documents, one year a transaction (psql autocommit).
CREATE TEMP TABLE gen_sub AS
SELECT sl.slot + 1 AS id, p.agb, to_char(sl.month, 'YYYY-MM') AS reference,
       (sl.received_on + time '12:00') AT TIME ZONE 'Europe/Amsterdam' AS received_at,
       extract(year FROM sl.month)::int AS year,
       json_build_object(
           'lines', json_agg(json_build_object(
               'client_hash', l.client_hash, 'corrects_ref', coalesce(l.corrects_ref, ''),
               'date_from', l.date_from, 'date_to', l.date_to, 'debit_credit', l.debit_credit,
               'line_ref', l.line_ref, 'minutes', l.quantity, 'prestatie', l.prestatie,
               'travel_cents', 0) ORDER BY l.line_no),
           'period_from', NULL, 'period_to', NULL, 'provider_agb', p.agb,
           'reference', to_char(sl.month, 'YYYY-MM'), 'source', 'csv', 'zorgkantoor', '')::text
           AS canonical,
       json_agg(CASE WHEN l.accepted
                     THEN json_build_object('line_ref', l.line_ref, 'status', 'accepted',
                                            'codes', l.codes, 'amount_cents', l.amount_cents,
                                            'late', l.late, 'reason', l.reason)
                     ELSE json_build_object('line_ref', l.line_ref, 'status', 'rejected',
                                            'codes', l.codes, 'amount_cents', 0, 'late', false,
                                            'reason', l.reason, 'field', l.error_field) END
                ORDER BY l.line_no) AS response_lines,
       count(*) FILTER (WHERE l.accepted)::int AS accepted,
       count(*) FILTER (WHERE NOT l.accepted)::int AS rejected,
       coalesce(sum(l.amount_cents) FILTER (WHERE l.accepted), 0)::bigint AS amount_cents,
       count(*)::int AS line_count
  FROM gen_slot sl JOIN gen_provider p USING (p) JOIN gen_ledger l USING (slot)
 GROUP BY sl.slot, sl.month, sl.received_on, p.agb;

SELECT format($f$
    INSERT INTO submission (id, provider_agb, reference, source, zorgkantoor, received_at,
                            content_sha256, canonical, response, accepted, rejected,
                            amount_cents)
    SELECT id, agb, reference, 'csv', NULL, received_at,
           encode(sha256(convert_to(canonical, 'UTF8')), 'hex'), canonical::json,
           json_build_object('id', id, 'provider_agb', agb, 'reference', reference,
                             'replayed', false, 'accepted', accepted, 'rejected', rejected,
                             'amount_cents', amount_cents, 'lines', response_lines),
           accepted, rejected, amount_cents
      FROM gen_sub WHERE year = %s ORDER BY id$f$, y)
  FROM generate_series(:first_year, :last_year) y ORDER BY y \gexec

INSERT INTO ingest_attempt (received_at, channel, provider_agb, reference, result,
                            submission_id, line_count)
SELECT received_at, 'cli-csv', agb, reference, 'stored', id, line_count FROM gen_sub ORDER BY id;

INSERT INTO declaration_line (submission_id, line_no, provider_agb, line_ref, client_hash,
                              prestatie, target_group, zorgkantoor, date_from, date_to,
                              service_month, quantity, minutes, travel_cents, debit_credit,
                              corrects_ref, tariff_cents, rate_bp, amount_cents, declared_cents,
                              accepted, late, codes, reason, error_field, received_at)
SELECT l.slot + 1, l.line_no, l.provider_agb, l.line_ref, l.client_hash, l.prestatie,
       l.target_group, l.zorgkantoor, l.date_from, l.date_to, l.service_month, l.quantity,
       l.minutes, l.travel_cents, l.debit_credit, l.corrects_ref, l.tariff_cents, l.rate_bp,
       l.amount_cents, NULL, l.accepted, l.late, l.codes, l.reason, l.error_field, s.received_at
  FROM gen_ledger l JOIN gen_sub s ON s.id = l.slot + 1
 ORDER BY l.g;

SELECT setval(pg_get_serial_sequence('submission', 'id'), (SELECT max(id) FROM submission));
ANALYZE;
