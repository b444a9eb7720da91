/*
 * snapshot_store.c: the cache of published snapshots and the thread that keeps it current
 * (see snapshot.h).
 *
 * The cache is a handful of slots (the current year plus the last few years asked for).
 * Publishing swaps a slot's pointer under the store mutex; readers take a reference under
 * the same mutex, so a reader costs one lock and one atomic increment and never waits for
 * a rebuild, which runs outside the lock.
 *
 * The rebuild thread owns one prepared connection. It LISTENs on the ledger, reference and
 * alert channels and waits in poll() on the connection's socket and on a self-pipe (which
 * snapshot_store_request_rebuild() and snapshot_store_free() write to), with a timeout of
 * [alerts] evaluation_interval_s. Whatever woke it, it drains every pending notification
 * first and then rebuilds once: a burst of commits costs one rebuild per round, and a
 * commit that lands during a rebuild leaves a notification that starts the next one, so
 * nothing is missed and nothing is rebuilt twice for one event.
 *
 * When the connection drops, the thread publishes stale copies of every cached snapshot at
 * once (the socket becomes readable at EOF, so this does not wait for the next rebuild),
 * then reconnects with a backoff from 100 ms doubling to 5 s, and rebuilds everything when
 * it is back (notifications sent while it was away are lost; the rebuild covers them).
 */
#include "snapshot/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "db/queries_snapshot.h"
#include "snapshot/snapshot_internal.h"

/* Years kept: the current one and the last few others asked for. */
#define CACHE_SLOTS 6
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

typedef struct {
    int year;             /* 0: empty slot */
    snapshot *snap;       /* one reference held by the cache */
    unsigned long used;   /* acquire tick, for eviction */
} cache_slot;

struct snapshot_store {
    lv_app *app;
    char *conninfo;
    pthread_mutex_t lock;
    cache_slot slots[CACHE_SLOTS];
    unsigned long tick;
    unsigned long generation; /* bumped when the thread starts a rebuild round */
    bool stale;
    bool stopping;
    bool rebuild_requested;
    snapshot_hook hook;
    void *hook_ctx;
    pthread_mutex_t build_lock; /* serialises on-demand builds (one build per missing year) */
    int wake[2];                /* self-pipe: [0] polled by the thread, [1] written to wake it */
    pthread_t thread;
    bool started;
};

/* ---------------------------------------------------------------------------------------- */
/* Cache (call with the lock held)                                                          */

static cache_slot *slot_find(snapshot_store *s, int year)
{
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (s->slots[i].year == year && s->slots[i].snap != NULL)
            return &s->slots[i];
    return NULL;
}

/* Publishes @a snap (taking its reference) for its year; @return the replaced snapshot,
 * to be released by the caller outside the lock. */
static snapshot *slot_publish(snapshot_store *s, snapshot *snap, int current_year)
{
    cache_slot *slot = slot_find(s, snap->year);
    if (slot == NULL) {
        /* An empty slot, or evict the least recently used year that is not the current. */
        for (int i = 0; i < CACHE_SLOTS && slot == NULL; i++)
            if (s->slots[i].snap == NULL)
                slot = &s->slots[i];
        for (int i = 0; i < CACHE_SLOTS && slot == NULL; i++)
            if (s->slots[i].year != current_year)
                if (slot == NULL || s->slots[i].used < slot->used)
                    slot = &s->slots[i];
        if (slot == NULL)
            slot = &s->slots[0];
        slot->used = ++s->tick;
    }
    snapshot *old = slot->snap;
    slot->year = snap->year;
    slot->snap = snap;
    return old;
}

/* ---------------------------------------------------------------------------------------- */
/* Public                                                                                   */

snapshot_store *snapshot_store_new(lv_app *app, const char *conninfo)
{
    snapshot_store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->app = app;
    s->conninfo = strdup(conninfo != NULL ? conninfo : "");
    if (s->conninfo == NULL || pipe(s->wake) != 0) {
        free(s->conninfo);
        free(s);
        return NULL;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(s->wake[i], F_SETFL, fcntl(s->wake[i], F_GETFL) | O_NONBLOCK);
        fcntl(s->wake[i], F_SETFD, FD_CLOEXEC);
    }
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_init(&s->build_lock, NULL);
    return s;
}

static void wake_thread(snapshot_store *s)
{
    char b = 1;
    ssize_t w = write(s->wake[1], &b, 1); /* a full pipe already means "wake up" */
    (void)w;
}

void snapshot_store_set_hook(snapshot_store *s, snapshot_hook hook, void *ctx)
{
    pthread_mutex_lock(&s->lock);
    s->hook = hook;
    s->hook_ctx = ctx;
    pthread_mutex_unlock(&s->lock);
}

