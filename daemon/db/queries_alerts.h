/*
 * queries_alerts.h: every SQL statement about alerts (tables alert, alert_history,
 * alert_ack, alert_evaluation of sql/0002_alerts.sql), as typed functions. The statements
 * are the named table db_queries_alerts in queries_alerts.c.
 *
 * Two users:
 *  - the alert engine (daemon/alerts/alert_engine.c), on its own dedicated connection: the
 *    leader lock, loading the active states of a year, saving the states of one evaluation
 *    with their history, the NOTIFY, and what to push to Alertmanager;
 *  - the HTTP handlers (daemon/http/alert*_*.c), on a pooled connection: listing alerts,
 *    one alert with its history and acknowledgements, and acknowledging.
 *
 * Alerts leave here as structs (aq_alert), in the terms of the API (state names, ISO 8601
 * UTC times with a Z, to the second); daemon/http/alert_json.c renders them for the API and
 * daemon/alerts/alertmanager.c for Alertmanager.
 */
#ifndef LVHCMON_QUERIES_ALERTS_H
#define LVHCMON_QUERIES_ALERTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "alert_rules.h"
#include "alert_state.h"
#include "db/db_conn.h"
#include "db/db_watermark.h"

/** The session advisory lock of the alert leader ("lvhcmonA" in ASCII, as an integer). */
#define AQ_LEADER_LOCK_KEY "7815548979595144769"

/** An alert as the API shows it. The strings point into the list's rows. */
typedef struct {
    const char *fingerprint;
    json_t *labels;              /* object, keys in name order; owned by the list */
    json_t *annotations;         /* object: summary, description; owned by the list */
    json_t *annotations_nl;      /* the same in Dutch; NULL for a row stored before they were
                                  * kept (until its next evaluation); owned by the list */
    const char *state;           /* pending, firing, resolved */
    const char *starts_at;       /* NULL while pending */
    const char *ends_at;         /* NULL while active */
    const char *active_at;       /* first evaluation of the episode */
    double value;                /* the rule's measure */
    const char *acknowledged_by; /* NULL when not acknowledged */
    const char *acknowledged_at;
} aq_alert;

/** Alerts read together; owns their rows and JSON. */
typedef struct {
    aq_alert *items;
    size_t n;
    void *rows; /* private */
} aq_alert_list;

/** Releases what @a list holds and zeroes it. */
void aq_alert_list_clear(aq_alert_list *list);

/** One transition of an alert. */
typedef struct {
    const char *state;
    const char *at;
    double value;
    const char *summary;
} aq_transition;

/** One acknowledgement of an alert. */
typedef struct {
    const char *by;
    const char *at;
    const char *comment;
} aq_ack;

/** Transitions or acknowledgements read together; owns their rows. */
typedef struct {
    aq_transition *transitions; /* aq_history() */
    aq_ack *acks;               /* aq_acks() */
    size_t n;
    void *rows; /* private */
} aq_trail;

/** Releases what @a trail holds and zeroes it. */
void aq_trail_clear(aq_trail *trail);

/* --- the engine --------------------------------------------------------------------------- */

/**
 * Tries to take the leader lock for the session of @a db (pg_try_advisory_lock). The lock is
 * held until the session ends; taking it again in the same session is not attempted.
 * @param got receives whether this session holds the lock now
 * @return DB_OK, or the failure
 */
db_status aq_try_leader_lock(db_conn *db, bool *got);

/**
 * Loads the pending and firing alerts of @a year as previous states for
 * alert_states_step(): fingerprint, state, times, consecutive, the rule, the value and the
 * annotations (so the engine can tell which rows an evaluation really changes).
 * @param out receives a malloc'ed array owned by the caller (free()), sorted by
 *        fingerprint; NULL when @a n is 0
 */
db_status aq_load_active(db_conn *db, int year, alert_state **out, size_t *n);

/** The most statements one aq_save_state() runs (the upsert and a history row). */
#define AQ_SAVE_STATE_STATEMENTS 2

/**
 * Saves one state from alert_states_step() for @a year at @a now: upserts the alert row
 * (a new episode clears the acknowledgement) and, when the state carries a transition,
 * appends it to alert_history. Runs inside the caller's transaction.
 */
db_status aq_save_state(db_conn *db, int year, const alert_state *s, int64_t now);

/**
 * Records that @a year was evaluated at @a now on data as of @a data_as_of (0: none),
 * whose commits are those @a as_of covers (unknown: none recorded).
 */
db_status aq_record_evaluation(db_conn *db, int year, int64_t now, time_t data_as_of,
                               const db_watermark *as_of);

