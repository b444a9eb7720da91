/*
 * app.c: shared daemon state and the reference-counted current configuration (see app.h).
 */
#include "app.h"

#include "snapshot/snapshot_asof.h"

#include <stdlib.h>

struct app_config_ref {
    lv_config *cfg;
    unsigned refs; /* requests holding it, plus one while it is current */
};

static app_config_ref *ref_new(lv_config *cfg)
{
    app_config_ref *ref = malloc(sizeof *ref);
    if (ref != NULL) {
        ref->cfg = cfg;
        ref->refs = 1;
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
    pthread_mutex_init(&app->lock, NULL);
    return app;
}

void app_free(lv_app *app)
{
    if (app == NULL)
        return;
    snapshot_asof_cache_free(app->asof);
    app_config_release(app, app->current);
    db_pool_free(app->pool);
    pthread_mutex_destroy(&app->lock);
    free(app);
}

app_config_ref *app_config_acquire(lv_app *app)
{
    pthread_mutex_lock(&app->lock);
    app_config_ref *ref = app->current;
    ref->refs++;
    pthread_mutex_unlock(&app->lock);
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
    pthread_mutex_lock(&app->lock);
    bool last = --ref->refs == 0;
    pthread_mutex_unlock(&app->lock);
    if (last) {
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
    pthread_mutex_lock(&app->lock);
    app_config_ref *old = app->current;
    app->current = ref;
    pthread_mutex_unlock(&app->lock);
    app_config_release(app, old);
    return true;
}
