/*
 * cmd_report.c: `lvhcmon report --year Y [--as-of YYYY-MM-DD] --output FILE.xlsx`: the
 * month-end workbook (daemon/report/report_xlsx.h) of year Y as of day D (default: today in
 * Amsterdam), computed on the command line's connection with the same code the daemon
 * answers GET /api/v1/report.xlsx and GET /api/v1/status?as_of=D with.
 *
 * The workbook is written next to FILE under a temporary name and renamed onto FILE once it
 * is complete, so FILE is either the old file or the whole new workbook, never half of one;
 * the temporary file is removed when anything fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "nl_time.h"
#include "report/report_xlsx.h"
#include "snapshot/snapshot_asof.h"

/* Writes the workbook of @a snap to @a output through a temporary file beside it. */
static bool write_atomically(const snapshot *snap, const lv_config *cfg, const char *output,
                             lv_error *err)
{
    alert_condition_set *alerts = report_alerts_new(snap, cfg);
    if (alerts == NULL) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "the alert rules could not be evaluated");
        return false;
    }
    size_t n = strlen(output) + sizeof ".tmp-XXXXXX";
    char *tmp = malloc(n);
    bool ok = false;
    if (tmp == NULL) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
    } else {
        snprintf(tmp, n, "%s.tmp-XXXXXX", output);
        int fd = mkstemp(tmp);
        if (fd < 0) {
            lv_error_set(err, LV_REPORT_FAILED, 0, "--output", "cannot create a file beside %s: %s",
                         output, strerror(errno));
        } else {
            /* mkstemp() makes the file 0600; the workbook gets the mode any new file of the
             * user would (the command line is single-threaded: reading the umask is safe). */
            mode_t mask = umask(0);
            umask(mask);
            fchmod(fd, 0666 & ~mask);
            close(fd);
            report_input in = {.snap = snap, .alerts = alerts, .generated_at = time(NULL)};
            ok = report_xlsx_write(&in, tmp, getenv("TMPDIR"), err);
            if (ok && rename(tmp, output) != 0) {
                lv_error_set(err, LV_REPORT_FAILED, 0, "--output", "cannot write %s: %s", output,
                             strerror(errno));
                ok = false;
            }
            if (!ok)
                unlink(tmp);
        }
    }
    free(tmp);
    alert_condition_set_free(alerts);
    return ok;
}

int cmd_report(cli_context *cli, int argc, char **argv)
{
    const char *year_text = NULL, *as_of_text = NULL, *output = NULL;
    const cli_option options[] = {{"--year", &year_text, NULL},
                                  {"--as-of", &as_of_text, NULL},
                                  {"--output", &output, NULL},
                                  {NULL, NULL, NULL}};
    char *positional[1];
    int n_positional;
    int rc = cli_parse_options("report", argc - 1, argv + 1, options, positional, 0, &n_positional);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (output == NULL || output[0] == '\0')
        return cli_usage_error("report: --output FILE.xlsx is required");
    const lv_config *cfg = cli_config(cli);
    if (cfg == NULL)
        return CLI_EXIT_FAIL;
    int year = snapshot_current_year(cfg);
    rc = cli_year_option("report", year_text, &year);
    if (rc != CLI_EXIT_OK)
        return rc;
    lv_date today = nl_date_of((int64_t)time(NULL));
    lv_date day = today;
    lv_error err = {0};
    if (as_of_text != NULL) {
        if (!lv_date_parse_iso(as_of_text, &day))
            return cli_usage_error("report: --as-of: a date YYYY-MM-DD, got '%s'", as_of_text);
        if (!snapshot_asof_day_valid(year, day, today, "--as-of", &err))
            return cli_usage_error("report: %s", err.message);
    }
    db_conn *db = cli_db(cli, false);
    if (db == NULL)
        return CLI_EXIT_FAIL;
    snapshot *snap = snapshot_build_as_of(db, cfg, year, day, time(NULL), &err);
    if (snap == NULL) {
        cli_print_error("report", &err);
        return CLI_EXIT_FAIL;
    }
    bool ok = write_atomically(snap, cfg, output, &err);
    snapshot_release(snap);
    if (!ok) {
        cli_print_error("report", &err);
        return CLI_EXIT_FAIL;
    }
    char d[11];
    lv_date_format_iso(day, d);
    printf("%s: month-end workbook of %d as of %s\n", output, year, d);
    return CLI_EXIT_OK;
}
