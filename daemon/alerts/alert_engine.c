/*
 * alert_engine.c: the alert engine's thread, its leadership, one evaluation's persistence
 * and the Alertmanager push (see alert_engine.h for the design).
 *
 * One evaluation, in the engine thread:
 *   1. connect (lazily) and make sure this instance is the leader, else stop here;
 *   2. load the active (pending, firing) states of the year from `alert`; for the current
 *      year, those this leader session saved last are kept instead (only the leader writes
 *      them, so reading them back would bring the same), until leadership or a save fails;
 *   3. alert_states_step() with the conditions the hook evaluated;
 *   4. in one transaction: check that the data is not older than that of the last saved
 *      evaluation (its watermark), upsert every active state, end the resolved/cancelled
 *      ones, append one alert_history row per transition, record the evaluation with its
 *      watermark. The states are derived from the ledger, so the transaction commits
 *      without waiting for the disk (aq_evaluation_begin(), which opens it in one round
 *      trip; the record goes with the COMMIT): a crash loses at most the last moments of
 *      them, which the first evaluation after it writes again;
 *   5. the same for every other year with a national cap (table budget) whose figures the
 *      round changed, and at most every [alerts] evaluation_interval_s for all of them,
 *      from that year's snapshot (snapshot_acquire(), cached and kept current by the store
 *      once asked for), so that the alerts of a closed year resolve or stay by the same
 *      rules. A year with neither an accepted line nor an active alert is left out
 *      (aq_year_live()): the monitor did not run then, and every month of it would only be
 *      reported missing; nor is its snapshot built;
 *   6. NOTIFY lvhcmon_alerts "evaluated <changed> <watermark>", which every instance's
 *      snapshot store hears (writers waiting to read their own write wait for it); this
 *      instance's store is told first, directly (snapshot_store_alerts_saved());
 *   7. push to Alertmanager when configured and due.
 * When a round of the snapshot store did not change the figures, the hook only brings
 * news of a newer watermark: the leader whose saved states already reflect those figures
 * announces it (step 6) without evaluating or writing anything.
 * A failure at any step leaves the database as it was (the transaction rolls back) and the
 * next evaluation starts over from the stored states: the engine keeps no state of its own
 * that the database does not also hold, which is what lets another instance take over.
 */
#include "alerts/alert_engine.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert_rules.h"
#include "alert_state.h"
#include "alerts/alertmanager.h"
#include "db/pg_array.h"
#include "db/queries_alerts.h"
#include "log.h"
#include "metrics/metrics.h"

struct alert_engine {
    lv_app *app;
    db_conn *db; /* the engine thread's own connection; it holds the leader lock */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    /* Under lock: the newest work not yet processed, and the stop request. */
    bool queued_any;             /* there is work: new figures, or only a newer watermark */
    alert_condition_set *queued; /* the conditions of new figures; NULL: the same figures */
    int queued_year;
    time_t queued_data_as_of;
    db_watermark queued_as_of;                /* the commits the figures include */
    int queued_other[ALERT_ENGINE_OTHER_MAX]; /* other years whose figures changed */
    size_t n_queued_other;
    bool stop;
    /* Engine thread only. */
    alert_condition_set *last; /* the conditions of the newest figures (NULL: none yet) */
    int last_year;
    time_t last_data_as_of;
    bool saved_last;                   /* this leader session saved the states of `last` */
    int other[ALERT_ENGINE_OTHER_MAX]; /* other years to evaluate at the next evaluation */
    size_t n_other;
    bool leader;
    int leader_pid;      /* backend process of the session that holds the lock */
    bool standby_logged; /* "standby" said once per spell, not at every evaluation */
    bool db_down_logged;
    int64_t last_push;        /* last successful push (0: none yet) */
    int64_t last_other_years; /* last evaluation of the other years (0: none yet) */
    bool joined;              /* the thread has been stopped and joined */
    bool push_failed;         /* the last push failed: try again at the next evaluation */
    /* The active states of the current year as this leader session last saved them (what
     * aq_load_active() would read back: only the leader writes them), so that an
     * evaluation does not read them again. Sorted by fingerprint; kept_year 0: none kept. */
    alert_state *kept;
    size_t n_kept;
    int kept_year;
};

