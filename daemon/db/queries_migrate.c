/*
 * queries_migrate.c: statements of the schema migrator (daemon/db/migrate.c). They run on
 * a connection that has not prepared anything yet (the tables may not exist), unprepared
 * by name; see db_conn_new().
 */
#include "db/db_statement.h"

const db_statement db_queries_migrate[] = {
    /* Held until the transaction ends: a second migrator waits here, then finds nothing
     * left to do. */
    {"migrate_lock", "SELECT pg_advisory_xact_lock($1::bigint)", 1},
    {"migrate_bootstrap",
     "CREATE TABLE IF NOT EXISTS schema_migrations ("
     " version integer PRIMARY KEY,"
     " name text NOT NULL,"
     " sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),"
     " applied_at timestamptz NOT NULL DEFAULT now())",
     0},
    {"migrate_list", "SELECT version, name, sha256 FROM schema_migrations ORDER BY version", 0},
    {"migrate_table_present", "SELECT to_regclass('schema_migrations') IS NOT NULL AS present", 0},
    {"migrate_record", "INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)",
     3},
    DB_STATEMENT_END,
};
