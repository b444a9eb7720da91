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
 * A commit must show within 100 ms, and reading a whole year of lines again for every
 * commit would cost tens of milliseconds on a busy database. So the thread keeps each
 * year's loaded inputs (queries_snapshot.h) and, for ledger notifications only, adds the
 * lines of the notified submissions (one indexed query) and recomputes the status from
 * the inputs in memory. Reference data, alert changes, a reconnect, an explicit request
 * and the periodic timer reload the year in full, which also corrects any drift.
 *
 * When the connection drops, the thread publishes stale copies of every cached snapshot at
 * once (the socket becomes readable at EOF, so this does not wait for the next rebuild),
 * then reconnects with a backoff from 100 ms doubling to 1 s, and rebuilds everything when
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

#include "db/queries_snapshot.h"
#include "log.h"
#include "snapshot/snapshot_internal.h"

/* Years kept: the current one and the last few others asked for. */
#define CACHE_SLOTS 6
#define BACKOFF_MIN_MS 100
/* At most this long between two reconnect attempts: the service must be whole again (status
 * no longer stale) within 5 s of the database's return, and a failed attempt on a database
 * that is down costs next to nothing. */
#define BACKOFF_MAX_MS 1000
/* Submissions remembered between two rounds; more at once asks for a full reload. */
#define PENDING_IDS_MAX 4096

