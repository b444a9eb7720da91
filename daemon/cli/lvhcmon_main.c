/*
 * lvhcmon_main.c: the command line's entry point: global options, then one command from
 * the table below (each in daemon/cli/cmd_<name>.c).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "config.h"
#include "process_guard.h"
#include "test_hooks.h"

static const struct {
    const char *name;
    cli_command_fn run;
} COMMANDS[] = {
    {"reference", cmd_reference}, {"import", cmd_import},   {"status", cmd_status},
    {"token", cmd_token},         {"migrate", cmd_migrate}, {"version", cmd_version},
    {"audit", cmd_audit},
};

int main(int argc, char **argv)
{
    cli_context cli = {.config_path = CONFIG_DEFAULT_PATH};
    if (!process_guard())
        return CLI_EXIT_FAIL;
    test_hooks_start();
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            cli_usage(stdout);
            return CLI_EXIT_OK;
        } else if (strcmp(arg, "-c") == 0 || strcmp(arg, "--config") == 0) {
            if (i + 1 == argc)
                return cli_usage_error("option '%s' needs a value", arg);
            cli.config_path = argv[++i];
        } else if (strncmp(arg, "--config=", 9) == 0) {
            cli.config_path = arg + 9;
        } else {
            return cli_usage_error("unknown option '%s'", arg);
        }
    }
    if (i == argc)
        return cli_usage_error("a command is required");
    if (sodium_init() < 0) {
        fprintf(stderr, "lvhcmon: cannot initialise libsodium\n");
        return CLI_EXIT_FAIL;
    }
    for (size_t c = 0; c < sizeof COMMANDS / sizeof COMMANDS[0]; c++) {
        if (strcmp(COMMANDS[c].name, argv[i]) == 0) {
            int rc = COMMANDS[c].run(&cli, argc - i, argv + i);
            cli_context_clear(&cli);
            return test_hooks_exit_status(rc);
        }
    }
    return cli_usage_error("unknown command '%s'", argv[i]);
}
