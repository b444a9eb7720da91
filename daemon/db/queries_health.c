/*
 * queries_health.c: statements behind /readyz (see queries_health.h).
 */
#include "db/queries_health.h"

#include "db/db_result.h"
#include "db/db_statement.h"

const db_statement db_queries_health[] = {
    /* The schema version is the newest migration applied (0 on an empty database). */
    {"health_schema_version", "SELECT coalesce(max(version), 0) AS version FROM schema_migrations",
     0},
    DB_STATEMENT_END,
};

db_status hq_schema_version(db_conn *db, int *version)
{
    db_result_spec spec[] = {db_rs_int("version", version), db_rs_end()};
    db_status st = db_query_one(db, "health_schema_version", NULL, spec);
    return st == DB_NOT_FOUND ? DB_FAILED : st; /* an aggregate always has its one row */
}
