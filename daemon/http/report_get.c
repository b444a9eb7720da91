/*
 * report_get.c: GET /api/v1/report.xlsx?year=Y[&as_of=D]: the month-end workbook
 * (daemon/report/report_xlsx.h) of year Y as of day D, or as of today (Amsterdam) without
 * as_of. Role: controller. The figures are those of GET /api/v1/status?year=Y&as_of=D (the
 * same cached snapshot, snapshot_asof.h); the workbook is written to a temporary file that
 * is removed before the answer goes out, and sent as an attachment. Aggregates only: no
 * declaration line is in it (so it is no line read for the audit trail). While the
 * database cannot be reached it is 503, even for a cached day: the status may be served
 * marked stale, a report may not.
 */
#include <stdlib.h>
#include <time.h>

#include "http/handlers.h"
#include "http/query_params.h"
#include "http/reply.h"
#include "http/snapshot_reply.h"
#include "log.h"
#include "nl_time.h"
#include "report/report_xlsx.h"
#include "snapshot/snapshot_asof.h"

enum MHD_Result http_handler_report_get(http_request *req)
{
    int64_t year;
    lv_date as_of;
    if (!http_query_int(req, "year", 2000, 2100, snapshot_current_year(req->config), &year) ||
        !http_query_date(req, "as_of", &as_of))
        return MHD_YES; /* answered */
    if (as_of == LV_DATE_NONE)
        as_of = nl_date_of((int64_t)time(NULL));
    const snapshot *snap = http_snapshot_asof_acquire(req, (int)year, as_of);
    if (snap == NULL)
        return MHD_YES; /* answered */
    lv_error err = {0};
    if (snap->stale) {
        /* A report leaves the service: it is made from figures checked against the
         * database, never from a copy that may be behind. */
        snapshot_release(snap);
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL,
                                "the database cannot be reached, so the figures of %d cannot be "
                                "confirmed; the month-end workbook is made once it is back",
                                (int)year);
    }
    alert_condition_set *alerts = report_alerts_new(snap, req->config);
    size_t len = 0;
    char *bytes = NULL;
    if (alerts == NULL) {
        lv_error_set(&err, LV_OUT_OF_MEMORY, 0, NULL, "the alert rules could not be evaluated");
    } else {
        report_input in = {.snap = snap, .alerts = alerts, .generated_at = time(NULL)};
        const char *tmpdir = getenv("TMPDIR");
        bytes = report_xlsx_bytes_new(&in, tmpdir, &len, &err);
    }
    char name[48], disposition[96];
    report_file_name(snap, name);
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", name);
    alert_condition_set_free(alerts);
    snapshot_release(snap);
    if (bytes == NULL) {
        char text[LV_ERROR_TEXT_MAX];
        log_error("month-end workbook not written", "{s:i, s:s}", "year", (int)year, "error",
                  lv_error_text(&err, text, sizeof text));
        return http_reply_lv_error(req, &err, NULL);
    }
    const http_header headers[] = {{"Content-Disposition", disposition}, {NULL, NULL}};
    enum MHD_Result ret =
        http_reply(req, MHD_HTTP_OK, REPORT_XLSX_CONTENT_TYPE, bytes, len, headers);
    free(bytes);
    return ret;
}
