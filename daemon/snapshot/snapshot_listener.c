/*
 * snapshot_listener.c: the thread that keeps the published budget snapshots current (see
 * snapshot.h; the cache itself is snapshot_cache.c).
 *
 * The thread owns one prepared connection. It LISTENs on the ledger, reference and alert
 * channels (db_listen()) and waits in db_wait_notify() for a notification, for its self-pipe
 * (which a waiting writer, snapshot_store_request_rebuild() and snapshot_store_free() write
 * to), or for the timeout of [alerts] evaluation_interval_s. Whatever woke it, it takes
 * every pending notification and request first and then runs one round for all of them:
 * a burst of commits costs one round, and a commit that lands during a round leaves a
 * notification (or a writer's request) that starts the next one, so nothing is missed and
 * nothing is done twice for one event.
 *
 * A round reads inside one read-only REPEATABLE READ transaction (sq_round_begin(); when
 * every year only catches up, the whole round is one round trip: sq_round_catch_up()), whose
 * watermark says which commits it sees. Each cached year keeps the inputs it was computed
 * from with their watermark; a round catches them up to its own (sq_year_catch_up(): the
 * lines of every submission committed in between, found by transaction, not by
 * notification; and the number of firing alerts), recomputes only the years whose inputs
 * changed, and then publishes its watermark as the store's "applied" one: every cached
 * year now includes every commit it covers. Reference data, a reconnect, an explicit
 * request and the periodic timer reload the years in full instead, which also corrects any
 * drift; a reload whose documents read exactly as the published ones (generated_at aside)
 * leaves that snapshot published, so its ETags hold and polls keep getting 304.
 * On-demand builds of a year not cached (snapshot_cache.c) that began before the round's
 * snapshot are waited for (the build lock) before the round lists the cached years, so the
 * round reloads what they published; those that begin after it read newer data.
 *
 * The alert engine is told after each round (the store's hook) whether the current year's
 * figures changed. Its evaluations announce on lvhcmon_alerts which watermark their data
 * had (aq_notify_evaluated()); the thread publishes that as the store's "alerts applied"
 * watermark once its own snapshots show the number of firing alerts as of that evaluation.
 * snapshot_store_await() waits on both watermarks.
 *
 * When the connection drops, the thread publishes stale copies of every cached snapshot at
 * once (the server closing the socket ends the wait, so this does not wait for the next
 * round), then reconnects with a backoff from 100 ms doubling to 1 s, and reloads
 * everything when it is back (notifications sent while it was away are lost; the reload
 * covers them).
 */
#include "snapshot/snapshot.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/queries_alerts.h"
#include "db/queries_snapshot.h"
#include "log.h"
#include "metrics/metrics.h"
#include "snapshot/snapshot_internal.h"
#include "test_hooks.h"

#define BACKOFF_MIN_MS 100
/* At most this long between two reconnect attempts: the service must be whole again (status
 * no longer stale) within 5 s of the database's return, and a failed attempt on a database
 * that is down costs next to nothing. */
#define BACKOFF_MAX_MS 1000
/* The inputs kept: one more than the cached years (the current year may be new). */
#define INPUT_SLOTS (SNAPSHOT_CACHE_SLOTS + 1)
/* Ledger notifications remembered between two rounds; more ask for a round anyway. */
#define NOTIFIED_MAX 256
/* Submissions the last rounds took in, remembered so that their notifications, which
 * often arrive after the round a waiting writer asked for, do not cost another round. */
#define APPLIED_IDS 1024

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t now_ms(void)
{
    return now_us() / 1000;
}

/* What the notifications and requests since the last round ask for. */
typedef struct {
    bool full;           /* reload every year: reference data, reconnect, timer, request */
    bool ledger;         /* a local writer waits, or commits of unknown ids: catch up */
    bool alerts_firing;  /* alert states changed: read the number of firing alerts again */
    bool alerts_known;   /* an evaluation's watermark arrived... */
    db_watermark alerts; /* ...the newest one */
    int64_t notified[NOTIFIED_MAX]; /* submissions announced on lvhcmon_ledger */
    size_t n_notified;
} pending_work;

/* The submissions the last rounds took in (a ring). Owned by the thread alone. */
typedef struct {
    int64_t ids[APPLIED_IDS];
    size_t next, n;
} applied_ids;

