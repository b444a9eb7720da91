/*
 * cmd_migrate.c: `lvhcmon migrate`: apply pending schema migrations, exactly as lvhcmond
 * does when it starts (same lock, same checks; see db/migrate.h), as the schema owner
 * ([database] migrate_conninfo, or conninfo when that is not set).
 */
#include <stdio.h>

#include "cli/cli.h"
#include "db/migrate.h"

int cmd_migrate(cli_context *cli, int argc, char **argv)
{
    const cli_option options[] = {{NULL, NULL, NULL}};
    char *positional[1];
    int n_positional;
    int rc =
        cli_parse_options("migrate", argc - 1, argv + 1, options, positional, 0, &n_positional);
    if (rc != CLI_EXIT_OK)
        return rc;
    const lv_config *cfg = cli_config(cli);
    db_conn *db = cfg != NULL ? cli_db_owner(cli, true) : NULL;
    if (db == NULL)
        return CLI_EXIT_FAIL;
    lv_error err;
    migration_set *set = migrate_scan_new(cfg->sql_dir, &err);
    if (set == NULL) {
        cli_print_error("migrate", &err);
        return CLI_EXIT_FAIL;
    }
    int applied = migrate_apply(db, set, &err);
    int version = migrate_newest_version(set);
    migrate_set_free(set);
    if (applied < 0) {
        cli_print_error("migrate", &err);
        return CLI_EXIT_FAIL;
    }
    printf("schema at version %d (%d migration%s applied)\n", version, applied,
           applied == 1 ? "" : "s");
    return CLI_EXIT_OK;
}
