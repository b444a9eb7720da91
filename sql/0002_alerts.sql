-- 0002_alerts.sql: alert state, its history, acknowledgements and the last evaluation.
--
-- One row per alert fingerprint (a stable hash of its labels, lib/alert_rules.h) holds the
-- current state of that alert; every transition is appended to alert_history, every
-- acknowledgement to alert_ack. Only the daemon that holds the alert leader advisory lock
-- (daemon/alerts/alert_engine.c) writes states; the acknowledgement endpoint only writes
-- the acknowledged_by/acknowledged_at columns and alert_ack.
--
-- States: pending and firing are active; resolved ended after firing; inactive is a pending
-- alert that was cancelled before it ever fired (nothing was announced, so the API does not
-- list it). A row is reused when the same alert becomes active again: a new episode.

CREATE TABLE alert (
    fingerprint      text PRIMARY KEY CHECK (fingerprint ~ '^[0-9a-f]{16}$'),
    alertname        text NOT NULL,
    year             integer NOT NULL,            -- the budget year evaluated (label "year")
    labels           jsonb NOT NULL,
    annotations      jsonb NOT NULL,              -- summary, description
    value            double precision NOT NULL DEFAULT 0, -- the rule's measure, display only
    state            text NOT NULL CHECK (state IN ('inactive', 'pending', 'firing', 'resolved')),
    active_since     timestamptz NOT NULL,        -- first evaluation of this episode
    starts_at        timestamptz,                 -- when it fired; NULL while pending
    ends_at          timestamptz,                 -- when it resolved or was cancelled
    consecutive      integer NOT NULL DEFAULT 0,  -- evaluations in a row the condition held
    updated_at       timestamptz NOT NULL DEFAULT now(), -- last transition
    acknowledged_by  text,                        -- cleared when a new episode starts
    acknowledged_at  timestamptz,
    pushed_state     text CHECK (pushed_state IN ('firing', 'resolved')), -- last sent to Alertmanager
    pushed_at        timestamptz,
    CHECK (CASE state
             WHEN 'pending'  THEN starts_at IS NULL AND ends_at IS NULL
             WHEN 'firing'   THEN starts_at IS NOT NULL AND ends_at IS NULL
             WHEN 'resolved' THEN starts_at IS NOT NULL AND ends_at IS NOT NULL
             ELSE ends_at IS NOT NULL
           END),
    CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
);
CREATE INDEX alert_state ON alert (state, year);

-- Every transition: pending, firing, resolved, or inactive (a pending alert cancelled).
CREATE TABLE alert_history (
    id           bigserial PRIMARY KEY,
    fingerprint  text NOT NULL REFERENCES alert(fingerprint),
    state        text NOT NULL CHECK (state IN ('inactive', 'pending', 'firing', 'resolved')),
    at           timestamptz NOT NULL DEFAULT now(),
    value        double precision NOT NULL DEFAULT 0,
    summary      text NOT NULL
);
CREATE INDEX alert_history_fingerprint ON alert_history (fingerprint, at);

-- Every acknowledgement, with the name given and the token that gave it.
CREATE TABLE alert_ack (
    id              bigserial PRIMARY KEY,
    fingerprint     text NOT NULL REFERENCES alert(fingerprint),
    acknowledged_by text NOT NULL CHECK (length(acknowledged_by) BETWEEN 1 AND 100),
    token_id        bigint REFERENCES api_token(id),
    comment         text NOT NULL DEFAULT '' CHECK (length(comment) <= 500),
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_ack_fingerprint ON alert_ack (fingerprint, at);

-- The last evaluation of each year: what the alert list says its data is as of.
CREATE TABLE alert_evaluation (
    year          integer PRIMARY KEY,
    evaluated_at  timestamptz NOT NULL,
    data_as_of    timestamptz                     -- newest submission seen; NULL when none
);
