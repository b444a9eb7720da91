/*
 * queries_audit.h: the audit trail (table audit_log, sql/0008_audit.sql), as typed
 * functions: one insert, and the filtered, paged listing of GET /api/v1/audit and
 * `lvhcmon audit`. The trail is append-only: there is no update or delete here, and the
 * database refuses them anyway.
 */
#ifndef LVHCMON_QUERIES_AUDIT_H
#define LVHCMON_QUERIES_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db_conn.h"

/** One row to write (every text is copied by the call; NULL where optional). */
typedef struct {
    const char *actor;          /* "token:12", "cli:alice" */
    const char *actor_role;     /* controller, provider, ingest, dashboard, cli */
    const char *actor_label;    /* the token's label, or the user at the host */
    int64_t token_id;           /* 0: none */
    const char *action;         /* "declarations.read", ... (audit.h) */
    const char *object;         /* "provider:41000001", "submission:17", ... */
    const char *provider_agb;   /* whose client-related data; NULL: none */
    const char *outcome;        /* "ok", "stored", "rejected", ... */
    const char *client_address; /* numeric IP; NULL or "": none (the command line) */
    const char *proxy_address;  /* the trusted proxy it came through; NULL or "": none */
    const char *detail_json;    /* a JSON object as text; NULL: {} */
} auditq_entry;

/** Writes one row. @return DB_OK, or the failure */
db_status auditq_insert(db_conn *db, const auditq_entry *e);

/** What to list. Dates are whole days of Europe/Amsterdam, "YYYY-MM-DD", or NULL. */
typedef struct {
    const char *from;   /* rows on or after this day */
    const char *to;     /* rows on or before this day */
    const char *actor;  /* exactly this actor key, or NULL */
    const char *action; /* exactly this action, or NULL */
    int64_t after;      /* rows with an id above this (paging), 0 from the start */
    int limit;          /* most rows */
} auditq_filter;

/** One row as listed. Texts point into the page; detail is owned by the page. */
typedef struct {
    int64_t id;
    char at[32]; /* ISO 8601 UTC with milliseconds */
    const char *actor;
    const char *actor_role;
    const char *actor_label;
    int64_t token_id;
    bool no_token;
    const char *action;
    const char *object;
    const char *provider_agb; /* "" when none */
    const char *outcome;
    const char *client_address; /* "" when none */
    const char *proxy_address;  /* "" when none */
    json_t *detail;
} auditq_row;

/** A page of rows, by increasing id. */
typedef struct {
    auditq_row *rows;
    size_t n;
    struct db_rows *held; /* private: what the texts point into */
} auditq_page;

/** Lists the rows of @a f into @a out (release with auditq_page_clear()). */
db_status auditq_list(db_conn *db, const auditq_filter *f, auditq_page *out);

/** Releases @a page and zeroes it. */
void auditq_page_clear(auditq_page *page);

#endif