void snapshot_store_request_rebuild(snapshot_store *s)
{
    pthread_mutex_lock(&s->lock);
    s->rebuild_requested = true;
    pthread_mutex_unlock(&s->lock);
    wake_thread(s);
}

bool snapshot_store_is_stale(snapshot_store *s)
{
    pthread_mutex_lock(&s->lock);
    bool stale = s->stale;
    pthread_mutex_unlock(&s->lock);
    return stale;
}

const snapshot *snapshot_acquire(snapshot_store *s, int year, char *err, size_t errlen)
{
    pthread_mutex_lock(&s->lock);
    cache_slot *slot = slot_find(s, year);
    if (slot != NULL) {
        slot->used = ++s->tick;
        const snapshot *snap = snapshot_ref(slot->snap);
        pthread_mutex_unlock(&s->lock);
        return snap;
    }
    pthread_mutex_unlock(&s->lock);

    /* First use of this year: build it here, once (a second request for it waits on the
     * build lock and then finds it cached). */
    pthread_mutex_lock(&s->build_lock);
    pthread_mutex_lock(&s->lock);
    slot = slot_find(s, year);
    if (slot != NULL) {
        const snapshot *snap = snapshot_ref(slot->snap);
        pthread_mutex_unlock(&s->lock);
        pthread_mutex_unlock(&s->build_lock);
        return snap;
    }
    unsigned long generation = s->generation;
    pthread_mutex_unlock(&s->lock);

    app_config_ref *ref = app_config_acquire(s->app);
    const lv_config *cfg = app_config_ref_get(ref);
    int current = snapshot_current_year(cfg);
    snapshot *snap = NULL;
    db_conn *conn = db_pool_get(s->app->pool, err, errlen);
    if (conn != NULL) {
        snap = snapshot_build(conn, cfg, year, time(NULL), err, errlen);
        db_pool_put(s->app->pool, conn);
    }
    app_config_release(s->app, ref);
    if (snap == NULL) {
        pthread_mutex_unlock(&s->build_lock);
        return NULL;
    }
    pthread_mutex_lock(&s->lock);
    snapshot *old = slot_publish(s, snap, current);
    /* A rebuild round that started while we built did not know this year: its data may be
     * newer than ours, so ask for another round. */
    bool behind = s->generation != generation;
    const snapshot *mine = snapshot_ref(snap);
    pthread_mutex_unlock(&s->lock);
    pthread_mutex_unlock(&s->build_lock);
    snapshot_release(old);
    if (behind)
        snapshot_store_request_rebuild(s);
    return mine;
}

/* ---------------------------------------------------------------------------------------- */
/* Rebuild thread                                                                           */

static void mark_stale(snapshot_store *s, const char *why)
{
    snapshot *copies[CACHE_SLOTS] = {0};
    pthread_mutex_lock(&s->lock);
    bool was = s->stale;
    s->stale = true;
    snapshot *cached[CACHE_SLOTS] = {0};
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (s->slots[i].snap != NULL && !s->slots[i].snap->stale)
            cached[i] = (snapshot *)snapshot_ref(s->slots[i].snap);
    pthread_mutex_unlock(&s->lock);
    if (!was)
        log_warning("database unreachable: serving the last budget snapshot marked stale",
                    "{s:s}", "error", why);
    /* Serialise the stale documents outside the lock, then swap them in. */
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (cached[i] != NULL)
            copies[i] = snapshot_stale_copy_new(cached[i]);
    pthread_mutex_lock(&s->lock);
    snapshot *old[CACHE_SLOTS] = {0};
    for (int i = 0; i < CACHE_SLOTS; i++) {
        /* Only when the slot still holds what we copied (an on-demand build may have
         * replaced it meanwhile). */
        if (copies[i] != NULL && s->slots[i].snap == cached[i]) {
            old[i] = s->slots[i].snap;
            s->slots[i].snap = copies[i];
            copies[i] = NULL;
        }
    }
    pthread_mutex_unlock(&s->lock);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        snapshot_release(old[i]);
        snapshot_release(cached[i]);
        snapshot_release(copies[i]);
    }
}

/* Rebuilds every cached year and the current one. @return false when the connection
 * failed (the caller reconnects). */
