/*
 * queries_alerts.c: the SQL of the alert engine and the alert endpoints (see
 * queries_alerts.h), and the one function that turns an alert row into its API JSON
 * (shared by the list, the single view, the acknowledgement and the Alertmanager push, which
 * all select ALERT_COLUMNS in the same order).
 *
 * Times cross the boundary as whole unix seconds (to_timestamp / extract(epoch)) on the way
 * in and as ISO text on the way out; the state machine in lib/alert_rules.c counts in
 * seconds, so nothing is lost.
 */
#include "db/queries_alerts.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_statement.h"

#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* The labels as a JSON object with its keys in name order (jsonb keeps its own order; json
 * keeps the one it is built in), so the API and Alertmanager see them as a person would. */
#define LABELS_SORTED                                                                              \
    "(SELECT json_object_agg(key, value ORDER BY key) FROM jsonb_each(labels))::text"

/* The columns alert_row_json() reads, in its order. */
#define ALERT_COLUMNS                                                                              \
    "fingerprint, " LABELS_SORTED ", annotations::text, state, " ISO("starts_at") ", " ISO(        \
        "ends_at") ", " ISO("active_since") ", value, acknowledged_by, " ISO("acknowledged_at")

const db_statement db_queries_alerts[] = {
    /* Session-level on purpose: the engine's dedicated connection keeps it as long as it
     * lives, and PostgreSQL releases it when that session ends, whatever the cause. */
    {"alerts_leader_lock", "SELECT pg_try_advisory_lock($1::bigint)", 1},
    {"alerts_load_active",
     "SELECT fingerprint, state, extract(epoch FROM active_since)::bigint,"
     "       extract(epoch FROM starts_at)::bigint, consecutive,"
     "       coalesce(annotations->>'summary', ''), value, alertname,"
     "       coalesce(annotations->>'description', '')"
     "  FROM alert WHERE year = $1::int AND state IN ('pending', 'firing')"
     " ORDER BY fingerprint COLLATE \"C\"", /* strcmp's order: the engine bsearches it */
     1},
    /* An active state. Coming from resolved or inactive it is a new episode, which clears
     * the acknowledgement of the previous one; pending -> firing is the same episode. */
    {"alerts_upsert_active",
     "INSERT INTO alert AS a (fingerprint, alertname, year, labels, annotations, value, state,"
     "                        active_since, starts_at, ends_at, consecutive, updated_at)"
     " VALUES ($1, $2, $3::int, $4::jsonb, $5::jsonb, $6::float8, $7, to_timestamp($8),"
     "         to_timestamp($9), NULL, $10::int, to_timestamp($11))"
     " ON CONFLICT (fingerprint) DO UPDATE SET"
     "   alertname = EXCLUDED.alertname, year = EXCLUDED.year, labels = EXCLUDED.labels,"
     "   annotations = EXCLUDED.annotations, value = EXCLUDED.value, state = EXCLUDED.state,"
     "   active_since = EXCLUDED.active_since, starts_at = EXCLUDED.starts_at, ends_at = NULL,"
     "   consecutive = EXCLUDED.consecutive,"
     "   updated_at = CASE WHEN a.state = EXCLUDED.state THEN a.updated_at"
     "                     ELSE EXCLUDED.updated_at END,"
     "   acknowledged_by = CASE WHEN a.state IN ('pending', 'firing') THEN a.acknowledged_by END,"
     "   acknowledged_at = CASE WHEN a.state IN ('pending', 'firing') THEN a.acknowledged_at END",
     11},
    /* An episode that ended: firing -> resolved, or pending -> inactive (cancelled). */
    {"alerts_end",
     "UPDATE alert SET state = $2, ends_at = to_timestamp($3), consecutive = 0,"
     "       updated_at = to_timestamp($3)"
     " WHERE fingerprint = $1",
     3},
    {"alerts_history_insert",
     "INSERT INTO alert_history (fingerprint, state, at, value, summary)"
     " VALUES ($1, $2, to_timestamp($3), $4::float8, $5)",
     5},
    {"alerts_record_evaluation",
     "INSERT INTO alert_evaluation (year, evaluated_at, data_as_of)"
     " VALUES ($1::int, to_timestamp($2), to_timestamp($3))"
     " ON CONFLICT (year) DO UPDATE SET evaluated_at = EXCLUDED.evaluated_at,"
     "                                  data_as_of = EXCLUDED.data_as_of",
     3},
    {"alerts_notify", "SELECT pg_notify('lvhcmon_alerts', $1)", 1},
    /* The years the engine evaluates: each one with a national cap. */
    {"alerts_cap_years", "SELECT year FROM budget WHERE scope = 'national' ORDER BY year", 0},
    /* Whether a year other than the current one is worth evaluating: it has active alerts
     * (which may resolve) or accepted lines (which may make one fire). */
    {"alerts_year_live",
     "SELECT EXISTS (SELECT 1 FROM alert WHERE year = $1::int AND state IN ('pending', 'firing'))"
     "    OR EXISTS (SELECT 1 FROM declaration_line WHERE accepted"
     "                 AND service_month >= make_date($1::int, 1, 1)"
     "                 AND service_month < make_date($1::int + 1, 1, 1))",
     1},
    {"alerts_push_candidates",
     "SELECT " ALERT_COLUMNS " FROM alert"
     " WHERE state = 'firing' OR (state = 'resolved' AND pushed_state = 'firing')"
     " ORDER BY fingerprint",
     0},
    {"alerts_mark_pushed",
     "UPDATE alert SET pushed_state = state, pushed_at = now()"
     " WHERE fingerprint = ANY($1::text[]) AND state IN ('firing', 'resolved')",
     1},
    {"alerts_list",
     "SELECT " ALERT_COLUMNS " FROM alert"
     " WHERE state = ANY($1::text[]) AND ($2::int = 0 OR year = $2::int)"
     " ORDER BY CASE state WHEN 'firing' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END,"
     "          coalesce(ends_at, starts_at, active_since) DESC, fingerprint"
     " LIMIT $3::int",
     3},
    {"alerts_get",
     "SELECT " ALERT_COLUMNS " FROM alert WHERE fingerprint = $1 AND state <> 'inactive'", 1},
    {"alerts_history",
     "SELECT state, " ISO("at") ", value, summary FROM alert_history"
                                " WHERE fingerprint = $1 ORDER BY at, id",
     1},
    {"alerts_acks",
     "SELECT acknowledged_by, " ISO("at") ", comment FROM alert_ack"
                                          " WHERE fingerprint = $1 ORDER BY at, id",
     1},
    {"alerts_data_as_of",
     "SELECT " ISO(
         "data_as_of") " FROM alert_evaluation"
                       " WHERE $1::int = 0 OR year = $1::int ORDER BY evaluated_at DESC LIMIT 1",
     1},
    {"alerts_ack_update",
     "UPDATE alert SET acknowledged_by = $2, acknowledged_at = now()"
     " WHERE fingerprint = $1 AND state IN ('pending', 'firing') RETURNING 1",
     2},
    {"alerts_ack_state", "SELECT state FROM alert WHERE fingerprint = $1 AND state <> 'inactive'",
     1},
    {"alerts_ack_insert",
     "INSERT INTO alert_ack (fingerprint, acknowledged_by, token_id, comment)"
     " VALUES ($1, $2, nullif($3, '0')::bigint, $4)",
     4},
    DB_STATEMENT_END,
};

