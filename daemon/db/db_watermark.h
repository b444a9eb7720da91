/*
 * db_watermark.h: a point in the ledger's commit order, as PostgreSQL sees it: which
 * transactions had committed when a snapshot of the database was taken.
 *
 * Submission ids come from a sequence and are handed out before a transaction commits, so
 * they do not follow commit order: id 17 may commit after id 18. What does follow it is
 * PostgreSQL's own snapshot (pg_current_snapshot(), text "xmin:xmax:xip1,xip2,..."): every
 * transaction below xmin had ended when it was taken, none from xmax on had, and those
 * listed (xip) were still running. A snapshot therefore answers exactly "had transaction X
 * committed when this was read?" for the X of any submission (pg_current_xact_id() of the
 * transaction that stored it, the column submission.xact_id).
 *
 * lvhcmon uses that to keep its promise of reading one's own writes (snapshot.h): the
 * budget snapshots remember the watermark of the data they were computed from, the alert
 * engine the watermark of the snapshot it evaluated, and a writer waits until both cover
 * the transaction that stored its submission.
 *
 * A watermark is plain data: fixed size, copied by value, no allocation. A snapshot with
 * more running transactions than DB_WATERMARK_XIP_MAX is kept conservatively: xmax is
 * lowered to the first running transaction left out, so the watermark claims fewer commits
 * than PostgreSQL's, never more.
 */
#ifndef LVHCMON_DB_WATERMARK_H
#define LVHCMON_DB_WATERMARK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Running transactions kept per watermark (PostgreSQL's default max_connections is 100). */
#define DB_WATERMARK_XIP_MAX 128

/** Size that holds every db_watermark_format() text: two numbers, every xip, separators. */
#define DB_WATERMARK_TEXT_MAX (21 * (DB_WATERMARK_XIP_MAX + 2) + 1)

/** Which transactions had committed. Zero-initialised it is "unknown" and covers nothing. */
typedef struct {
    bool known;
    uint64_t xmin;                      /* every transaction below had ended */
    uint64_t xmax;                      /* none from here on had */
    uint64_t xip[DB_WATERMARK_XIP_MAX]; /* running then, ascending, in [xmin, xmax) */
    size_t n_xip;
} db_watermark;

/**
 * Reads PostgreSQL's text form of a pg_snapshot ("725:730:726,728").
 * @param out receives it (unknown when the text is not one)
 * @return false when @a text is not a snapshot: not three fields of decimal digits,
 *         xmin > xmax, or a running transaction outside [xmin, xmax)
 */
bool db_watermark_parse(const char *text, db_watermark *out);

/**
 * Writes @a w in PostgreSQL's text form into @a buf (DB_WATERMARK_TEXT_MAX holds any).
 * @return @a buf, or "" for an unknown watermark
 */
const char *db_watermark_format(const db_watermark *w, char *buf, size_t size);

/**
 * Whether transaction @a xact had committed when @a w was taken (assuming it did commit:
 * the xact of a stored row). An xact of 0 stands for "stored before lvhcmon kept xacts":
 * any known watermark covers it.
 * @return false for an unknown watermark
 */
bool db_watermark_covers(const db_watermark *w, uint64_t xact);

/**
 * Whether @a newer covers every transaction @a older covers: @a newer was taken at or
 * after @a older as far as commits go.
 * @return true when @a older is unknown; false when only @a newer is
 */
bool db_watermark_includes(const db_watermark *newer, const db_watermark *older);

#endif
