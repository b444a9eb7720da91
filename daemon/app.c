/*
 * app.c: shared daemon state and the reference-counted current configuration (see app.h).
 *
 * Every request takes a reference to the configuration and gives it back. The count is
 * atomic and the pointer to the current one is read under a read lock, which readers take
 * side by side: with a mutex, the polling threads queued on each other for it at every
 * request (perf: four in ten of lvhcmond's futex calls under a status load). A reference
 * taken under the read lock is taken while the current configuration still holds its own,
 * so a replacement (under the write lock) can never free it in between.
 */
#include "app.h"

#include "snapshot/snapshot_asof.h"

#include <stdatomic.h>
#include <stdlib.h>

struct app_config_ref {
    lv_config *cfg;
    atomic_uint refs; /* requests holding it, plus one while it is current */
};

static app_config_ref *ref_new(lv_config *cfg)
{
    app_config_ref *ref = malloc(sizeof *ref);
    if (ref != NULL) {
        ref->cfg = cfg;
        atomic_init(&ref->refs, 1);
    }
    return ref;
}

lv_app *app_new(lv_config *cfg, db_pool *pool, int schema_version)
{
    lv_app *app = calloc(1, sizeof *app);
    app_config_ref *ref = ref_new(cfg);
    if (app == NULL || ref == NULL) {
        free(app);
        free(ref);
        return NULL;
    }
    app->pool = pool;
    app->schema_version = schema_version;
    app->current = ref;
    pthread_rwlock_init(&app->lock, NULL);
    return app;
}

void app_free(lv_app *app)
{
    if (app == NULL)
        return;
    snapshot_asof_cache_free(app->asof);
    app_config_release(app, app->current);
    db_pool_free(app->pool);
    pthread_rwlock_destroy(&app->lock);
    free(app);
}

app_config_ref *app_config_acquire(lv_app *app)
{
    pthread_rwlock_rdlock(&app->lock);
    app_config_ref *ref = app->current;
    atomic_fetch_add_explicit(&ref->refs, 1, memory_order_relaxed);
    pthread_rwlock_unlock(&app->lock);
    return ref;
}

const lv_config *app_config_ref_get(const app_config_ref *ref)
{
    return ref->cfg;
}

void app_config_release(lv_app *app, app_config_ref *ref)
{
    if (ref == NULL)
        return;
    (void)app;
    if (atomic_fetch_sub_explicit(&ref->refs, 1, memory_order_acq_rel) == 1) {
        config_free(ref->cfg);
        free(ref);
    }
}

bool app_config_replace(lv_app *app, lv_config *next)
{
    app_config_ref *ref = ref_new(next);
    if (ref == NULL) {
        config_free(next);
        return false;
    }
    pthread_rwlock_wrlock(&app->lock);
    app_config_ref *old = app->current;
    app->current = ref;
    pthread_rwlock_unlock(&app->lock);
    app_config_release(app, old);
    return true;
}
