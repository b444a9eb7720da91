/*
 * metrics.c: the in-process counters and their exposition (see metrics.h).
 *
 * The latency histogram keeps one non-cumulative counter per bucket and sums them when it
 * is written, so recording a request touches a single bucket (of the thread's own shard);
 * the sum is kept in nanoseconds as an integer, because C11 has no portable atomic double.
 */
#include "metrics/metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const RESULT_NAMES[METRICS_INGEST_RESULTS] = {"stored", "replayed", "conflict",
                                                                 "rejected", "failed"};
static atomic_uint_fast64_t submissions[METRICS_INGEST_RESULTS];
static atomic_uint_fast64_t lines_accepted;
static atomic_uint_fast64_t lines_rejected;
static atomic_uint_fast64_t snapshot_rounds[METRICS_ROUND_KINDS];
static atomic_uint_fast64_t snapshot_submissions;
/* The last round of each kind: nanoseconds reading the database, and in all. */
static atomic_uint_fast64_t snapshot_round_read_ns[METRICS_ROUND_KINDS];
static atomic_uint_fast64_t snapshot_round_total_ns[METRICS_ROUND_KINDS];
static atomic_uint_fast64_t alert_evaluations[2]; /* not saved, saved */
/* per snapshot_visibility: included, alerts-pending, pending */
static const char *const VISIBILITY_NAMES[] = {"included", "alerts-pending", "pending"};
#define N_VISIBILITY (sizeof VISIBILITY_NAMES / sizeof VISIBILITY_NAMES[0])
static atomic_uint_fast64_t visibility_waits[N_VISIBILITY];
static atomic_uint_fast64_t visibility_wait_ns;

