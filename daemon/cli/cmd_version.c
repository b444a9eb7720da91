/*
 * cmd_version.c: `lvhcmon version`.
 */
#include <stdio.h>

#include "cli/cli.h"

int cmd_version(cli_context *cli, int argc, char **argv)
{
    (void)cli;
    if (argc > 1)
        return cli_usage_error("version: unexpected argument '%s'", argv[1]);
    printf("lvhcmon %s\n", LVHCMON_VERSION);
    return CLI_EXIT_OK;
}
