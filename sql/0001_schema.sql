-- 0001_schema.sql: reference data, access tokens, and the append-only declaration ledger.
--
-- Applied once by lvhcmond's migrator (daemon/db/migrate.c) under an advisory lock and
-- recorded in schema_migrations. The ledger is append-only: no amount is ever updated.
-- A correction is a credit line that names the debit it reverses; the debit's status
-- "credited" is derived from the existence of that credit (see view declaration_line_status).

-- Reference data ---------------------------------------------------------------------------

CREATE TABLE target_group (
    code        text PRIMARY KEY CHECK (code ~ '^[A-Z]{2,6}$'),
    name        text NOT NULL,
    ca_from     date,                      -- NULL: no C&A for this group (LBS)
    ca_to       date,                      -- NULL: open
    sort_order  integer NOT NULL
);

CREATE TABLE prestatie (
    year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    code          text NOT NULL CHECK (length(code) BETWEEN 1 AND 5),
    target_group  text NOT NULL REFERENCES target_group(code),
    kind          text NOT NULL CHECK (kind IN ('time', 'travel')),
    tariff_cents  bigint NOT NULL CHECK (tariff_cents >= 0),
    unit          text NOT NULL CHECK (unit IN ('hour', 'trip', 'km')),
    rate_applies  boolean NOT NULL,
    PRIMARY KEY (year, code),
    CHECK ((kind = 'time' AND unit = 'hour') OR (kind = 'travel' AND unit IN ('trip', 'km')))
);

CREATE TABLE provider (
    agb          text PRIMARY KEY CHECK (agb ~ '^[0-9]{8}$'),
    name         text NOT NULL,
    zorgkantoor  text NOT NULL CHECK (zorgkantoor ~ '^55(0[1-9]|[12][0-9]|3[0-3])$')
);

CREATE TABLE designation (
    agb           text NOT NULL REFERENCES provider(agb),
    target_group  text NOT NULL REFERENCES target_group(code),
    centre_kind   text NOT NULL CHECK (centre_kind IN ('REC', 'DEC')),
    valid_from    date NOT NULL,
    valid_to      date,
    PRIMARY KEY (agb, target_group, valid_from),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE TABLE provider_rate (
    agb      text NOT NULL REFERENCES provider(agb),
    year     integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    rate_bp  integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 20000),
    PRIMARY KEY (agb, year)
);

CREATE TABLE budget (
    year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    scope       text NOT NULL CHECK (scope IN ('national', 'target_group', 'provider')),
    scope_key   text NOT NULL DEFAULT '',
    cap_cents   bigint NOT NULL CHECK (cap_cents > 0),
    PRIMARY KEY (year, scope, scope_key),
    CHECK ((scope = 'national') = (scope_key = ''))
);

-- AW319 time unit code -> minutes per unit (doc/domain.md assumption: 01 minutes, 02 hours).
CREATE TABLE time_unit (
    code     text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
    minutes  integer NOT NULL CHECK (minutes > 0),
    label    text NOT NULL
);

-- Dutch public holidays, for the declaration deadline counted in working days.
CREATE TABLE holiday (
    day   date PRIMARY KEY,
    name  text NOT NULL
);

-- Access ---------------------------------------------------------------------------------

CREATE TABLE api_token (
    id           bigserial PRIMARY KEY,
    token_hash   text NOT NULL UNIQUE,        -- hex SHA-256 of the token; never the token
    role         text NOT NULL CHECK (role IN ('controller', 'provider', 'ingest', 'dashboard')),
    provider_agb text REFERENCES provider(agb),
    label        text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    CHECK ((role = 'provider') = (provider_agb IS NOT NULL))
);

-- Declarations ---------------------------------------------------------------------------

-- Every attempt to submit, including ones rejected whole; the only trace a rejected file
-- leaves. No declaration content is kept here, only what identifies the attempt.
CREATE TABLE ingest_attempt (
    id            bigserial PRIMARY KEY,
    received_at   timestamptz NOT NULL DEFAULT now(),
    channel       text NOT NULL CHECK (channel IN ('http-json', 'http-aw319', 'cli-json',
                                                    'cli-aw319', 'cli-csv')),
    provider_agb  text,
    reference     text,
    result        text NOT NULL CHECK (result IN ('stored', 'replayed', 'conflict',
                                                   'rejected', 'failed')),
    error_code    text,
    error_field   text,
    error_message text,
    submission_id bigint,
    line_count    integer NOT NULL DEFAULT 0,
    body_sha256   text
);
CREATE INDEX ingest_attempt_received ON ingest_attempt (received_at);

