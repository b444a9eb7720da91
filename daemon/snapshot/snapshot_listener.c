/*
 * snapshot_listener.c: the thread that keeps the published budget snapshots current (see
 * snapshot.h; the cache itself is snapshot_cache.c).
 *
 * The thread owns one prepared connection. It LISTENs on the ledger, reference and alert
 * channels (db_listen()) and waits in db_wait_notify() for a notification, for its self-pipe
 * (which snapshot_store_request_rebuild() and snapshot_store_free() write to), or for the
 * timeout of [alerts] evaluation_interval_s. Whatever woke it, it takes every pending
 * notification first and then rebuilds once: a burst of commits costs one rebuild per
 * round, and a commit that lands during a rebuild leaves a notification that starts the
 * next one, so nothing is missed and nothing is rebuilt twice for one event.
 *
 * A commit must show within 100 ms, and reading a whole year of lines again for every
 * commit would cost tens of milliseconds on a busy database. So the thread keeps each
 * year's loaded inputs (queries_snapshot.h) and, for ledger notifications only, adds the
 * lines of the notified submissions (one indexed query) and recomputes the status from
 * the inputs in memory. Reference data, alert changes, a reconnect, an explicit request
 * and the periodic timer reload the year in full, which also corrects any drift.
 *
 * When the connection drops, the thread publishes stale copies of every cached snapshot at
 * once (the server closing the socket ends the wait, so this does not wait for the next
 * rebuild), then reconnects with a backoff from 100 ms doubling to 1 s, and rebuilds
 * everything when it is back (notifications sent while it was away are lost; the rebuild
 * covers them).
 */
#include "snapshot/snapshot.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/queries_snapshot.h"
#include "log.h"
#include "snapshot/snapshot_internal.h"

#define BACKOFF_MIN_MS 100
/* At most this long between two reconnect attempts: the service must be whole again (status
 * no longer stale) within 5 s of the database's return, and a failed attempt on a database
 * that is down costs next to nothing. */
#define BACKOFF_MAX_MS 1000
/* Submissions remembered between two rounds; more at once asks for a full reload. */
#define PENDING_IDS_MAX 4096
/* The inputs kept: one more than the cached years (the current year may be new). */
#define INPUT_SLOTS (SNAPSHOT_CACHE_SLOTS + 1)

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What the notifications (and requests) since the last round ask for. */
typedef struct {
    bool full;                    /* reload everything (reference, alerts, periodic) */
    int64_t ids[PENDING_IDS_MAX]; /* submissions committed (lvhcmon_ledger payloads) */
    size_t n_ids;
} pending_work;

static bool pending_any(const pending_work *w)
{
    return w->full || w->n_ids > 0;
}

/* A notification: a ledger one names its submission; anything else (or too many at once)
 * asks for a full reload. */