/* Forgets the kept states (leadership changed, a save failed or was refused). */
static void kept_drop(alert_engine *e)
{
    free(e->kept);
    e->kept = NULL;
    e->n_kept = 0;
    e->kept_year = 0;
}

static int cmp_state_by_fp(const void *a, const void *b)
{
    return strcmp(((const alert_state *)a)->alert.fingerprint,
                  ((const alert_state *)b)->alert.fingerprint);
}

static int cmp_state_fp(const void *key, const void *item);

/* Keeps the active states of @a next, just saved for @a year over @a prev, as
 * aq_load_active() would read them back: the stored fields only, in fingerprint order; for
 * a state save() did not write (@a writes[i] false, needs_write()), the one stored before. */
static void kept_set(alert_engine *e, int year, const alert_state_set *next, const bool *writes,
                     const alert_state *prev, size_t n_prev)
{
    kept_drop(e);
    alert_state *kept = calloc(next->n ? next->n : 1, sizeof *kept);
    if (kept == NULL)
        return; /* the next evaluation reads them */
    size_t n = 0;
    for (size_t i = 0; i < next->n; i++) {
        const alert_state *s = &next->items[i];
        if (s->state != ALERT_STATE_PENDING && s->state != ALERT_STATE_FIRING)
            continue;
        alert_state *k = &kept[n++];
        if (!writes[i]) {
            *k = *(const alert_state *)bsearch(s->alert.fingerprint, prev, n_prev, sizeof *prev,
                                               cmp_state_fp);
            continue;
        }
        memcpy(k->alert.fingerprint, s->alert.fingerprint, sizeof k->alert.fingerprint);
        memcpy(k->alert.summary, s->alert.summary, sizeof k->alert.summary);
        memcpy(k->alert.description, s->alert.description, sizeof k->alert.description);
        memcpy(k->alert.summary_nl, s->alert.summary_nl, sizeof k->alert.summary_nl);
        memcpy(k->alert.description_nl, s->alert.description_nl, sizeof k->alert.description_nl);
        k->alert.rule = s->alert.rule;
        k->alert.value = isfinite(s->alert.value) ? s->alert.value : 0.0; /* as stored */
        k->state = s->state;
        k->transition = ALERT_TR_NONE;
        k->active_since = s->active_since;
        k->starts_at = s->starts_at;
        k->ends_at = ALERT_TIME_NONE;
        k->consecutive = s->consecutive;
    }
    qsort(kept, n, sizeof *kept, cmp_state_by_fp);
    e->kept = kept;
    e->n_kept = n;
    e->kept_year = year;
}

void alert_engine_rule_config(const lv_config *cfg, alert_config *ac)
{
    alert_config_defaults(ac);
    size_t n = cfg->thresholds.n < ALERT_MAX_THRESHOLDS ? cfg->thresholds.n : ALERT_MAX_THRESHOLDS;
    if (n > 0) {
        for (size_t i = 0; i < n; i++)
            ac->thresholds_bp[i] = cfg->thresholds.bp[i];
        ac->n_thresholds = n;
    }
    ac->forecast_threshold_bp = cfg->forecast_threshold_bp;
    ac->hysteresis_bp = ALERT_ENGINE_HYSTERESIS_BP;
}

/* Queues @a years (other years whose figures changed); call with the lock held. */
static void queue_other_locked(alert_engine *e, const int *years, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool known = false;
        for (size_t k = 0; k < e->n_queued_other; k++)
            known = known || e->queued_other[k] == years[i];
        if (!known && e->n_queued_other < ALERT_ENGINE_OTHER_MAX)
            e->queued_other[e->n_queued_other++] = years[i];
    }
}

