/*
 * snapshot_view_cache.h: a small cache of the documents rendered for one provider
 * (snapshot_provider_view.c), so that a provider polling its status or a group costs a copy,
 * not a parse and a serialisation, until the figures change.
 *
 * A provider's document is a function of the shared document it is cut from (named by that
 * document's ETag), the provider's AGB and, for the status, the number of firing alerts it
 * may see; an entry is found by exactly these, so it can never be served for other figures
 * or to another provider. A fixed number of slots (a new entry replaces whatever had its
 * slot): the memory stays bounded however many providers and snapshots come and go.
 * Thread-safe (one mutex; what it guards is a compare and a copy of a few kilobytes).
 */
#ifndef LVHCMON_SNAPSHOT_VIEW_CACHE_H
#define LVHCMON_SNAPSHOT_VIEW_CACHE_H

#include <stdbool.h>

#include "snapshot/snapshot.h"

/** What a cached document was rendered from. */
typedef struct {
    const char *kind;     /* "status" or "group" */
    const char *agb;      /* the provider */
    const char *src_etag; /* the ETag of the shared document */
    int alerts_firing;    /* the status's count for the provider; 0 for a group */
} view_cache_key;

/**
 * @param out receives a copy (the caller frees out->body) on a hit
 * @return true on a hit
 */
bool view_cache_get(const view_cache_key *key, snapshot_doc *out);

/** Keeps a copy of @a doc for @a key (nothing when out of memory). */
void view_cache_put(const view_cache_key *key, const snapshot_doc *doc);

#endif
