-- 0008_audit.sql: the audit trail, append-only like the ledger.
--
-- One row per action on client-related data or on access to it, in the spirit of NEN 7513
-- (who did what to which client-related record, when and from where):
--   every submission (stored, replayed, conflict, rejected whole; HTTP and `lvhcmon
--   import`), every read of line-level data (a provider's lines, a submission with its
--   lines), every acknowledgement of an alert, every token added or revoked, every load of
--   reference data, and every read of this trail itself.
--
--   at              when (the clock at the insert, not the start of the transaction)
--   actor           who, as one key: 'token:<id>' for an API token, 'cli:<user>' for the
--                   command line run by that operating-system user
--   actor_role      the token's role (controller, provider, ingest, dashboard), or 'cli'
--   actor_label     the token's label, or the operating-system user
--   token_id        the token, for an API request
--   action          what: declarations.submit, declarations.read, alert.acknowledge,
--                   token.add, token.revoke, reference.load, audit.read
--   object          on what: 'submission:<id>', 'provider:<agb>', 'alert:<fingerprint>',
--                   'token:<id>', 'reference:<folder>', 'audit'
--   provider_agb    whose client-related data it is, when it is one provider's
--   outcome         stored, replayed, conflict, rejected, ok
--   client_address  from where: the connection's peer, or the client a trusted proxy names
--                   (README: [server] trusted_proxies); NULL for the command line
--   proxy_address   the trusted proxy the request came through, if any
--   detail          what else identifies the action (the reference, the filters of a read,
--                   the number of lines returned), never a BSN
--
-- Nobody edits the trail: UPDATE, DELETE and TRUNCATE are refused by triggers, also for
-- the owner; the daemon's role (0006) may only SELECT and INSERT.

CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor           text NOT NULL CHECK (actor ~ '^(token:[0-9]+|cli:.+)$'),
    actor_role      text NOT NULL,
    actor_label     text NOT NULL DEFAULT '',
    token_id        bigint REFERENCES api_token(id),
    action          text NOT NULL CHECK (action ~ '^[a-z]+\.[a-z_]+$'),
    object          text NOT NULL,
    provider_agb    text,
    outcome         text NOT NULL,
    client_address  inet,
    proxy_address   inet,
    detail          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_actor ON audit_log (actor, at);

CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

GRANT SELECT, INSERT ON audit_log TO lvhcmon_runtime;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO lvhcmon_runtime;
