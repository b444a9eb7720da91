/*
 * db_pool.c: fixed-size connection pool (see db_pool.h).
 *
 * Slots are a plain array guarded by one mutex; the pool is sized to the number of HTTP
 * worker threads plus a few, so waiting for a slot is rare and a linear scan is cheap.
 * Connecting happens outside the lock so that one slow connect does not stall the others.
 *
 * The generation counter implements "one broken, renew all": it is bumped whenever a
 * connection comes back broken; a slot whose generation is older is closed and reopened on
 * its next checkout.
 */
#include "db/db_pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    db_conn *conn;
    bool busy;
    unsigned generation;
} pool_slot;

struct db_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    pool_slot *slots;
    size_t size;
    unsigned wait_ms;
    unsigned generation;
};

db_pool *db_pool_new(const char *conninfo, size_t size, unsigned wait_ms)
{
    if (size == 0)
        size = 1;
    db_pool *pool = calloc(1, sizeof *pool);
    if (pool == NULL)
        return NULL;
    pool->slots = calloc(size, sizeof *pool->slots);
    if (pool->slots == NULL) {
        free(pool);
        return NULL;
    }
    pool->size = size;
    pool->wait_ms = wait_ms;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&pool->freed, &attr);
    pthread_condattr_destroy(&attr);
    for (size_t i = 0; i < size; i++) {
        pool->slots[i].conn = db_conn_new(conninfo, true);
        if (pool->slots[i].conn == NULL) {
            db_pool_free(pool);
            return NULL;
        }
    }
    return pool;
}

void db_pool_free(db_pool *pool)
{
    if (pool == NULL)
        return;
    for (size_t i = 0; i < pool->size; i++)
        db_conn_free(pool->slots[i].conn);
    free(pool->slots);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->freed);
    free(pool);
}

/* Takes a free slot under the lock, waiting until the deadline. @return NULL on timeout. */
static pool_slot *take_slot(db_pool *pool, bool *renew)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += pool->wait_ms / 1000;
    deadline.tv_nsec += (long)(pool->wait_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&pool->lock);
    pool_slot *slot = NULL;
    for (;;) {
        for (size_t i = 0; i < pool->size && slot == NULL; i++)
            if (!pool->slots[i].busy)
                slot = &pool->slots[i];
        if (slot != NULL)
            break;
        if (pthread_cond_timedwait(&pool->freed, &pool->lock, &deadline) == ETIMEDOUT)
            break;
    }
    if (slot != NULL) {
        slot->busy = true;
        *renew = slot->generation != pool->generation;
        slot->generation = pool->generation;
    }
    pthread_mutex_unlock(&pool->lock);
    return slot;
}

static void release_slot(db_pool *pool, pool_slot *slot, bool broken)
{
    pthread_mutex_lock(&pool->lock);
    if (broken) {
        pool->generation++;
        slot->generation = pool->generation; /* this one reconnects anyway */
    }
    slot->busy = false;
    pthread_cond_signal(&pool->freed);
    pthread_mutex_unlock(&pool->lock);
}

db_conn *db_pool_get(db_pool *pool, lv_error *err)
{
    bool renew = false;
    pool_slot *slot = take_slot(pool, &renew);
    if (slot == NULL) {
        lv_error_set(err, LV_DB_BUSY, 0, NULL, "all %zu database connections stayed busy for %u ms",
                     pool->size, pool->wait_ms);
        return NULL;
    }
    if (renew)
        db_conn_reset(slot->conn);
    if (db_conn_ensure(slot->conn, err) != DB_OK) {
        release_slot(pool, slot, false);
        return NULL;
    }
    return slot->conn;
}

void db_pool_put(db_pool *pool, db_conn *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < pool->size; i++) {
        if (pool->slots[i].conn != c)
            continue;
        db_rollback(c);
        release_slot(pool, &pool->slots[i], db_conn_is_bad(c));
        return;
    }
}
