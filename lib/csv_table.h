/*
 * csv_table.h: a small CSV table reader for reference data files (UTF-8, a header line,
 * comma separated, RFC 4180 quoting), tokenised by libcsv. The header must name exactly the
 * expected columns in order; every row must have that many fields.
 *
 * Ownership: csv_table_parse() returns a table the caller releases with csv_table_free().
 */
#ifndef LVHCMON_CSV_TABLE_H
#define LVHCMON_CSV_TABLE_H

#include <stddef.h>

#include "error.h"

typedef struct {
    int line_no;   /* 1-based line of the row in the file (the header is line 1) */
    char **fields; /* n_cols NUL-terminated strings */
} csv_table_row;

typedef struct {
    size_t n_cols;
    csv_table_row *rows;
    size_t n_rows;
    size_t cap_rows;
} csv_table;

/**
 * Parses @a data. Strips a UTF-8 byte order mark; accepts LF and CRLF; skips blank lines.
 * @return a table, or NULL with @a err naming the line and column at fault.
 */
csv_table *csv_table_parse(const char *data, size_t len, const char *const *columns, size_t n_cols,
                           lv_error *err);

void csv_table_free(csv_table *t);

#endif
