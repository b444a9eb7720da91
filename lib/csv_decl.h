/*
 * csv_decl.h: parser for CSV declaration files (doc/api.md):
 *   provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,minutes,
 *   travel_cents,debit_credit,corrects_ref
 * Tokenising is done by libcsv (RFC 4180 quoting); this module maps columns to fields.
 * One file may hold several submissions: lines are grouped by (provider_agb, reference)
 * in order of first appearance.
 */
#ifndef LVHCMON_CSV_DECL_H
#define LVHCMON_CSV_DECL_H

#include <stddef.h>

#include "declaration.h"
#include "error.h"

typedef struct {
    decl_submission **subs;
    size_t n_subs;
    size_t cap_subs;
} decl_batch;

/**
 * Parses a whole CSV file. The header line is required and must name the columns above.
 * @param max_lines  cap on data lines per submission (0: none)
 * @return a batch the caller owns (decl_batch_free), or NULL with @a err filled.
 */
decl_batch *csv_decl_parse(const char *data, size_t len, size_t max_lines, lv_error *err);

/** Releases a batch and its submissions. Accepts NULL. */
void decl_batch_free(decl_batch *batch);

#endif
