/*
 * snapshot_cache.c: the published budget snapshots (see snapshot.h): the store object, its
 * per-year cache, acquiring and releasing, building a year on first use, and stale copies
 * while the database is away. The thread that keeps the cache current is
 * snapshot_listener.c.
 *
 * The cache is a handful of slots (the current year plus the last few years asked for).
 * Publishing swaps a slot's pointer under the store mutex; readers take a reference under
 * the same mutex, so a reader costs one lock and one atomic increment and never waits for
 * a rebuild, which runs outside the lock.
 */
#include "snapshot/snapshot.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "snapshot/snapshot_internal.h"

/* ---------------------------------------------------------------------------------------- */
/* Cache (call with the lock held)                                                          */

static snapshot_cache_slot *slot_find(snapshot_store *s, int year)
{
    for (int i = 0; i < SNAPSHOT_CACHE_SLOTS; i++)
        if (s->slots[i].year == year && s->slots[i].snap != NULL)
            return &s->slots[i];
    return NULL;
}

snapshot *snapshot_cache_publish_locked(snapshot_store *s, snapshot *snap, int current_year)
{
    snapshot_cache_slot *slot = slot_find(s, snap->year);
    if (slot == NULL) {
        /* An empty slot, or evict the least recently used year that is not the current. */
        for (int i = 0; i < SNAPSHOT_CACHE_SLOTS && slot == NULL; i++)
            if (s->slots[i].snap == NULL)
                slot = &s->slots[i];
        for (int i = 0; i < SNAPSHOT_CACHE_SLOTS && slot == NULL; i++)
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
/* The store                                                                                */

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
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->applied_cond, &attr);
    pthread_condattr_destroy(&attr);
    return s;
}

void snapshot_store_free(snapshot_store *s)
{
    if (s == NULL)
        return;
    snapshot_listener_stop(s);
    for (int i = 0; i < SNAPSHOT_CACHE_SLOTS; i++)
        snapshot_release(s->slots[i].snap);
    close(s->wake[0]);
    close(s->wake[1]);
    pthread_cond_destroy(&s->applied_cond);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_destroy(&s->build_lock);
    free(s->conninfo);
    free(s);
}

void snapshot_store_wake(snapshot_store *s)
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
    snapshot_store_wake(s);
}

void snapshot_store_alerts_saved(snapshot_store *s, bool changed, const db_watermark *as_of)
{
    pthread_mutex_lock(&s->lock);
    if (!s->local_alerts_known || db_watermark_includes(as_of, &s->local_alerts))
        s->local_alerts = *as_of;
    s->local_alerts_changed = s->local_alerts_changed || changed;
    s->local_alerts_known = true;
    pthread_mutex_unlock(&s->lock);
    snapshot_store_wake(s);
}

bool snapshot_store_is_stale(snapshot_store *s)
{
    pthread_mutex_lock(&s->lock);
    bool stale = s->stale;
    pthread_mutex_unlock(&s->lock);
    return stale;
}

/* ---------------------------------------------------------------------------------------- */
/* Writers: reading one's own write                                                         */

const char *snapshot_visibility_name(snapshot_visibility v)
{
    switch (v) {
    case SNAPSHOT_VISIBLE:
        return "included";
    case SNAPSHOT_VISIBLE_FIGURES:
        return "alerts-pending";
    case SNAPSHOT_NOT_VISIBLE:
    default:
        return "pending";
    }
}

/* @return what the store shows of transaction @a xact now (lock held). */
static snapshot_visibility visibility_locked(const snapshot_store *s, uint64_t xact)
{
    if (!db_watermark_covers(&s->applied, xact))
        return SNAPSHOT_NOT_VISIBLE;
    return db_watermark_covers(&s->alerts_applied, xact) ? SNAPSHOT_VISIBLE
                                                         : SNAPSHOT_VISIBLE_FIGURES;
}