/**
 * Opens the transaction that saves one evaluation of @a year, in one round trip: BEGIN; let
 * it commit without waiting for its WAL to be flushed (synchronous_commit off, for this
 * transaction only: an evaluation's states are derived again from the ledger by the next
 * one); and read the watermark recorded with the year's last saved evaluation, its row
 * locked until the transaction ends (only the leader writes it; the lock keeps the check
 * and the write one step).
 * @param out receives that watermark; unknown when none was recorded
 * @return DB_OK with the transaction open, or the failure (the caller rolls back)
 */
db_status aq_evaluation_begin(db_conn *db, int year, db_watermark *out);

/** The payload of an acknowledgement's notification: nothing a snapshot shows changed. */
#define AQ_NOTIFY_ACK "ack"

/** NOTIFY lvhcmon_alerts with @a payload (delivered when the transaction commits). */
db_status aq_notify(db_conn *db, const char *payload);

/**
 * NOTIFY lvhcmon_alerts that an evaluation is saved: "evaluated <changed> <watermark>",
 * where changed is 1 when an alert changed state (the number firing may differ) and the
 * watermark says which commits the evaluated data included. Every instance's snapshot
 * store listens (snapshot_listener.c).
 */
db_status aq_notify_evaluated(db_conn *db, bool changed, const db_watermark *as_of);

/**
 * Reads the payload of aq_notify_evaluated().
 * @return false when @a payload is not one (an acknowledgement, another version's)
 */
bool aq_parse_evaluated(const char *payload, bool *changed, db_watermark *as_of);

/**
 * The years that have a national cap (table budget), ascending: the years the engine
 * evaluates.
 * @param years receives at most @a max years; @a n how many
 */
db_status aq_cap_years(db_conn *db, int *years, size_t max, size_t *n);

/**
 * Whether @a year has active (pending, firing) alerts or accepted declaration lines: a year
 * with neither has nothing to resolve and nothing to fire on.
 * @param live receives the answer
 */
db_status aq_year_live(db_conn *db, int year, bool *live);

/**
 * The alerts Alertmanager should hear about now: every firing alert, and every resolved
 * alert whose firing was pushed but whose resolution was not.
 * @param out receives the alerts (aq_alert_list_clear()) on DB_OK
 */
db_status aq_push_candidates(db_conn *db, aq_alert_list *out);

/**
 * Records that the alerts with the fingerprints in @a fingerprints (a text[] literal, see
 * pg_array.h) were pushed in their current state.
 */
db_status aq_mark_pushed(db_conn *db, const char *fingerprints);

/* --- the API ------------------------------------------------------------------------------ */

/**
 * Lists alerts: firing first, then pending, then resolved, newest first within each.
 * @param states a text[] literal of the states wanted ("{firing,resolved}")
 * @param year a budget year, or 0 for every year
 * @param limit at most this many
 * @param provider NULL: every alert; an AGB: the national alerts (no provider label) and
 *        those whose provider label is that AGB, never another provider's
 * @param out receives the alerts (aq_alert_list_clear()) on DB_OK
 */
db_status aq_list(db_conn *db, const char *states, int year, int limit, const char *provider,
                  aq_alert_list *out);

/**
 * One alert by fingerprint (cancelled pending alerts, state inactive, count as unknown).
 * @param out receives a list of that one alert (aq_alert_list_clear()) on DB_OK
 * @return DB_OK, DB_NOT_FOUND, or the failure
 */
db_status aq_get(db_conn *db, const char *fingerprint, aq_alert_list *out);

/**
 * The transitions of an alert, oldest first.
 * @param out receives them in out->transitions (aq_trail_clear()) on DB_OK
 */
db_status aq_history(db_conn *db, const char *fingerprint, aq_trail *out);

/**
 * The acknowledgements of an alert, oldest first.
 * @param out receives them in out->acks (aq_trail_clear()) on DB_OK
 */
db_status aq_acks(db_conn *db, const char *fingerprint, aq_trail *out);

/**
 * What the newest evaluation's data is as of: the ISO time of the newest submission it saw.
 * @param year a budget year, or 0 for the newest evaluation of any year
 * @param out receives the ISO time, or "" when nothing was evaluated yet (or the evaluation
 *        saw no submission)
 */
db_status aq_data_as_of(db_conn *db, int year, char out[21]);

/**
 * Acknowledges an active (pending or firing) alert inside the caller's open transaction
 * (which may record more, such as the audit row, and commits): sets acknowledged_by/at on
 * the alert, appends an alert_ack row, NOTIFY lvhcmon_alerts (sent at the commit).
 * @param token_id the api_token.id of the caller
 * @param comment may be ""
 * @return DB_OK; DB_NOT_FOUND for an unknown fingerprint; DB_CONFLICT when the alert is
 *         resolved; or the failure
 */
db_status aq_acknowledge(db_conn *db, const char *fingerprint, const char *by, int64_t token_id,
                         const char *comment);

#endif
