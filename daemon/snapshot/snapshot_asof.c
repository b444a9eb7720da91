/*
 * snapshot_asof.c: the figures as of a day, built on demand and cached while what they were
 * computed from is unchanged (see snapshot_asof.h for why that check is needed and why it
 * is enough).
 *
 * The cache is a small array searched linearly under a mutex (SNAPSHOT_ASOF_SLOTS is a
 * handful). A lookup takes a reference to the cached snapshot under the lock and checks its
 * version outside it, so a slow query never blocks another reader; a build runs outside the
 * lock too, and two requests that miss the same entry at once may both build it (the
 * second publish replaces the first; both answers are right).
 */
#include "snapshot/snapshot_asof.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/alert_engine.h"
#include "db/queries_snapshot.h"
#include "nl_time.h"
#include "snapshot/snapshot_internal.h"

/* The settings a snapshot was judged with; a SIGHUP may change them. */
typedef struct {
    int64_t deadline_working_days;
    alert_config rules;
} asof_settings;

typedef struct {
    int year;               /* 0: empty */
    lv_date day;            /* the as_of day */
    snapshot *snap;         /* one reference held by the cache */
    sq_asof_version_t seen; /* what the snapshot was computed from */
    asof_settings settings;
    unsigned long used; /* lookup tick, for eviction */
} asof_slot;

struct snapshot_asof_cache {
    pthread_mutex_t lock;
    asof_slot *slots;
    size_t n_slots;
    unsigned long tick;
};

static void settings_of(const lv_config *cfg, asof_settings *out)
{
    memset(out, 0, sizeof *out); /* the struct is compared with memcmp: no stray padding */
    out->deadline_working_days = cfg->deadline_working_days;
    alert_engine_rule_config(cfg, &out->rules);
}

snapshot_asof_cache *snapshot_asof_cache_new(size_t slots)
{
    snapshot_asof_cache *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->n_slots = slots > 0 ? slots : 1;
    c->slots = calloc(c->n_slots, sizeof *c->slots);
    if (c->slots == NULL) {
        free(c);
        return NULL;
    }
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void snapshot_asof_cache_free(snapshot_asof_cache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n_slots; i++)
        snapshot_release(c->slots[i].snap);
    pthread_mutex_destroy(&c->lock);
    free(c->slots);
    free(c);
}

bool snapshot_asof_day_valid(int year, lv_date day, lv_date today, const char *field, lv_error *err)
{
    char d[11], t[11];
    lv_date_format_iso(day, d);
    if (day < lv_date_from_ymd(year, 1, 1)) {
        lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, field,
                     "%s %s lies before the year %d: no line of %d can have arrived by then", field,
                     d, year, year);
        return false;
    }
    if (day > today) {
        lv_date_format_iso(today, t);
        lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, field,
                     "%s %s lies in the future (today is %s in Amsterdam): the figures of a day "
                     "are known once it has begun",
                     field, d, t);
        return false;
    }
    return true;
}

/* Builds the snapshot of (year, day) and says what it was built from. */
static snapshot *build(db_conn *conn, const lv_config *cfg, const asof_settings *settings, int year,
                       lv_date day, time_t now, sq_asof_version_t *seen, lv_error *err)
{
    sq_year_data d;
    snapshot *snap = NULL;
    db_status st = sq_year_load_until(conn, year, nl_day_start(day + 1), &d);
    if (st == DB_OK) {
        snap = snapshot_from_data_as_of(&d, cfg, &settings->rules, day, now, err);
        if (seen != NULL)
            *seen = d.version;
    } else {
        db_conn_error_get(conn, st, err);
    }
    sq_year_data_clear(&d);
    return snap;
}

snapshot *snapshot_build_as_of(db_conn *conn, const lv_config *cfg, int year, lv_date day,
                               time_t now, lv_error *err)
{
    asof_settings settings;
    settings_of(cfg, &settings);
    return build(conn, cfg, &settings, year, day, now, NULL, err);
}

/* The slot of (year, day), or NULL. Call with the lock held. */
static asof_slot *slot_find(snapshot_asof_cache *c, int year, lv_date day)
{
    for (size_t i = 0; i < c->n_slots; i++)
        if (c->slots[i].snap != NULL && c->slots[i].year == year && c->slots[i].day == day)
            return &c->slots[i];
    return NULL;
}

/* Publishes @a snap for (year, day), replacing that entry or the least recently used one.
 * @return the snapshot it replaced (release it outside the lock), or NULL */
static snapshot *publish(snapshot_asof_cache *c, snapshot *snap, int year, lv_date day,
                         const sq_asof_version_t *seen, const asof_settings *settings)
{
    pthread_mutex_lock(&c->lock);
    asof_slot *slot = slot_find(c, year, day);
    for (size_t i = 0; slot == NULL && i < c->n_slots; i++)
        if (c->slots[i].snap == NULL)
            slot = &c->slots[i];
    if (slot == NULL) { /* full: the least recently used goes */
        slot = &c->slots[0];
        for (size_t i = 1; i < c->n_slots; i++)
            if (c->slots[i].used < slot->used)
                slot = &c->slots[i];
    }
    snapshot *old = slot->snap;
    slot->year = year;
    slot->day = day;
    slot->snap = snap;
    slot->seen = *seen;
    memcpy(&slot->settings, settings, sizeof *settings); /* padding too: compared with memcmp */
    slot->used = ++c->tick;
    pthread_mutex_unlock(&c->lock);
    return old;
}

const snapshot *snapshot_asof_acquire(snapshot_asof_cache *c, db_conn *conn, const lv_config *cfg,
                                      int year, lv_date day, lv_error *err)
{
    asof_settings settings;
    settings_of(cfg, &settings);
    const int64_t until = nl_day_start(day + 1);

    const snapshot *cached = NULL;
    sq_asof_version_t seen = {0};
    bool same_settings = false;
    pthread_mutex_lock(&c->lock);
    asof_slot *slot = slot_find(c, year, day);
    if (slot != NULL) {
        slot->used = ++c->tick;
        cached = snapshot_ref(slot->snap);
        seen = slot->seen;
        same_settings = memcmp(&slot->settings, &settings, sizeof settings) == 0;
    }
    pthread_mutex_unlock(&c->lock);

    if (cached != NULL && same_settings) {
        sq_asof_version_t now_version;
        db_status st = conn != NULL ? sq_asof_version(conn, until, &now_version) : DB_UNAVAILABLE;
        if (st == DB_OK && now_version.submissions == seen.submissions &&
            now_version.reference_load == seen.reference_load)
            return cached; /* nothing it was computed from has changed */
        if (st == DB_UNAVAILABLE) {
            /* The database is away: the last figures, said to be possibly behind. */
            snapshot *stale = snapshot_stale_copy_new(cached);
            snapshot_release(cached);
            if (stale == NULL)
                lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
            return stale;
        }
        if (st != DB_OK) {
            snapshot_release(cached);
            db_conn_error_get(conn, st, err);
            return NULL;
        }
    }
    snapshot_release(cached);
    if (conn == NULL) {
        lv_error_set(err, LV_HTTP_UNAVAILABLE, 0, NULL, "the database cannot be reached");
        return NULL;
    }
    sq_asof_version_t built_from;
    snapshot *snap = build(conn, cfg, &settings, year, day, time(NULL), &built_from, err);
    if (snap == NULL)
        return NULL;
    const snapshot *mine = snapshot_ref(snap);
    snapshot_release(publish(c, snap, year, day, &built_from, &settings));
    return mine;
}