static bool rebuild_all(snapshot_store *s, db_conn *conn)
{
    app_config_ref *ref = app_config_acquire(s->app);
    const lv_config *cfg = app_config_ref_get(ref);
    int current = snapshot_current_year(cfg);
    int years[CACHE_SLOTS + 1];
    int n = 0;
    years[n++] = current;
    pthread_mutex_lock(&s->lock);
    s->generation++;
    s->rebuild_requested = false;
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (s->slots[i].snap != NULL && s->slots[i].year != current)
            years[n++] = s->slots[i].year;
    pthread_mutex_unlock(&s->lock);

    bool ok = true;
    for (int i = 0; i < n; i++) {
        char err[512];
        snapshot *snap = snapshot_build(conn, cfg, years[i], time(NULL), err, sizeof err);
        if (snap == NULL) {
            if (db_conn_is_bad(conn)) {
                ok = false;
                break;
            }
            log_error("budget snapshot could not be built", "{s:i, s:s}", "year", years[i],
                      "error", err);
            continue;
        }
        pthread_mutex_lock(&s->lock);
        snapshot *old = slot_publish(s, snap, current);
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

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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

/* Consumes input and notifications. @return -1 when the connection is lost, else the
 * number of notifications received. */
static int take_notifications(PGconn *pg)
{
    if (!PQconsumeInput(pg))
        return -1;
    int n = 0;
    PGnotify *note;
    while ((note = PQnotifies(pg)) != NULL) {
        n++;
        PQfreemem(note);
    }
    return PQstatus(pg) == CONNECTION_BAD ? -1 : n;
}

static void *rebuild_thread(void *arg)
{
    snapshot_store *s = arg;
    db_conn *conn = db_conn_new(s->conninfo, true);
    if (conn == NULL) {
        log_error("budget snapshots: out of memory; no rebuilds", NULL);
        return NULL;
    }
    int backoff = BACKOFF_MIN_MS;
    bool connected = false;
    int64_t next_periodic = 0;
    while (!stopping(s)) {
        char err[512];
        if (!connected) {
            if (!db_conn_ensure(conn, err, sizeof err) || !sq_listen(conn, err, sizeof err)) {
                db_conn_reset(conn);
                mark_stale(s, err);
                sleep_wakeable(s, backoff);
                backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
                continue;
            }
            connected = true;
            backoff = BACKOFF_MIN_MS;
            if (snapshot_store_is_stale(s))
                log_info("database reachable again: rebuilding the budget snapshots", NULL);
            next_periodic = 0; /* rebuild now */
        }
        PGconn *pg = db_conn_pg(conn);
        /* Notifications that arrived before or during the last rebuild are already read
         * into libpq's queue or waiting on the socket: take them all, then rebuild once. */
        bool rebuild = take_notifications(pg) > 0;
        if (now_ms() >= next_periodic)
            rebuild = true;
        pthread_mutex_lock(&s->lock);
        rebuild = rebuild || s->rebuild_requested;
        pthread_mutex_unlock(&s->lock);
        if (rebuild) {
            int64_t started = now_ms();
            next_periodic = started + interval_ms(s);
            bool built = rebuild_all(s, conn);
            log_debug("budget snapshots rebuilt", "{s:b, s:I}", "ok", built, "ms",
                      (json_int_t)(now_ms() - started));
            if (!built) {
                connected = false;
                db_conn_reset(conn);
                mark_stale(s, db_conn_error(conn));
                continue;
            }
            if (take_notifications(pg) > 0)
                continue; /* something committed during the rebuild: go again */
        }
        int64_t wait = next_periodic - now_ms();
        struct pollfd fds[2] = {{PQsocket(pg), POLLIN, 0}, {s->wake[0], POLLIN, 0}};
        int r = poll(fds, 2, wait > 0 ? (int)wait : 0);
        if (r < 0 && errno != EINTR)
            log_warning("budget snapshots: poll failed", "{s:s}", "error", strerror(errno));
        if (r > 0 && (fds[1].revents & POLLIN))
            drain_wake(s);
        if (r > 0 && (fds[0].revents & (POLLIN | POLLERR | POLLHUP))) {
            int n = take_notifications(pg);
            if (n < 0) {
                connected = false;
                db_conn_reset(conn);
                mark_stale(s, "connection to the database lost");
                continue;
            }
            if (n > 0) {
                pthread_mutex_lock(&s->lock);
                s->rebuild_requested = true;
                pthread_mutex_unlock(&s->lock);
            }
        }
    }
    db_conn_free(conn);
    return NULL;
}

bool snapshot_store_start(snapshot_store *s, char *err, size_t errlen)
{
    int rc = pthread_create(&s->thread, NULL, rebuild_thread, s);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start the snapshot thread: %s", strerror(rc));
        return false;
    }
    s->started = true;
    return true;
}

void snapshot_store_free(snapshot_store *s)
{
    if (s == NULL)
        return;
    if (s->started) {
        pthread_mutex_lock(&s->lock);
        s->stopping = true;
        pthread_mutex_unlock(&s->lock);
        wake_thread(s);
        pthread_join(s->thread, NULL);
    }
    for (int i = 0; i < CACHE_SLOTS; i++)
        snapshot_release(s->slots[i].snap);
    close(s->wake[0]);
    close(s->wake[1]);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->build_lock);
    free(s->conninfo);
    free(s);
}