CREATE TABLE submission (
    id             bigserial PRIMARY KEY,
    provider_agb   text NOT NULL CHECK (provider_agb ~ '^[0-9]{8}$'),
    reference      text NOT NULL CHECK (length(reference) BETWEEN 1 AND 20),
    source         text NOT NULL CHECK (source IN ('json', 'csv', 'aw319')),
    zorgkantoor    text,
    received_at    timestamptz NOT NULL DEFAULT now(),
    content_sha256 text NOT NULL,   -- of the canonical content (BSNs replaced by their HMAC)
    canonical      jsonb NOT NULL,  -- canonical content, to name the fields of a 409
    response       json NOT NULL,   -- the first answer, byte for byte, returned on replay
    accepted       integer NOT NULL,
    rejected       integer NOT NULL,
    amount_cents   bigint NOT NULL,
    UNIQUE (provider_agb, reference)
);

CREATE TABLE declaration_line (
    id                 bigserial PRIMARY KEY,
    submission_id      bigint NOT NULL REFERENCES submission(id),
    line_no            integer NOT NULL,
    provider_agb       text NOT NULL,
    line_ref           text NOT NULL,
    client_hash        text,            -- HMAC-SHA256 (hex) of the BSN; never the BSN
    prestatie          text,
    target_group       text,
    zorgkantoor        text,
    date_from          date,
    date_to            date,
    service_month      date,            -- first day of the month of date_from
    quantity           bigint,
    minutes            bigint NOT NULL DEFAULT 0,
    travel_cents       bigint NOT NULL DEFAULT 0,
    debit_credit       char(1),
    corrects_ref       text,            -- line_ref of the debit a credit reverses
    tariff_cents       bigint,
    rate_bp            integer,
    amount_cents       bigint NOT NULL DEFAULT 0,   -- signed; 0 when rejected
    declared_cents     bigint,                      -- AW319 declared amount, signed
    accepted           boolean NOT NULL,
    late               boolean NOT NULL DEFAULT false,
    codes              text[] NOT NULL DEFAULT '{}',
    reason             text,
    error_field        text,
    received_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (submission_id, line_no)
);
-- A line reference is unique per provider among accepted lines (8021).
CREATE UNIQUE INDEX declaration_line_ref_unique
    ON declaration_line (provider_agb, line_ref) WHERE accepted;
-- A debit is reversed at most once (8084). A debit is named by (provider_agb, line_ref),
-- unique among accepted lines, so a credit names it by (provider_agb, corrects_ref).
CREATE UNIQUE INDEX declaration_line_credit_once
    ON declaration_line (provider_agb, corrects_ref) WHERE accepted AND debit_credit = 'C';
CREATE INDEX declaration_line_provider_month ON declaration_line (provider_agb, service_month);
CREATE INDEX declaration_line_dup
    ON declaration_line (provider_agb, client_hash, prestatie, date_from) WHERE accepted;

-- The record is append-only: refuse UPDATE and DELETE on the ledger outright.
CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the declaration ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER declaration_line_append_only BEFORE UPDATE OR DELETE ON declaration_line
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER submission_append_only BEFORE UPDATE OR DELETE ON submission
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();

-- Line status as users see it: rejected, accepted, or credited (an accepted debit that an
-- accepted credit line reverses).
CREATE VIEW declaration_line_status AS
SELECT l.*,
       CASE WHEN NOT l.accepted THEN 'rejected'
            WHEN l.debit_credit = 'D' AND EXISTS (
                 SELECT 1 FROM declaration_line c
                  WHERE c.provider_agb = l.provider_agb AND c.corrects_ref = l.line_ref
                    AND c.accepted AND c.debit_credit = 'C')
                 THEN 'credited'
            ELSE 'accepted' END AS status
  FROM declaration_line l;
