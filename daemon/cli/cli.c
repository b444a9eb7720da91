/*
 * cli.c: the shared state and helpers of the lvhcmon subcommands (see cli.h).
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db/migrate.h"
#include "log.h"

void cli_usage(FILE *out)
{
    fprintf(
        out,
        "usage: lvhcmon [--config FILE] COMMAND ...\n"
        "\n"
        "commands:\n"
        "  reference load DIR                       load reference data CSV files\n"
        "  import FILE [--format aw319|csv|json] [--provider AGB] [--json] [--received-on DATE]\n"
        "                                           ingest a declaration file\n"
        "  status [--year Y] [--json]               budget status\n"
        "  report --year Y [--as-of DATE] --output FILE.xlsx\n"
        "                                           the month-end workbook\n"
        "  token add --role ROLE [--provider AGB] [--label L] [--expires-days N]\n"
        "                                           create an API token (printed once)\n"
        "  token list [--json]                      list the tokens (never the token itself)\n"
        "  token revoke ID                          revoke a token\n"
        "  audit [--from D] [--to D] [--actor A] [--action X] [--json] [--limit N]\n"
        "                                           the audit trail\n"
        "  migrate                                  apply pending schema migrations\n"
        "  version                                  print the version\n"
        "\n"
        "options:\n"
        "  -c, --config FILE   configuration file (default " CONFIG_DEFAULT_PATH ")\n"
        "  -h, --help          print this help\n"
        "\n"
        "The database comes from [database] conninfo, or LVHCMON_DB when set; migrate,\n"
        "reference load and token add/revoke run as the schema owner ([database]\n"
        "migrate_conninfo, or LVHCMON_MIGRATE_DB, when set).\n");
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("lvhcmon: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    cli_usage(stderr);
    return CLI_EXIT_USAGE;
}

bool cli_whole_number(const char *text, long long min, long long max, long long *out)
{
    if (text[0] < '0' || text[0] > '9')
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

int cli_year_option(const char *command, const char *text, int *year)
{
    if (text == NULL)
        return CLI_EXIT_OK;
    char *end;
    errno = 0;
    long y = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || errno != 0 || y < 2000 || y > 2100)
        return cli_usage_error("%s: --year: a year from 2000 to 2100, got '%s'", command, text);
    *year = (int)y;
    return CLI_EXIT_OK;
}

void cli_print_error(const char *command, const lv_error *err)
{
    char text[LV_ERROR_TEXT_MAX];
    fprintf(stderr, "lvhcmon: %s%s%s\n", command != NULL ? command : "",
            command != NULL ? ": " : "", lv_error_text(err, text, sizeof text));
}

const lv_config *cli_config(cli_context *cli)
{
    if (cli->config == NULL) {
        lv_error err;
        cli->config = config_load(cli->config_path, false, &err);
        if (cli->config == NULL) {
            cli_print_error(NULL, &err);
            return NULL;
        }
        db_conn_set_default_statement_timeout(cli->config->statement_timeout_ms);
        /* A command prints its own result; the daemon's per-request info lines would only
         * bury it. Warnings and errors still come through as JSON lines. */
        if (cli->config->log_level < LV_LOG_WARNING)
            log_set_level(LV_LOG_WARNING);
    }
    return cli->config;
}

/* @return true when the database schema is exactly the build's migration files. */
static bool schema_current(db_conn *db, const lv_config *cfg)
{
    lv_error err;
    migration_set *set = migrate_scan_new(cfg->sql_dir, &err);
    bool ok = set != NULL && migrate_check(db, set, &err);
    migrate_set_free(set);
    if (!ok)
        cli_print_error(NULL, &err);
    return ok;
}

/* Opens a connection to @a conninfo for a command; @a statement_timeout_ms as configured
 * (0 for the owner's work: a migration or a reference load may take long). */
static db_conn *open_db(const lv_config *cfg, const char *conninfo, bool any_schema,
                        unsigned statement_timeout_ms)
{
    lv_error err;
    db_conn *db = db_conn_new(conninfo, false);
    if (db != NULL)
        db_conn_set_statement_timeout(db, statement_timeout_ms);
    if (db == NULL || db_conn_ensure(db, &err) != DB_OK) {
        fprintf(stderr, "lvhcmon: cannot connect to the database: %s\n",
                db != NULL ? err.message : "out of memory");
        db_conn_free(db);
        return NULL;
    }
    if (!any_schema && !schema_current(db, cfg)) {
        db_conn_free(db);
        return NULL;
    }
    return db;
}

db_conn *cli_db(cli_context *cli, bool any_schema)
{
    if (cli->db != NULL)
        return cli->db;
    const lv_config *cfg = cli_config(cli);
    if (cfg == NULL)
        return NULL;
    cli->db = open_db(cfg, cfg->conninfo, any_schema, cfg->statement_timeout_ms);
    return cli->db;
}

db_conn *cli_db_owner(cli_context *cli, bool any_schema)
{
    if (cli->owner_db != NULL)
        return cli->owner_db;
    const lv_config *cfg = cli_config(cli);
    if (cfg == NULL)
        return NULL;
    cli->owner_db = open_db(cfg, config_migrate_conninfo(cfg), any_schema, 0);
    return cli->owner_db;
}

void cli_context_clear(cli_context *cli)
{
    db_conn_free(cli->db);
    cli->db = NULL;
    db_conn_free(cli->owner_db);
    cli->owner_db = NULL;
    config_free(cli->config);
    cli->config = NULL;
}

int cli_parse_options(const char *command, int argc, char **argv, const cli_option *options,
                      char **positional, int max_positional, int *n_positional)
{
    *n_positional = 0;
    bool seen[32] = {false};
    bool options_end = false;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (options_end || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (*n_positional == max_positional)
                return cli_usage_error("%s: unexpected argument '%s'", command, arg);
            positional[(*n_positional)++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_end = true;
            continue;
        }
        size_t name_len = strcspn(arg, "=");
        size_t k;
        for (k = 0; options[k].name != NULL && k < 32; k++)
            if (strlen(options[k].name) == name_len && strncmp(options[k].name, arg, name_len) == 0)
                break;
        if (options[k].name == NULL || k == 32)
            return cli_usage_error("%s: unknown option '%s'", command, arg);
        if (seen[k])
            return cli_usage_error("%s: option '%s' given twice", command, options[k].name);
        seen[k] = true;
        if (options[k].flag != NULL) {
            if (arg[name_len] == '=')
                return cli_usage_error("%s: option '%s' takes no value", command, options[k].name);
            *options[k].flag = true;
        } else if (arg[name_len] == '=') {
            *options[k].value = arg + name_len + 1;
        } else if (i + 1 < argc) {
            *options[k].value = argv[++i];
        } else {
            return cli_usage_error("%s: option '%s' needs a value", command, options[k].name);
        }
    }
    return CLI_EXIT_OK;
}
