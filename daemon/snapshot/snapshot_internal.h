/*
 * snapshot_internal.h: what the files of daemon/snapshot/ share and nobody else reads:
 * the immutable part of a snapshot that a stale copy shares with its original, and the
 * functions that make, serialise and free snapshots.
 */
#ifndef LVHCMON_SNAPSHOT_INTERNAL_H
#define LVHCMON_SNAPSHOT_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include "db/queries_snapshot.h"
#include "snapshot/snapshot.h"

/** The computed figures, shared by a snapshot and its stale copies; never modified. */
struct snapshot_shared {
    atomic_int refs;
    budget_status *status;
    snapshot_provider_info *providers; /* reference providers and providers with data */
    size_t n_providers;
    int64_t *provider_late_lines; /* per providers[i]: accepted lines flagged late (0586) */
};

/**
 * Serialises every document of @a snap from its fields (status, forecast, providers,
 * times, stale) and sets their ETags.
 * @return false when out of memory (the documents built so far are freed by snapshot_free)
 */
bool snapshot_docs_build(snapshot *snap);

/**
 * Computes a snapshot from loaded inputs (the second half of snapshot_build(); the store's
 * thread calls it after adding new submissions to the inputs it keeps).
 * @param warn log a warning when the national cap falls back to the default
 * @return a snapshot with one reference, or NULL with a reason in @a err
 */
snapshot *snapshot_from_data(const sq_year_data *d, const lv_config *cfg, time_t now, bool warn,
                             char *err, size_t errlen);

/** Frees @a snap's documents, its reference to the shared part, and @a snap. */
void snapshot_free(snapshot *snap);

/**
 * @return a copy of @a snap that shares its figures but whose documents say
 *         "stale": true (one reference), or NULL when out of memory.
 */
snapshot *snapshot_stale_copy_new(const snapshot *snap);

#endif
