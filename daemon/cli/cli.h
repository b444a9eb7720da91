/*
 * cli.h: what the subcommands of `lvhcmon` share: the configuration and database they
 * work on, loaded on first use, and the exit codes.
 *
 * A subcommand is a function of type cli_command_fn in daemon/cli/cmd_<name>.c, listed in
 * the command table of daemon/cli/lvhcmon_main.c. It gets argv starting at its own name
 * (argv[0] = "token"), prints results on standard output and messages on standard error
 * prefixed "lvhcmon: <command>: ", and returns one of the CLI_EXIT_* codes.
 */
#ifndef LVHCMON_CLI_H
#define LVHCMON_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config_parse.h"
#include "db/db_conn.h"
#include "error.h"

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAIL = 1,       /* the command ran and failed (or refused its input) */
    CLI_EXIT_USAGE = 2,      /* bad command line */
    CLI_EXIT_UNAVAILABLE = 3 /* the command exists but is not available in this build */
};

typedef struct cli_context {
    const char *config_path;
    /* private: loaded on first use */
    lv_config *config;
    db_conn *db;
    db_conn *owner_db;
} cli_context;

typedef int (*cli_command_fn)(cli_context *cli, int argc, char **argv);

/**
 * The configuration, loaded from cli->config_path on first use (the client hash key is not
 * required here; commands that hash BSNs check it themselves).
 * @return the configuration, or NULL after printing why on standard error
 */
const lv_config *cli_config(cli_context *cli);

/**
 * A database connection (direct mode, see db_conn.h), opened on first use. Unless
 * @a any_schema, it also checks that the schema is exactly the build's migration files
 * (all applied, none changed; see migrate_check()), and otherwise says what to do.
 * @return the connection, or NULL after printing why on standard error
 */
db_conn *cli_db(cli_context *cli, bool any_schema);

/**
 * A connection as the schema owner ([database] migrate_conninfo, or conninfo when that is
 * not set), for the commands the daemon's own role may not do: migrations, reference data,
 * tokens. Opened on first use; the schema is checked as cli_db() does unless @a any_schema.
 * @return the connection, or NULL after printing why on standard error
 */
db_conn *cli_db_owner(cli_context *cli, bool any_schema);

/** Releases what the context loaded. */
void cli_context_clear(cli_context *cli);

/**
 * Prints @a err on standard error as "lvhcmon: <command>: message[: detail][; hint]".
 * @param command the command's name ("token add"), or NULL for none
 */
void cli_print_error(const char *command, const lv_error *err);

/**
 * Prints "lvhcmon: <message>" and the usage on standard error.
 * @return CLI_EXIT_USAGE
 */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** One option a command accepts: "--name VALUE" / "--name=VALUE", or "--name" as a flag. */
typedef struct {
    const char *name;   /* "--role" */
    const char **value; /* receives the value; NULL for a flag */
    bool *flag;         /* set to true when present; NULL for an option with a value */
} cli_option;

/**
 * Parses the options and positional arguments of a command. An option given twice, an
 * unknown option or a missing value is a usage error.
 * @param command the command's name for messages ("token add")
 * @param argc number of arguments after the command's name
 * @param argv the arguments after the command's name
 * @param options the accepted options, ended by {NULL, NULL, NULL}
 * @param positional receives the positional arguments
 * @param max_positional capacity of @a positional
 * @param n_positional receives how many there were
 * @return CLI_EXIT_OK, or CLI_EXIT_USAGE after printing why
 */
int cli_parse_options(const char *command, int argc, char **argv, const cli_option *options,
                      char **positional, int max_positional, int *n_positional);

/**
 * Reads @a text as a whole number from @a min to @a max, written in digits only (no sign,
 * no spaces, nothing after). The caller words the usage error: each option names its own
 * unit and range.
 * @return true with *out set; false when @a text is not such a number
 */
bool cli_whole_number(const char *text, long long min, long long max, long long *out);

/**
 * Reads the value of a --year option: a year from 2000 to 2100.
 * @param command the command's name for messages ("status")
 * @param text the value, or NULL when the option was not given: @a year keeps the
 *        caller's default then
 * @return CLI_EXIT_OK, or CLI_EXIT_USAGE after printing why
 */
int cli_year_option(const char *command, const char *text, int *year);

/** Prints the usage of every command on @a out. */
void cli_usage(FILE *out);

/* The commands, one per file daemon/cli/cmd_<name>.c. */
int cmd_reference(cli_context *cli, int argc, char **argv);
int cmd_import(cli_context *cli, int argc, char **argv);
int cmd_status(cli_context *cli, int argc, char **argv);
int cmd_report(cli_context *cli, int argc, char **argv);
int cmd_token(cli_context *cli, int argc, char **argv);
int cmd_migrate(cli_context *cli, int argc, char **argv);
int cmd_version(cli_context *cli, int argc, char **argv);
int cmd_audit(cli_context *cli, int argc, char **argv);

#endif
