-- 0006_runtime_role.sql: the database role the daemon runs as, and what it may do.
--
-- Two roles (README, "Security"): the schema OWNER runs the migrations ([database]
-- migrate_conninfo) and the command line's administrative commands (reference data,
-- tokens); the daemon connects ([database] conninfo) as a login role that is a member of
-- the group role lvhcmon_runtime, which may do only what the daemon needs:
--
--   SELECT   every table and view (it serves and checks everything it stores)
--   INSERT   the ledger (submission, declaration_line), ingest_attempt, the alert tables
--   UPDATE   alert (states, acknowledgements, what was pushed to Alertmanager) and
--            alert_evaluation (the last evaluation of a year): the alert engine's state;
--            api_token.last_used_at only (0007)
--   nothing  else: no DELETE or TRUNCATE anywhere, no UPDATE of the ledger, of reference
--            data or of tokens, no new tokens, no DDL (PostgreSQL 15 gives PUBLIC no CREATE
--            on the schema public)
--
-- Every later migration grants lvhcmon_runtime what the daemon needs on what it creates;
-- SELECT on new tables comes by default (ALTER DEFAULT PRIVILEGES below).
--
-- The group role is created here when it does not exist, which takes CREATEROLE (or a
-- superuser). Roles belong to the whole cluster: several lvhcmon databases in one cluster
-- share it. The login role itself is the operator's: CREATE ROLE lvhcmond LOGIN PASSWORD
-- '...' IN ROLE lvhcmon_runtime (scripts/run.sh and the tests create one).
--
-- The ledger is append-only for the owner too: the trigger of 0001 that refuses UPDATE and
-- DELETE now refuses TRUNCATE as well (a statement trigger; TRUNCATE fires no row
-- triggers).

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lvhcmon_runtime') THEN
        BEGIN
            CREATE ROLE lvhcmon_runtime NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE EXCEPTION 'the role lvhcmon_runtime does not exist and % may not create it',
                            current_user
                USING HINT = 'as a superuser: CREATE ROLE lvhcmon_runtime NOLOGIN; and make the '
                             'daemon''s login role a member: GRANT lvhcmon_runtime TO lvhcmond';
        END;
    END IF;
END $$;

GRANT USAGE ON SCHEMA public TO lvhcmon_runtime;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO lvhcmon_runtime;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO lvhcmon_runtime;

GRANT INSERT ON submission, declaration_line, ingest_attempt TO lvhcmon_runtime;
GRANT INSERT ON alert_history, alert_ack TO lvhcmon_runtime;
GRANT INSERT, UPDATE ON alert, alert_evaluation TO lvhcmon_runtime;
GRANT USAGE ON SEQUENCE submission_id_seq, declaration_line_id_seq, ingest_attempt_id_seq,
                        alert_history_id_seq, alert_ack_id_seq TO lvhcmon_runtime;

CREATE TRIGGER declaration_line_no_truncate BEFORE TRUNCATE ON declaration_line
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER submission_no_truncate BEFORE TRUNCATE ON submission
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();
