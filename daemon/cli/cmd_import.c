/*
 * cmd_import.c: `lvhcmon import FILE [--format aw319|csv|json] [--provider AGB] [--json]
 * [--received-on YYYY-MM-DD]`:
 * ingest a declaration file through the same validation, pricing and storage as the HTTP
 * API (daemon/ingest/), driven by cli/import_file.c. Prints a per-file summary (or the
 * answers as JSON) and exits 0 when every submission was stored or replayed, 1 when the
 * file was rejected whole, a submission in it was refused or the database failed (2 for a
 * bad command line, as every command).
 *
 * --received-on is for loading declarations that arrived before lvhcmon ran (a backfill):
 * lateness (0586) is then judged against that day instead of today, and the submission and
 * its lines are recorded as received at 12:00 of that day, Amsterdam time, so that the
 * figures as of a day (as_of) count them from that day on. It is an operator's
 * command-line option only; the HTTP API always records the moment of arrival.
 *
 * --jobs N (1 to IMPORT_MAX_JOBS, default IMPORT_DEFAULT_JOBS) stores the file's
 * submissions over N connections at once, each provider's in one of them in the file's
 * order (import_file.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/import_file.h"
#include "db/db_conn.h"
#include "db/queries_refdata.h"
#include "ingest/ingest_settings.h"
#include "nl_time.h"
#include "text.h"

/* Connections an import uses unless --jobs says otherwise: the database does most of the
 * work of a submission, and two keep a server of two cores busy (bench/ingest_bench.sh). */
#define IMPORT_DEFAULT_JOBS 2

static void close_all(db_conn **conns, size_t n)
{
    for (size_t i = 0; i < n; i++)
        db_conn_free(conns[i]);
}

int cmd_import(cli_context *cli, int argc, char **argv)
{
    const char *format = NULL, *provider = NULL, *received_on = NULL, *jobs_text = NULL;
    bool json_output = false;
    const cli_option options[] = {
        {"--format", &format, NULL},    {"--provider", &provider, NULL},
        {"--json", NULL, &json_output}, {"--received-on", &received_on, NULL},
        {"--jobs", &jobs_text, NULL},   {NULL, NULL, NULL}};
    char *positional[1];
    int n_positional;
    int rc = cli_parse_options("import", argc - 1, argv + 1, options, positional, 1, &n_positional);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (n_positional != 1)
        return cli_usage_error("import: give exactly one FILE");
    import_format fmt = import_format_parse(format);
    if (format && fmt == IMPORT_FORMAT_AUTO)
        return cli_usage_error("import: --format must be aw319, csv or json, not '%s'", format);
    if (provider && !text_is_digits(provider, 8))
        return cli_usage_error("import: --provider must be an AGB code of 8 digits");

    long long jobs_wanted = IMPORT_DEFAULT_JOBS;
    if (jobs_text && !cli_whole_number(jobs_text, 1, IMPORT_MAX_JOBS, &jobs_wanted))
        return cli_usage_error("import: --jobs must be a whole number from 1 to %d, not '%s'",
                               IMPORT_MAX_JOBS, jobs_text);
    const size_t jobs = (size_t)jobs_wanted;

    lv_date received = LV_DATE_NONE;
    if (received_on && (!lv_date_parse_iso(received_on, &received) || received > ingest_today()))
        return cli_usage_error("import: --received-on must be a date YYYY-MM-DD, not in the "
                               "future, not '%s'",
                               received_on);

    const lv_config *cfg = cli_config(cli);
    if (!cfg)
        return CLI_EXIT_FAIL;
    lv_error err;
    if (!config_check_complete(cfg, &err)) {
        cli_print_error("import", &err);
        return CLI_EXIT_FAIL;
    }
    /* cli_db() connects and checks that the schema is current. The import itself runs on
     * a connection of its own in prepared mode, like the daemon's: it runs the same few
     * statements for every submission, a thousand times for a large file, and parsing and
     * planning them each time cost as much as the prior-lines lookup itself. */
    if (!cli_db(cli, false))
        return CLI_EXIT_FAIL;
    db_conn *conns[IMPORT_MAX_JOBS] = {NULL};
    for (size_t i = 0; i < jobs; i++) {
        conns[i] = db_conn_new(cfg->conninfo, true);
        if (!conns[i] || db_conn_ensure(conns[i], &err) != DB_OK) {
            fprintf(stderr, "lvhcmon: import: cannot connect to the database: %s\n",
                    conns[i] ? err.message : "out of memory");
            close_all(conns, jobs);
            return CLI_EXIT_FAIL;
        }
    }
    db_conn *db = conns[0];
    refdata *ref = NULL;
    if (refdata_load_db(db, &ref) != DB_OK) {
        fprintf(stderr, "lvhcmon: import: reference data: %s\n", db_conn_error(db));
        close_all(conns, jobs);
        return CLI_EXIT_FAIL;
    }
    ingest_settings s;
    ingest_settings_from_config(cfg, "cli", &s);
    audit_actor who; /* every submission of the file goes into the audit trail */
    audit_actor_of_cli(&who);
    s.actor = &who;
    if (received != LV_DATE_NONE) {
        /* Judged late against that day, and recorded as received at noon of it in
         * Amsterdam: inside the day whatever the clocks do, so an as_of of that day
         * includes it and one of the day before does not. */
        s.received_on = received;
        s.received_at = nl_local_hour(received, 12);
    }
    import_request req = {.path = positional[0],
                          .format = fmt,
                          .provider_agb = provider,
                          .max_lines = cfg->max_lines_per_submission,
                          .max_bytes = 1024u * 1024 * 1024,
                          .json_output = json_output,
                          .progress = stderr};
    rc = import_file(conns, jobs, ref, &s, &req, stdout);
    refdata_free(ref);
    close_all(conns, jobs);
    return rc;
}
