/*
 * queries_reference.c: the SQL of the reference data (see queries_reference.h).
 */
#include "db/queries_reference.h"

#include "db/db_result.h"
#include "db/db_statement.h"

const db_statement db_queries_reference[] = {
    {"reference_upsert_target_group",
     "INSERT INTO target_group (code, name, ca_from, ca_to, sort_order)"
     " VALUES ($1, $2, NULLIF($3, '')::date, NULLIF($4, '')::date, $5)"
     " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, ca_from = EXCLUDED.ca_from,"
     " ca_to = EXCLUDED.ca_to, sort_order = EXCLUDED.sort_order",
     5},
    {"reference_upsert_provider",
     "INSERT INTO provider (agb, name, zorgkantoor) VALUES ($1, $2, $3)"
     " ON CONFLICT (agb) DO UPDATE SET name = EXCLUDED.name, zorgkantoor = EXCLUDED.zorgkantoor",
     3},
    {"reference_clear_prestatie", "DELETE FROM prestatie", 0},
    {"reference_insert_prestatie",
     "INSERT INTO prestatie (year, code, target_group, kind, tariff_cents, unit, rate_applies)"
     " VALUES ($1, $2, $3, $4, $5, $6, $7)",
     7},
    {"reference_clear_designation", "DELETE FROM designation", 0},
    {"reference_insert_designation",
     "INSERT INTO designation (agb, target_group, centre_kind, valid_from, valid_to)"
     " VALUES ($1, $2, $3, $4, NULLIF($5, '')::date)",
     5},
    {"reference_clear_rate", "DELETE FROM provider_rate", 0},
    {"reference_insert_rate", "INSERT INTO provider_rate (agb, year, rate_bp) VALUES ($1, $2, $3)",
     3},
    {"reference_clear_budget", "DELETE FROM budget", 0},
    {"reference_insert_budget",
     "INSERT INTO budget (year, scope, scope_key, cap_cents) VALUES ($1, $2, $3, $4)", 4},
    {"reference_clear_time_unit", "DELETE FROM time_unit", 0},
    {"reference_insert_time_unit",
     "INSERT INTO time_unit (code, minutes, label) VALUES ($1, $2, $3)", 3},
    {"reference_clear_holiday", "DELETE FROM holiday", 0},
    {"reference_insert_holiday", "INSERT INTO holiday (day, name) VALUES ($1, $2)", 2},
    {"reference_notify", "SELECT pg_notify('lvhcmon_reference', 'loaded')", 0},
    {"reference_provider_exists", "SELECT 1 AS found FROM provider WHERE agb = $1", 1},
    DB_STATEMENT_END,
};

/* Per table: the statement that empties it (NULL: upserted) and the one that stores a row. */
static const struct {
    const char *clear;
    const char *store;
} TABLES[RQ_TABLE_COUNT] = {
    [RQ_TARGET_GROUP] = {NULL, "reference_upsert_target_group"},
    [RQ_PROVIDER] = {NULL, "reference_upsert_provider"},
    [RQ_PRESTATIE] = {"reference_clear_prestatie", "reference_insert_prestatie"},
    [RQ_DESIGNATION] = {"reference_clear_designation", "reference_insert_designation"},
    [RQ_RATE] = {"reference_clear_rate", "reference_insert_rate"},
    [RQ_BUDGET] = {"reference_clear_budget", "reference_insert_budget"},
    [RQ_TIME_UNIT] = {"reference_clear_time_unit", "reference_insert_time_unit"},
    [RQ_HOLIDAY] = {"reference_clear_holiday", "reference_insert_holiday"},
};

bool rq_table_upserted(rq_table table)
{
    return TABLES[table].clear == NULL;
}

db_status rq_clear(db_conn *db, rq_table table)
{
    return TABLES[table].clear != NULL ? db_command(db, TABLES[table].clear, NULL) : DB_OK;
}

db_status rq_store(db_conn *db, rq_table table, const char *const *values)
{
    return db_command(db, TABLES[table].store, values);
}

db_status rq_notify_loaded(db_conn *db)
{
    return db_command(db, "reference_notify", NULL);
}

db_status rq_provider_exists(db_conn *db, const char *agb)
{
    const char *params[] = {agb};
    int found;
    db_result_spec spec[] = {db_rs_int("found", &found), db_rs_end()};
    return db_query_one(db, "reference_provider_exists", params, spec);
}
