/*
 * cmd_token.c: `lvhcmon token add|list|revoke`, the life of an API token.
 *
 *   token add --role ROLE [--provider AGB] [--label L] [--expires-days N]
 *       The new token is printed alone on standard output, once, so that a script can
 *       capture it (`TOKEN=$(lvhcmon token add --role controller)`); only its SHA-256 is
 *       stored. A provider token is bound to an existing provider's AGB; other roles take
 *       none. With --expires-days it is refused from N days on.
 *   token list [--json]
 *       Every token: id, role, provider, label, created, expires, last used, revoked. Never
 *       the token, never its hash.
 *   token revoke ID
 *       Refused from now on, by every instance within a few seconds (daemon/auth.h).
 *       Revoking a revoked token changes nothing and says when it was revoked.
 *
 * Adding and revoking are administrative: they run as the schema owner ([database]
 * migrate_conninfo; the daemon's role may not write tokens) and are recorded in the audit
 * trail, in the same transaction, with the operating-system user who ran the command.
 */
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "cli/cli.h"
#include "db/queries_reference.h"
#include "db/queries_token.h"
#include "text.h"

#define LABEL_MAX 200
#define EXPIRES_DAYS_MAX 3650

/* Writes the audit row of a token action and commits, or rolls back. */
static db_status record_and_commit(db_conn *db, const char *action, int64_t id, json_t *detail)
{
    audit_actor who;
    audit_actor_of_cli(&who);
    char object[40];
    snprintf(object, sizeof object, "token:%lld", (long long)id);
    audit_event ev = {action, object, NULL, "ok", detail};
    db_status st = audit_record(db, &who, &ev);
    if (st == DB_OK)
        st = db_commit(db);
    if (st != DB_OK)
        db_rollback(db);
    return st;
}

/* Parses --expires-days. @return false after a usage error (rc set). */
static bool parse_days(const char *text, unsigned *days, int *rc)
{
    *days = 0;
    if (text == NULL)
        return true;
    long long v;
    if (!cli_whole_number(text, 1, EXPIRES_DAYS_MAX, &v)) {
        *rc = cli_usage_error("token add: --expires-days: a whole number of days from 1 to %d, "
                              "got '%s'",
                              EXPIRES_DAYS_MAX, text);
        return false;
    }
    *days = (unsigned)v;
    return true;
}