/* Upper bounds in seconds; the last bucket (+Inf) is implicit. */
static const double BUCKETS[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
#define N_BUCKETS (sizeof BUCKETS / sizeof BUCKETS[0])
/* Every request records into the histogram: one shard per thread (up to HIST_SHARDS
 * threads, then shared), each on its own cache lines, so worker threads do not take a
 * shared cache line from each other on every request. The exposition adds them up. */
#define HIST_SHARDS 16
typedef struct {
    _Alignas(64) atomic_uint_fast64_t counts[N_BUCKETS + 1];
    atomic_uint_fast64_t sum_ns;
} hist_shard;
static hist_shard hist[HIST_SHARDS];
static atomic_uint next_shard;
static _Thread_local hist_shard *my_shard;

void metrics_count_submission(metrics_ingest_result result, int64_t accepted_lines,
                              int64_t rejected_lines)
{
    if ((unsigned)result >= METRICS_INGEST_RESULTS)
        result = METRICS_INGEST_FAILED;
    atomic_fetch_add_explicit(&submissions[result], 1, memory_order_relaxed);
    if (accepted_lines > 0)
        atomic_fetch_add_explicit(&lines_accepted, (uint_fast64_t)accepted_lines,
                                  memory_order_relaxed);
    if (rejected_lines > 0)
        atomic_fetch_add_explicit(&lines_rejected, (uint_fast64_t)rejected_lines,
                                  memory_order_relaxed);
}

void metrics_count_snapshot_round(metrics_round_kind kind, size_t taken_in)
{
    if ((unsigned)kind >= METRICS_ROUND_KINDS)
        kind = METRICS_ROUND_FULL;
    atomic_fetch_add_explicit(&snapshot_rounds[kind], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&snapshot_submissions, (uint_fast64_t)taken_in, memory_order_relaxed);
}

/* Seconds as whole nanoseconds (C11 has no portable atomic double); negative as 0. */
static uint_fast64_t ns_of(double seconds)
{
    return seconds > 0 ? (uint_fast64_t)(seconds * 1e9) : 0;
}

void metrics_observe_snapshot_round(metrics_round_kind kind, double read_seconds,
                                    double total_seconds)
{
    if ((unsigned)kind >= METRICS_ROUND_KINDS)
        kind = METRICS_ROUND_FULL;
    atomic_store_explicit(&snapshot_round_read_ns[kind], ns_of(read_seconds), memory_order_relaxed);
    atomic_store_explicit(&snapshot_round_total_ns[kind], ns_of(total_seconds),
                          memory_order_relaxed);
}

void metrics_count_alert_evaluation(bool saved)
{
    atomic_fetch_add_explicit(&alert_evaluations[saved ? 1 : 0], 1, memory_order_relaxed);
}

void metrics_observe_visibility_wait(int visibility, double seconds)
{
    if (visibility < 0 || (size_t)visibility >= N_VISIBILITY)
        visibility = (int)N_VISIBILITY - 1;
    if (!(seconds >= 0))
        seconds = 0;
    atomic_fetch_add_explicit(&visibility_waits[visibility], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&visibility_wait_ns, (uint_fast64_t)(seconds * 1e9),
                              memory_order_relaxed);
}

/* The counter's value, for the exposition. */
static unsigned long long value_of(atomic_uint_fast64_t *c)
{
    return (unsigned long long)atomic_load_explicit(c, memory_order_relaxed);
}

/* The snapshot, alert and read-your-writes counters: how commits were taken in. */
static void write_consistency(metrics_text *t)
{
    static const char *const KINDS[METRICS_ROUND_KINDS] = {"none", "alerts", "catch_up", "full"};
    metrics_text_printf(
        t, "# HELP lvhcmon_snapshot_updates_total Rounds of the budget snapshots' listener, by "
           "what they updated in every cached year: catch_up recomputes the figures with all "
           "commits since the last round at once, alerts only the number of firing alerts, "
           "full reloads everything (reference data, the periodic timer, a reconnect), none "
           "found everything current.\n"
           "# TYPE lvhcmon_snapshot_updates_total counter\n");
    for (int k = 0; k < METRICS_ROUND_KINDS; k++)
        metrics_text_printf(t, "lvhcmon_snapshot_updates_total{kind=\"%s\"} %llu\n", KINDS[k],
                            value_of(&snapshot_rounds[k]));
    metrics_text_printf(
        t, "# HELP lvhcmon_snapshot_round_seconds How long the last round of each kind took: "
           "reading the database (phase=\"read\") and in all, the figures and documents "
           "computed and published (phase=\"total\"). The first round after start is a full "
           "one: the time to the first snapshot.\n"
           "# TYPE lvhcmon_snapshot_round_seconds gauge\n");
    for (int k = 0; k < METRICS_ROUND_KINDS; k++)
        metrics_text_printf(t,
                            "lvhcmon_snapshot_round_seconds{kind=\"%s\",phase=\"read\"} %.6f\n"
                            "lvhcmon_snapshot_round_seconds{kind=\"%s\",phase=\"total\"} %.6f\n",
                            KINDS[k], value_of(&snapshot_round_read_ns[k]) / 1e9, KINDS[k],
                            value_of(&snapshot_round_total_ns[k]) / 1e9);
    metrics_text_printf(
        t,
        "# HELP lvhcmon_snapshot_submissions_applied_total Committed submissions taken in by "
        "catch-up rounds (from this or any other instance).\n"
        "# TYPE lvhcmon_snapshot_submissions_applied_total counter\n"
        "lvhcmon_snapshot_submissions_applied_total %llu\n"
        "# HELP lvhcmon_alert_evaluations_total Alert evaluations this instance stepped as "
        "the alert leader, by whether they were saved.\n"
        "# TYPE lvhcmon_alert_evaluations_total counter\n"
        "lvhcmon_alert_evaluations_total{result=\"saved\"} %llu\n"
        "lvhcmon_alert_evaluations_total{result=\"not_saved\"} %llu\n",
        value_of(&snapshot_submissions), value_of(&alert_evaluations[1]),
        value_of(&alert_evaluations[0]));
    metrics_text_printf(t, "# HELP lvhcmon_read_your_writes_total Submissions answered 200/201 "
                           "by this process, by what its reads included when it answered.\n"
                           "# TYPE lvhcmon_read_your_writes_total counter\n");
    uint64_t count = 0;
    for (size_t i = 0; i < N_VISIBILITY; i++) {
        count += value_of(&visibility_waits[i]);
        metrics_text_printf(t, "lvhcmon_read_your_writes_total{visibility=\"%s\"} %llu\n",
                            VISIBILITY_NAMES[i], value_of(&visibility_waits[i]));
    }
    metrics_text_printf(t,
                        "# HELP lvhcmon_read_your_writes_wait_seconds Time from a submission's "
                        "commit until this instance's reads included it (or the bound).\n"
                        "# TYPE lvhcmon_read_your_writes_wait_seconds summary\n"
                        "lvhcmon_read_your_writes_wait_seconds_sum %.9f\n"
                        "lvhcmon_read_your_writes_wait_seconds_count %llu\n",
                        (double)value_of(&visibility_wait_ns) / 1e9, (unsigned long long)count);
}

void metrics_observe_request(double seconds)
{
    if (!(seconds >= 0))
        seconds = 0;
    size_t i = 0;
    while (i < N_BUCKETS && seconds > BUCKETS[i])
        i++;
    if (my_shard == NULL)
        my_shard =
            &hist[atomic_fetch_add_explicit(&next_shard, 1, memory_order_relaxed) % HIST_SHARDS];
    atomic_fetch_add_explicit(&my_shard->counts[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&my_shard->sum_ns, (uint_fast64_t)(seconds * 1e9),
                              memory_order_relaxed);
}

void metrics_text_printf(metrics_text *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = t->cap - t->len;
        int w = vsnprintf(t->data ? t->data + t->len : NULL, t->data ? room : 0, fmt, ap);
        va_end(ap);
        if (w < 0) {
            t->failed = true;
            return;
        }
        if (t->data != NULL && (size_t)w < room) {
            t->len += (size_t)w;
            return;
        }
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->len + (size_t)w + 1)
            cap *= 2;
        char *grown = realloc(t->data, cap);
        if (grown == NULL) {
            t->failed = true;
            return;
        }
        t->data = grown;
        t->cap = cap;
    }
}

