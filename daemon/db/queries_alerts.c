/*
 * queries_alerts.c: the SQL of the alert engine and the alert endpoints (see
 * queries_alerts.h), and the one spec that decodes an alert row (shared by the list, the
 * single view and the Alertmanager push, which all select ALERT_COLUMNS).
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

#include "db/db_batch.h"
#include "db/db_internal.h"
#include "db/db_result.h"
#include "db/db_statement.h"

#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* The labels as a JSON object with its keys in name order (jsonb keeps its own order; json
 * keeps the one it is built in), so the API and Alertmanager see them as a person would. */
#define LABELS_SORTED "(SELECT json_object_agg(key, value ORDER BY key) FROM jsonb_each(labels))"

/* The columns alert_list() decodes. */
#define ALERT_COLUMNS                                                                              \
    "fingerprint, " LABELS_SORTED                                                                  \
    " AS labels, annotations, annotations_nl, state, " ISO("starts_at") " AS starts_at, " ISO(     \
        "ends_at") " AS ends_at, " ISO("active_since") " AS active_at, value, "                    \
                                                       "acknowledged_by, " ISO(                    \
                                                           "acknowledged_at") " AS "               \
                                                                              "acknowledged_at"

const db_statement db_queries_alerts[] = {
    /* Session-level on purpose: the engine's dedicated connection keeps it as long as it
     * lives, and PostgreSQL releases it when that session ends, whatever the cause. */
    {"alerts_leader_lock", "SELECT pg_try_advisory_lock($1::bigint) AS got", 1},
    {"alerts_load_active",
     "SELECT fingerprint, state, extract(epoch FROM active_since)::bigint AS active_since,"
     "       extract(epoch FROM starts_at)::bigint AS starts_at, consecutive,"
     "       coalesce(annotations->>'summary', '') AS summary, value, alertname,"
     "       coalesce(annotations->>'description', '') AS description,"
     "       coalesce(annotations_nl->>'summary', '') AS summary_nl,"
     "       coalesce(annotations_nl->>'description', '') AS description_nl"
     "  FROM alert WHERE year = $1::int AND state IN ('pending', 'firing')"
     " ORDER BY fingerprint COLLATE \"C\"", /* strcmp's order: the engine bsearches it */
     1},
    /* An active state. Coming from resolved or inactive it is a new episode, which clears
     * the acknowledgement of the previous one; pending -> firing is the same episode. */
    {"alerts_upsert_active",
     "INSERT INTO alert AS a (fingerprint, alertname, year, labels, annotations, value, state,"
     "                        active_since, starts_at, ends_at, consecutive, updated_at,"
     "                        annotations_nl)"
     " VALUES ($1, $2, $3::int, $4::jsonb, $5::jsonb, $6::float8, $7, to_timestamp($8),"
     "         to_timestamp($9), NULL, $10::int, to_timestamp($11), $12::jsonb)"
     " ON CONFLICT (fingerprint) DO UPDATE SET"
     "   alertname = EXCLUDED.alertname, year = EXCLUDED.year, labels = EXCLUDED.labels,"
     "   annotations = EXCLUDED.annotations, annotations_nl = EXCLUDED.annotations_nl,"
     "   value = EXCLUDED.value, state = EXCLUDED.state,"
     "   active_since = EXCLUDED.active_since, starts_at = EXCLUDED.starts_at, ends_at = NULL,"
     "   consecutive = EXCLUDED.consecutive,"
     "   updated_at = CASE WHEN a.state = EXCLUDED.state THEN a.updated_at"
     "                     ELSE EXCLUDED.updated_at END,"
     "   acknowledged_by = CASE WHEN a.state IN ('pending', 'firing') THEN a.acknowledged_by END,"
     "   acknowledged_at = CASE WHEN a.state IN ('pending', 'firing') THEN a.acknowledged_at END",
     12},
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
     "INSERT INTO alert_evaluation (year, evaluated_at, data_as_of, watermark)"
     " VALUES ($1::int, to_timestamp($2), to_timestamp($3), $4::pg_snapshot)"
     " ON CONFLICT (year) DO UPDATE SET evaluated_at = EXCLUDED.evaluated_at,"
     "                                  data_as_of = EXCLUDED.data_as_of,"
     "                                  watermark = EXCLUDED.watermark",
     4},
    /* An evaluation's states are derived data: the next evaluation writes them again from
     * the ledger. So their transaction does not wait for its WAL to reach the disk (a
     * crash can lose at most the last few milliseconds of them, never a half of one), and
     * the writers waiting to read their own write do not wait for a disk flush twice. */
    {"alerts_async_commit", "SET LOCAL synchronous_commit TO off", 0},
    /* The watermark of the year's last saved evaluation, locked until the transaction ends
     * (only the leader writes it; the lock keeps the check and the write one step). */
    {"alerts_evaluation_watermark",
     "SELECT watermark::text AS watermark FROM alert_evaluation WHERE year = $1::int FOR UPDATE",
     1},
    {"alerts_notify", "SELECT pg_notify('lvhcmon_alerts', $1)", 1},
    /* The years the engine evaluates: each one with a national cap. */
    {"alerts_cap_years", "SELECT year FROM budget WHERE scope = 'national' ORDER BY year", 0},
    /* Whether a year other than the current one is worth evaluating: it has active alerts
     * (which may resolve) or accepted lines (which may make one fire). */
    {"alerts_year_live",
     "SELECT EXISTS (SELECT 1 FROM alert WHERE year = $1::int AND state IN ('pending', 'firing'))"
     "    OR EXISTS (SELECT 1 FROM declaration_line WHERE accepted"
     "                 AND service_month >= make_date($1::int, 1, 1)"
     "                 AND service_month < make_date($1::int + 1, 1, 1)) AS live",
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
     "   AND ($4 = '' OR NOT labels ? 'provider' OR labels->>'provider' = $4)"
     " ORDER BY CASE state WHEN 'firing' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END,"
     "          coalesce(ends_at, starts_at, active_since) DESC, fingerprint"
     " LIMIT $3::int",
     4},
    {"alerts_get",
     "SELECT " ALERT_COLUMNS " FROM alert WHERE fingerprint = $1 AND state <> 'inactive'", 1},
    {"alerts_history",
     "SELECT state, " ISO("at") " AS at, value, summary FROM alert_history"
                                " WHERE fingerprint = $1 ORDER BY at, id",
     1},
    {"alerts_acks",
     "SELECT acknowledged_by, " ISO("at") " AS at, comment FROM alert_ack"
                                          " WHERE fingerprint = $1 ORDER BY at, id",
     1},
    {"alerts_data_as_of",
     "SELECT " ISO("data_as_of") " AS data_as_of FROM alert_evaluation"
                                 " WHERE $1::int = 0 OR year = $1::int"
                                 " ORDER BY evaluated_at DESC LIMIT 1",
     1},
    {"alerts_ack_update",
     "UPDATE alert SET acknowledged_by = $2, acknowledged_at = now()"
     " WHERE fingerprint = $1 AND state IN ('pending', 'firing') RETURNING state",
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

void aq_alert_list_clear(aq_alert_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        json_decref(list->items[i].labels);
        json_decref(list->items[i].annotations);
        json_decref(list->items[i].annotations_nl);
    }
    free(list->items);
    db_rows_free(list->rows);
    memset(list, 0, sizeof *list);
}