snapshot_visibility snapshot_store_await(snapshot_store *s, uint64_t xact, unsigned timeout_ms)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&s->lock);
    snapshot_visibility v = visibility_locked(s, xact);
    if (v != SNAPSHOT_VISIBLE && timeout_ms > 0 && !s->stopping) {
        /* A round that begins after this commit sees it: ask for one now rather than wait
         * for the notification to travel through the server. */
        s->round_requested = true;
        snapshot_store_wake(s);
    }
    while (v != SNAPSHOT_VISIBLE && timeout_ms > 0 && !s->stopping) {
        if (pthread_cond_timedwait(&s->applied_cond, &s->lock, &deadline) != 0) {
            v = visibility_locked(s, xact);
            break; /* timed out */
        }
        v = visibility_locked(s, xact);
    }
    pthread_mutex_unlock(&s->lock);
    return v;
}

/* ---------------------------------------------------------------------------------------- */
/* Readers                                                                                  */

const snapshot *snapshot_acquire(snapshot_store *s, int year, lv_error *err)
{
    pthread_mutex_lock(&s->lock);
    snapshot_cache_slot *slot = slot_find(s, year);
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
    pthread_mutex_unlock(&s->lock);

    app_config_ref *ref = app_config_acquire(s->app);
    const lv_config *cfg = app_config_ref_get(ref);
    int current = snapshot_current_year(cfg);
    snapshot *snap = NULL;
    db_conn *conn = db_pool_get(s->app->pool, err);
    if (conn != NULL) {
        snap = snapshot_build(conn, cfg, year, time(NULL), err);
        db_pool_put(s->app->pool, conn);
    }
    app_config_release(s->app, ref);
    if (snap == NULL) {
        pthread_mutex_unlock(&s->build_lock);
        return NULL;
    }
    /* Published under the build lock: a round of the listener that began meanwhile waits
     * for it before listing the cached years, and then reads this year again under its
     * own, newer watermark (snapshot_listener.c). */
    pthread_mutex_lock(&s->lock);
    snapshot *old = snapshot_cache_publish_locked(s, snap, current);
    const snapshot *mine = snapshot_ref(snap);
    pthread_mutex_unlock(&s->lock);
    pthread_mutex_unlock(&s->build_lock);
    snapshot_release(old);
    return mine;
}

/* ---------------------------------------------------------------------------------------- */
/* Stale copies                                                                             */

void snapshot_cache_mark_stale(snapshot_store *s, const char *why)
{
    snapshot *copies[SNAPSHOT_CACHE_SLOTS] = {0};
    pthread_mutex_lock(&s->lock);
    bool was = s->stale;
    s->stale = true;
    snapshot *cached[SNAPSHOT_CACHE_SLOTS] = {0};
    for (int i = 0; i < SNAPSHOT_CACHE_SLOTS; i++)
        if (s->slots[i].snap != NULL && !s->slots[i].snap->stale)
            cached[i] = (snapshot *)snapshot_ref(s->slots[i].snap);
    pthread_mutex_unlock(&s->lock);
    if (!was)
        log_warning("database unreachable: serving the last budget snapshot marked stale", "{s:s}",
                    "error", why);
    /* Serialise the stale documents outside the lock, then swap them in. */
    for (int i = 0; i < SNAPSHOT_CACHE_SLOTS; i++)
        if (cached[i] != NULL)
            copies[i] = snapshot_stale_copy_new(cached[i]);
    pthread_mutex_lock(&s->lock);
    snapshot *old[SNAPSHOT_CACHE_SLOTS] = {0};
    for (int i = 0; i < SNAPSHOT_CACHE_SLOTS; i++) {
        /* Only when the slot still holds what we copied (an on-demand build may have
         * replaced it meanwhile). */
        if (copies[i] != NULL && s->slots[i].snap == cached[i]) {
            old[i] = s->slots[i].snap;
            s->slots[i].snap = copies[i];
            copies[i] = NULL;
        }
    }
    pthread_mutex_unlock(&s->lock);
    for (int i = 0; i < SNAPSHOT_CACHE_SLOTS; i++) {
        snapshot_release(old[i]);
        snapshot_release(cached[i]);
        snapshot_release(copies[i]);
    }
}