static void applied_add(applied_ids *a, const int64_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        a->ids[a->next] = ids[i];
        a->next = (a->next + 1) % APPLIED_IDS;
        a->n = a->n < APPLIED_IDS ? a->n + 1 : APPLIED_IDS;
    }
}

static bool applied_has(const applied_ids *a, int64_t id)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->ids[i] == id)
            return true;
    return false;
}

/* Whether @a w needs a round: a notified commit the snapshots may lack is one reason; a
 * commit a round already took in (its writer asked for that round) is not. */
static bool round_needed(const pending_work *w, const applied_ids *applied)
{
    if (w->full || w->ledger || w->alerts_firing)
        return true;
    for (size_t i = 0; i < w->n_notified; i++)
        if (!applied_has(applied, w->notified[i]))
            return true;
    return false;
}

/* A notification. A ledger one names the submission that committed (a round finds every
 * commit by its transaction; the id only tells whether a round already took it in); an
 * evaluation names its watermark and whether states changed; an acknowledgement changes
 * nothing a snapshot shows; anything else (reference data) asks for a full reload. */
static void on_notify(void *cls, const char *channel, const char *payload)
{
    pending_work *w = cls;
    if (strcmp(channel, DB_CHANNEL_LEDGER) == 0) {
        char *end = NULL;
        long long id = strtoll(payload, &end, 10);
        if (end != payload && *end == '\0' && id > 0 && w->n_notified < NOTIFIED_MAX)
            w->notified[w->n_notified++] = id;
        else
            w->ledger = true;
    } else if (strcmp(channel, DB_CHANNEL_ALERTS) == 0) {
        bool changed = true;
        db_watermark mark;
        if (aq_parse_evaluated(payload, &changed, &mark)) {
            /* Never back: this instance's engine may have handed a newer one over already
             * (snapshot_store_alerts_saved()). */
            if (!w->alerts_known || db_watermark_includes(&mark, &w->alerts))
                w->alerts = mark;
            w->alerts_known = true;
            w->alerts_firing = w->alerts_firing || changed;
        } else if (strcmp(payload, AQ_NOTIFY_ACK) != 0) {
            w->alerts_firing = true; /* another version's payload: states may have changed */
        }
    } else {
        w->full = true;
    }
}

/* The inputs the thread keeps per year, so that a commit costs a query for its own lines
 * and not a new scan of the year. Owned by the thread alone: no lock. */
typedef struct {
    bool loaded;
    sq_year_data data;
} year_inputs;

static year_inputs *inputs_for(year_inputs *inputs, int year)
{
    for (int i = 0; i < INPUT_SLOTS; i++)
        if (inputs[i].loaded && inputs[i].data.year == year)
            return &inputs[i];
    for (int i = 0; i < INPUT_SLOTS; i++)
        if (!inputs[i].loaded)
            return &inputs[i];
    return NULL; /* cannot happen: one more slot than years in a round */
}

static void inputs_drop(year_inputs *in)
{
    if (in->loaded)
        sq_year_data_clear(&in->data);
    in->loaded = false;
}

static void inputs_drop_unused(year_inputs *inputs, const int *years, int n)
{
    for (int i = 0; i < INPUT_SLOTS; i++) {
        bool used = false;
        for (int k = 0; k < n; k++)
            used = used || (inputs[i].loaded && inputs[i].data.year == years[k]);
        if (!used)
            inputs_drop(&inputs[i]);
    }
}

/* One year of a round: what was read for it. */
typedef struct {
    int year;
    year_inputs *in;
    bool full;         /* loaded in full */
    sq_catch_up found; /* else: what catching up found */
} round_year;

/* Brings one year's inputs to the round's watermark @a now: a full load when asked or when
 * none is kept, else a catch-up. A failure drops the inputs (the next round loads them). */
static db_status year_read(round_year *y, db_conn *conn, const db_watermark *now, bool full)
{
    y->full = full || !y->in->loaded;
    memset(&y->found, 0, sizeof y->found);
    db_status st;
    if (y->full) {
        inputs_drop(y->in);
        st = sq_year_load_in_round(conn, y->year, now, &y->in->data);
        y->in->loaded = st == DB_OK;
        if (!y->in->loaded)
            sq_year_data_clear(&y->in->data);
    } else {
        st = sq_year_catch_up(conn, &y->in->data, now, &y->found);
        if (st != DB_OK)
            inputs_drop(y->in);
    }
    return st;
}

