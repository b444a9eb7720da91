/*
 * parse_error.c: filling an lv_parse_error, the one shape of a whole-submission rejection.
 */
#include "parse_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lv_parse_error_set(lv_parse_error *err, lv_code code, int line_no, const char *field,
                        const char *fmt, ...)
{
    if (!err)
        return;
    err->code = code;
    err->line_no = line_no;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}
