/*
 * queries_reference.c: the SQL of `lvhcmon reference load` (daemon/reference/refload.c).
 * Target groups and providers are upserted because tokens and ledger lines refer to them;
 * the other tables are cleared and refilled inside the loader's one transaction.
 */
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
    DB_STATEMENT_END,
};
