-- 0010_month_end.sql: what the controllers' month end needs from the schema.
--
-- budget_profile: the planned monthly profile of the cap (reference data profile.csv,
--   optional). A year with rows has twelve, one per month, whose weights sum to 10000
--   basis points; the loader checks that before storing (lib/profile.c). A year without
--   rows keeps the even spread over its days.
-- zorgkantoor: names of zorgkantoren (reference data zorgkantoren.csv, optional); the code
--   alone identifies one, the name is for people.
-- reference_load: one row per `lvhcmon reference load`, so that an answer computed from
--   the reference data (a cached as_of document) can tell it is out of date.
-- alert.annotations_nl: the Dutch summary and description beside the English annotations,
--   which stay what Alertmanager receives. NULL for rows written before this migration
--   (the next evaluation fills it).
-- submission_received: the submissions received up to a moment, counted for as_of answers.

CREATE TABLE budget_profile (
    year       integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    month      integer NOT NULL CHECK (month BETWEEN 1 AND 12),
    weight_bp  integer NOT NULL CHECK (weight_bp BETWEEN 0 AND 10000),
    PRIMARY KEY (year, month)
);

CREATE TABLE zorgkantoor (
    code  text PRIMARY KEY CHECK (code ~ '^55(0[1-9]|[12][0-9]|3[0-3])$'),
    name  text NOT NULL
);

CREATE TABLE reference_load (
    id         bigserial PRIMARY KEY,
    loaded_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE alert ADD COLUMN annotations_nl jsonb;

CREATE INDEX submission_received ON submission (received_at);
