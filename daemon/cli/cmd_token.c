/*
 * cmd_token.c: `lvhcmon token add --role ROLE [--provider AGB] [--label L]`.
 *
 * The new token is printed alone on standard output, once, so that a script can capture it
 * (`TOKEN=$(lvhcmon token add --role controller)`); only its SHA-256 is stored. A provider
 * token is bound to an existing provider's AGB; other roles take none.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "cli/cli.h"
#include "db/queries_reference.h"
#include "db/queries_token.h"
#include "text.h"

#define LABEL_MAX 200

static int token_add(cli_context *cli, int argc, char **argv)
{
    const char *role_name = NULL, *agb = NULL, *label = "";
    const cli_option options[] = {
        {"--role", &role_name, NULL},
        {"--provider", &agb, NULL},
        {"--label", &label, NULL},
        {NULL, NULL, NULL},
    };
    char *positional[1];
    int n_positional;
    int rc = cli_parse_options("token add", argc, argv, options, positional, 0, &n_positional);
    if (rc != CLI_EXIT_OK)
        return rc;
    auth_role role;
    if (role_name == NULL)
        return cli_usage_error("token add: --role is required (controller, provider, ingest, "
                               "dashboard)");
    if (!auth_role_parse(role_name, &role))
        return cli_usage_error("token add: --role: unknown role '%s' (controller, provider, "
                               "ingest, dashboard)",
                               role_name);
    if (role == AUTH_ROLE_PROVIDER && agb == NULL)
        return cli_usage_error("token add: --provider AGB is required for role provider");
    if (role != AUTH_ROLE_PROVIDER && agb != NULL)
        return cli_usage_error("token add: --provider is only for role provider");
    if (agb != NULL && !text_is_digits(agb, 8))
        return cli_usage_error("token add: --provider: an AGB code is 8 digits, got '%s'", agb);
    if (strlen(label) > LABEL_MAX)
        return cli_usage_error("token add: --label: at most %d characters", LABEL_MAX);

    db_conn *db = cli_db(cli, false);
    if (db == NULL)
        return CLI_EXIT_FAIL;
    if (agb != NULL) {
        db_status st = rq_provider_exists(db, agb);
        if (st != DB_OK && st != DB_NOT_FOUND) {
            fprintf(stderr, "lvhcmon: token add: %s\n", db_conn_error(db));
            return CLI_EXIT_FAIL;
        }
        if (st == DB_NOT_FOUND) {
            fprintf(stderr,
                    "lvhcmon: token add: --provider: no provider with AGB %s (load the "
                    "reference data first: lvhcmon reference load DIR)\n",
                    agb);
            return CLI_EXIT_FAIL;
        }
    }

    char token[AUTH_TOKEN_LEN + 1];
    char hash[AUTH_HASH_HEX_LEN + 1];
    auth_token_generate(token);
    auth_token_hash(token, hash);
    int64_t id = 0;
    bool ok = tq_token_insert(db, hash, role_name, agb, label, &id) == DB_OK;
    if (ok) {
        printf("%s\n", token);
        fflush(stdout);
        fprintf(stderr,
                "lvhcmon: token add: token %lld created for role %s%s%s; it is shown only now\n",
                (long long)id, role_name, agb != NULL ? " of provider " : "",
                agb != NULL ? agb : "");
    } else {
        fprintf(stderr, "lvhcmon: token add: %s\n", db_conn_error(db));
    }
    sodium_memzero(token, sizeof token);
    return ok ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

int cmd_token(cli_context *cli, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("token: expected 'token add --role ROLE ...'");
    if (strcmp(argv[1], "add") == 0)
        return token_add(cli, argc - 2, argv + 2);
    return cli_usage_error("token: unknown subcommand '%s' (expected add)", argv[1]);
}
