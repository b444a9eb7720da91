/*
 * cmd_audit.c: `lvhcmon audit [--from D] [--to D] [--actor A] [--action X] [--json]
 * [--limit N]`: the audit trail (daemon/audit.h), oldest first, with the filters of
 * GET /api/v1/audit: from and to are whole days of Europe/Amsterdam (to included), actor
 * "token:ID" or "cli:USER", action one of the trail's actions. --limit caps the rows
 * printed (default: all, read a thousand at a time). As a table, or with --json the
 * document {"entries": [...]} whose entries are those of the HTTP API.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli/cli.h"
#include "db/queries_audit.h"

#define PAGE_ROWS 1000

static void print_row(const auditq_row *r)
{
    char where[2 * AUDIT_ADDRESS_LEN + 8] = "-";
    if (r->client_address[0] != '\0' && r->proxy_address[0] != '\0')
        snprintf(where, sizeof where, "%s via %s", r->client_address, r->proxy_address);
    else if (r->client_address[0] != '\0')
        snprintf(where, sizeof where, "%s", r->client_address);
    printf("%-24s %-14s %-10s %-20s %-30s %-9s %-16s %s\n", r->at, r->actor, r->actor_role,
           r->action, r->object, r->outcome, where, r->actor_label);
}

int cmd_audit(cli_context *cli, int argc, char **argv)
{
    const char *from = NULL, *to = NULL, *actor = NULL, *action = NULL, *limit_text = NULL;
    bool json_output = false;
    const cli_option options[] = {
        {"--from", &from, NULL},
        {"--to", &to, NULL},
        {"--actor", &actor, NULL},
        {"--action", &action, NULL},
        {"--limit", &limit_text, NULL},
        {"--json", NULL, &json_output},
        {NULL, NULL, NULL},
    };
    char *positional[1];
    int n_positional;
    int rc = cli_parse_options("audit", argc - 1, argv + 1, options, positional, 0, &n_positional);
    if (rc != CLI_EXIT_OK)
        return rc;
    static const char *const NAMES[4] = {"--from", "--to", "--actor", "--action"};
    lv_error err;
    if (!audit_filter_check(from, to, actor, action, NAMES, &err)) {
        char text[LV_ERROR_TEXT_MAX];
        return cli_usage_error("audit: %s", lv_error_text(&err, text, sizeof text));
    }
    long long limit = -1;
    if (limit_text != NULL && !cli_whole_number(limit_text, 1, LLONG_MAX, &limit))
        return cli_usage_error("audit: --limit: a whole number of rows, 1 or more, got '%s'",
                               limit_text);
    db_conn *db = cli_db(cli, false);
    if (db == NULL)
        return CLI_EXIT_FAIL;

    json_t *entries = json_output ? json_array() : NULL;
    if (!json_output)
        printf("%-24s %-14s %-10s %-20s %-30s %-9s %-16s %s\n", "AT (UTC)", "ACTOR", "ROLE",
               "ACTION", "OBJECT", "OUTCOME", "FROM", "WHO");
    int64_t after = 0;
    long long printed = 0;
    for (;;) {
        int want = limit < 0 || limit - printed > PAGE_ROWS ? PAGE_ROWS : (int)(limit - printed);
        auditq_filter f = {from, to, actor, action, after, want};
        auditq_page page;
        if (auditq_list(db, &f, &page) != DB_OK) {
            fprintf(stderr, "lvhcmon: audit: %s\n", db_conn_error(db));
            json_decref(entries);
            return CLI_EXIT_FAIL;
        }
        if (entries != NULL) {
            json_t *rows = audit_rows_json_new(&page);
            json_array_extend(entries, rows);
            json_decref(rows);
        } else {
            for (size_t i = 0; i < page.n; i++)
                print_row(&page.rows[i]);
        }
        printed += (long long)page.n;
        bool more = (int)page.n == want && (limit < 0 || printed < limit);
        after = page.n > 0 ? page.rows[page.n - 1].id : after;
        auditq_page_clear(&page);
        if (!more)
            break;
    }
    if (entries != NULL) {
        json_t *doc = json_pack("{s:o}", "entries", entries);
        if (doc == NULL) {
            fprintf(stderr, "lvhcmon: audit: out of memory\n");
            return CLI_EXIT_FAIL;
        }
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
    }
    return CLI_EXIT_OK;
}