void alert_engine_snapshot_hook(void *ctx, const snapshot *snap, bool changed,
                                const db_watermark *as_of, const int *other_years, size_t n_other)
{
    alert_engine *e = ctx;
    if (e == NULL || snap == NULL || snap->status == NULL || snap->stale)
        return;
    if (!changed) {
        /* The same figures as of a newer watermark: queued work (if any) covers it too. */
        pthread_mutex_lock(&e->lock);
        e->queued_any = true;
        e->queued_as_of = *as_of;
        queue_other_locked(e, other_years, n_other);
        pthread_cond_signal(&e->wake);
        pthread_mutex_unlock(&e->lock);
        return;
    }
    alert_config ac;
    app_config_ref *ref = app_config_acquire(e->app);
    alert_engine_rule_config(app_config_ref_get(ref), &ac);
    app_config_release(e->app, ref);

    alert_condition_set *conds = alert_rules_evaluate(snap->status, &snap->forecast, &ac);
    if (conds == NULL) {
        log_error("alert rules could not be evaluated", "{s:i}", "year", snap->year);
        return;
    }
    pthread_mutex_lock(&e->lock);
    alert_condition_set_free(e->queued); /* superseded: the newest evaluation is complete */
    e->queued = conds;
    e->queued_any = true;
    e->queued_year = snap->year;
    e->queued_data_as_of = snap->data_as_of;
    e->queued_as_of = *as_of;
    queue_other_locked(e, other_years, n_other);
    pthread_cond_signal(&e->wake);
    pthread_mutex_unlock(&e->lock);
}

/* --- leadership --------------------------------------------------------------------------- */

/* @return true when this instance is the leader on the (connected) engine connection. */
static bool ensure_leader(alert_engine *e)
{
    const int pid = db_conn_backend_pid(e->db);
    if (e->leader && pid == e->leader_pid)
        return true;
    if (e->leader) {
        /* The connection was renewed: the old session, and its lock, are gone. */
        log_warning("alert leadership lost: the database session was renewed", NULL);
        e->leader = false;
    }
    e->saved_last = false; /* another leader may have written since */
    kept_drop(e);
    bool got = false;
    if (aq_try_leader_lock(e->db, &got) != DB_OK) {
        log_warning("alert leader lock could not be asked for", "{s:s}", "error",
                    db_conn_error(e->db));
        return false;
    }
    if (!got) {
        if (!e->standby_logged)
            log_info("alert standby: another instance is the alert leader", NULL);
        e->standby_logged = true;
        return false;
    }
    e->leader = true;
    e->leader_pid = pid;
    e->standby_logged = false;
    log_info("alert leader", "{s:i}", "backend_pid", pid);
    return true;
}

/* --- Alertmanager ------------------------------------------------------------------------- */

/* The prefix of generatorURL, as a new string the caller frees: [server] public_url without
 * a final '/', or, when that is unset, "http://host:port" of [server] listen, with this
 * machine's host name in place of a wildcard address (0.0.0.0, ::), which no one can open. */
