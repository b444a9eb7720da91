/*
 * parse_error.h: the error a parser reports when it rejects a whole submission (a file
 * whose structure or trailer is wrong, a body that is not JSON). It names the code from
 * the registry, the 1-based line/record where it was found (0: not tied to one) and the
 * field, so a provider can find and fix it.
 */
#ifndef LVHCMON_PARSE_ERROR_H
#define LVHCMON_PARSE_ERROR_H

#include "codes.h"

typedef struct {
    lv_code code;
    int line_no;
    char field[48];
    char message[200];
} lv_parse_error;

/** Fills @a err (may be NULL) with code, line, field and a printf-style message. */
void lv_parse_error_set(lv_parse_error *err, lv_code code, int line_no, const char *field,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
