/*
 * queries_declarations.h: reading stored submissions and their lines back, for
 * GET /api/v1/declarations/{id} and GET /api/v1/providers/{agb}/declarations. Lines come
 * with their derived status (accepted, rejected, credited), codes and readable reason, as
 * structs; the handlers render them (daemon/http/declaration_json.c). Paging is by keyset:
 * the caller passes the last line key it has seen ("after").
 */
#ifndef LVHCMON_QUERIES_DECLARATIONS_H
#define LVHCMON_QUERIES_DECLARATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db_conn.h"

/** A stored submission without its lines. */
typedef struct {
    int64_t id;
    char provider_agb[9];
    char reference[81]; /* up to 20 characters of UTF-8 */
    char source[8];     /* json, csv, aw319 */
    char received_at[21];
    int accepted;
    int rejected;
    int64_t amount_cents;
} dq_submission_row;

/** One stored line. The strings point into the page's rows; "" stands for none. */
typedef struct {
    int64_t id;
    int64_t submission_id;
    const char *reference; /* of its submission */
    int line_no;
    const char *line_ref;
    const char *status; /* accepted, rejected, credited */
    const char *codes;  /* a text[] literal of codes: "{0435,0586}" */
    const char *reason;
    const char *field;
    int64_t amount_cents;
    bool late;
    const char *prestatie;
    const char *target_group;
    const char *date_from; /* YYYY-MM-DD */
    const char *date_to;
    int64_t minutes;
    int64_t travel_cents;
    const char *debit_credit;
    const char *corrects_ref;
    bool no_declared;       /* no declared amount (only AW319 lines carry one) */
    int64_t declared_cents; /* an AW319 line's declared amount */
} dq_line;

/** A page of lines; owns the rows its strings point into. */
typedef struct {
    dq_line *lines;
    size_t n;
    void *rows; /* private */
} dq_line_page;

/** Releases what @a page holds and zeroes it. */
void dq_line_page_clear(dq_line_page *page);

/**
 * The submission @a id without its lines.
 * @return DB_OK with @a out filled, DB_NOT_FOUND, or the failure
 */
db_status dq_submission(db_conn *db, int64_t id, dq_submission_row *out);

/** Filter of one submission's lines; status "" and month "" mean "any". */
typedef struct {
    int64_t after; /* line_no */
    int limit;
    const char *status; /* accepted, rejected, credited */
    const char *month;  /* the service month's first day, "YYYY-MM-01" */
} dq_submission_filter;

/**
 * Up to f->limit lines of submission @a id with line_no > f->after that match @a f, in line
 * order. A line without a service month (its dates were rejected) matches no month.
 * @param out receives the page (dq_line_page_clear()) on DB_OK
 */
db_status dq_submission_lines(db_conn *db, int64_t id, const dq_submission_filter *f,
                              dq_line_page *out);

/** Filter of a provider's line listing; year 0, month 0 and status "" mean "any". */
typedef struct {
    const char *provider_agb;
    int year;
    int month;
    const char *status;
    int64_t after; /* line id */
    int limit;
} dq_line_filter;

/**
 * A provider's lines matching @a f, by line id.
 * @param out receives the page (dq_line_page_clear()) on DB_OK
 */
db_status dq_provider_lines(db_conn *db, const dq_line_filter *f, dq_line_page *out);

#endif
