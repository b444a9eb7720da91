/*
 * metrics_get.c: GET /metrics: Prometheus text exposition format 0.0.4.
 *
 * The budget gauges come from the snapshot of the current year ([budget] default_year or
 * the calendar year), so a scrape runs no query; the ingest counters and the request
 * latency histogram are this process's own (daemon/metrics/). Public unless
 * [metrics] require_token (route flag HTTP_ROUTE_METRICS_AUTH).
 */
#include "http/handlers.h"
#include "http/reply.h"
#include "metrics/metrics.h"
#include "snapshot/snapshot.h"

#define EXPOSITION_TYPE "text/plain; version=0.0.4; charset=utf-8"

static void gauge_header(metrics_text *t, const char *name, const char *help)
{
    metrics_text_printf(t, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void write_budget(metrics_text *t, const snapshot *s)
{
    const budget_status *st = s->status;
    int y = s->year;
    gauge_header(t, "lvhcmon_budget_cap_cents", "National C&A cap of the year, in euro cents.");
    metrics_text_printf(t, "lvhcmon_budget_cap_cents{year=\"%d\"} %lld\n", y,
                        (long long)st->cap_cents);
    gauge_header(t, "lvhcmon_budget_spent_cents",
                 "Accepted C&A spend of the year so far, travel included, in euro cents.");
    metrics_text_printf(t, "lvhcmon_budget_spent_cents{year=\"%d\"} %lld\n", y,
                        (long long)st->spent_cents);
    gauge_header(t, "lvhcmon_budget_spent_ratio", "Spend of the year as a share of the cap.");
    metrics_text_printf(t, "lvhcmon_budget_spent_ratio{year=\"%d\"} %.6f\n", y, st->spent_ratio);
    gauge_header(t, "lvhcmon_budget_remaining_cents", "Cap minus spend; negative when over.");
    metrics_text_printf(t, "lvhcmon_budget_remaining_cents{year=\"%d\"} %lld\n", y,
                        (long long)st->remaining_cents);
    gauge_header(t, "lvhcmon_budget_profile_ytd_cents",
                 "The cap pro rata through the last complete month, in euro cents.");
    metrics_text_printf(t, "lvhcmon_budget_profile_ytd_cents{year=\"%d\"} %lld\n", y,
                        (long long)st->profile_ytd_cents);
    gauge_header(t, "lvhcmon_budget_forecast_cents",
                 "Forecast year-end spend (central) and its range (low, high), in euro cents.");
    metrics_text_printf(t,
                        "lvhcmon_budget_forecast_cents{year=\"%d\",bound=\"central\"} %lld\n"
                        "lvhcmon_budget_forecast_cents{year=\"%d\",bound=\"low\"} %lld\n"
                        "lvhcmon_budget_forecast_cents{year=\"%d\",bound=\"high\"} %lld\n",
                        y, (long long)s->forecast.year_end_cents, y,
                        (long long)s->forecast.low_cents, y, (long long)s->forecast.high_cents);
    gauge_header(t, "lvhcmon_group_spent_cents", "Spend of the year per target group.");
    for (size_t i = 0; i < st->n_groups; i++)
        metrics_text_printf(t, "lvhcmon_group_spent_cents{year=\"%d\",target_group=\"%s\"} %lld\n",
                            y, st->groups[i].code, (long long)st->groups[i].spent_cents);
    gauge_header(t, "lvhcmon_group_spent_ratio",
                 "Spend of the year per target group as a share of the national cap.");
    for (size_t i = 0; i < st->n_groups; i++)
        metrics_text_printf(t, "lvhcmon_group_spent_ratio{year=\"%d\",target_group=\"%s\"} %.6f\n",
                            y, st->groups[i].code,
                            budget_ratio(st->groups[i].spent_cents, st->cap_cents));
    gauge_header(t, "lvhcmon_alerts_firing", "Alerts firing when the snapshot was built.");
    metrics_text_printf(t, "lvhcmon_alerts_firing{year=\"%d\"} %d\n", y, s->alerts_firing);
    gauge_header(t, "lvhcmon_last_ingest_timestamp_seconds",
                 "Unix time of the newest stored submission (0: none).");
    metrics_text_printf(t, "lvhcmon_last_ingest_timestamp_seconds %lld\n",
                        (long long)s->last_ingest);
    gauge_header(t, "lvhcmon_snapshot_generated_timestamp_seconds",
                 "Unix time the budget snapshot was built.");
    metrics_text_printf(t, "lvhcmon_snapshot_generated_timestamp_seconds{year=\"%d\"} %lld\n", y,
                        (long long)s->generated_at);
}

enum MHD_Result http_handler_metrics_get(http_request *req)
{
    metrics_text t = {0};
    const snapshot *snap = NULL;
    bool stale = true;
    if (req->app->snapshots != NULL) {
        snap = snapshot_acquire(req->app->snapshots, snapshot_current_year(req->config), NULL);
        stale = snap == NULL || snap->stale || snapshot_store_is_stale(req->app->snapshots);
    }
    if (snap != NULL)
        write_budget(&t, snap);
    gauge_header(&t, "lvhcmon_snapshot_stale",
                 "1 while the budget figures cannot be refreshed from the database.");
    metrics_text_printf(&t, "lvhcmon_snapshot_stale %d\n", stale ? 1 : 0);
    metrics_write_counters(&t);
    snapshot_release(snap);
    if (t.failed) {
        metrics_text_clear(&t);
        return http_reply_error(req, LV_HTTP_INTERNAL, NULL, "out of memory");
    }
    enum MHD_Result ret = http_reply(req, MHD_HTTP_OK, EXPOSITION_TYPE, t.data, t.len, NULL);
    metrics_text_clear(&t);
    return ret;
}
