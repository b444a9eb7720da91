-- 0002_alerts.sql: alert state, its history and acknowledgements.
--
-- One row per alert fingerprint (a stable hash of its labels) holds the current state;
-- every transition is appended to alert_history, every acknowledgement to alert_ack.
-- Only the daemon that holds the evaluator advisory lock writes here (daemon/alerts/).

CREATE TABLE alert (
    fingerprint      text PRIMARY KEY CHECK (fingerprint ~ '^[0-9a-f]{16}$'),
    alertname        text NOT NULL,
    labels           jsonb NOT NULL,
    annotations      jsonb NOT NULL,
    state            text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    active_count     integer NOT NULL DEFAULT 0,  -- consecutive evaluations the condition held
    inactive_count   integer NOT NULL DEFAULT 0,  -- consecutive evaluations it did not
    acknowledged_by  text,
    acknowledged_at  timestamptz,
    pushed_state     text,                        -- last state sent to Alertmanager
    pushed_at        timestamptz
);
CREATE INDEX alert_state ON alert (state);

CREATE TABLE alert_history (
    id           bigserial PRIMARY KEY,
    fingerprint  text NOT NULL REFERENCES alert(fingerprint),
    state        text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
    at           timestamptz NOT NULL DEFAULT now(),
    summary      text NOT NULL
);
CREATE INDEX alert_history_fingerprint ON alert_history (fingerprint, at);

CREATE TABLE alert_ack (
    id           bigserial PRIMARY KEY,
    fingerprint  text NOT NULL REFERENCES alert(fingerprint),
    acknowledged_by text NOT NULL CHECK (length(acknowledged_by) BETWEEN 1 AND 100),
    token_id     bigint REFERENCES api_token(id),
    comment      text NOT NULL DEFAULT '' CHECK (length(comment) <= 500),
    at           timestamptz NOT NULL DEFAULT now()
);
