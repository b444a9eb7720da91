/*
 * cmd_status.c: `lvhcmon status ...` (see cli_usage() for its arguments).
 *
 * Not available in this build yet: the command exists so that scripts can call it and
 * get a clear answer (exit status 3) rather than a usage error.
 */
#include <stdio.h>

#include "cli/cli.h"

int cmd_status(cli_context *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fprintf(stderr, "lvhcmon: status: not yet available\n");
    return CLI_EXIT_UNAVAILABLE;
}