/* --- helpers ------------------------------------------------------------------------------ */

/* Runs @name and keeps the result when it succeeded; NULL (result cleared) otherwise. */
static PGresult *run(db_conn *db, const char *name, const char *const *params)
{
    PGresult *res = db_exec(db, name, params);
    if (!db_result_ok(res)) {
        PQclear(res);
        return NULL;
    }
    return res;
}

/* Runs a statement whose rows do not matter. */
static aq_status run_command(db_conn *db, const char *name, const char *const *params)
{
    PGresult *res = run(db, name, params);
    PQclear(res);
    return res ? AQ_OK : AQ_FAILED;
}

static json_t *text_or_null(const PGresult *res, int r, int c)
{
    return PQgetisnull(res, r, c) ? json_null() : json_string(PQgetvalue(res, r, c));
}

/* A jsonb column as JSON; an object that does not parse (cannot happen for jsonb) is {}. */
static json_t *jsonb_column(const PGresult *res, int r, int c)
{
    json_t *j = json_loads(PQgetvalue(res, r, c), 0, NULL);
    return j ? j : json_object();
}

/* One row of ALERT_COLUMNS as the API's alert object. */
static json_t *alert_row_json(const PGresult *res, int r)
{
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:{s:s}, s:f, s:o, s:o}", "fingerprint",
                     PQgetvalue(res, r, 0), "labels", jsonb_column(res, r, 1), "annotations",
                     jsonb_column(res, r, 2), "startsAt", text_or_null(res, r, 4), "endsAt",
                     text_or_null(res, r, 5), "activeAt", text_or_null(res, r, 6), "status",
                     "state", PQgetvalue(res, r, 3), "value", strtod(PQgetvalue(res, r, 7), NULL),
                     "acknowledged_by", text_or_null(res, r, 8), "acknowledged_at",
                     text_or_null(res, r, 9));
}