void aq_trail_clear(aq_trail *trail)
{
    free(trail->transitions);
    free(trail->acks);
    db_rows_free(trail->rows);
    memset(trail, 0, sizeof *trail);
}

/* Runs a statement selecting ALERT_COLUMNS and decodes every row. */
static db_status alert_list(db_conn *db, const char *name, const char *const *params,
                            aq_alert_list *out)
{
    memset(out, 0, sizeof *out);
    db_rows *rows;
    db_status st = db_query(db, name, params, &rows);
    if (st != DB_OK)
        return st;
    aq_alert a = {0};
    db_result_spec spec[] = {
        db_rs_text_ref("fingerprint", &a.fingerprint),
        db_rs_nullable(db_rs_json("labels", &a.labels), NULL),
        db_rs_json("annotations", &a.annotations),
        db_rs_nullable(db_rs_json("annotations_nl", &a.annotations_nl), NULL),
        db_rs_text_ref("state", &a.state),
        db_rs_nullable(db_rs_text_ref("starts_at", &a.starts_at), NULL),
        db_rs_nullable(db_rs_text_ref("ends_at", &a.ends_at), NULL),
        db_rs_text_ref("active_at", &a.active_at),
        db_rs_float8("value", &a.value),
        db_rs_nullable(db_rs_text_ref("acknowledged_by", &a.acknowledged_by), NULL),
        db_rs_nullable(db_rs_text_ref("acknowledged_at", &a.acknowledged_at), NULL),
        db_rs_end()};
    void *items;
    st = db_rows_collect(rows, spec, &a, sizeof a, &items);
    if (st != DB_OK) {
        db_rows_free(rows);
        return st;
    }
    out->items = items;
    out->n = db_rows_count(rows);
    out->rows = rows;
    for (size_t i = 0; i < out->n; i++)
        if (out->items[i].labels == NULL) /* json_object_agg of no labels */
            out->items[i].labels = json_object();
    return DB_OK;
}

