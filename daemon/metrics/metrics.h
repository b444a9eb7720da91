/*
 * metrics.h: the in-process counters behind GET /metrics, and the Prometheus text
 * exposition format (0.0.4) they are written in.
 *
 * Counters are C11 atomics updated on the hot paths without a lock: an ingest answer
 * increments two counters, a finished HTTP request one histogram bucket plus a sum and a
 * count. They count what this process saw since it started, as Prometheus counters do;
 * figures that belong to the database (the budget, the last ingest, firing alerts) come
 * from the budget snapshot when /metrics is read (daemon/http/metrics_get.c).
 */
#ifndef LVHCMON_METRICS_H
#define LVHCMON_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The outcome of one submission, as the label result="..." of the ingest counter. */
typedef enum {
    METRICS_INGEST_STORED = 0,
    METRICS_INGEST_REPLAYED,
    METRICS_INGEST_CONFLICT,
    METRICS_INGEST_REJECTED,
    METRICS_INGEST_FAILED,
    METRICS_INGEST_RESULTS
} metrics_ingest_result;

/**
 * Counts one submission answered and its lines (only those stored: a replay, a conflict or
 * a file rejected whole adds no line).
 * @param accepted_lines lines accepted by it (counted as status="accepted")
 * @param rejected_lines lines rejected by it
 */
void metrics_count_submission(metrics_ingest_result result, int64_t accepted_lines,
                              int64_t rejected_lines);

/** What one round of the snapshot listener (snapshot_listener.c) had to update. */
typedef enum {
    METRICS_ROUND_NOTHING = 0, /* every cached year was current already */
    METRICS_ROUND_ALERTS,      /* only the number of firing alerts (one document) */
    METRICS_ROUND_CATCH_UP,    /* the figures, after commits (however many) */
    METRICS_ROUND_FULL,        /* everything reloaded (reference data, timer, reconnect) */
    METRICS_ROUND_KINDS
} metrics_round_kind;

/**
 * Counts one round of the snapshot listener: one update of every cached year of the
 * given kind, however many commits it took in.
 * @param taken_in the committed submissions the round added
 */
void metrics_count_snapshot_round(metrics_round_kind kind, size_t taken_in);

/**
 * Records how long one round of the snapshot listener took (the gauge of the last round
 * of each kind): reading the database, and in all (computing and publishing included).
 */
void metrics_observe_snapshot_round(metrics_round_kind kind, double read_seconds,
                                    double total_seconds);

/** Counts one alert evaluation this instance stepped as leader: saved, or not. */
void metrics_count_alert_evaluation(bool saved);

/** Counts one writer's wait to read its own write (snapshot_store_await()): its outcome
 *  (a snapshot_visibility value) and how long it took. */
void metrics_observe_visibility_wait(int visibility, double seconds);

/** Records the duration of one HTTP request in the latency histogram. */
void metrics_observe_request(double seconds);

/** A growing text buffer for the exposition. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
    bool failed; /* out of memory: data is incomplete */
} metrics_text;

/** Appends printf-style text to @a t. */
void metrics_text_printf(metrics_text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** Releases @a t's buffer. */
void metrics_text_clear(metrics_text *t);

/** Writes the in-process counters and the request histogram, with HELP and TYPE lines. */
void metrics_write_counters(metrics_text *t);

#endif