static char *generator_base_new(const lv_config *cfg)
{
    if (cfg->public_url && cfg->public_url[0]) {
        size_t n = strlen(cfg->public_url);
        while (n > 0 && cfg->public_url[n - 1] == '/')
            n--;
        return strndup(cfg->public_url, n);
    }
    char host[256];
    snprintf(host, sizeof host, "%s", cfg->listen.host);
    if ((strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0) &&
        gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0';
    const bool v6 = strchr(host, ':') != NULL;
    char buf[300];
    snprintf(buf, sizeof buf, "http://%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "",
             (unsigned)cfg->listen.port);
    return strdup(buf);
}

static void push(alert_engine *e, bool changed, int64_t now)
{
    app_config_ref *ref = app_config_acquire(e->app);
    const lv_config *cfg = app_config_ref_get(ref);
    char *url =
        cfg->alertmanager_url && cfg->alertmanager_url[0] ? strdup(cfg->alertmanager_url) : NULL;
    const int64_t interval = cfg->evaluation_interval_s > 0 ? cfg->evaluation_interval_s : 60;
    char *base = url ? generator_base_new(cfg) : NULL;
    app_config_release(e->app, ref);
    if (url == NULL)
        return;
    if (base == NULL) {
        log_error("out of memory", "{s:s}", "in", "alert push");
        free(url);
        return;
    }
    /* Firing alerts are resent so Alertmanager keeps them active; twice per interval at
     * most, and at least once per snapshot tick (which comes every interval). */
    const int64_t resend_after = interval / 2 > 0 ? interval / 2 : 1;
    if (!changed && !e->push_failed && e->last_push != 0 && now - e->last_push < resend_after) {
        free(url);
        free(base);
        return;
    }

    aq_alert_list alerts = {0};
    if (aq_push_candidates(e->db, &alerts) != DB_OK) {
        log_warning("alerts to push could not be read", "{s:s}", "error", db_conn_error(e->db));
        e->push_failed = true;
        free(url);
        free(base);
        return;
    }
    const size_t n = alerts.n;
    if (n == 0) {
        e->last_push = now;
        e->push_failed = false;
        aq_alert_list_clear(&alerts);
        free(url);
        free(base);
        return;
    }
    json_t *payload = alertmanager_payload_new(&alerts, base);
    free(base);
    lv_error err = {0};
    bool ok = payload != NULL && alertmanager_post(url, payload, &err);
    json_decref(payload);
    free(url);
    if (!ok) {
        log_warning("alert push to Alertmanager failed; retrying at the next evaluation",
                    "{s:s, s:i}", "error", payload ? err.message : "out of memory", "alerts",
                    (int)n);
        e->push_failed = true;
        aq_alert_list_clear(&alerts);
        return;
    }
    pg_array fps;
    pg_array_init(&fps);
    for (size_t i = 0; i < n; i++)
        pg_array_add(&fps, alerts.items[i].fingerprint);
    if (!pg_array_finish(&fps) || aq_mark_pushed(e->db, fps.text) != DB_OK)
        log_warning("pushed alerts could not be recorded", "{s:s}", "error", db_conn_error(e->db));
    pg_array_release(&fps);
    log_debug("alerts pushed to Alertmanager", "{s:i}", "alerts", (int)n);
    e->last_push = now;
    e->push_failed = false;
    aq_alert_list_clear(&alerts);
}

/* --- one evaluation ----------------------------------------------------------------------- */

static const char *transition_message(alert_transition t)
{
    switch (t) {
    case ALERT_TR_PENDING:
        return "alert pending";
    case ALERT_TR_FIRED:
        return "alert firing";
    case ALERT_TR_RESOLVED:
        return "alert resolved";
    case ALERT_TR_CANCELLED:
        return "alert cancelled";
    case ALERT_TR_NONE:
    default:
        return NULL;
    }
}

static int cmp_state_fp(const void *key, const void *item)
{
    return strcmp(key, ((const alert_state *)item)->alert.fingerprint);
}

/* Whether @a s must be written: a transition, a pending alert (its count of evaluations
 * moves on), or a firing one whose value or texts changed. A firing alert that reads the
 * same as stored is not rewritten: under steady ingest the snapshot is rebuilt many times a
 * second, and hundreds of unchanged upserts per evaluation would be pure load.
 * @param prev the stored active states, sorted by fingerprint (aq_load_active()) */
static bool needs_write(const alert_state *s, const alert_state *prev, size_t n_prev)
{
    if (s->transition != ALERT_TR_NONE || s->state != ALERT_STATE_FIRING)
        return true;
    const alert_state *p =
        n_prev ? bsearch(s->alert.fingerprint, prev, n_prev, sizeof *prev, cmp_state_fp) : NULL;
    return p == NULL || p->state != ALERT_STATE_FIRING || p->alert.value != s->alert.value ||
           p->alert.rule != s->alert.rule || strcmp(p->alert.summary, s->alert.summary) != 0 ||
           strcmp(p->alert.description, s->alert.description) != 0 ||
           strcmp(p->alert.summary_nl, s->alert.summary_nl) != 0 ||
           strcmp(p->alert.description_nl, s->alert.description_nl) != 0;
}

/* How saving one evaluation ended. */
typedef enum { SAVE_OK, SAVE_OLDER, SAVE_FAILED } save_result;

/* Saves the states of one evaluation in one transaction (those with @a writes[i], of
 * which there are @a n_writes), unless its data is older than that of the last saved
 * evaluation (a leader that took over with a snapshot a moment behind must not undo what
 * the previous leader saw). */
static save_result save(alert_engine *e, const alert_state_set *next, const bool *writes,
                        size_t n_writes, int year, int64_t now, time_t data_as_of,
                        const db_watermark *as_of)
{
    db_watermark saved;
    bool ok = aq_evaluation_begin(e->db, year, &saved) == DB_OK;
    if (ok && !db_watermark_includes(as_of, &saved)) {
        db_rollback(e->db);
        log_debug("alert evaluation not saved: its data is older than the last saved one", "{s:i}",
                  "year", year);
        return SAVE_OLDER;
    }
    /* The states and the record go with the COMMIT, in one round trip, when they fit in
     * its queue (else the states run one by one, in order, and only the record waits):
     * writers waiting to read their own write wait for this save. */
    if (ok && 1 + n_writes * AQ_SAVE_STATE_STATEMENTS <= DB_DEFER_MAX) /* 1: the record */
        db_defer_until_commit(e->db);
    for (size_t i = 0; ok && i < next->n; i++)
        if (writes[i])
            ok = aq_save_state(e->db, year, &next->items[i], now) == DB_OK;
    if (ok)
        db_defer_until_commit(e->db);
    ok = ok && aq_record_evaluation(e->db, year, now, data_as_of, as_of) == DB_OK;
    ok = ok && db_commit(e->db) == DB_OK;
    if (!ok) {
        log_error("alert states could not be saved; retrying at the next evaluation", "{s:s}",
                  "error", db_conn_error(e->db));
        db_rollback(e->db);
    }
    return ok ? SAVE_OK : SAVE_FAILED;
}

/* Tells every instance which commits the saved alert states include (step 6). */
static void announce(alert_engine *e, bool changed, const db_watermark *as_of)
{
    if (e->app->snapshots != NULL) /* this instance's writers: without the server's hop */
        snapshot_store_alerts_saved(e->app->snapshots, changed, as_of);
    if (aq_notify_evaluated(e->db, changed, as_of) != DB_OK)
        log_warning("alert evaluation could not be announced", "{s:s}", "error",
                    db_conn_error(e->db));
}

/* Connects (lazily) and makes sure this instance leads. @return false: nothing to do. */
static bool connected_leader(alert_engine *e)
{
    lv_error err;
    if (db_conn_ensure(e->db, &err) != DB_OK) {
        if (e->leader)
            log_warning("alert leadership lost: database unreachable", NULL);
        e->leader = false;
        e->saved_last = false;
        kept_drop(e);
        if (!e->db_down_logged)
            log_warning("alert engine: database unreachable", "{s:s}", "error", err.message);
        e->db_down_logged = true;
        return false;
    }
    e->db_down_logged = false;
    return ensure_leader(e);
}

/* Steps and saves the alerts of @a year with @a conds, whose figures include @a as_of.
 * @return SAVE_OK, SAVE_OLDER or SAVE_FAILED; *changed counts the transitions saved. */
static save_result step_year(alert_engine *e, const alert_condition_set *conds, int year,
                             time_t data_as_of, const db_watermark *as_of, int64_t now,
                             size_t *changed)
{
    alert_state *prev = NULL;
    size_t n_prev = 0;
    if (e->kept_year == year) { /* what this session saved last: no need to read it back */
        prev = e->kept;
        n_prev = e->n_kept;
        e->kept = NULL;
        e->kept_year = 0;
    } else if (aq_load_active(e->db, year, &prev, &n_prev) != DB_OK) {
        log_error("alert states could not be loaded", "{s:i, s:s}", "year", year, "error",
                  db_conn_error(e->db));
        return SAVE_FAILED;
    }
    alert_state_set *next = alert_states_step(prev, n_prev, conds, now);
    if (next == NULL) {
        free(prev);
        log_error("out of memory", "{s:s}", "in", "alert_states_step");
        return SAVE_FAILED;
    }
    /* Which states must be written (needs_write()), decided once for the save and for
     * what is kept of it. */
    bool *writes = calloc(next->n ? next->n : 1, sizeof *writes);
    if (writes == NULL) {
        free(prev);
        alert_state_set_free(next);
        log_error("out of memory", "{s:s}", "in", "step_year");
        return SAVE_FAILED;
    }
    size_t here = 0, n_writes = 0;
    for (size_t i = 0; i < next->n; i++) {
        here += next->items[i].transition != ALERT_TR_NONE;
        writes[i] = needs_write(&next->items[i], prev, n_prev);
        n_writes += writes[i];
    }
    const save_result saved = save(e, next, writes, n_writes, year, now, data_as_of, as_of);
    if (saved == SAVE_OK && year == e->last_year) /* the current year's: evaluated every round */
        kept_set(e, year, next, writes, prev, n_prev);
    free(writes);
    free(prev);
    metrics_count_alert_evaluation(saved == SAVE_OK);
    if (saved == SAVE_OK) {
        *changed += here;
        for (size_t i = 0; i < next->n; i++) {
            const alert_state *s = &next->items[i];
            const char *msg = transition_message(s->transition);
            if (msg)
                log_info(msg, "{s:s, s:s, s:s}", "fingerprint", s->alert.fingerprint, "alertname",
                         alert_rule_name(s->alert.rule), "summary", s->alert.summary);
        }
    }
    alert_state_set_free(next);
    return saved;
}

#define MAX_CAP_YEARS 64

/* Whether @a year is among @a years. */
static bool year_in(int year, const int *years, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (years[i] == year)
            return true;
    return false;
}

/* Step 5 of the header: every other year with a national cap (all of them when @a all,
 * else those in e->other), from its snapshot, whose figures include @a as_of. */
static void evaluate_other_years(alert_engine *e, int current, bool all, const db_watermark *as_of,
                                 int64_t now, size_t *changed)
{
    int years[MAX_CAP_YEARS];
    size_t n = 0;
    if (aq_cap_years(e->db, years, MAX_CAP_YEARS, &n) != DB_OK) {
        log_warning("years with a cap could not be read", "{s:s}", "error", db_conn_error(e->db));
        return;
    }
    alert_config ac;
    app_config_ref *ref = app_config_acquire(e->app);
    alert_engine_rule_config(app_config_ref_get(ref), &ac);
    app_config_release(e->app, ref);
    for (size_t i = 0; i < n; i++) {
        bool live = false;
        if (years[i] == current || (!all && !year_in(years[i], e->other, e->n_other)))
            continue;
        if (aq_year_live(e->db, years[i], &live) != DB_OK) {
            log_warning("alerts of a year not evaluated", "{s:i, s:s}", "year", years[i], "error",
                        db_conn_error(e->db));
            continue;
        }
        if (!live)
            continue;
        lv_error err = {0};
        const snapshot *snap = snapshot_acquire(e->app->snapshots, years[i], &err);
        if (snap == NULL || snap->stale || snap->status == NULL) {
            log_warning("alerts of a year not evaluated: no current figures", "{s:i, s:s}", "year",
                        years[i], "error", snap ? "stale" : err.message);
            snapshot_release(snap);
            continue;
        }
        alert_condition_set *conds = alert_rules_evaluate(snap->status, &snap->forecast, &ac);
        if (conds == NULL)
            log_error("alert rules could not be evaluated", "{s:i}", "year", years[i]);
        else
            step_year(e, conds, years[i], snap->data_as_of, as_of, now, changed);
        alert_condition_set_free(conds);
        snapshot_release(snap);
    }
}

/* Steps, saves and announces the states of e->last (the current year) and of the other
 * years due, whose figures include @a as_of. */
static void evaluate(alert_engine *e, const db_watermark *as_of)
{
    const int64_t now = (int64_t)time(NULL);
    size_t changed = 0;
    const save_result saved =
        step_year(e, e->last, e->last_year, e->last_data_as_of, as_of, now, &changed);
    if (saved == SAVE_FAILED)
        return;
    app_config_ref *ref = app_config_acquire(e->app);
    const int64_t interval = app_config_ref_get(ref)->evaluation_interval_s;
    app_config_release(e->app, ref);
    const bool all = e->last_other_years == 0 || now - e->last_other_years >= interval;
    if (all || e->n_other > 0)
        evaluate_other_years(e, e->last_year, all, as_of, now, &changed);
    if (all)
        e->last_other_years = now;
    e->n_other = 0;
    if (saved == SAVE_OK) {
        e->saved_last = true;
        announce(e, changed > 0, as_of);
    }
    push(e, changed > 0, now);
}

/* Adds the years of @a years to e->other (the other years whose figures changed). */
static void other_years_add(alert_engine *e, const int *years, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!year_in(years[i], e->other, e->n_other) && e->n_other < ALERT_ENGINE_OTHER_MAX)
            e->other[e->n_other++] = years[i];
}

