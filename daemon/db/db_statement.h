/*
 * db_statement.h: the registry of named SQL statements.
 *
 * All SQL that the programs run (apart from the migration files themselves) is a named
 * statement in a table. Each feature area keeps its own table in daemon/db/queries_<area>.c
 * as a `const db_statement db_queries_<area>[]` ending with DB_STATEMENT_END, and
 * daemon/db/queries.c lists every area once. A connection of the pool prepares every
 * statement when it (re)connects; the typed functions of each area run a statement by name
 * (db_result.h), never by building SQL text.
 *
 * Adding an area: create queries_<area>.c with its table and queries_<area>.h with its
 * typed functions (each returns a db_status and fills structs; callers never see SQL or
 * libpq), declare the table below, add it to the list in queries.c. Give every selected
 * column a plain lower-case name (an alias for an expression): result specs find columns by
 * name. tests/unit/check_db_statements.c checks names are unique and that n_params matches
 * the highest $n in the SQL.
 */
#ifndef LVHCMON_DB_STATEMENT_H
#define LVHCMON_DB_STATEMENT_H

#include <stdbool.h>
#include <stddef.h>

/** One named statement. */
typedef struct {
    const char *name; /* unique across all areas: "<area>_<what>", e.g. "token_by_hash" */
    const char *sql;  /* parameters as $1..$n, text format */
    int n_params;     /* number of parameters */
} db_statement;

/** SQL of a timestamptz column as ISO 8601 UTC text ("2026-11-23T10:00:00Z"). */
#define DB_SQL_ISO_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/** Ends every statement table. */
#define DB_STATEMENT_END                                                                           \
    {                                                                                              \
        NULL, NULL, 0                                                                              \
    }

/* The tables of each area, one per queries_<area>.c. */
extern const db_statement db_queries_health[];
extern const db_statement db_queries_migrate[];
extern const db_statement db_queries_token[];
extern const db_statement db_queries_ingest[];
extern const db_statement db_queries_refdata[];
extern const db_statement db_queries_reference[];
extern const db_statement db_queries_declarations[];
extern const db_statement db_queries_submissions[];
extern const db_statement db_queries_export[];
extern const db_statement db_queries_snapshot[];
extern const db_statement db_queries_alerts[];
extern const db_statement db_queries_audit[];

/** Every area's table, NULL-terminated (defined in queries.c). */
extern const db_statement *const db_statement_tables[];

/**
 * @return true for a "COPY ... FROM STDIN" statement (db_copy.h): COPY cannot be prepared,
 *         so it is sent as text, and it takes no parameters (its rows are COPY data)
 */
bool db_statement_is_copy(const db_statement *s);

/**
 * Finds a statement by name in every area.
 * @param name the statement's name
 * @return the statement, or NULL when no area has it
 */
const db_statement *db_statement_find(const char *name);

#endif