void metrics_text_clear(metrics_text *t)
{
    free(t->data);
    memset(t, 0, sizeof *t);
}

void metrics_write_counters(metrics_text *t)
{
    metrics_text_printf(t, "# HELP lvhcmon_ingest_submissions_total Submissions answered by "
                           "this process, by result.\n"
                           "# TYPE lvhcmon_ingest_submissions_total counter\n");
    for (int r = 0; r < METRICS_INGEST_RESULTS; r++)
        metrics_text_printf(
            t, "lvhcmon_ingest_submissions_total{result=\"%s\"} %llu\n", RESULT_NAMES[r],
            (unsigned long long)atomic_load_explicit(&submissions[r], memory_order_relaxed));
    metrics_text_printf(
        t,
        "# HELP lvhcmon_ingest_lines_total Declaration lines stored by this process, by "
        "status.\n"
        "# TYPE lvhcmon_ingest_lines_total counter\n"
        "lvhcmon_ingest_lines_total{status=\"accepted\"} %llu\n"
        "lvhcmon_ingest_lines_total{status=\"rejected\"} %llu\n",
        (unsigned long long)atomic_load_explicit(&lines_accepted, memory_order_relaxed),
        (unsigned long long)atomic_load_explicit(&lines_rejected, memory_order_relaxed));

    write_consistency(t);
    metrics_text_printf(t, "# HELP lvhcmon_http_request_duration_seconds Time from a "
                           "request's headers to its response being sent.\n"
                           "# TYPE lvhcmon_http_request_duration_seconds histogram\n");
    uint64_t cumulative = 0, sum_ns = 0;
    for (size_t k = 0; k < HIST_SHARDS; k++)
        sum_ns += atomic_load_explicit(&hist[k].sum_ns, memory_order_relaxed);
    for (size_t i = 0; i <= N_BUCKETS; i++) {
        for (size_t k = 0; k < HIST_SHARDS; k++)
            cumulative += atomic_load_explicit(&hist[k].counts[i], memory_order_relaxed);
        if (i < N_BUCKETS)
            metrics_text_printf(t, "lvhcmon_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                                BUCKETS[i], (unsigned long long)cumulative);
        else
            metrics_text_printf(t,
                                "lvhcmon_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                                (unsigned long long)cumulative);
    }
    metrics_text_printf(t,
                        "lvhcmon_http_request_duration_seconds_sum %.9f\n"
                        "lvhcmon_http_request_duration_seconds_count %llu\n",
                        (double)sum_ns / 1e9, (unsigned long long)cumulative);
}