/* Lists the years of a round: the current one and every cached one. On-demand builds that
 * began before the round's snapshot finish first (build lock), so their years are listed
 * and read again under the round's watermark. */
static int round_years(snapshot_store *s, int current, int *years)
{
    int n = 0;
    years[n++] = current;
    pthread_mutex_lock(&s->build_lock);
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < SNAPSHOT_CACHE_SLOTS; i++)
        if (s->slots[i].snap != NULL && s->slots[i].year != current)
            years[n++] = s->slots[i].year;
    pthread_mutex_unlock(&s->lock);
    pthread_mutex_unlock(&s->build_lock);
    return n;
}

/* Logs why a round could not read the database. @return false when the connection is gone
 * (the caller reconnects). */
static bool round_failed(db_conn *conn, db_status st, const char *what)
{
    if (st == DB_UNAVAILABLE)
        return false;
    lv_error err = {0};
    char text[LV_ERROR_TEXT_MAX];
    db_conn_error_get(conn, st, &err);
    log_error(what, "{s:s}", "error", lv_error_text(&err, text, sizeof text));
    return true;
}

/* The published, current snapshot of @a year (a reference), or NULL. */
static const snapshot *published(snapshot_store *s, int year)
{
    const snapshot *snap = NULL;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < SNAPSHOT_CACHE_SLOTS; i++)
        if (s->slots[i].snap != NULL && s->slots[i].year == year && !s->slots[i].snap->stale)
            snap = snapshot_ref(s->slots[i].snap);
    pthread_mutex_unlock(&s->lock);
    return snap;
}

/* A full reload (the periodic one, mostly) that finds the figures as published: *snap
 * (built at @a t) reads like @a published once stamped with its generated_at. Then *snap
 * is dropped and set to NULL, so that the published snapshot stays and a poll keeps its
 * 304; else *snap keeps (or gets back) the stamp @a t.
 * @return false when out of memory (*snap freed and NULL) */
static bool same_as_published(snapshot **snap, const snapshot *published, time_t t)
{
    if (!snapshot_restamp(*snap, published->generated_at))
        goto oom;
    if (snapshot_docs_same(*snap, published)) {
        snapshot_release(*snap);
        *snap = NULL;
        return true;
    }
    if (snapshot_restamp(*snap, t))
        return true;
oom:
    snapshot_release(*snap);
    *snap = NULL;
    return false;
}

/* Publishes what changed of year @a y: nothing; only the number of firing alerts (a copy
 * with a new status document); or everything, computed anew from the inputs.
 * @return false when its snapshot could not be computed. */
