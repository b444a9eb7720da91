/*
 * response.h: the answer to a submission (doc/api.md), the same for HTTP and `lvhcmon import
 * --json`. It is built once when the submission is stored and kept in the database, so a
 * replay returns exactly the first answer.
 */
#ifndef LVHCMON_RESPONSE_H
#define LVHCMON_RESPONSE_H

#include <jansson.h>
#include <stdint.h>

#include "declaration.h"
#include "validate.h"

/** Totals over a submission's line results. */
typedef struct {
    int accepted;
    int rejected;
    int64_t amount_cents;
} response_totals;

/** Sums accepted/rejected counts and the accepted amount. @return false on overflow. */
bool response_totals_compute(const line_result *results, size_t n, response_totals *out);

/**
 * The answer to a stored submission, as compact JSON text:
 * {"id", "provider_agb", "reference", "replayed": false, "accepted", "rejected",
 *  "amount_cents", "lines": [{"line_ref", "status", "codes", "amount_cents", "late"
 *  [, "reason"][, "field"]}]}, byte for byte what json_dumps(JSON_COMPACT) writes for it.
 * @param len_out receives the length (may be NULL)
 * @return a new NUL-terminated string owned by the caller (free), or NULL when out of memory.
 */
char *response_submission_text_new(int64_t id, const decl_submission *sub,
                                   const line_result *results, const response_totals *totals,
                                   size_t *len_out);

/** The readable reason of a line's codes ("0435: client_bsn ...; 0586: ..."), into @a buf:
 *  validation's own words, or the registry's reasons where it has none. */
void response_line_reason(const line_result *r, char *buf, size_t size);

#endif
