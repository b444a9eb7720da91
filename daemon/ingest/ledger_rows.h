/*
 * ledger_rows.h: the rows of declaration_line that one validated submission becomes, written
 * for the COPY of queries_ingest.h (iq_copy_lines()). What a line keeps is decided here: the
 * effective quantity of an accepted line and the declared one of a rejected line, its price
 * parts, its codes as a text[] literal and its readable reason.
 */
#ifndef LVHCMON_LEDGER_ROWS_H
#define LVHCMON_LEDGER_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/copy_buffer.h"
#include "declaration.h"
#include "privacy.h"
#include "validate.h"

/** One submission's lines as COPY rows. */
typedef struct {
    int64_t submission_id;
    const decl_submission *sub;
    const char (*client_hashes)[PRIVACY_HASH_HEX_LEN + 1]; /* per line; "" when none */
    const line_result *results;                            /* per line */
    const char *zorgkantoor;                               /* of the provider */
    char id_text[24];                                      /* private */
} ledger_rows;

/**
 * Writes line @a i of the submission in the column order of iq_copy_lines(); a
 * db_copy_row_fn with a ledger_rows as @a cls.
 * @return false when out of memory
 */
bool ledger_rows_write(void *cls, size_t i, copy_buffer *b);

#endif
