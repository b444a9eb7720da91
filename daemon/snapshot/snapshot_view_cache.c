/*
 * snapshot_view_cache.c: the cache of rendered provider documents (see
 * snapshot_view_cache.h). The slots live for the process; what they hold stays reachable.
 */
#include "snapshot/snapshot_view_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 512

typedef struct {
    char kind[8];
    char agb[16];
    char src_etag[24];
    int alerts_firing;
    snapshot_doc doc; /* body NULL: an empty slot */
} view_slot;

static view_slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t mix(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static view_slot *slot_of(const view_cache_key *key)
{
    uint64_t h = mix(mix(mix(14695981039346656037ULL, key->kind), key->agb), key->src_etag);
    return &slots[h % SLOTS];
}

static bool matches(const view_slot *s, const view_cache_key *key)
{
    return s->doc.body != NULL && s->alerts_firing == key->alerts_firing &&
           strcmp(s->kind, key->kind) == 0 && strcmp(s->agb, key->agb) == 0 &&
           strcmp(s->src_etag, key->src_etag) == 0;
}

bool view_cache_get(const view_cache_key *key, snapshot_doc *out)
{
    bool hit = false;
    pthread_mutex_lock(&lock);
    view_slot *s = slot_of(key);
    if (matches(s, key) && (out->body = malloc(s->doc.len + 1)) != NULL) {
        memcpy(out->body, s->doc.body, s->doc.len + 1);
        out->len = s->doc.len;
        memcpy(out->etag, s->doc.etag, sizeof out->etag);
        hit = true;
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void view_cache_put(const view_cache_key *key, const snapshot_doc *doc)
{
    char *copy = malloc(doc->len + 1);
    if (copy == NULL)
        return;
    memcpy(copy, doc->body, doc->len + 1);
    pthread_mutex_lock(&lock);
    view_slot *s = slot_of(key);
    char *old = s->doc.body;
    snprintf(s->kind, sizeof s->kind, "%s", key->kind);
    snprintf(s->agb, sizeof s->agb, "%s", key->agb);
    snprintf(s->src_etag, sizeof s->src_etag, "%s", key->src_etag);
    s->alerts_firing = key->alerts_firing;
    s->doc.body = copy;
    s->doc.len = doc->len;
    memcpy(s->doc.etag, doc->etag, sizeof s->doc.etag);
    pthread_mutex_unlock(&lock);
    free(old);
}
