/*
 * app.h: the state the daemon's request handlers share: the database pool, the schema
 * version the code expects, and the current configuration.
 *
 * The configuration can be replaced at any time by a SIGHUP reload while requests run. A
 * request therefore takes a reference to the configuration current when it starts
 * (app_config_acquire()) and reads only that one until it ends; the replaced configuration
 * is freed when its last request lets go of it. So a request never sees half of an old and
 * half of a new configuration, and no lock is held while it works.
 *
 * Ownership: app_new() takes ownership of the configuration and pool it is given;
 * app_free() releases them.
 */
#ifndef LVHCMON_APP_H
#define LVHCMON_APP_H

#include <pthread.h>

#include "config_parse.h"
#include "db/db_pool.h"

typedef struct app_config_ref app_config_ref;

struct snapshot_store;
struct snapshot_asof_cache;

typedef struct lv_app {
    db_pool *pool;                    /* shared by every request */
    int schema_version;               /* newest migration file at start: what /readyz expects */
    struct snapshot_store *snapshots; /* budget snapshots (daemon/snapshot); set by lvhcmond
                                       * after app_new(), owned and freed by it */
    struct snapshot_asof_cache *asof; /* the figures as of past days (snapshot_asof.h); set
                                       * by lvhcmond, freed by app_free() */
    /* private */
    pthread_rwlock_t lock; /* read: taking a reference to current; write: replacing it */
    app_config_ref *current;
} lv_app;

/**
 * Creates the shared state.
 * @param cfg the configuration in force (taken)
 * @param pool the database pool (taken)
 * @param schema_version newest migration version the code ships
 * @return a new state owned by the caller, or NULL when out of memory (nothing is taken then)
 */
lv_app *app_new(lv_config *cfg, db_pool *pool, int schema_version);

/** Releases @a app, its pool and its configuration. No request may still run. */
void app_free(lv_app *app);

/**
 * Takes a reference to the current configuration.
 * @return the reference; read it with app_config_ref_get(), release with
 *         app_config_release()
 */
app_config_ref *app_config_acquire(lv_app *app);

/** @return the configuration behind @a ref, valid until the reference is released. */
const lv_config *app_config_ref_get(const app_config_ref *ref);

/** Releases a reference from app_config_acquire(). Accepts NULL. */
void app_config_release(lv_app *app, app_config_ref *ref);

/**
 * Makes @a next the current configuration (taken); requests already running keep theirs.
 * @return false when out of memory (@a next is freed and the old one stays)
 */
bool app_config_replace(lv_app *app, lv_config *next);

#endif