/* One piece of queued work: new figures (@a conds, taken; and other years whose figures
 * changed) or only a newer watermark. */
static void process(alert_engine *e, alert_condition_set *conds, int year, time_t data_as_of,
                    const int *other, size_t n_other, const db_watermark *as_of)
{
    if (conds != NULL) {
        alert_condition_set_free(e->last);
        e->last = conds;
        e->last_year = year;
        e->last_data_as_of = data_as_of;
        e->saved_last = false;
    }
    other_years_add(e, other, n_other);
    if (e->last == NULL)
        return; /* no figures seen yet */
    /* A standby asks for the lock with new figures only: the periodic reload brings new
     * figures every evaluation interval, which bounds a takeover. */
    if (conds == NULL && e->n_other == 0 && !e->leader)
        return;
    if (!connected_leader(e))
        return;
    if (e->saved_last && e->n_other == 0)
        announce(e, false, as_of); /* the saved states already reflect these figures */
    else
        evaluate(e, as_of);
}

static void *engine_main(void *arg)
{
    alert_engine *e = arg;
    pthread_mutex_lock(&e->lock);
    for (;;) {
        while (!e->stop && !e->queued_any)
            pthread_cond_wait(&e->wake, &e->lock);
        if (e->stop)
            break;
        alert_condition_set *conds = e->queued;
        const int year = e->queued_year;
        const time_t data_as_of = e->queued_data_as_of;
        const db_watermark as_of = e->queued_as_of;
        int other[ALERT_ENGINE_OTHER_MAX];
        const size_t n_other = e->n_queued_other;
        memcpy(other, e->queued_other, n_other * sizeof other[0]);
        e->queued = NULL;
        e->queued_any = false;
        e->n_queued_other = 0;
        pthread_mutex_unlock(&e->lock);
        process(e, conds, year, data_as_of, other, n_other, &as_of);
        pthread_mutex_lock(&e->lock);
    }
    pthread_mutex_unlock(&e->lock);
    return NULL;
}

