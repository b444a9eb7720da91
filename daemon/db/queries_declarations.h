/*
 * queries_declarations.h: reading stored submissions and their lines back, for
 * GET /api/v1/declarations/{id} and GET /api/v1/providers/{agb}/declarations. Lines come
 * with their derived status (accepted, rejected, credited), codes and readable reason.
 * Paging is by keyset: the caller passes the last line key it has seen ("after").
 */
#ifndef LVHCMON_QUERIES_DECLARATIONS_H
#define LVHCMON_QUERIES_DECLARATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db_conn.h"

typedef enum { DQ_OK = 0, DQ_NOT_FOUND, DQ_FAILED } dq_status;

/**
 * The submission @a id without its lines.
 * @param out  receives a new JSON object owned by the caller
 * @param provider_agb  receives the submission's provider (9 bytes), for the access check
 */
dq_status dq_submission(db_conn *db, int64_t id, json_t **out, char provider_agb[9]);

/**
 * Up to @a limit lines of submission @a id with line_no > @a after, in line order.
 * @param out  receives a new JSON array owned by the caller
 * @param last receives the line_no of the last line returned (unchanged when none)
 */
dq_status dq_submission_lines(db_conn *db, int64_t id, int64_t after, int limit, json_t **out,
                              int64_t *last);

/** Filter of a provider's line listing; year 0, month 0 and status "" mean "any". */
typedef struct {
    const char *provider_agb;
    int year;
    int month;
    const char *status;
    int64_t after; /* line id */
    int limit;
} dq_line_filter;

/** @return DQ_OK with a new JSON array in @a out; @a last receives the last line id. */
dq_status dq_provider_lines(db_conn *db, const dq_line_filter *f, json_t **out, int64_t *last);

/** @return true when @a agb is a provider in the reference data. */
dq_status dq_provider_exists(db_conn *db, const char *agb);

#endif