/* --- the engine --------------------------------------------------------------------------- */

db_status aq_try_leader_lock(db_conn *db, bool *got)
{
    const char *params[] = {AQ_LEADER_LOCK_KEY};
    *got = false;
    db_result_spec spec[] = {db_rs_bool("got", got), db_rs_end()};
    return db_query_one(db, "alerts_leader_lock", params, spec);
}

db_status aq_load_active(db_conn *db, int year, alert_state **out, size_t *n)
{
    char y[24];
    format_i64(year, y);
    const char *params[] = {y};
    *out = NULL;
    *n = 0;
    db_rows *rows;
    db_status st = db_query(db, "alerts_load_active", params, &rows);
    if (st != DB_OK)
        return st;
    const size_t count = db_rows_count(rows);
    alert_state *states = count > 0 ? calloc(count, sizeof *states) : NULL;
    if (count > 0 && !states) {
        db_rows_free(rows);
        return db_fail_local(db, "alerts_load_active", "out of memory");
    }
    alert_state s;
    char state[16], alertname[64];
    int64_t active_since, starts_at;
    int consecutive;
    bool no_start;
    db_result_spec spec[] = {
        db_rs_text("fingerprint", s.alert.fingerprint, sizeof s.alert.fingerprint),
        db_rs_text("state", state, sizeof state),
        db_rs_int64("active_since", &active_since),
        db_rs_nullable(db_rs_int64("starts_at", &starts_at), &no_start),
        db_rs_int("consecutive", &consecutive),
        db_rs_text("summary", s.alert.summary, sizeof s.alert.summary),
        db_rs_float8("value", &s.alert.value),
        db_rs_text("alertname", alertname, sizeof alertname),
        db_rs_text("description", s.alert.description, sizeof s.alert.description),
        db_rs_text("summary_nl", s.alert.summary_nl, sizeof s.alert.summary_nl),
        db_rs_text("description_nl", s.alert.description_nl, sizeof s.alert.description_nl),
        db_rs_end()};
    for (size_t r = 0; r < count; r++) {
        memset(&s, 0, sizeof s);
        st = db_rows_decode(rows, r, spec);
        if (st != DB_OK) {
            free(states);
            db_rows_free(rows);
            return st;
        }
        s.state = strcmp(state, "firing") == 0 ? ALERT_STATE_FIRING : ALERT_STATE_PENDING;
        s.active_since = active_since;
        s.starts_at = no_start ? ALERT_TIME_NONE : starts_at;
        s.ends_at = ALERT_TIME_NONE;
        s.consecutive = (int32_t)consecutive;
        for (int rule = 0; rule < ALERT_RULE_COUNT; rule++)
            if (strcmp(alert_rule_name((alert_rule)rule), alertname) == 0)
                s.alert.rule = (alert_rule)rule;
        states[r] = s;
    }
    db_rows_free(rows);
    *out = states;
    *n = count;
    return DB_OK;
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

/* The annotations as compact JSON (caller frees): English, or with @a dutch the Dutch texts. */
static char *annotations_text(const alert_condition *c, bool dutch)
{
    json_t *o = json_pack("{s:s, s:s}", "summary", dutch ? c->summary_nl : c->summary,
                          "description", dutch ? c->description_nl : c->description);
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return text;
}

db_status aq_save_state(db_conn *db, int year, const alert_state *s, int64_t now)
{
    char y[24], since[24], starts[24], cons[24], at[24], val[40];
    format_i64(year, y);
    format_i64(now, at);
    format_value(s->alert.value, val);
    db_status st;
    if (s->state == ALERT_STATE_PENDING || s->state == ALERT_STATE_FIRING) {
        format_i64(s->active_since, since);
        if (s->starts_at != ALERT_TIME_NONE)
            format_i64(s->starts_at, starts);
        format_i64(s->consecutive, cons);
        char *labels = labels_text(&s->alert);
        char *annotations = annotations_text(&s->alert, false);
        char *annotations_nl = annotations_text(&s->alert, true);
        if (!labels || !annotations || !annotations_nl) {
            free(labels);
            free(annotations);
            free(annotations_nl);
            return db_fail_local(db, "alerts_upsert_active", "out of memory");
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
                                at,
                                annotations_nl};
        st = db_command(db, "alerts_upsert_active", params);
        free(labels);
        free(annotations);
        free(annotations_nl);
    } else {
        char ends[24];
        format_i64(s->ends_at != ALERT_TIME_NONE ? s->ends_at : now, ends);
        const char *params[] = {s->alert.fingerprint, alert_state_name(s->state), ends};
        st = db_command(db, "alerts_end", params);
    }
    if (st != DB_OK || s->transition == ALERT_TR_NONE)
        return st;
    /* the state the transition led to */
    const char *hparams[] = {s->alert.fingerprint, alert_state_name(s->state), at, val,
                             s->alert.summary};
    return db_command(db, "alerts_history_insert", hparams);
}

db_status aq_record_evaluation(db_conn *db, int year, int64_t now, time_t data_as_of,
                               const db_watermark *as_of)
{
    char y[24], at[24], asof[24], mark[DB_WATERMARK_TEXT_MAX];
    format_i64(year, y);
    format_i64(now, at);
    format_i64((int64_t)data_as_of, asof);
    db_watermark_format(as_of, mark, sizeof mark);
    const char *params[] = {y, at, data_as_of > 0 ? asof : NULL, mark[0] ? mark : NULL};
    return db_command(db, "alerts_record_evaluation", params);
}

db_status aq_evaluation_begin(db_conn *db, int year, db_watermark *out)
{
    char y[24], text[DB_WATERMARK_TEXT_MAX];
    format_i64(year, y);
    const char *params[] = {y};
    memset(out, 0, sizeof *out);
    enum { BEGIN, ASYNC, MARK, N_ITEMS };
    const db_batch_item items[N_ITEMS] = {[BEGIN] = {NULL, NULL, "BEGIN"},
                                          [ASYNC] = {"alerts_async_commit", NULL, NULL},
                                          [MARK] = {"alerts_evaluation_watermark", params, NULL}};
    db_rows *rows[N_ITEMS] = {NULL};
    db_status st = db_batch_run(db, items, N_ITEMS, rows);
    if (st == DB_OK && db_rows_count(rows[MARK]) > 0) {
        bool none = true;
        db_result_spec spec[] = {db_rs_nullable(db_rs_text("watermark", text, sizeof text), &none),
                                 db_rs_end()};
        st = db_rows_decode(rows[MARK], 0, spec);
        if (st == DB_OK && !none && !db_watermark_parse(text, out))
            st = db_fail_local(db, "alerts_evaluation_watermark", "not a pg_snapshot");
    }
    for (size_t i = 0; i < N_ITEMS; i++)
        db_rows_free(rows[i]);
    return st;
}

db_status aq_notify(db_conn *db, const char *payload)
{
    const char *params[] = {payload};
    return db_command(db, "alerts_notify", params);
}

/* "evaluated <0|1> <pg_snapshot>": the payload of an evaluation's notification. */
#define EVALUATED_PREFIX "evaluated "

db_status aq_notify_evaluated(db_conn *db, bool changed, const db_watermark *as_of)
{
    char mark[DB_WATERMARK_TEXT_MAX], payload[sizeof mark + 32];
    snprintf(payload, sizeof payload, EVALUATED_PREFIX "%d %s", changed ? 1 : 0,
             db_watermark_format(as_of, mark, sizeof mark));
    return aq_notify(db, payload);
}

bool aq_parse_evaluated(const char *payload, bool *changed, db_watermark *as_of)
{
    const size_t n = strlen(EVALUATED_PREFIX);
    if (strncmp(payload, EVALUATED_PREFIX, n) != 0 || (payload[n] != '0' && payload[n] != '1') ||
        payload[n + 1] != ' ')
        return false;
    if (!db_watermark_parse(payload + n + 2, as_of))
        return false;
    *changed = payload[n] == '1';
    return true;
}

db_status aq_cap_years(db_conn *db, int *years, size_t max, size_t *n)
{
    *n = 0;
    db_rows *rows;
    db_status st = db_query(db, "alerts_cap_years", NULL, &rows);
    if (st != DB_OK)
        return st;
    int year = 0;
    db_result_spec spec[] = {db_rs_int("year", &year), db_rs_end()};
    for (size_t r = 0; st == DB_OK && r < db_rows_count(rows) && *n < max; r++)
        if ((st = db_rows_decode(rows, r, spec)) == DB_OK)
            years[(*n)++] = year;
    db_rows_free(rows);
    return st;
}

db_status aq_year_live(db_conn *db, int year, bool *live)
{
    char y[24];
    format_i64(year, y);
    const char *params[] = {y};
    *live = false;
    db_result_spec spec[] = {db_rs_bool("live", live), db_rs_end()};
    return db_query_one(db, "alerts_year_live", params, spec);
}

db_status aq_push_candidates(db_conn *db, aq_alert_list *out)
{
    return alert_list(db, "alerts_push_candidates", NULL, out);
}

db_status aq_mark_pushed(db_conn *db, const char *fingerprints)
{
    const char *params[] = {fingerprints};
    return db_command(db, "alerts_mark_pushed", params);
}

/* --- the API ------------------------------------------------------------------------------ */

db_status aq_list(db_conn *db, const char *states, int year, int limit, const char *provider,
                  aq_alert_list *out)
{
    char y[24], l[24];
    format_i64(year, y);
    format_i64(limit, l);
    const char *params[] = {states, y, l, provider != NULL ? provider : ""};
    return alert_list(db, "alerts_list", params, out);
}

db_status aq_get(db_conn *db, const char *fingerprint, aq_alert_list *out)
{
    const char *params[] = {fingerprint};
    db_status st = alert_list(db, "alerts_get", params, out);
    if (st == DB_OK && out->n == 0) {
        aq_alert_list_clear(out);
        return DB_NOT_FOUND;
    }
    return st;
}

/* Runs a statement of an alert's trail and collects its rows: @a spec decodes into the
 * struct at @a row, of @a size bytes. */
static db_status trail(db_conn *db, const char *name, const char *fingerprint, db_result_spec *spec,
                       const void *row, size_t size, void **items, aq_trail *out)
{
    const char *params[] = {fingerprint};
    memset(out, 0, sizeof *out);
    db_rows *rows;
    db_status st = db_query(db, name, params, &rows);
    if (st == DB_OK)
        st = db_rows_collect(rows, spec, row, size, items);
    if (st != DB_OK) {
        db_rows_free(rows);
        return st;
    }
    out->rows = rows;
    out->n = db_rows_count(rows);
    return DB_OK;
}

db_status aq_history(db_conn *db, const char *fingerprint, aq_trail *out)
{
    aq_transition t;
    db_result_spec spec[] = {db_rs_text_ref("state", &t.state), db_rs_text_ref("at", &t.at),
                             db_rs_float8("value", &t.value), db_rs_text_ref("summary", &t.summary),
                             db_rs_end()};
    void *items = NULL;
    db_status st = trail(db, "alerts_history", fingerprint, spec, &t, sizeof t, &items, out);
    out->transitions = items;
    return st;
}

db_status aq_acks(db_conn *db, const char *fingerprint, aq_trail *out)
{
    aq_ack a;
    db_result_spec spec[] = {db_rs_text_ref("acknowledged_by", &a.by), db_rs_text_ref("at", &a.at),
                             db_rs_text_ref("comment", &a.comment), db_rs_end()};
    void *items = NULL;
    db_status st = trail(db, "alerts_acks", fingerprint, spec, &a, sizeof a, &items, out);
    out->acks = items;
    return st;
}

db_status aq_data_as_of(db_conn *db, int year, char out[21])
{
    char y[24];
    format_i64(year, y);
    const char *params[] = {y};
    out[0] = '\0';
    db_result_spec spec[] = {db_rs_nullable(db_rs_text("data_as_of", out, 21), NULL), db_rs_end()};
    db_status st = db_query_one(db, "alerts_data_as_of", params, spec);
    return st == DB_NOT_FOUND ? DB_OK : st;
}

db_status aq_acknowledge(db_conn *db, const char *fingerprint, const char *by, int64_t token_id,
                         const char *comment)
{
    char state[16];
    db_result_spec spec[] = {db_rs_text("state", state, sizeof state), db_rs_end()};
    const char *uparams[] = {fingerprint, by};
    db_status st = db_query_one(db, "alerts_ack_update", uparams, spec);
    if (st == DB_NOT_FOUND) {
        /* Tell an unknown fingerprint from one that is no longer active. */
        const char *sparams[] = {fingerprint};
        st = db_query_one(db, "alerts_ack_state", sparams, spec);
        return st == DB_OK ? DB_CONFLICT : st;
    }
    char tid[24];
    format_i64(token_id, tid);
    const char *iparams[] = {fingerprint, by, tid, comment};
    if (st == DB_OK)
        st = db_command(db, "alerts_ack_insert", iparams);
    if (st == DB_OK)
        st = aq_notify(db, AQ_NOTIFY_ACK);
    return st;
}