/* --- life --------------------------------------------------------------------------------- */

alert_engine *alert_engine_new(const char *conninfo, lv_app *app, lv_error *err)
{
    if (!alertmanager_global_init()) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "cannot initialise libcurl");
        return NULL;
    }
    alert_engine *e = calloc(1, sizeof *e);
    if (e == NULL || (e->db = db_conn_new(conninfo, true)) == NULL) {
        free(e);
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        return NULL;
    }
    e->app = app;
    pthread_mutex_init(&e->lock, NULL);
    pthread_cond_init(&e->wake, NULL);
    int rc = pthread_create(&e->thread, NULL, engine_main, e);
    if (rc != 0) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "cannot start the alert engine thread: %s",
                     strerror(rc));
        pthread_cond_destroy(&e->wake);
        pthread_mutex_destroy(&e->lock);
        db_conn_free(e->db);
        free(e);
        return NULL;
    }
    return e;
}

void alert_engine_stop(alert_engine *e)
{
    if (e == NULL || e->joined)
        return;
    pthread_mutex_lock(&e->lock);
    e->stop = true;
    pthread_cond_signal(&e->wake);
    pthread_mutex_unlock(&e->lock);
    pthread_join(e->thread, NULL);
    e->joined = true;
}

void alert_engine_free(alert_engine *e)
{
    if (e == NULL)
        return;
    alert_engine_stop(e);
    alert_condition_set_free(e->queued);
    alert_condition_set_free(e->last);
    kept_drop(e);
    db_conn_free(e->db); /* ends the session: the leader lock goes with it */
    pthread_cond_destroy(&e->wake);
    pthread_mutex_destroy(&e->lock);
    free(e);
}