static aq_status rows_json(db_conn *db, const char *name, const char *const *params, json_t **out)
{
    *out = NULL;
    PGresult *res = run(db, name, params);
    if (!res)
        return AQ_FAILED;
    json_t *arr = json_array();
    for (int r = 0; arr && r < PQntuples(res); r++)
        if (json_array_append_new(arr, alert_row_json(res, r)) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    PQclear(res);
    *out = arr;
    return arr ? AQ_OK : AQ_FAILED;
}

static void format_i64(int64_t v, char buf[24])
{
    snprintf(buf, 24, "%" PRId64, v);
}

/* A double for a float8 parameter; the rules' values are finite, but a NaN must not fail a
 * whole evaluation. */
static void format_value(double v, char buf[40])
{
    snprintf(buf, 40, "%.17g", isfinite(v) ? v : 0.0);
}

/* --- the engine --------------------------------------------------------------------------- */

aq_status aq_try_leader_lock(db_conn *db, bool *got)
{
    const char *params[] = {AQ_LEADER_LOCK_KEY};
    *got = false;
    PGresult *res = run(db, "alerts_leader_lock", params);
    if (!res)
        return AQ_FAILED;
    *got = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return AQ_OK;
}

aq_status aq_load_active(db_conn *db, int year, alert_state **out, size_t *n)
{
    char y[24];
    format_i64(year, y);
    const char *params[] = {y};
    *out = NULL;
    *n = 0;
    PGresult *res = run(db, "alerts_load_active", params);
    if (!res)
        return AQ_FAILED;
    const int rows = PQntuples(res);
    alert_state *states = rows > 0 ? calloc((size_t)rows, sizeof *states) : NULL;
    if (rows > 0 && !states) {
        PQclear(res);
        return AQ_FAILED;
    }
    for (int r = 0; r < rows; r++) {
        alert_state *s = &states[r];
        snprintf(s->alert.fingerprint, sizeof s->alert.fingerprint, "%s", PQgetvalue(res, r, 0));
        s->state =
            strcmp(PQgetvalue(res, r, 1), "firing") == 0 ? ALERT_STATE_FIRING : ALERT_STATE_PENDING;
        s->active_since = strtoll(PQgetvalue(res, r, 2), NULL, 10);
        s->starts_at =
            PQgetisnull(res, r, 3) ? ALERT_TIME_NONE : strtoll(PQgetvalue(res, r, 3), NULL, 10);
        s->ends_at = ALERT_TIME_NONE;
        s->consecutive = (int32_t)strtol(PQgetvalue(res, r, 4), NULL, 10);
        snprintf(s->alert.summary, sizeof s->alert.summary, "%s", PQgetvalue(res, r, 5));
        s->alert.value = strtod(PQgetvalue(res, r, 6), NULL);
        snprintf(s->alert.description, sizeof s->alert.description, "%s", PQgetvalue(res, r, 8));
        for (int rule = 0; rule < ALERT_RULE_COUNT; rule++)
            if (strcmp(alert_rule_name((alert_rule)rule), PQgetvalue(res, r, 7)) == 0)
                s->alert.rule = (alert_rule)rule;
    }
    PQclear(res);
    *out = states;
    *n = (size_t)rows;
    return AQ_OK;
}

/* The labels and annotations of a condition as compact JSON text (caller frees). */
static char *labels_text(const alert_condition *c)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < c->n_labels; i++)
        json_object_set_new(o, c->labels[i].name, json_string(c->labels[i].value));
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return text;
}

