/*
 * snapshot_provider_view.c: the status and group documents as one provider may read them
 * (see snapshot_provider_view.h). Each is the shared document, parsed, cut and serialised
 * again with the flags the shared documents use, so both carry the same numbers written
 * the same way.
 */
#include "snapshot/snapshot_provider_view.h"

#include "snapshot/snapshot_view_cache.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10))

/* FNV-1a 64 of the body, then of the provider's AGB: the provider's own ETag. */
static void etag_set(snapshot_doc *out, const char *agb)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < out->len; i++) {
        h ^= (unsigned char)out->body[i];
        h *= 1099511628211ULL;
    }
    for (const char *p = "\nprovider:"; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ULL;
    }
    for (const char *p = agb; *p; p++) {
        h ^= (unsigned char)*p;
        h *= 1099511628211ULL;
    }
    snprintf(out->etag, sizeof out->etag, "\"%016" PRIx64 "\"", h);
}

/* Serialises @a doc (taking its reference) into @a out with the provider's ETag. */
static bool doc_out(json_t *doc, const char *agb, snapshot_doc *out)
{
    memset(out, 0, sizeof *out);
    out->body = doc != NULL ? json_dumps(doc, DUMP_FLAGS) : NULL;
    json_decref(doc);
    if (out->body == NULL)
        return false;
    out->len = strlen(out->body);
    etag_set(out, agb);
    return true;
}

/* Keeps the elements of array @a a for which @a keep says so. */
static void array_filter(json_t *a, bool (*keep)(const json_t *item, const char *agb),
                         const char *agb)
{
    for (size_t i = json_array_size(a); i > 0; i--)
        if (!keep(json_array_get(a, i - 1), agb))
            json_array_remove(a, i - 1);
}

/* An extra cap a provider may see: a target group's, or its own. */
static bool own_or_group_cap(const json_t *cap, const char *agb)
{
    const char *scope = json_string_value(json_object_get(cap, "scope"));
    const char *key = json_string_value(json_object_get(cap, "key"));
    return scope != NULL && (strcmp(scope, "provider") != 0 || (key && strcmp(key, agb) == 0));
}

/* A provider row that is the provider's own. */
static bool own_row(const json_t *row, const char *agb)
{
    const char *row_agb = json_string_value(json_object_get(row, "agb"));
    return row_agb != NULL && strcmp(row_agb, agb) == 0;
}

bool snapshot_provider_status_doc(const snapshot *snap, const char *agb, snapshot_doc *out)
{
    int firing = snapshot_alerts_firing_for(snap, agb);
    const view_cache_key key = {"status", agb, snap->status_doc.etag, firing};
    if (view_cache_get(&key, out))
        return true;
    json_t *doc = json_loadb(snap->status_doc.body, snap->status_doc.len, 0, NULL);
    if (doc == NULL) {
        memset(out, 0, sizeof *out);
        return false;
    }
    json_object_del(doc, "zorgkantoren");
    array_filter(json_object_get(doc, "extra_caps"), own_or_group_cap, agb);
    json_object_set_new(doc, "alerts_firing", json_integer(firing));
    if (!doc_out(doc, agb, out))
        return false;
    view_cache_put(&key, out);
    return true;
}

bool snapshot_provider_group_doc(const snapshot_doc *group, const char *agb, snapshot_doc *out)
{
    const view_cache_key key = {"group", agb, group->etag, 0};
    if (view_cache_get(&key, out))
        return true;
    json_t *doc = json_loadb(group->body, group->len, 0, NULL);
    if (doc == NULL) {
        memset(out, 0, sizeof *out);
        return false;
    }
    array_filter(json_object_get(doc, "providers"), own_row, agb);
    if (!doc_out(doc, agb, out))
        return false;
    view_cache_put(&key, out);
    return true;
}
