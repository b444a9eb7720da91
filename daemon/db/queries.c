/*
 * queries.c: the one list of statement tables (see db_statement.h). Every area's table
 * appears here exactly once; the pool prepares them all on each (re)connect.
 */
#include "db/db_statement.h"

#include <string.h>

const db_statement *const db_statement_tables[] = {
    db_queries_health,
    db_queries_migrate,
    db_queries_token,
    db_queries_ingest,
    db_queries_refdata,
    db_queries_reference,
    db_queries_declarations,
    db_queries_submissions,
    db_queries_export,
    db_queries_snapshot,
    db_queries_alerts,
    db_queries_audit,
    NULL,
};

bool db_statement_is_copy(const db_statement *s)
{
    return strncmp(s->sql, "COPY ", 5) == 0;
}

const db_statement *db_statement_find(const char *name)
{
    for (size_t t = 0; db_statement_tables[t] != NULL; t++)
        for (const db_statement *s = db_statement_tables[t]; s->name != NULL; s++)
            if (strcmp(s->name, name) == 0)
                return s;
    return NULL;
}
