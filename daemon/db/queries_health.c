/*
 * queries_health.c: statements behind /readyz and the command line's schema check.
 */
#include "db/db_statement.h"

const db_statement db_queries_health[] = {
    /* The schema version is the newest migration applied (0 on an empty database). */
    {"health_schema_version", "SELECT coalesce(max(version), 0) FROM schema_migrations", 0},
    DB_STATEMENT_END,
};
