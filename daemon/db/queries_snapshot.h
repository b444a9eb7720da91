/*
 * queries_snapshot.h: the queries a budget snapshot is built from (daemon/snapshot/).
 *
 * sq_year_load() reads everything a year's status needs inside one read-only REPEATABLE
 * READ transaction, so the figures of a snapshot belong to one moment of the ledger: the
 * year's lines summed per service month, target group, provider, zorgkantoor and
 * acceptance (one scan), the designations (which providers are expected when), the
 * national and extra caps, the holidays for the deadlines, the contract's target groups,
 * the providers, the newest submission and the number of firing alerts.
 *
 * sq_year_add_submissions() then keeps such a load current without reading the year again:
 * given the ids of submissions that committed since (the payloads of lvhcmon_ledger
 * notifications), it adds their lines' sums. The ledger is append-only and every amount
 * signed, so adding the new rows is exact. A submission is added at most once: the load
 * remembers the ids of the newest SQ_SEEN_WINDOW submissions its transaction saw, and every
 * id added since, so a notification that arrives after a load which already counted its
 * submission changes nothing.
 *
 * The strings of the loaded arrays point into the query results, which the sq_year_data
 * keeps until sq_year_data_clear(); nothing is copied. Every function returns a db_status;
 * db_conn_error() says what failed.
 */
#ifndef LVHCMON_QUERIES_SNAPSHOT_H
#define LVHCMON_QUERIES_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "budget.h"
#include "calendar.h"
#include "db/db_conn.h"

/** How many of the newest submission ids a full load remembers as already counted. */
#define SQ_SEEN_WINDOW 2000

/** A provider of the reference table (strings point into a kept result). */
typedef struct {
    const char *agb;
    const char *name;
    const char *zorgkantoor;
} sq_provider;

/** Everything sq_year_load() read for one year (and sq_year_add_submissions() added). */
typedef struct {
    int year;
    money_cents cap_cents;    /* the national row of `budget`; 0 when there is none */
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
    time_t data_as_of; /* newest submission.received_at; 0 when none */
    int alerts_firing; /* alerts firing for this year (or without a year label) */
    /* private */
    size_t cap_facts, cap_declared;
    int64_t *seen; /* submission ids already counted, ascending */
    size_t n_seen, cap_seen;
    void **results; /* the rows (db_rows) the strings point into */
    size_t n_results, cap_results;
} sq_year_data;

/**
 * Loads the inputs of @a year's snapshot.
 * @param conn a connected connection, outside a transaction
 * @param out receives the data (release with sq_year_data_clear(), also on failure)
 * @return DB_OK, or the failure (DB_UNAVAILABLE when the connection was lost)
 */
db_status sq_year_load(db_conn *conn, int year, sq_year_data *out);

/**
 * Adds the lines of submissions committed since @a d was loaded.
 * @param ids submission ids (any order, repeats allowed); ids already counted are skipped
 * @param n_ids how many
 * @return DB_OK, or the failure (then @a d is unsure in its figures; reload it)
 */
db_status sq_year_add_submissions(db_conn *conn, sq_year_data *d, const int64_t *ids, size_t n_ids);

/** Releases what sq_year_load() loaded and zeroes @a d. */
void sq_year_data_clear(sq_year_data *d);

#endif
