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
 * sq_year_catch_up() then keeps such a load current without reading the year again. Every
 * load remembers the watermark it was read under (db_watermark.h: which transactions had
 * committed); the submissions it lacks are exactly those whose transaction that watermark
 * does not cover, found through the index on submission.xact_id, and their lines' sums are
 * added. The ledger is append-only and every amount signed, so adding the new rows is
 * exact, whoever committed them and in whatever order; nothing depends on notifications
 * arriving, which only say when to look.
 *
 * The listener of the budget snapshots reads in rounds: sq_round_begin() opens one
 * read-only REPEATABLE READ transaction and returns its watermark, every cached year is
 * loaded or caught up inside it (so all of them describe the same moment), and
 * sq_round_end() closes it.
 *
 * sq_year_load_until() reads the same inputs as they stood at an instant: only the lines
 * and submissions received before it (the figures "as of" a day, daemon/snapshot/
 * snapshot_asof.c), and no alert count (the caller judges the alerts on those figures).
 * sq_asof_version() says, in one small query, whether such a load would still read the
 * same: the submissions received before the instant only ever grow in number (the ledger
 * is append-only, a submission's lines are stored with it), so their count, with the
 * newest reference load, identifies what the load saw.
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
#include "db/db_watermark.h"

/** A zorgkantoor's name from the reference data (strings point into a kept result). */
typedef struct {
    const char *code;
    const char *name;
} sq_zorgkantoor;

/** What an as_of load saw: equal versions mean equal inputs (see sq_asof_version()). */
typedef struct {
    int64_t submissions;    /* submissions received before the instant */
    int64_t reference_load; /* newest reference_load id; 0 when none */
} sq_asof_version_t;

/** A provider of the reference table (strings point into a kept result). */
typedef struct {
    const char *agb;
    const char *name;
    const char *zorgkantoor;
} sq_provider;

/** The alerts firing with one provider label. */
typedef struct {
    char agb[16];
    int firing;
} sq_provider_alerts;

/** Everything sq_year_load() read for one year (and sq_year_catch_up() added). */
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
    time_t data_as_of;                   /* newest submission.received_at; 0 when none */
    int alerts_firing;                   /* alerts firing for this year (or without a year label) */
    int alerts_national;                 /* of those, the ones without a provider label */
    sq_provider_alerts *provider_alerts; /* the others per provider label, by AGB (owned) */
    size_t n_provider_alerts;
    db_watermark watermark;       /* the commits these inputs include */
    bool has_profile;             /* the year has a planned monthly profile */
    int32_t profile_bp[12];       /* its weights, January first */
    sq_zorgkantoor *zorgkantoren; /* names of the reference data, by code */
    size_t n_zorgkantoren;
    sq_asof_version_t version; /* sq_year_load_until() only: what it saw */
    /* private */
    size_t cap_facts, cap_declared;
    void **results; /* the rows (db_rows) the strings point into */
    size_t n_results, cap_results;
} sq_year_data;

/**
 * Opens a round of reads: a read-only REPEATABLE READ transaction, so that everything read
 * until sq_round_end() belongs to one moment of the database.
 * @param conn a connected connection, outside a transaction
 * @param now receives the watermark of that moment
 * @return DB_OK (the transaction is open), or the failure (it is not)
 */
db_status sq_round_begin(db_conn *conn, db_watermark *now);

/** Closes the round's transaction. @return DB_OK, or the failure. */
db_status sq_round_end(db_conn *conn);

/**
 * Loads the inputs of @a year's snapshot inside an open round.
 * @param now the round's watermark (sq_round_begin()), kept as the data's watermark
 * @param out receives the data (release with sq_year_data_clear(), also on failure)
 * @return DB_OK, or the failure (DB_UNAVAILABLE when the connection was lost)
 */
db_status sq_year_load_in_round(db_conn *conn, int year, const db_watermark *now,
                                sq_year_data *out);

/**
 * Loads the inputs of @a year's snapshot in a round of its own.
 * @param conn a connected connection, outside a transaction
 * @param out receives the data (release with sq_year_data_clear(), also on failure)
 * @return DB_OK, or the failure (DB_UNAVAILABLE when the connection was lost)
 */
db_status sq_year_load(db_conn *conn, int year, sq_year_data *out);

/** What sq_year_catch_up() found. */
typedef struct {
    size_t submissions; /* submissions added (their lines in this year or not) */
    int64_t *ids;       /* their ids: malloc'ed, the caller frees() it (NULL when none) */
    bool figures;       /* lines of the year were added: the budget figures changed */
    bool alerts_firing; /* the number of firing alerts changed */
} sq_catch_up;

/**
 * Loads the inputs of @a year as they stood at instant @a until (seconds since the epoch),
 * in a round of its own: the lines and submissions received before it, today's reference
 * data. alerts_firing is 0; version is filled.
 * @param out receives the data (release with sq_year_data_clear(), also on failure)
 */
db_status sq_year_load_until(db_conn *conn, int year, int64_t until, sq_year_data *out);

/**
 * What sq_year_load_until() with @a until would see now (one query).
 * @param out receives the version
 */
db_status sq_asof_version(db_conn *conn, int64_t until, sq_asof_version_t *out);

/**
 * Brings @a d from its watermark to the round's: adds the lines of every submission
 * committed in between, and reads the number of firing alerts again.
 * @param now the round's watermark (sq_round_begin()); @a d's watermark becomes it
 * @param found receives what changed (free found->ids, also on failure)
 * @return DB_OK, or the failure (then @a d is unsure in its figures; load it again)
 */
db_status sq_year_catch_up(db_conn *conn, sq_year_data *d, const db_watermark *now,
                           sq_catch_up *found);

/** The most years sq_round_catch_up() takes in one round trip. */
#define SQ_ROUND_YEARS_MAX 8

/**
 * A whole round of catching up in one round trip to the server: opens the round's read-only
 * REPEATABLE READ transaction, takes its watermark (@a now), brings each of @a years from its
 * own watermark to it as sq_year_catch_up() does (the lines of every submission committed
 * in between, summed in the same statement that finds them; and the number of firing
 * alerts), and commits. On success every year's watermark is @a now.
 * @param years the inputs of each year, loaded before (at most SQ_ROUND_YEARS_MAX)
 * @param found receives, for each year, what changed (free each found[i].ids, also on
 *        failure)
 * @return DB_OK, or the failure (the transaction is closed; the inputs are unsure in their
 *         figures: load them again)
 */
db_status sq_round_catch_up(db_conn *conn, sq_year_data *const *years, size_t n, db_watermark *now,
                            sq_catch_up *found);

/** Releases what sq_year_load() loaded and zeroes @a d. */
void sq_year_data_clear(sq_year_data *d);

#endif
