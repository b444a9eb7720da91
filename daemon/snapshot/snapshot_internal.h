/*
 * snapshot_internal.h: what the files of daemon/snapshot/ share and nobody else reads:
 * the immutable part of a snapshot that a stale copy shares with its original, the
 * functions that make, serialise and free snapshots, and the store that the cache
 * (snapshot_cache.c) and the listener thread (snapshot_listener.c) both work on.
 */
#ifndef LVHCMON_SNAPSHOT_INTERNAL_H
#define LVHCMON_SNAPSHOT_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "alert_rules.h"
#include "db/queries_snapshot.h"
#include "snapshot/snapshot.h"

/** The computed figures, shared by a snapshot and its stale copies; never modified. */
struct snapshot_shared {
    atomic_int refs;
    budget_status *status;
    snapshot_provider_info *providers; /* reference providers and providers with data */
    size_t n_providers;
    snapshot_zk_info *zk_names; /* reference zorgkantoren with a name, by code */
    size_t n_zk_names;
    int64_t *provider_late_lines; /* per providers[i]: accepted lines flagged late (0586) */
};

/**
 * Serialises the status document of @a snap from its fields (status, forecast, providers,
 * times, stale) and sets its ETag; the other documents follow on first use
 * (snapshot_docs_ensure()).
 * @return false when out of memory (what was built is freed by snapshot_free)
 */
bool snapshot_docs_build(snapshot *snap);

/** Frees the documents of @a snap other than the status one (those snapshot_docs_ensure()
 *  serialised, or part of them), leaving none. */
void snapshot_docs_clear(snapshot *snap);

/**
 * Computes a snapshot from loaded inputs (the second half of snapshot_build(); the store's
 * listener calls it after adding new submissions to the inputs it keeps).
 * @param warn log a warning when the national cap falls back to the default
 * @return a snapshot with one reference, or NULL with a reason in @a err (may be NULL)
 */
snapshot *snapshot_from_data(const sq_year_data *d, const lv_config *cfg, time_t now, bool warn,
                             lv_error *err);

/**
 * Computes a snapshot of the figures as of day @a as_of from inputs that sq_year_load_until()
 * read up to the end of that day: the months complete, the forecast and the missing months
 * judged on that day, and alerts_firing the number of alerts the rules of @a rules fire on
 * those figures (there is no alert history of a past day to count). The documents carry
 * "as_of".
 * @return a snapshot with one reference, or NULL with a reason in @a err (may be NULL)
 */
snapshot *snapshot_from_data_as_of(const sq_year_data *d, const lv_config *cfg,
                                   const alert_config *rules, lv_date as_of, time_t now,
                                   lv_error *err);

/**
 * Builds the documents of @a snap again with generated_at @a generated_at (a snapshot just
 * built, not published, that owns its documents).
 * @return false when out of memory (snapshot_free() still frees what was built)
 */
bool snapshot_restamp(snapshot *snap, time_t generated_at);

/** Whether every document of @a a has the same bytes as the same document of @a b, and
 *  the alert counts the provider views use are the same. */
bool snapshot_docs_same(const snapshot *a, const snapshot *b);

/** Frees @a snap's documents, its reference to the shared part, and @a snap. */
void snapshot_free(snapshot *snap);

/**
 * @return a copy of @a snap that shares its figures but whose documents say
 *         "stale": true (one reference), or NULL when out of memory.
 */
snapshot *snapshot_stale_copy_new(const snapshot *snap);

/**
 * A copy of @a snap whose status document says the firing alerts counted in @a d (its
 * alerts_firing, alerts_national and provider_alerts): the only document that shows them.
 * The figures and every other document are shared with @a snap (it holds a reference), so
 * an alert changing state costs one document, not a new computation.
 * @return the copy (one reference), or NULL when out of memory
 */
snapshot *snapshot_alerts_copy_new(const snapshot *snap, const sq_year_data *d);

/** Serialises the status document of @a snap alone and sets its ETag. @return false when
 *  out of memory. */
bool snapshot_status_doc_build(snapshot *snap);

/* ---------------------------------------------------------------------------------------- */
/* The store                                                                                */

/** Years kept: the current one and the last few others asked for. */
#define SNAPSHOT_CACHE_SLOTS 6

/** One cached year. */
typedef struct {
    int year;           /* 0: empty slot */
    snapshot *snap;     /* one reference held by the cache */
    unsigned long used; /* acquire tick, for eviction */
} snapshot_cache_slot;

/** The cache and the listener thread that keeps it current. The fields marked "lock" are
 *  read and written with @a lock held. */
struct snapshot_store {
    lv_app *app;
    char *conninfo;
    pthread_mutex_t lock;
    snapshot_cache_slot slots[SNAPSHOT_CACHE_SLOTS]; /* lock */
    unsigned long tick;                              /* lock */
    bool stale;                                      /* lock */
    bool stopping;                                   /* lock */
    bool rebuild_requested;                          /* lock; reload every year in full */
    bool round_requested;                            /* lock; a writer waits: catch up */
    bool local_alerts_known;     /* lock; this instance's alert engine saved an evaluation... */
    bool local_alerts_changed;   /* lock; ...which changed alert states... */
    db_watermark local_alerts;   /* lock; ...of data as of this (snapshot_store_alerts_saved()) */
    db_watermark applied;        /* lock; every cached year includes what this covers */
    db_watermark alerts_applied; /* lock; so do the alert states and the firing counts */
    pthread_cond_t applied_cond; /* lock; signalled when either moves, and at stop */
    snapshot_hook hook;          /* lock */
    void *hook_ctx;              /* lock */
    pthread_mutex_t build_lock;  /* held by on-demand builds (one build per missing year) */
    int wake[2];                 /* self-pipe: [0] polled by the listener, [1] written to wake it */
    pthread_t thread;
    bool started;
};

/**
 * Publishes @a snap (taking its reference) for its year, evicting the least recently used
 * other year when the cache is full. Call with the store's lock held.
 * @return the snapshot it replaced (release it outside the lock), or NULL
 */
snapshot *snapshot_cache_publish_locked(snapshot_store *s, snapshot *snap, int current_year);

/** Publishes stale copies of every cached snapshot at once (the database went away). */
void snapshot_cache_mark_stale(snapshot_store *s, const char *why);

/** Wakes the listener thread (writes its self-pipe). */
void snapshot_store_wake(snapshot_store *s);

/** Stops the listener thread when it runs and waits for it (snapshot_listener.c). */
void snapshot_listener_stop(snapshot_store *s);

#endif
