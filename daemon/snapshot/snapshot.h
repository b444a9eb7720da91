/*
 * snapshot.h: the in-memory budget snapshot that every status read is answered from.
 *
 * Dashboards poll all day, so a status read must not run a query. A snapshot holds, for
 * one year, the computed budget status (lib/budget.h), the forecast (lib/forecast.h) and
 * the serialised JSON documents (status, groups, providers) with their ETags, each built
 * once: the status document with the snapshot, the others when first read.
 * It is brought up to date when a submission commits (LISTEN lvhcmon_ledger, on every
 * instance, whichever instance stored it), when a writer on this instance asks (see
 * below), when reference data is reloaded (LISTEN lvhcmon_reference), when alert states
 * change (LISTEN lvhcmon_alerts), and at least every [alerts] evaluation_interval_s
 * (deadlines pass with the calendar).
 *
 * While the database is unreachable the last snapshot keeps being served, marked
 * "stale": true in every document, until a rebuild succeeds again.
 *
 * Threads: one listener thread per store (snapshot_listener.c) owns a dedicated prepared
 * connection (db_conn) that LISTENs and runs the GROUP BY queries. HTTP worker threads only
 * take references to published snapshots (snapshot_cache.c: a pointer swap under a mutex),
 * so a read costs no query and no copy.
 * A year that is not cached yet is built on first use, in the requesting thread, on a
 * connection of the pool; after that the listener thread keeps it current.
 *
 * Rounds and coalescing: the listener works in rounds. A round reads, in one transaction,
 * what every cached year lacks since its last round (the lines of each submission whose
 * transaction that round's watermark did not cover, db_watermark.h) and recomputes only the
 * years that changed; everything that arrived while a round ran is taken by the next one.
 * So a burst of commits, from any number of writers and instances, costs one round and one
 * alert evaluation per round, not one per commit, and a commit shows within a few tens of
 * milliseconds however large the year.
 *
 * Reading one's own writes: after a round the store publishes its watermark ("applied":
 * every cached year includes the commits it covers); after the alert engine (of whichever
 * instance leads) has evaluated data covering a commit, and the snapshots show the firing
 * alerts of that evaluation, the store publishes that watermark too ("alerts applied").
 * A writer that has committed a submission calls snapshot_store_await() with the
 * submission's transaction: it asks for a round at once and waits, bounded, until both
 * watermarks cover it. From then on every read of this instance includes the submission:
 * status, groups and providers from the snapshots, alerts from the database.
 *
 * Ownership: snapshot_store_new() returns a store the caller owns (snapshot_store_free()).
 * snapshot_acquire() returns a reference-counted snapshot that stays valid, unchanged,
 * until snapshot_release(); a rebuild publishes a new one and never edits a published one.
 * snapshot_build() (the command line) returns a snapshot with one reference, released with
 * snapshot_release() too.
 */
#ifndef LVHCMON_SNAPSHOT_H
#define LVHCMON_SNAPSHOT_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "app.h"
#include "budget.h"
#include "config_parse.h"
#include "db/db_conn.h"
#include "db/db_watermark.h"
#include "forecast.h"

/** A serialised document with its strong ETag ("\"<16 hex>\"", FNV-1a 64 of the body). */
typedef struct {
    char *body; /* UTF-8 JSON, NUL-terminated */
    size_t len;
    char etag[24];
} snapshot_doc;

/** The document of one target group (GET /api/v1/groups/{code}). */
typedef struct {
    char code[BUDGET_GROUP_CODE_MAX + 1];
    snapshot_doc doc;
} snapshot_group_doc;

/** The document of one provider (GET /api/v1/providers/{agb}). */
typedef struct {
    char agb[BUDGET_AGB_LEN + 1];
    snapshot_doc doc;
} snapshot_provider_doc;

/** The providers list of one zorgkantoor (GET /api/v1/providers?zorgkantoor=Z). */
typedef struct {
    char code[BUDGET_ZK_LEN + 1];
    snapshot_doc doc;
} snapshot_zk_doc;

/** A zorgkantoor's name from the reference data (zorgkantoren.csv, optional). */
typedef struct {
    char code[BUDGET_ZK_LEN + 1];
    char name[128];
} snapshot_zk_info;

/** Reference facts about a provider that the documents show beside the figures. */
typedef struct {
    char agb[BUDGET_AGB_LEN + 1];
    char name[128];
    char zorgkantoor[BUDGET_ZK_LEN + 1];
} snapshot_provider_info;

/** The alerts firing about one provider (its `provider` label). */
typedef struct {
    char agb[BUDGET_AGB_LEN + 1];
    int firing;
} snapshot_provider_alerts;

struct snapshot_shared; /* private: the immutable part a stale copy shares */

