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
 * Alerts leave here as JSON in the shape of API.md (aq_* functions that return json_t):
 *   {"fingerprint": "...", "labels": {...}, "annotations": {"summary", "description"},
 *    "startsAt": "2026-...Z" | null, "endsAt": null | "...", "activeAt": "...",
 *    "status": {"state": "pending|firing|resolved"}, "value": 0.52,
 *    "acknowledged_by": null | "name", "acknowledged_at": null | "..."}
 * Times are ISO 8601 UTC with a Z, to the second.
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

/** The session advisory lock of the alert leader ("lvhcmonA" in ASCII, as an integer). */
#define AQ_LEADER_LOCK_KEY "7815548979595144769"

typedef enum {
    AQ_OK = 0,
    AQ_NOT_FOUND, /* no such alert */
    AQ_CONFLICT,  /* the alert exists but is not in a state that allows the action */
    AQ_FAILED     /* the database failed; db_conn_error() says why */
} aq_status;

/* --- the engine --------------------------------------------------------------------------- */

/**
 * Tries to take the leader lock for the session of @a db (pg_try_advisory_lock). The lock is
 * held until the session ends; taking it again in the same session is not attempted.
 * @param got receives whether this session holds the lock now
 * @return AQ_OK, or AQ_FAILED
 */
aq_status aq_try_leader_lock(db_conn *db, bool *got);

/**
 * Loads the pending and firing alerts of @a year as previous states for
 * alert_states_step(): fingerprint, state, times, consecutive, the rule, the value and the
 * annotations (so the engine can tell which rows an evaluation really changes).
 * @param out receives a malloc'ed array owned by the caller (free()), sorted by
 *        fingerprint; NULL when @a n is 0
 */
aq_status aq_load_active(db_conn *db, int year, alert_state **out, size_t *n);

/**
 * Saves one state from alert_states_step() for @a year at @a now: upserts the alert row
 * (a new episode clears the acknowledgement) and, when the state carries a transition,
 * appends it to alert_history. Runs inside the caller's transaction.
 */
aq_status aq_save_state(db_conn *db, int year, const alert_state *s, int64_t now);

/** Records that @a year was evaluated at @a now on data as of @a data_as_of (0: none). */
aq_status aq_record_evaluation(db_conn *db, int year, int64_t now, time_t data_as_of);

/** NOTIFY lvhcmon_alerts with @a payload (delivered when the transaction commits). */
aq_status aq_notify(db_conn *db, const char *payload);

/**
 * The years that have a national cap (table budget), ascending: the years the engine
 * evaluates.
 * @param years receives at most @a max years; @a n how many
 */
aq_status aq_cap_years(db_conn *db, int *years, size_t max, size_t *n);

/**
 * Whether @a year has active (pending, firing) alerts or accepted declaration lines: a year
 * with neither has nothing to resolve and nothing to fire on.
 * @param live receives the answer
 */
aq_status aq_year_live(db_conn *db, int year, bool *live);

/**
 * The alerts Alertmanager should hear about now: every firing alert, and every resolved
 * alert whose firing was pushed but whose resolution was not.
 * @param out receives a new array of alert objects (the shape above), owned by the caller
 */
aq_status aq_push_candidates(db_conn *db, json_t **out);

/**
 * Records that the alerts with the fingerprints in @a fingerprints (a text[] literal, see
 * pg_array.h) were pushed in their current state.
 */
aq_status aq_mark_pushed(db_conn *db, const char *fingerprints);

/* --- the API ------------------------------------------------------------------------------ */

/**
 * Lists alerts: firing first, then pending, then resolved, newest first within each.
 * @param states a text[] literal of the states wanted ("{firing,resolved}")
 * @param year a budget year, or 0 for every year
 * @param limit at most this many
 * @param out receives a new JSON array owned by the caller
 */
aq_status aq_list(db_conn *db, const char *states, int year, int limit, json_t **out);

/**
 * One alert by fingerprint (cancelled pending alerts, state inactive, count as unknown).
 * @param out receives a new JSON object owned by the caller
 */
aq_status aq_get(db_conn *db, const char *fingerprint, json_t **out);

/**
 * The transitions of an alert, oldest first: [{"state", "at", "value", "summary"}].
 * @param out receives a new JSON array owned by the caller
 */
aq_status aq_history(db_conn *db, const char *fingerprint, json_t **out);

/**
 * The acknowledgements of an alert, oldest first: [{"by", "at", "comment"}].
 * @param out receives a new JSON array owned by the caller
 */
aq_status aq_acks(db_conn *db, const char *fingerprint, json_t **out);

/**
 * What the newest evaluation's data is as of: the ISO time of the newest submission it saw.
 * @param year a budget year, or 0 for the newest evaluation of any year
 * @param out receives a new JSON string, or JSON null when nothing was evaluated yet
 */
aq_status aq_data_as_of(db_conn *db, int year, json_t **out);

/**
 * Acknowledges an active (pending or firing) alert in one transaction: sets
 * acknowledged_by/at on the alert, appends an alert_ack row, NOTIFY lvhcmon_alerts.
 * @param token_id the api_token.id of the caller
 * @param comment may be ""
 * @return AQ_OK; AQ_NOT_FOUND for an unknown fingerprint; AQ_CONFLICT when the alert is
 *         resolved; AQ_FAILED
 */
aq_status aq_acknowledge(db_conn *db, const char *fingerprint, const char *by, int64_t token_id,
                         const char *comment);

#endif
