/*
 * queries_snapshot.h: the queries a budget snapshot is built from (daemon/snapshot/), and
 * the LISTEN statements of the snapshot store's own connection.
 *
 * One call, sq_year_load(), reads everything a year's status needs inside one read-only
 * REPEATABLE READ transaction, so the figures of a snapshot belong to one moment of the
 * ledger: the aggregated accepted lines (GROUP BY service month, target group, provider,
 * zorgkantoor), which providers were designated and which declared per month, the national
 * and extra caps, the holidays for the deadlines, the contract's target groups, the
 * providers, the newest submission and the number of firing alerts.
 *
 * The strings of the loaded arrays point into the query results, which the sq_year_data
 * keeps until sq_year_data_clear(); nothing is copied.
 */
#ifndef LVHCMON_QUERIES_SNAPSHOT_H
#define LVHCMON_QUERIES_SNAPSHOT_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "budget.h"
#include "calendar.h"
#include "db/db_conn.h"

/** A provider of the reference table (strings point into a kept result). */
typedef struct {
    const char *agb;
    const char *name;
    const char *zorgkantoor;
} sq_provider;

/** Everything sq_year_load() read for one year. */
typedef struct {
    int year;
    money_cents cap_cents; /* the national row of `budget`; 0 when there is none */
    budget_group_def *groups; /* target groups with C&A (ca_from not null), contract order */
    size_t n_groups;
    budget_extra_cap *extra_caps;
    size_t n_extra_caps;
    budget_fact *facts;
    int64_t *facts_late; /* per fact: accepted lines flagged late (0586) among its rows */
    size_t n_facts;
    budget_provider_month *expected;
    size_t n_expected;
    budget_provider_month *declared;
    size_t n_declared;
    lv_date *holidays; /* ascending, this year and the next (December's deadline) */
    size_t n_holidays;
    sq_provider *providers; /* by AGB */
    size_t n_providers;
    time_t data_as_of;  /* newest submission.received_at; 0 when none */
    int alerts_firing;  /* alerts firing for this year (or without a year label) */
    /* private: the results the strings point into */
    PGresult *results[8];
    size_t n_results;
} sq_year_data;

/**
 * Loads the inputs of @a year's snapshot.
 * @param conn a connected connection, outside a transaction
 * @param out receives the data (release with sq_year_data_clear(), also on failure)
 * @param err receives why not
 * @return false on any failure (the connection may then be bad: see db_conn_is_bad())
 */
bool sq_year_load(db_conn *conn, int year, sq_year_data *out, char *err, size_t errlen);

/** Releases what sq_year_load() loaded and zeroes @a d. */
void sq_year_data_clear(sq_year_data *d);

/**
 * Runs LISTEN on the three channels a snapshot follows: lvhcmon_ledger (a submission
 * committed), lvhcmon_reference (reference data reloaded), lvhcmon_alerts (alert states
 * changed).
 * @return false on failure, with a reason in @a err
 */
bool sq_listen(db_conn *conn, char *err, size_t errlen);

#endif