typedef struct snapshot {
    int year;
    lv_date as_of; /* the day the figures are as of (an as_of snapshot, snapshot_asof.h);
                    * LV_DATE_NONE for the live figures */
    const budget_status *status; /* the computed status; shared, never modified */
    forecast_result forecast;
    int alerts_firing;   /* alerts in state firing when the snapshot was built */
    int alerts_national; /* of those, the ones without a provider label */
    snapshot_provider_alerts *provider_alerts; /* the others per provider, by AGB; owned by
                                                * this snapshot (snapshot_alerts_firing_for()) */
    size_t n_provider_alerts;
    time_t data_as_of;    /* received_at of the newest submission; 0 when none */
    time_t generated_at;  /* when this snapshot was built */
    time_t last_ingest;   /* same as data_as_of (for /metrics) */
    bool stale;           /* the last rebuild failed: figures may be behind */
    bool cap_from_budget; /* false: no national row in `budget`, the fallback cap */
    const snapshot_provider_info *providers; /* every provider the documents list, by AGB */
    size_t n_providers;
    const snapshot_zk_info *zk_names; /* zorgkantoren with a name, by code */
    size_t n_zk_names;
    snapshot_doc status_doc; /* GET /api/v1/status?year=Y: serialised with the snapshot */
    /* private: the other documents are serialised on first use (snapshot_docs_ensure();
     * read them through snapshot_providers_doc() and the *_doc_find() functions) */
    snapshot_doc providers_doc;           /* GET /api/v1/providers?year=Y */
    const snapshot_group_doc *group_docs; /* GET /api/v1/groups/{code}, one per status group */
    size_t n_group_docs;
    const snapshot_provider_doc *provider_docs; /* GET /api/v1/providers/{agb}, by AGB */
    size_t n_provider_docs;
    const snapshot_zk_doc *zk_docs; /* GET /api/v1/providers?zorgkantoor=Z, by code, one per
                                     * zorgkantoor code 5501..5533 */
    size_t n_zk_docs;
    atomic_bool docs_built;    /* the documents above are there (set once, under docs_lock) */
    pthread_mutex_t docs_lock; /* held while they are serialised */
    struct snapshot_shared *shared;
    const struct snapshot *docs_owner; /* holds the providers, group, provider and
                                        * zorgkantoor documents (a reference), or NULL:
                                        * this snapshot does */
    atomic_int refs;
} snapshot;

typedef struct snapshot_store snapshot_store;

/**
 * Called after each round of the listener thread, outside any store lock, with the current
 * year's published snapshot. The alert engine evaluates its rules here.
 * @param snap valid for the duration of the call; take no reference beyond it (or acquire
 *        one)
 * @param changed whether the round changed the year's figures (new lines, or a full
 *        reload); false: the figures are those of the previous call
 * @param as_of the round's watermark: @a snap's figures (and every cached year's) include
 *        every commit it covers
 * @param other_years the other cached years whose figures the round changed (their
 *        snapshots are published before the call)
 * @param n_other how many
 */
typedef void (*snapshot_hook)(void *ctx, const snapshot *snap, bool changed,
                              const db_watermark *as_of, const int *other_years, size_t n_other);

/** National cap used when `budget` has no national row for a year (with a warning). */
#define SNAPSHOT_FALLBACK_CAP_CENTS 450000000LL

/**
 * Creates a store. Nothing connects and no thread runs until snapshot_store_start().
 * Settings (deadline_working_days, evaluation_interval_s, default_year) are read from the
 * app's current configuration at every rebuild, so a SIGHUP reload applies.
 * @param app the daemon's shared state (not taken; must outlive the store)
 * @param conninfo database of the dedicated connection (copied); NULL or "": libpq defaults
 * @return a new store owned by the caller, or NULL when out of memory
 */
snapshot_store *snapshot_store_new(lv_app *app, const char *conninfo);

/**
 * Starts the listener thread. It connects, LISTENs, builds the current year and publishes
 * it; when the database is unreachable it retries with backoff.
 * @return false when the thread could not be started (reason in @a err, may be NULL)
 */
bool snapshot_store_start(snapshot_store *store, lv_error *err);

/** Stops the listener thread, releases the cache and the store. Accepts NULL.
 *  Snapshots still acquired stay valid until released. */
void snapshot_store_free(snapshot_store *store);

/**
 * Sets the hook called after each round (see snapshot_hook). May be called at any time;
 * NULL removes it.
 */
void snapshot_store_set_hook(snapshot_store *store, snapshot_hook hook, void *ctx);

/**
 * The snapshot of @a year: from the cache, or built now (first use of that year).
 * @param year 2000..2100
 * @param err receives why none could be had (may be NULL): code unavailable when the year
 *        is not cached and the database is unreachable; another code when it cannot be
 *        built (a failed statement, figures the budget refuses)
 * @return a reference (release with snapshot_release()), or NULL
 */
const snapshot *snapshot_acquire(snapshot_store *store, int year, lv_error *err);

/** Takes one more reference to @a snap. @return @a snap. */
const snapshot *snapshot_ref(const snapshot *snap);

/** Releases a reference from snapshot_acquire(), snapshot_ref() or snapshot_build().
 *  Accepts NULL. */
void snapshot_release(const snapshot *snap);

/**
 * Asks the listener thread to reload every cached year in full soon (requests made while
 * one is pending are coalesced into it). Not needed after a commit: the thread follows
 * lvhcmon_ledger itself, and a writer uses snapshot_store_await().
 */
