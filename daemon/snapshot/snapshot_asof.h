/*
 * snapshot_asof.h: the figures as of a day ("as we knew it on 31 October"): the budget
 * status, groups and providers computed from the lines received up to the end of that day
 * in Amsterdam (nl_time.h), with the months complete, the forecast and the missing months
 * judged on that day, and the alerts the rules fire on those figures. The same snapshot
 * struct and documents as the live figures (snapshot.h), each document saying "as_of".
 *
 * Immutable, except for two things. A day that is over receives no more lines, so the
 * figures as of it do not change, and they are cached (a bounded LRU of snapshots, each
 * document with its ETag). But:
 *   - a backfill (`lvhcmon import --received-on D`) records lines as received on a past
 *     day D, after the figures as of D or a later day may have been cached; and
 *   - a reference data load changes names, designations, caps or the planned profile, and
 *     a SIGHUP the deadline rule or the alert thresholds.
 * So a cached snapshot is not trusted blindly. It remembers what it was computed from:
 * the number of submissions received before the day's end (the ledger is append-only and a
 * submission's lines are stored with it, so that set only grows and its size says whether
 * it grew), the newest reference load, and the settings it used. Each request asks the
 * database for the first two (one query on an index, sq_asof_version()) and compares:
 * equal, the cached documents are served (an unchanged ETag, so If-None-Match answers
 * 304); different, the figures are computed again and the ETag changes. A backfill
 * therefore never leaves a cached answer wrong, not even for one request.
 * The same holds for today's date, whose figures grow during the day.
 *
 * While the database cannot be reached the version cannot be read: a cached snapshot is
 * then served marked "stale": true, as the live figures are; one not cached is a 503.
 *
 * Ownership: snapshot_asof_cache_new() returns a cache the caller owns
 * (snapshot_asof_cache_free()); snapshot_asof_acquire() and snapshot_build_as_of() return
 * references released with snapshot_release().
 */
#ifndef LVHCMON_SNAPSHOT_ASOF_H
#define LVHCMON_SNAPSHOT_ASOF_H

#include <stddef.h>
#include <time.h>

#include "calendar.h"
#include "config_parse.h"
#include "db/db_conn.h"
#include "error.h"
#include "snapshot/snapshot.h"

/** How many (year, day) snapshots the daemon keeps; the least recently used goes first. */
#define SNAPSHOT_ASOF_SLOTS 16

typedef struct snapshot_asof_cache snapshot_asof_cache;

/**
 * @param slots how many snapshots to keep (at least 1)
 * @return a new, empty cache owned by the caller, or NULL when out of memory
 */
snapshot_asof_cache *snapshot_asof_cache_new(size_t slots);

/** Releases the cache and its references (snapshots still acquired stay valid). Accepts NULL. */
void snapshot_asof_cache_free(snapshot_asof_cache *cache);

/**
 * The snapshot of @a year as of day @a day: from the cache when it still holds, else built
 * now on @a conn and cached.
 * @param conn a connection for the version query and the build; NULL when none could be had
 *        (then only a cached snapshot can answer, marked stale)
 * @param cfg the settings to judge with (deadline_working_days, [budget] thresholds)
 * @param err receives why none (may be NULL): code unavailable when the database cannot be
 *        reached and nothing is cached; internal for a failed statement; the budget's error
 * @return a reference (snapshot_release()), or NULL
 */
const snapshot *snapshot_asof_acquire(snapshot_asof_cache *cache, db_conn *conn,
                                      const lv_config *cfg, int year, lv_date day, lv_error *err);

/**
 * Builds the snapshot of @a year as of day @a day on @a conn, without a cache (the command
 * line's `report --as-of`).
 * @param now the time the documents say they were generated
 * @return a snapshot with one reference, or NULL with @a err set
 */
snapshot *snapshot_build_as_of(db_conn *conn, const lv_config *cfg, int year, lv_date day,
                               time_t now, lv_error *err);

/**
 * Checks a requested as_of day against @a year and today (@a today, Amsterdam):
 * not before the year's first day (no line of the year can have arrived), not after
 * today (the figures of a day that has not begun cannot be promised).
 * @param err receives the reason, naming @a field ("as_of", "--as-of") (may be NULL)
 * @return true when @a day may be asked for
 */
bool snapshot_asof_day_valid(int year, lv_date day, lv_date today, const char *field,
                             lv_error *err);

#endif