static char *annotations_text(const alert_condition *c)
{
    json_t *o = json_pack("{s:s, s:s}", "summary", c->summary, "description", c->description);
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return text;
}

static const char *transition_state(const alert_state *s)
{
    return alert_state_name(s->state); /* the state the transition led to */
}

aq_status aq_save_state(db_conn *db, int year, const alert_state *s, int64_t now)
{
    char y[24], since[24], starts[24], cons[24], at[24], val[40];
    format_i64(year, y);
    format_i64(now, at);
    format_value(s->alert.value, val);
    aq_status st;
    if (s->state == ALERT_STATE_PENDING || s->state == ALERT_STATE_FIRING) {
        format_i64(s->active_since, since);
        if (s->starts_at != ALERT_TIME_NONE)
            format_i64(s->starts_at, starts);
        format_i64(s->consecutive, cons);
        char *labels = labels_text(&s->alert);
        char *annotations = annotations_text(&s->alert);
        if (!labels || !annotations) {
            free(labels);
            free(annotations);
            return AQ_FAILED;
        }
        const char *params[] = {s->alert.fingerprint,
                                alert_rule_name(s->alert.rule),
                                y,
                                labels,
                                annotations,
                                val,
                                alert_state_name(s->state),
                                since,
                                s->starts_at != ALERT_TIME_NONE ? starts : NULL,
                                cons,
                                at};
        st = run_command(db, "alerts_upsert_active", params);
        free(labels);
        free(annotations);
    } else {
        char ends[24];
        format_i64(s->ends_at != ALERT_TIME_NONE ? s->ends_at : now, ends);
        const char *params[] = {s->alert.fingerprint, alert_state_name(s->state), ends};
        st = run_command(db, "alerts_end", params);
    }
    if (st != AQ_OK || s->transition == ALERT_TR_NONE)
        return st;
    const char *hparams[] = {s->alert.fingerprint, transition_state(s), at, val, s->alert.summary};
    return run_command(db, "alerts_history_insert", hparams);
}

aq_status aq_record_evaluation(db_conn *db, int year, int64_t now, time_t data_as_of)
{
    char y[24], at[24], asof[24];
    format_i64(year, y);
    format_i64(now, at);
    format_i64((int64_t)data_as_of, asof);
    const char *params[] = {y, at, data_as_of > 0 ? asof : NULL};
    return run_command(db, "alerts_record_evaluation", params);
}

aq_status aq_notify(db_conn *db, const char *payload)
{
    const char *params[] = {payload};
    return run_command(db, "alerts_notify", params);
}

aq_status aq_cap_years(db_conn *db, int *years, size_t max, size_t *n)
{
    *n = 0;
    PGresult *res = run(db, "alerts_cap_years", NULL);
    if (!res)
        return AQ_FAILED;
    for (int r = 0; r < PQntuples(res) && *n < max; r++)
        years[(*n)++] = atoi(PQgetvalue(res, r, 0));
    PQclear(res);
    return AQ_OK;
}

aq_status aq_year_live(db_conn *db, int year, bool *live)
{
    char y[16];
    snprintf(y, sizeof y, "%d", year);
    const char *params[] = {y};
    *live = false;
    PGresult *res = run(db, "alerts_year_live", params);
    if (!res)
        return AQ_FAILED;
    *live = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return AQ_OK;
}

