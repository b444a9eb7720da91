/*
 * snapshot_provider_view.h: the national documents as one provider may read them
 * (doc/api.md §5, role provider): the status document and a group's document of a
 * snapshot, with nothing of another provider in them.
 *
 * The controller's and dashboard's documents are serialised once per snapshot and served
 * as they are; a provider's variant differs per provider, so it is rendered per request
 * from the snapshot's own document (a few kilobytes) and the snapshot's per-provider alert
 * counts, and kept for the next poll in a small cache (snapshot_view_cache.h). That keeps
 * every cost of this view off the controller's and dashboard's path.
 *
 * What differs from the shared document:
 *   status   alerts_firing counts the national alerts and the provider's own only;
 *            zorgkantoren is left out (a zorgkantoor with one provider names its spend);
 *            extra_caps keeps the target groups' caps and the provider's own cap only
 *   group    providers keeps the provider's own row only
 * The ETag hashes the body and the provider's AGB, so a provider's ETag never matches
 * another role's or another provider's document.
 */
#ifndef LVHCMON_SNAPSHOT_PROVIDER_VIEW_H
#define LVHCMON_SNAPSHOT_PROVIDER_VIEW_H

#include <stdbool.h>

#include "snapshot/snapshot.h"

/**
 * The status document of @a snap as provider @a agb may read it.
 * @param out receives a body the caller owns (free(out->body)) and its ETag
 * @return false when out of memory (nothing to free)
 */
bool snapshot_provider_status_doc(const snapshot *snap, const char *agb, snapshot_doc *out);

/**
 * A group's document (snapshot_group_doc_find()) as provider @a agb may read it.
 * @param out receives a body the caller owns (free(out->body)) and its ETag
 * @return false when out of memory (nothing to free)
 */
bool snapshot_provider_group_doc(const snapshot_doc *group, const char *agb, snapshot_doc *out);

#endif