static bool year_publish(snapshot_store *s, const round_year *y, const lv_config *cfg, int current)
{
    const snapshot *now = published(s, y->year);
    snapshot *snap = NULL;
    if (now != NULL && !y->full && !y->found.figures) {
        if (!y->found.alerts_firing) {
            snapshot_release(now);
            return true; /* unchanged */
        }
        snap = snapshot_alerts_copy_new(now, &y->in->data);
    }
    lv_error err = {0};
    if (snap == NULL) {
        unsigned delay = test_hooks_round_delay_ms();
        if (delay > 0)
            poll(NULL, 0, (int)delay); /* a larger year (test builds only; test_hooks.h) */
        time_t t = time(NULL);
        snap = snapshot_from_data(&y->in->data, cfg, t, y->full, &err);
        if (snap != NULL && y->full && now != NULL && !now->stale &&
            !same_as_published(&snap, now, t))
            lv_error_set(&err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        if (snap == NULL && err.code == LV_OK) {
            snapshot_release(now);
            return true; /* a reload that found what is published: it stays, ETags and all */
        }
    }
    snapshot_release(now);
    if (snap == NULL) {
        char text[LV_ERROR_TEXT_MAX];
        log_error("budget snapshot could not be built", "{s:i, s:s}", "year", y->year, "error",
                  lv_error_text(&err, text, sizeof text));
        return false;
    }
    pthread_mutex_lock(&s->lock);
    snapshot *old = snapshot_cache_publish_locked(s, snap, current);
    pthread_mutex_unlock(&s->lock);
    snapshot_release(old);
    return true;
}

/* Tells the hook (the alert engine) about the current year after a round. */
static void call_hook(snapshot_store *s, int current, bool changed, const db_watermark *now,
                      const int *other, size_t n_other)
{
    pthread_mutex_lock(&s->lock);
    snapshot_hook hook = s->hook;
    void *ctx = s->hook_ctx;
    const snapshot *snap = NULL;
    for (int i = 0; i < SNAPSHOT_CACHE_SLOTS && hook != NULL; i++)
        if (s->slots[i].snap != NULL && s->slots[i].year == current)
            snap = snapshot_ref(s->slots[i].snap);
    pthread_mutex_unlock(&s->lock);
    if (snap != NULL) {
        hook(ctx, snap, changed, now, other, n_other);
        snapshot_release(snap);
    }
}

/* Whether a round may only catch up (sq_round_catch_up()): no full reload asked for, and
 * every year of the round (listed into @a years, *n of them) has its inputs kept. */
static bool catch_up_only(snapshot_store *s, year_inputs *inputs, const pending_work *w,
                          int current, int *years, int *n)
{
    if (w->full)
        return false;
    *n = round_years(s, current, years);
    if (*n > SQ_ROUND_YEARS_MAX)
        return false;
    for (int i = 0; i < *n; i++) {
        year_inputs *in = inputs_for(inputs, years[i]);
        if (in == NULL || !in->loaded)
            return false;
    }
    inputs_drop_unused(inputs, years, *n);
    return true;
}

/* Whether the years of the round are still those cached, listed again after its snapshot
 * was taken: a year built on demand meanwhile (from a snapshot of its own, perhaps older)
 * is not covered by the round's watermark until a round reads it. */
static bool same_years(snapshot_store *s, int current, const int *years, int n)
{
    int now[INPUT_SLOTS];
    int m = round_years(s, current, now);
    for (int i = 0; i < m; i++) {
        bool found = false;
        for (int k = 0; k < n && !found; k++)
            found = years[k] == now[i];
        if (!found)
            return false;
    }
    return true;
}

/* Sets the store's "alerts applied" watermark to @a mark unless it covers more already
 * (lock held). */
static void alerts_applied_move_locked(snapshot_store *s, const db_watermark *mark)
{
    if (db_watermark_includes(mark, &s->alerts_applied))
        s->alerts_applied = *mark;
}

/* One round for @a w (see the file comment). @return false when the connection failed (the
 * caller reconnects). */
static bool round_run(snapshot_store *s, db_conn *conn, year_inputs *inputs, applied_ids *applied,
                      const pending_work *w)
{
    int64_t t0 = now_us();
    db_watermark now;
    db_status st;
    app_config_ref *ref = app_config_acquire(s->app);
    const lv_config *cfg = app_config_ref_get(ref);
    int current = snapshot_current_year(cfg);
    int years[INPUT_SLOTS];
    int n = 0;
    round_year ys[INPUT_SLOTS];
    int read = 0;
    bool relisted_same = true;
    if (catch_up_only(s, inputs, w, current, years, &n)) {
        /* Every year is kept: the whole round in one round trip (sq_round_catch_up()). */
        sq_year_data *data[INPUT_SLOTS];
        sq_catch_up found[INPUT_SLOTS];
        for (int i = 0; i < n; i++) {
            ys[i] = (round_year){.year = years[i], .in = inputs_for(inputs, years[i])};
            data[i] = &ys[i].in->data;
        }
        st = sq_round_catch_up(conn, data, (size_t)n, &now, found);
        for (int i = 0; i < n; i++)
            ys[i].found = found[i];
        read = n;
        if (st != DB_OK)
            for (int i = 0; i < n; i++)
                inputs_drop(ys[i].in);
        else
            relisted_same = same_years(s, current, years, n);
    } else {
        st = sq_round_begin(conn, &now);
        if (st != DB_OK) {
            app_config_release(s->app, ref);
            return round_failed(conn, st, "budget snapshots: the round could not start");
        }
        n = round_years(s, current, years);
        inputs_drop_unused(inputs, years, n);
        for (; read < n && st == DB_OK; read++) {
            ys[read] = (round_year){.year = years[read], .in = inputs_for(inputs, years[read])};
            st = year_read(&ys[read], conn, &now, w->full);
        }
        if (st == DB_OK)
            st = sq_round_end(conn);
        else
            db_rollback(conn);
    }
    /* Every year caught up saw the same commits: one year's ids are the round's. */
    bool recorded = false;
    for (int i = 0; i < read; i++) {
        if (st == DB_OK && !recorded && ys[i].found.ids != NULL) {
            applied_add(applied, ys[i].found.ids, ys[i].found.submissions);
            recorded = true;
        }
        free(ys[i].found.ids);
        ys[i].found.ids = NULL;
    }
    if (st != DB_OK) {
        app_config_release(s->app, ref);
        return round_failed(conn, st, "budget snapshots could not be read");
    }
    int64_t t1 = now_us();

    bool all = true, figures = false;
    size_t submissions = 0, n_other = 0;
    int other[INPUT_SLOTS]; /* the other years whose figures changed */
    metrics_round_kind kind = w->full ? METRICS_ROUND_FULL : METRICS_ROUND_NOTHING;
    for (int i = 0; i < n; i++) {
        all = year_publish(s, &ys[i], cfg, current) && all;
        if (ys[i].year == current)
            figures = ys[i].full || ys[i].found.figures;
        else if (ys[i].full || ys[i].found.figures)
            other[n_other++] = ys[i].year;
        if (ys[i].found.submissions > submissions)
            submissions = ys[i].found.submissions;
        if (ys[i].found.figures && kind < METRICS_ROUND_CATCH_UP)
            kind = METRICS_ROUND_CATCH_UP;
        if (ys[i].found.alerts_firing && kind < METRICS_ROUND_ALERTS)
            kind = METRICS_ROUND_ALERTS;
    }
    app_config_release(s->app, ref);
    metrics_count_snapshot_round(kind, submissions);
    pthread_mutex_lock(&s->lock);
    s->stale = false;
    if (all && relisted_same)
        s->applied = now; /* every cached year includes what `now` covers */
    if (!relisted_same)
        s->round_requested = true; /* a year built meanwhile: the next round reads it too */
    if (w->alerts_known)           /* and the firing counts are read after it */
        alerts_applied_move_locked(s, &w->alerts);
    pthread_cond_broadcast(&s->applied_cond);
    pthread_mutex_unlock(&s->lock);
    int64_t t2 = now_us();
    metrics_observe_snapshot_round(kind, (double)(t1 - t0) / 1e6, (double)(t2 - t0) / 1e6);
    call_hook(s, current, figures, &now, other, n_other);
    log_debug("budget snapshots brought up to date", "{s:b, s:I, s:I, s:I}", "full", w->full,
              "submissions", (json_int_t)submissions, "read_ms", (json_int_t)((t1 - t0) / 1000),
              "total_ms", (json_int_t)((t2 - t0) / 1000));
    return true;
}

/* Publishes an evaluation's watermark that needs no round (no alert changed state). */
static void publish_alerts(snapshot_store *s, pending_work *w)
{
    pthread_mutex_lock(&s->lock);
    alerts_applied_move_locked(s, &w->alerts);
    pthread_cond_broadcast(&s->applied_cond);
    pthread_mutex_unlock(&s->lock);
    w->alerts_known = false;
}

static unsigned interval_ms(snapshot_store *s)
{
    app_config_ref *ref = app_config_acquire(s->app);
    unsigned v = app_config_ref_get(ref)->evaluation_interval_s;
    app_config_release(s->app, ref);
    return (v > 0 ? v : 60) * 1000u;
}

static void drain_wake(snapshot_store *s)
{
    char buf[64];
    while (read(s->wake[0], buf, sizeof buf) > 0)
        ;
}

static bool stopping(snapshot_store *s)
{
    pthread_mutex_lock(&s->lock);
    bool stop = s->stopping;
    pthread_mutex_unlock(&s->lock);
    return stop;
}

/* Waits up to @a ms for the wake pipe only (while disconnected). */
static void sleep_wakeable(snapshot_store *s, int ms)
{
    struct pollfd p = {s->wake[0], POLLIN, 0};
    if (poll(&p, 1, ms) > 0)
        drain_wake(s);
}

/* Moves what was asked for through the store (a full reload, a writer's round) into @a w. */
static void take_requests(snapshot_store *s, pending_work *w)
{
    pthread_mutex_lock(&s->lock);
    w->full = w->full || s->rebuild_requested;
    w->ledger = w->ledger || s->round_requested;
    s->rebuild_requested = false;
    s->round_requested = false;
    if (s->local_alerts_known) { /* this instance's engine, as its notification would */
        if (!w->alerts_known || db_watermark_includes(&s->local_alerts, &w->alerts))
            w->alerts = s->local_alerts;
        w->alerts_known = true;
        w->alerts_firing = w->alerts_firing || s->local_alerts_changed;
        s->local_alerts_known = false;
        s->local_alerts_changed = false;
    }
    pthread_mutex_unlock(&s->lock);
}

/* Connects and LISTENs on the three channels a snapshot follows. */
static db_status connect_and_listen(db_conn *conn, lv_error *err)
{
    static const char *const channels[] = {DB_CHANNEL_LEDGER, DB_CHANNEL_REFERENCE,
                                           DB_CHANNEL_ALERTS};
    db_status st = db_conn_ensure(conn, err);
    for (size_t i = 0; st == DB_OK && i < sizeof channels / sizeof channels[0]; i++)
        if ((st = db_listen(conn, channels[i])) != DB_OK)
            db_conn_error_get(conn, st, err);
    return st;
}

static void *listener_main(void *arg)
{
    snapshot_store *s = arg;
    db_conn *conn = db_conn_new(s->conninfo, true);
    year_inputs *inputs = calloc(INPUT_SLOTS, sizeof *inputs);
    pending_work *w = calloc(1, sizeof *w);
    pending_work *round = calloc(1, sizeof *round);
    applied_ids *applied = calloc(1, sizeof *applied);
    if (conn == NULL || inputs == NULL || w == NULL || round == NULL || applied == NULL) {
        log_error("budget snapshots: out of memory; no rebuilds", NULL);
        db_conn_free(conn);
        free(inputs);
        free(w);
        free(round);
        free(applied);
        return NULL;
    }
    int backoff = BACKOFF_MIN_MS;
    bool connected = false;
    int64_t next_periodic = 0;
    while (!stopping(s)) {
        if (!connected) {
            lv_error err = {0};
            if (connect_and_listen(conn, &err) != DB_OK) {
                char text[LV_ERROR_TEXT_MAX];
                db_conn_reset(conn);
                snapshot_cache_mark_stale(s, lv_error_text(&err, text, sizeof text));
                sleep_wakeable(s, backoff);
                backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
                continue;
            }
            connected = true;
            backoff = BACKOFF_MIN_MS;
            if (snapshot_store_is_stale(s))
                log_info("database reachable again: rebuilding the budget snapshots", NULL);
            /* Notifications sent while we were away are lost: read everything again. */
            w->full = true;
        }
        /* Whatever arrived before or during the last round is in libpq's queue or on the
         * socket: take it all, then run one round for all of it. */
        bool alive = db_wait_notify(conn, 0, -1, on_notify, w) == DB_OK;
        take_requests(s, w);
        if (now_ms() >= next_periodic)
            w->full = true; /* deadlines pass with the calendar; and any drift is corrected */
        if (alive && round_needed(w, applied)) {
            if (w->full)
                next_periodic = now_ms() + interval_ms(s);
            *round = *w;
            memset(w, 0, sizeof *w);
            alive = round_run(s, conn, inputs, applied, round);
            if (alive)
                continue; /* look for what arrived meanwhile before sleeping */
        } else if (alive) {
            w->n_notified = 0; /* all taken in already */
            if (w->alerts_known)
                publish_alerts(s, w);
        }
        if (alive) {
            int64_t wait = next_periodic - now_ms();
            alive =
                db_wait_notify(conn, wait > 0 ? (int)wait : 0, s->wake[0], on_notify, w) == DB_OK;
            drain_wake(s);
        }
        if (!alive) {
            connected = false;
            db_conn_reset(conn);
            for (int i = 0; i < INPUT_SLOTS; i++)
                inputs_drop(&inputs[i]);
            snapshot_cache_mark_stale(s, "connection to the database lost");
        }
    }
    for (int i = 0; i < INPUT_SLOTS; i++)
        inputs_drop(&inputs[i]);
    free(inputs);
    free(w);
    free(round);
    free(applied);
    db_conn_free(conn);
    return NULL;
}

bool snapshot_store_start(snapshot_store *s, lv_error *err)
{
    int rc = pthread_create(&s->thread, NULL, listener_main, s);
    if (rc != 0) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "cannot start the snapshot thread: %s",
                     strerror(rc));
        return false;
    }
    s->started = true;
    return true;
}

void snapshot_listener_stop(snapshot_store *s)
{
    if (!s->started)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = true;
    pthread_cond_broadcast(&s->applied_cond); /* writers waiting give up */
    pthread_mutex_unlock(&s->lock);
    snapshot_store_wake(s);
    pthread_join(s->thread, NULL);
    s->started = false;
}
