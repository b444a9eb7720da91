/*
 * excel_csv.h: writing CSV that Excel opens as it should in a Dutch (or English) setting:
 * cells separated by ';', rows ended by CRLF, fields quoted as RFC 4180 says (a cell holding
 * ';', '"', CR or LF is quoted, and its quotes doubled), money as euros with a decimal comma
 * (nl) or point (en) and no thousands separator, and a guard against formula injection: a
 * text cell that starts with '=', '+', '-', '@', TAB or CR gets a leading apostrophe, so
 * Excel shows it as text instead of evaluating it. Number cells are written as numbers and
 * never guarded.
 *
 * Pure code: the cells are appended to a growing buffer the caller owns (excel_csv_buf),
 * which the caller sends and empties (excel_csv_take()) as often as it likes, so a large
 * export is written a page at a time. A file starts with excel_csv_bom().
 */
#ifndef LVHCMON_EXCEL_CSV_H
#define LVHCMON_EXCEL_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The decimal separator of money cells. */
typedef enum { EXCEL_CSV_NL = 0, EXCEL_CSV_EN } excel_csv_lang;

/** A buffer of written CSV text. Zero-initialise it; release with excel_csv_buf_free(). */
typedef struct {
    char *data; /* not NUL-terminated */
    size_t len;
    size_t cap;
    bool in_row; /* a cell was written in the current row: the next needs a ';' */
    bool failed; /* out of memory once: everything written since is lost */
} excel_csv_buf;

/** Releases the buffer's memory and zeroes it. */
void excel_csv_buf_free(excel_csv_buf *b);

/** Empties the buffer (keeps its memory and its row position). */
void excel_csv_take(excel_csv_buf *b);

/** Writes the UTF-8 byte order mark that tells Excel the file is UTF-8. */
void excel_csv_bom(excel_csv_buf *b);

/** Writes a text cell (NULL: an empty cell), guarded and quoted as the file comment says. */
void excel_csv_text(excel_csv_buf *b, const char *s);

/** Writes a whole number. */
void excel_csv_int(excel_csv_buf *b, int64_t n);

/** Writes an amount of cents as euros: 123456 -> "1234,56" (nl) or "1234.56" (en). */
void excel_csv_money(excel_csv_buf *b, int64_t cents, excel_csv_lang lang);

/** Ends the current row (CRLF). */
void excel_csv_row_end(excel_csv_buf *b);

/** @return true when the text cell @a s would be guarded against formula injection. */
bool excel_csv_needs_guard(const char *s);

#endif
