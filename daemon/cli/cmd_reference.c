/*
 * cmd_reference.c: `lvhcmon reference load DIR`: load the reference data CSV files
 * (daemon/reference/refload.c) in one transaction, as the schema owner ([database]
 * migrate_conninfo), recorded in the audit trail. Idempotent; a bad file changes nothing
 * and the error names the file, line and column.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "reference/refload.h"

int cmd_reference(cli_context *cli, int argc, char **argv)
{
    const cli_option options[] = {{NULL, NULL, NULL}};
    char *positional[2];
    int n_positional;
    int rc =
        cli_parse_options("reference", argc - 1, argv + 1, options, positional, 2, &n_positional);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (n_positional != 2 || strcmp(positional[0], "load") != 0)
        return cli_usage_error("reference: the only action is 'reference load DIR'");
    if (!cli_config(cli))
        return CLI_EXIT_FAIL;
    db_conn *db = cli_db_owner(cli, false); /* reference data is the owner's to change */
    if (!db)
        return CLI_EXIT_FAIL;
    refload_summary summary;
    lv_error err;
    audit_actor who;
    audit_actor_of_cli(&who);
    if (!refload_dir(db, positional[1], &who, &summary, &err)) {
        cli_print_error("reference load", &err);
        fprintf(stderr, "lvhcmon: reference load: nothing was changed\n");
        return CLI_EXIT_FAIL;
    }
    size_t n;
    const char *const *names = refload_file_names(&n);
    for (size_t i = 0; i < n; i++)
        printf("%-18s %6zu rows\n", names[i], summary.rows[i]);
    printf("reference data loaded from %s\n", positional[1]);
    return CLI_EXIT_OK;
}
