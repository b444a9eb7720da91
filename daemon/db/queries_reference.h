/*
 * queries_reference.h: writing the reference data (`lvhcmon reference load`,
 * daemon/reference/refload.c) and the one existence check of a provider that the command
 * line and the API share.
 *
 * Target groups and providers are upserted, because tokens and ledger lines refer to them;
 * the other tables are cleared and refilled inside the loader's one transaction.
 */
#ifndef LVHCMON_QUERIES_REFERENCE_H
#define LVHCMON_QUERIES_REFERENCE_H

#include <stdbool.h>

#include "db/db_conn.h"

/** The reference tables, in the order they are loaded. */
typedef enum {
    RQ_TARGET_GROUP, /* code, name, ca_from, ca_to, sort_order ("" dates: open) */
    RQ_PROVIDER,     /* agb, name, zorgkantoor */
    RQ_PRESTATIE,    /* year, code, target_group, kind, tariff_cents, unit, rate_applies */
    RQ_DESIGNATION,  /* agb, target_group, centre_kind, valid_from, valid_to ("": open) */
    RQ_RATE,         /* agb, year, rate_bp */
    RQ_BUDGET,       /* year, scope, scope_key, cap_cents */
    RQ_TIME_UNIT,    /* code, minutes, label */
    RQ_HOLIDAY,      /* day, name */
    RQ_TABLE_COUNT
} rq_table;

/** @return true when @a table is upserted row by row (not cleared before a load). */
bool rq_table_upserted(rq_table table);

/**
 * Empties @a table (inside the caller's transaction). Does nothing for an upserted table.
 * @return DB_OK, or the failure
 */
db_status rq_clear(db_conn *db, rq_table table);

/**
 * Stores one row of @a table.
 * @param values the columns in the order given above, as checked text
 * @return DB_OK, or the failure (db_conn_error_get() has PostgreSQL's detail, such as the
 *         key a foreign key misses)
 */
db_status rq_store(db_conn *db, rq_table table, const char *const *values);

/** NOTIFY lvhcmon_reference: every daemon reloads what it derived from the reference data. */
db_status rq_notify_loaded(db_conn *db);

/** @return DB_OK when @a agb is a provider of the reference data, DB_NOT_FOUND when not. */
db_status rq_provider_exists(db_conn *db, const char *agb);

#endif