void snapshot_store_request_rebuild(snapshot_store *store);

/** How much of a committed submission this instance's reads include. */
typedef enum {
    SNAPSHOT_VISIBLE = 0,     /* every read: status, groups, providers and alerts */
    SNAPSHOT_VISIBLE_FIGURES, /* status, groups and providers; the alert evaluation of the
                               * submission was not confirmed in time */
    SNAPSHOT_NOT_VISIBLE      /* not yet: the snapshots did not catch up in time */
} snapshot_visibility;

/** @return "included", "alerts-pending" or "pending" (the Lvhcmon-Read-Your-Writes header). */
const char *snapshot_visibility_name(snapshot_visibility v);

/**
 * Waits until this instance's reads include the submission stored by transaction @a xact,
 * at most @a timeout_ms: asks the listener for a round at once, then waits for the
 * "applied" and "alerts applied" watermarks (see the file comment) to cover @a xact.
 * Returns at once when they already do, and when the store is stopping.
 * @param xact submission.xact_id of the submission (0: stored before xacts were kept)
 * @param timeout_ms the bound ([server] read_your_writes_timeout_ms); 0: do not wait
 * @return how much of it the reads include now
 */
snapshot_visibility snapshot_store_await(snapshot_store *store, uint64_t xact, unsigned timeout_ms);

/**
 * Tells the store that this instance's alert engine has saved an evaluation of figures as
 * of @a as_of: what its NOTIFY lvhcmon_alerts says to every instance, handed over at once
 * so that a writer of this instance does not wait for the notification to travel through
 * the server. The listener takes it like the notification (when @a changed, after a round
 * that reads the number of firing alerts again); the notification, when it arrives, changes
 * nothing more.
 */
void snapshot_store_alerts_saved(snapshot_store *store, bool changed, const db_watermark *as_of);

/** @return true while the database is unreachable for the listener thread. */
bool snapshot_store_is_stale(snapshot_store *store);

/** @return the year the hook watches: [budget] default_year, or the current UTC year. */
int snapshot_current_year(const lv_config *cfg);

/**
 * Builds the snapshot of @a year on @a conn: runs the queries, computes status and
 * forecast and serialises the documents. `lvhcmon status` and the first use of a year
 * call it; the listener thread runs the same two halves (load, then compute) separately so
 * that it can catch a load up with new commits in between.
 * @param conn a connected connection (prepared or direct)
 * @param cfg settings read: deadline_working_days
 * @param year 2000..2100
 * @param now the time the documents say they were generated (also sets as_of)
 * @param err receives why not (may be NULL): code unavailable or internal for a database
 *        failure (db_conn_error_get()), else the budget's or forecast's error
 * @return a snapshot with one reference, or NULL
 */
snapshot *snapshot_build(db_conn *conn, const lv_config *cfg, int year, time_t now, lv_error *err);

/**
 * Serialises the documents of @a snap other than the status one, once, on first use: a
 * snapshot is published as soon as its figures and its status document are there, so that
 * a round (and the writer waiting for it) does not pay for a hundred documents no one may
 * read before the next round. Safe from any thread; a reader that comes while another
 * serialises them waits for it.
 * @return false when out of memory (a later call tries again)
 */
bool snapshot_docs_ensure(const snapshot *snap);

/** @return the providers document of @a snap (GET /api/v1/providers), or NULL when out of
 *  memory (snapshot_docs_ensure()). */
const snapshot_doc *snapshot_providers_doc(const snapshot *snap);

/**
 * @return the document of group @a code in @a snap, or NULL when the status has no such
 *         group (or its documents could not be serialised: snapshot_docs_ensure()).
 */
const snapshot_doc *snapshot_group_doc_find(const snapshot *snap, const char *code);

/** @return the document of provider @a agb in @a snap, or NULL when it is not listed. */
const snapshot_doc *snapshot_provider_doc_find(const snapshot *snap, const char *agb);

/**
 * @return the providers document of zorgkantoor @a code in @a snap (its providers and its
 *         share of the national spend), or NULL for a code outside 5501..5533
 */
const snapshot_doc *snapshot_zk_doc_find(const snapshot *snap, const char *code);

/**
 * The number of firing alerts a provider may see: the national ones (no provider label) and
 * its own. Counts no other provider's alert.
 * @param agb the provider, or NULL for every firing alert (alerts_firing)
 */
int snapshot_alerts_firing_for(const snapshot *snap, const char *agb);

/** @return the accepted lines flagged late (0586) of providers[@a i] of @a snap. */
int64_t snapshot_provider_late_lines(const snapshot *snap, size_t i);

/** @return the name of zorgkantoor @a code in the reference data, or NULL when none. */
const char *snapshot_zk_name(const snapshot *snap, const char *code);

/**
 * Writes the ISO UTC form of @a t ("2026-11-23T10:00:00Z") into @a buf (at least 21 bytes).
 */
void snapshot_format_time(time_t t, char buf[21]);

#endif
