/*
 * declaration_json.h: stored submissions and lines as the API's JSON, rendered from the
 * structs of db/queries_declarations.h for GET /api/v1/declarations/{id} and
 * GET /api/v1/providers/{agb}/declarations. A line:
 *   {"id", "submission_id", "reference", "line_no", "line_ref", "status", "codes": [...],
 *    "amount_cents", "late", "prestatie", "target_group", "date_from", "date_to", "minutes",
 *    "travel_cents", "debit_credit", "corrects_ref" (null when none)
 *    [, "reason"][, "field"][, "declared_cents"]}
 * Each function returns a new reference owned by the caller, or NULL when out of memory.
 */
#ifndef LVHCMON_HTTP_DECLARATION_JSON_H
#define LVHCMON_HTTP_DECLARATION_JSON_H

#include <jansson.h>

#include "db/queries_declarations.h"

/** {"id", "provider_agb", "reference", "source", "received_at", "accepted", "rejected",
 *  "amount_cents"} */
json_t *http_submission_json_new(const dq_submission_row *s);

/** A text[] literal of plain words ("{0435,0586}": digits, names, "2026-10") as a JSON
 *  array of strings. */
json_t *http_text_array_json_new(const char *pg_array);

/** The lines of @a page as an array, in its order. */
json_t *http_lines_json_new(const dq_line_page *page);

#endif