static int token_add(cli_context *cli, int argc, char **argv)
{
    const char *role_name = NULL, *agb = NULL, *label = "", *days_text = NULL;
    const cli_option options[] = {
        {"--role", &role_name, NULL},         {"--provider", &agb, NULL}, {"--label", &label, NULL},
        {"--expires-days", &days_text, NULL}, {NULL, NULL, NULL},
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
    unsigned days;
    if (!parse_days(days_text, &days, &rc))
        return rc;

    db_conn *db = cli_db_owner(cli, false);
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
    db_status st = db_begin(db);
    if (st == DB_OK)
        st = tq_token_insert(db, hash, role_name, agb, label, days, &id);
    if (st == DB_OK) {
        json_t *detail = json_pack("{s:s, s:s?, s:s, s:i}", "role", role_name, "provider_agb", agb,
                                   "label", label, "expires_days", (int)days);
        st = record_and_commit(db, AUDIT_TOKEN_ADD, id, detail);
        json_decref(detail);
    } else {
        db_rollback(db);
    }
    bool ok = st == DB_OK;
    if (ok) {
        printf("%s\n", token);
        fflush(stdout);
        fprintf(stderr,
                "lvhcmon: token add: token %lld created for role %s%s%s%s; it is shown only now\n",
                (long long)id, role_name, agb != NULL ? " of provider " : "",
                agb != NULL ? agb : "", days > 0 ? ", expiring in the given days" : "");
    } else {
        fprintf(stderr, "lvhcmon: token add: %s\n", db_conn_error(db));
    }
    sodium_memzero(token, sizeof token);
    return ok ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static int token_revoke(cli_context *cli, int argc, char **argv)
{
    const cli_option options[] = {{NULL, NULL, NULL}};
    char *positional[1];
    int n_positional;
    int rc = cli_parse_options("token revoke", argc, argv, options, positional, 1, &n_positional);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (n_positional != 1)
        return cli_usage_error("token revoke: expected the token's ID (see lvhcmon token list)");
    const char *text = positional[0];
    long long id;
    if (!cli_whole_number(text, 1, LLONG_MAX, &id))
        return cli_usage_error("token revoke: ID: a token id (a whole number), got '%s'", text);

    db_conn *db = cli_db_owner(cli, false);
    if (db == NULL)
        return CLI_EXIT_FAIL;
    char revoked_at[32] = "";
    db_status st = db_begin(db);
    if (st == DB_OK)
        st = tq_token_revoke(db, id, revoked_at);
    if (st == DB_NOT_FOUND || st == DB_CONFLICT) {
        db_rollback(db);
        if (st == DB_NOT_FOUND) {
            fprintf(stderr, "lvhcmon: token revoke: no token with id %lld\n", id);
            return CLI_EXIT_FAIL;
        }
        fprintf(stderr, "lvhcmon: token revoke: token %lld was already revoked at %s\n", id,
                revoked_at);
        return CLI_EXIT_OK;
    }
    if (st == DB_OK) {
        st = record_and_commit(db, AUDIT_TOKEN_REVOKE, id, NULL);
    } else {
        db_rollback(db);
    }
    if (st != DB_OK) {
        fprintf(stderr, "lvhcmon: token revoke: %s\n", db_conn_error(db));
        return CLI_EXIT_FAIL;
    }
    fprintf(stderr,
            "lvhcmon: token revoke: token %lld revoked at %s; every instance refuses it within "
            "%d seconds\n",
            id, revoked_at, AUTH_CACHE_TTL_S);
    return CLI_EXIT_OK;
}

/* A value of a table cell: "-" for none. */
static const char *cell(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : "-";
}

static int token_list(cli_context *cli, int argc, char **argv)
{
    bool json_output = false;
    const cli_option options[] = {{"--json", NULL, &json_output}, {NULL, NULL, NULL}};
    char *positional[1];
    int n_positional;
    int rc = cli_parse_options("token list", argc, argv, options, positional, 0, &n_positional);
    if (rc != CLI_EXIT_OK)
        return rc;
    db_conn *db = cli_db(cli, false);
    if (db == NULL)
        return CLI_EXIT_FAIL;
    tq_token_list list;
    if (tq_token_list_all(db, &list) != DB_OK) {
        fprintf(stderr, "lvhcmon: token list: %s\n", db_conn_error(db));
        return CLI_EXIT_FAIL;
    }
    if (json_output) {
        json_t *tokens = json_array();
        for (size_t i = 0; i < list.n && tokens != NULL; i++) {
            const tq_token_row *t = &list.rows[i];
            const char *state = t->revoked_at[0] ? "revoked" : t->expired ? "expired" : "active";
            json_array_append_new(
                tokens, json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s?, s:s?, s:s?, s:s}", "id",
                                  (json_int_t)t->id, "role", t->role, "provider_agb",
                                  t->provider_agb[0] ? t->provider_agb : NULL, "label", t->label,
                                  "created_at", t->created_at, "expires_at",
                                  t->expires_at[0] ? t->expires_at : NULL, "last_used_at",
                                  t->last_used_at[0] ? t->last_used_at : NULL, "revoked_at",
                                  t->revoked_at[0] ? t->revoked_at : NULL, "state", state));
        }
        json_t *doc = json_pack("{s:o}", "tokens", tokens);
        if (doc != NULL)
            json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
    } else {
        printf("%-5s %-10s %-8s %-20s %-20s %-20s %-20s %-8s %s\n", "ID", "ROLE", "PROVIDER",
               "CREATED", "EXPIRES", "LAST USED", "REVOKED", "STATE", "LABEL");
        for (size_t i = 0; i < list.n; i++) {
            const tq_token_row *t = &list.rows[i];
            const char *state = t->revoked_at[0] ? "revoked" : t->expired ? "expired" : "active";
            printf("%-5lld %-10s %-8s %-20s %-20s %-20s %-20s %-8s %s\n", (long long)t->id, t->role,
                   cell(t->provider_agb), t->created_at, cell(t->expires_at), cell(t->last_used_at),
                   cell(t->revoked_at), state, t->label);
        }
    }
    tq_token_list_clear(&list);
    return CLI_EXIT_OK;
}

int cmd_token(cli_context *cli, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("token: expected 'token add|list|revoke ...'");
    if (strcmp(argv[1], "add") == 0)
        return token_add(cli, argc - 2, argv + 2);
    if (strcmp(argv[1], "list") == 0)
        return token_list(cli, argc - 2, argv + 2);
    if (strcmp(argv[1], "revoke") == 0)
        return token_revoke(cli, argc - 2, argv + 2);
    return cli_usage_error("token: unknown subcommand '%s' (expected add, list or revoke)",
                           argv[1]);
}