aq_status aq_push_candidates(db_conn *db, json_t **out)
{
    return rows_json(db, "alerts_push_candidates", NULL, out);
}

aq_status aq_mark_pushed(db_conn *db, const char *fingerprints)
{
    const char *params[] = {fingerprints};
    return run_command(db, "alerts_mark_pushed", params);
}

/* --- the API ------------------------------------------------------------------------------ */

aq_status aq_list(db_conn *db, const char *states, int year, int limit, json_t **out)
{
    char y[24], l[24];
    format_i64(year, y);
    format_i64(limit, l);
    const char *params[] = {states, y, l};
    return rows_json(db, "alerts_list", params, out);
}

aq_status aq_get(db_conn *db, const char *fingerprint, json_t **out)
{
    const char *params[] = {fingerprint};
    json_t *arr;
    aq_status st = rows_json(db, "alerts_get", params, &arr);
    *out = NULL;
    if (st != AQ_OK)
        return st;
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return AQ_NOT_FOUND;
    }
    *out = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    return AQ_OK;
}

aq_status aq_history(db_conn *db, const char *fingerprint, json_t **out)
{
    const char *params[] = {fingerprint};
    *out = NULL;
    PGresult *res = run(db, "alerts_history", params);
    if (!res)
        return AQ_FAILED;
    json_t *arr = json_array();
    for (int r = 0; arr && r < PQntuples(res); r++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:f, s:s}", "state", PQgetvalue(res, r, 0),
                                             "at", PQgetvalue(res, r, 1), "value",
                                             strtod(PQgetvalue(res, r, 2), NULL), "summary",
                                             PQgetvalue(res, r, 3)));
    PQclear(res);
    *out = arr;
    return arr ? AQ_OK : AQ_FAILED;
}

aq_status aq_acks(db_conn *db, const char *fingerprint, json_t **out)
{
    const char *params[] = {fingerprint};
    *out = NULL;
    PGresult *res = run(db, "alerts_acks", params);
    if (!res)
        return AQ_FAILED;
    json_t *arr = json_array();
    for (int r = 0; arr && r < PQntuples(res); r++)
        json_array_append_new(arr,
                              json_pack("{s:s, s:s, s:s}", "by", PQgetvalue(res, r, 0), "at",
                                        PQgetvalue(res, r, 1), "comment", PQgetvalue(res, r, 2)));
    PQclear(res);
    *out = arr;
    return arr ? AQ_OK : AQ_FAILED;
}

aq_status aq_data_as_of(db_conn *db, int year, json_t **out)
{
    char y[24];
    format_i64(year, y);
    const char *params[] = {y};
    *out = NULL;
    PGresult *res = run(db, "alerts_data_as_of", params);
    if (!res)
        return AQ_FAILED;
    *out = PQntuples(res) == 1 ? text_or_null(res, 0, 0) : json_null();
    PQclear(res);
    return AQ_OK;
}

aq_status aq_acknowledge(db_conn *db, const char *fingerprint, const char *by, int64_t token_id,
                         const char *comment)
{
    if (!db_begin(db))
        return AQ_FAILED;
    const char *uparams[] = {fingerprint, by};
    PGresult *res = run(db, "alerts_ack_update", uparams);
    if (!res)
        goto failed;
    const bool updated = PQntuples(res) == 1;
    PQclear(res);
    if (!updated) {
        /* Tell an unknown fingerprint from one that is no longer active. */
        const char *sparams[] = {fingerprint};
        res = run(db, "alerts_ack_state", sparams);
        if (!res)
            goto failed;
        const bool exists = PQntuples(res) == 1;
        PQclear(res);
        db_rollback(db);
        return exists ? AQ_CONFLICT : AQ_NOT_FOUND;
    }
    char tid[24];
    format_i64(token_id, tid);
    const char *iparams[] = {fingerprint, by, tid, comment};
    if (run_command(db, "alerts_ack_insert", iparams) != AQ_OK || aq_notify(db, "ack") != AQ_OK ||
        !db_commit(db))
        goto failed;
    return AQ_OK;

failed:
    db_rollback(db);
    return AQ_FAILED;
}
