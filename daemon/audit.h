/*
 * audit.h: the audit trail of lvhcmon: who did what to which client-related record, when and
 * from where (NEN 7513's questions), one row per action, append-only (sql/0008_audit.sql).
 *
 * What is recorded, and by whom:
 *   declarations.submit   every submission, stored, replayed, conflicting or rejected whole,
 *                         over HTTP or `lvhcmon import` (daemon/ingest/ingest.c, in the
 *                         transaction that stores it)
 *   declarations.read     every read of line-level data: a provider's lines, a submission
 *                         with its lines, and any later line-level export (the handler
 *                         answers through http_reply_json_audited(), http/audit_reply.h)
 *   alert.acknowledge     every acknowledgement (in the transaction that stores it)
 *   token.add, token.revoke, reference.load
 *                         the command line's administrative actions
 *   audit.read            every read of the trail itself
 *
 * Writing the row is never skipped: a read whose row cannot be written is refused (503 or
 * 500) instead of being served unaudited, and a write fails with its row.
 *
 * The actor is an API token (its id, role and label, and the address the request came
 * from) or, on the command line, the operating-system user (and host) that ran it.
 */
#ifndef LVHCMON_AUDIT_H
#define LVHCMON_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "auth.h"
#include "db/db_conn.h"
#include "db/queries_audit.h"

#define AUDIT_SUBMIT "declarations.submit"
#define AUDIT_LINES_READ "declarations.read"
#define AUDIT_ALERT_ACK "alert.acknowledge"
#define AUDIT_TOKEN_ADD "token.add"
#define AUDIT_TOKEN_REVOKE "token.revoke"
#define AUDIT_REFERENCE_LOAD "reference.load"
#define AUDIT_AUDIT_READ "audit.read"

/** Every action above, NULL-terminated (for filters and their messages). */
extern const char *const AUDIT_ACTIONS[];

/** Longest text of an IPv6 address, with its NUL. */
#define AUDIT_ADDRESS_LEN 46

/** Who acts. */
typedef struct {
    char actor[80];  /* "token:12" or "cli:alice": the key the trail is filtered by */
    char role[16];   /* the token's role, or "cli" */
    char label[128]; /* the token's label, or "user@host" */
    int64_t token_id;
    char client_address[AUDIT_ADDRESS_LEN]; /* "" for the command line */
    char proxy_address[AUDIT_ADDRESS_LEN];  /* "" unless a trusted proxy forwarded it */
} audit_actor;

/**
 * The actor of an API request.
 * @param client the client's address, @a proxy the trusted proxy's (either may be NULL)
 */
void audit_actor_of_token(audit_actor *out, const auth_principal *p, const char *client,
                          const char *proxy);

/** The actor of the command line: the effective operating-system user, at this host. */
void audit_actor_of_cli(audit_actor *out);

/** What is done, to what. */
typedef struct {
    const char *action;       /* AUDIT_* */
    const char *object;       /* "submission:17", "provider:41000001", ... */
    const char *provider_agb; /* whose client-related data, or NULL */
    const char *outcome;      /* "ok", "stored", "replayed", "conflict", "rejected" */
    json_t *detail;           /* an object with what else identifies it, or NULL; borrowed */
} audit_event;

/**
 * Writes one row of the trail.
 * @return DB_OK, or the failure (the caller must then not go on as if it were recorded)
 */
db_status audit_record(db_conn *db, const audit_actor *who, const audit_event *what);

/**
 * @param key an actor as a filter gives it
 * @return true when @a key has the form of an actor ("token:<id>" or "cli:<user>")
 */
bool audit_actor_key_valid(const char *key);

/** @return true when @a action is one of AUDIT_ACTIONS. */
bool audit_action_valid(const char *action);

/**
 * Checks the filters of a listing of the trail (GET /api/v1/audit, `lvhcmon audit`), each
 * NULL when not given: @a from and @a to days YYYY-MM-DD (to not before from), @a actor a
 * key ("token:12", "cli:alice"), @a action one of AUDIT_ACTIONS.
 * @param names how the caller calls the four filters, for messages ({"from", "to",
 *        "actor", "action"} or {"--from", ...})
 * @param err receives the first bad one: code bad_request, field its name
 * @return true when all are valid
 */
bool audit_filter_check(const char *from, const char *to, const char *actor, const char *action,
                        const char *const names[4], lv_error *err);

/**
 * The rows of a listing as JSON: [{"id", "at", "actor": {"key", "role", "label",
 * "token_id"}, "action", "object", "provider_agb", "outcome", "client_address",
 * "proxy_address", "detail"}], the shape of GET /api/v1/audit and `lvhcmon audit --json`.
 * @return a new array owned by the caller, or NULL when out of memory
 */
json_t *audit_rows_json_new(const auditq_page *page);

#endif