static void on_notify(void *cls, const char *channel, const char *payload)
{
    pending_work *w = cls;
    char *end = NULL;
    long long id = strtoll(payload, &end, 10);
    bool ledger = strcmp(channel, DB_CHANNEL_LEDGER) == 0;
    if (ledger && end != payload && *end == '\0' && id > 0 && w->n_ids < PENDING_IDS_MAX)
        w->ids[w->n_ids++] = id;
    else
        w->full = true;
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
    return NULL; /* cannot happen: one more slot than years rebuilt in a round */
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

/* Brings one year's inputs up to date: a full load when asked or when none is kept, else
 * the new submissions only. */
static db_status inputs_refresh(year_inputs *in, db_conn *conn, int year, const pending_work *w,
                                bool *full_load)
{
    *full_load = w->full || !in->loaded;
    if (!*full_load) {
        db_status st = sq_year_add_submissions(conn, &in->data, w->ids, w->n_ids);
        if (st != DB_FAILED)
            return st;
        *full_load = true; /* a failed delta leaves the inputs unsure: read them again */
    }
    inputs_drop(in);
    db_status st = sq_year_load(conn, year, &in->data);
    in->loaded = st == DB_OK;
    if (!in->loaded)
        sq_year_data_clear(&in->data);
    return st;
}

/* Rebuilds the current year and every cached one from @a w. @return false when the
 * connection failed (the caller reconnects). */
static bool rebuild_all(snapshot_store *s, db_conn *conn, year_inputs *inputs,
                        const pending_work *w)
{
    app_config_ref *ref = app_config_acquire(s->app);
    const lv_config *cfg = app_config_ref_get(ref);
    int current = snapshot_current_year(cfg);
    int years[INPUT_SLOTS];
    int n = 0;
    years[n++] = current;
    pthread_mutex_lock(&s->lock);
    s->generation++;
    for (int i = 0; i < SNAPSHOT_CACHE_SLOTS; i++)
        if (s->slots[i].snap != NULL && s->slots[i].year != current)
            years[n++] = s->slots[i].year;
    pthread_mutex_unlock(&s->lock);
    inputs_drop_unused(inputs, years, n);

    bool ok = true;
    for (int i = 0; i < n; i++) {
        lv_error err = {0};
        int64_t t0 = now_ms();
        year_inputs *in = inputs_for(inputs, years[i]);
        bool full = true;
        snapshot *snap = NULL;
        db_status st = in != NULL ? inputs_refresh(in, conn, years[i], w, &full) : DB_FAILED;
        if (st == DB_OK)
            snap = snapshot_from_data(&in->data, cfg, time(NULL), full, &err);
        else
            db_conn_error_get(conn, st, &err);
        int64_t t1 = now_ms();
        if (snap == NULL) {
            if (st == DB_UNAVAILABLE) {
                ok = false;
                break;
            }
            char text[LV_ERROR_TEXT_MAX];
            log_error("budget snapshot could not be built", "{s:i, s:s}", "year", years[i], "error",
                      lv_error_text(&err, text, sizeof text));
            continue;
        }
        pthread_mutex_lock(&s->lock);
        snapshot *old = snapshot_cache_publish_locked(s, snap, current);
        s->stale = false;
        snapshot_hook hook = years[i] == current ? s->hook : NULL;
        void *ctx = s->hook_ctx;
        const snapshot *mine = hook != NULL ? snapshot_ref(snap) : NULL;
        pthread_mutex_unlock(&s->lock);
        snapshot_release(old);
        if (hook != NULL) {
            hook(ctx, mine);
            snapshot_release(mine);
        }
        log_debug("budget snapshot rebuilt", "{s:i, s:b, s:I, s:I}", "year", years[i], "full", full,
                  "build_ms", (json_int_t)(t1 - t0), "hook_ms", (json_int_t)(now_ms() - t1));
    }
    app_config_release(s->app, ref);
    return ok;
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

/* Moves a rebuild asked for through snapshot_store_request_rebuild() into @a w. */
static void take_requests(snapshot_store *s, pending_work *w)
{
    pthread_mutex_lock(&s->lock);
    w->full = w->full || s->rebuild_requested;
    s->rebuild_requested = false;
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
    if (conn == NULL || inputs == NULL || w == NULL) {
        log_error("budget snapshots: out of memory; no rebuilds", NULL);
        db_conn_free(conn);
        free(inputs);
        free(w);
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
        /* Whatever arrived before or during the last rebuild is in libpq's queue or on the
         * socket: take it all, then rebuild once for all of it. */
        bool alive = db_wait_notify(conn, 0, -1, on_notify, w) == DB_OK;
        take_requests(s, w);
        if (now_ms() >= next_periodic)
            w->full = true; /* deadlines pass with the calendar; and any drift is corrected */
        if (alive && pending_any(w)) {
            if (w->full)
                next_periodic = now_ms() + interval_ms(s);
            pending_work now = *w;
            memset(w, 0, sizeof *w);
            alive = rebuild_all(s, conn, inputs, &now);
            if (alive)
                continue; /* look for what arrived meanwhile before sleeping */
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
    pthread_mutex_unlock(&s->lock);
    snapshot_store_wake(s);
    pthread_join(s->thread, NULL);
    s->started = false;
}