typedef struct {
    int year;           /* 0: empty slot */
    snapshot *snap;     /* one reference held by the cache */
    unsigned long used; /* acquire tick, for eviction */
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
        log_warning("database unreachable: serving the last budget snapshot marked stale", "{s:s}",
                    "error", why);
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

/* The inputs the thread keeps per year, so that a commit costs a query for its own lines
 * and not a new scan of the year. Owned by the thread alone: no lock. */
typedef struct {
    bool loaded;
    sq_year_data data;
} year_inputs;

static year_inputs *inputs_for(year_inputs *inputs, int year)
{
    for (int i = 0; i < CACHE_SLOTS + 1; i++)
        if (inputs[i].loaded && inputs[i].data.year == year)
            return &inputs[i];
    for (int i = 0; i < CACHE_SLOTS + 1; i++)
        if (!inputs[i].loaded)
            return &inputs[i];
    return NULL; /* cannot happen: one more slot than years rebuilt in a round */
}

static void inputs_drop_unused(year_inputs *inputs, const int *years, int n)
{
    for (int i = 0; i < CACHE_SLOTS + 1; i++) {
        bool used = false;
        for (int k = 0; k < n; k++)
            used = used || (inputs[i].loaded && inputs[i].data.year == years[k]);
        if (inputs[i].loaded && !used) {
            sq_year_data_clear(&inputs[i].data);
            inputs[i].loaded = false;
        }
    }
}

/* Brings one year's inputs up to date: a full load when asked or when none is kept, else
 * the new submissions only. @return false on failure (reason in @a err). */
static bool inputs_refresh(year_inputs *in, db_conn *conn, int year, const pending_work *w,
                           bool *full_load, char *err, size_t errlen)
{
    *full_load = w->full || !in->loaded;
    if (!*full_load) {
        if (sq_year_add_submissions(conn, &in->data, w->ids, w->n_ids, err, errlen))
            return true;
        if (db_conn_is_bad(conn))
            return false;
        *full_load = true; /* a failed delta leaves the inputs unsure: read them again */
    }
    if (in->loaded)
        sq_year_data_clear(&in->data);
    in->loaded = sq_year_load(conn, year, &in->data, err, errlen);
    if (!in->loaded)
        sq_year_data_clear(&in->data);
    return in->loaded;
}

/* Rebuilds the current year and every cached one from @a w. @return false when the
 * connection failed (the caller reconnects). */
static bool rebuild_all(snapshot_store *s, db_conn *conn, year_inputs *inputs,
                        const pending_work *w)
{
    app_config_ref *ref = app_config_acquire(s->app);
    const lv_config *cfg = app_config_ref_get(ref);
    int current = snapshot_current_year(cfg);
    int years[CACHE_SLOTS + 1];
    int n = 0;
    years[n++] = current;
    pthread_mutex_lock(&s->lock);
    s->generation++;
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (s->slots[i].snap != NULL && s->slots[i].year != current)
            years[n++] = s->slots[i].year;
    pthread_mutex_unlock(&s->lock);
    inputs_drop_unused(inputs, years, n);

    bool ok = true;
    for (int i = 0; i < n; i++) {
        char err[512];
        int64_t t0 = now_ms();
        year_inputs *in = inputs_for(inputs, years[i]);
        bool full = true;
        snapshot *snap = NULL;
        if (in != NULL && inputs_refresh(in, conn, years[i], w, &full, err, sizeof err))
            snap = snapshot_from_data(&in->data, cfg, time(NULL), full, err, sizeof err);
        int64_t t1 = now_ms();
        if (snap == NULL) {
            if (db_conn_is_bad(conn)) {
                ok = false;
                break;
            }
            log_error("budget snapshot could not be built", "{s:i, s:s}", "year", years[i], "error",
                      err);
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

/* Consumes input and adds the notifications received to @a w: a ledger notification names
 * its submission; anything else (or too many at once) asks for a full reload.
 * @return false when the connection is lost */
static bool take_notifications(PGconn *pg, pending_work *w)
{
    if (!PQconsumeInput(pg))
        return false;
    PGnotify *note;
    while ((note = PQnotifies(pg)) != NULL) {
        char *end = NULL;
        long long id = strtoll(note->extra != NULL ? note->extra : "", &end, 10);
        bool ledger = strcmp(note->relname, "lvhcmon_ledger") == 0;
        if (ledger && end != NULL && end != note->extra && *end == '\0' && id > 0 &&
            w->n_ids < PENDING_IDS_MAX)
            w->ids[w->n_ids++] = id;
        else
            w->full = true;
        PQfreemem(note);
    }
    return PQstatus(pg) != CONNECTION_BAD;
}

/* Moves a rebuild asked for through snapshot_store_request_rebuild() into @a w. */
static void take_requests(snapshot_store *s, pending_work *w)
{
    pthread_mutex_lock(&s->lock);
    w->full = w->full || s->rebuild_requested;
    s->rebuild_requested = false;
    pthread_mutex_unlock(&s->lock);
}

static void *rebuild_thread(void *arg)
{
    snapshot_store *s = arg;
    db_conn *conn = db_conn_new(s->conninfo, true);
    year_inputs *inputs = calloc(CACHE_SLOTS + 1, sizeof *inputs);
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
            /* Notifications sent while we were away are lost: read everything again. */
            w->full = true;
        }
        PGconn *pg = db_conn_pg(conn);
        /* Whatever arrived before or during the last rebuild is in libpq's queue or on the
         * socket: take it all, then rebuild once for all of it. */
        bool alive = take_notifications(pg, w);
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
        if (!alive) {
            connected = false;
            db_conn_reset(conn);
            for (int i = 0; i < CACHE_SLOTS + 1; i++)
                if (inputs[i].loaded) {
                    sq_year_data_clear(&inputs[i].data);
                    inputs[i].loaded = false;
                }
            mark_stale(s, "connection to the database lost");
            continue;
        }
        int64_t wait = next_periodic - now_ms();
        struct pollfd fds[2] = {{PQsocket(pg), POLLIN, 0}, {s->wake[0], POLLIN, 0}};
        int r = poll(fds, 2, wait > 0 ? (int)wait : 0);
        if (r < 0 && errno != EINTR)
            log_warning("budget snapshots: poll failed", "{s:s}", "error", strerror(errno));
        if (r > 0 && (fds[1].revents & POLLIN))
            drain_wake(s);
        /* The socket's news (notifications, or EOF when the server went away) is read at
         * the top of the loop. */
    }
    for (int i = 0; i < CACHE_SLOTS + 1; i++)
        if (inputs[i].loaded)
            sq_year_data_clear(&inputs[i].data);
    free(inputs);
    free(w);
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
