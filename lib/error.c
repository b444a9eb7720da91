/*
 * error.c: filling an lv_error and rendering it as the error body (see error.h).
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lv_error_set(lv_error *err, lv_code code, int line_no, const char *field, const char *fmt, ...)
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
    err->detail[0] = '\0';
    err->hint[0] = '\0';
}

void lv_error_detail(lv_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
}

void lv_error_hint(lv_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->hint, sizeof err->hint, fmt, ap);
    va_end(ap);
}

void lv_error_prefix(lv_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char message[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    /* The prefix, ": ", then as much of the old message as fits (cut, as every text is). */
    size_t used = n < 0 ? 0 : (size_t)n < sizeof message ? (size_t)n : sizeof message - 1;
    size_t room = sizeof message - 1 - used;
    size_t add = strnlen(err->message, sizeof err->message);
    if (room >= 2) {
        memcpy(message + used, ": ", 2);
        used += 2;
        room -= 2;
        if (add > room)
            add = room;
        memcpy(message + used, err->message, add);
        used += add;
    }
    message[used] = '\0';
    memcpy(err->message, message, used + 1);
}

void lv_error_clear(lv_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

/* A text as a JSON string. A text cut to fit its buffer may end inside a UTF-8 sequence,
 * which jansson refuses: then every byte outside ASCII becomes '?', so the answer still
 * says what went wrong. */
static json_t *text_json(const char *s)
{
    json_t *j = json_string(s);
    if (j)
        return j;
    char safe[sizeof((lv_error *)0)->message];
    size_t n = 0;
    for (; s[n] && n + 1 < sizeof safe; n++)
        safe[n] = (unsigned char)s[n] < 0x80 ? s[n] : '?';
    safe[n] = '\0';
    return json_string(safe);
}

json_t *lv_error_json_new(const lv_error *err)
{
    const lv_code_info *info = lv_code_get(err->code);
    json_t *e = json_pack("{s:s, s:o, s:o}", "code", info->id, "message",
                          text_json(err->message[0] ? err->message : info->reason), "field",
                          err->field[0] ? text_json(err->field) : json_null());
    if (e && err->detail[0])
        json_object_set_new(e, "detail", text_json(err->detail));
    if (e && err->hint[0])
        json_object_set_new(e, "hint", text_json(err->hint));
    if (e && err->line_no > 0)
        json_object_set_new(e, "line", json_integer(err->line_no));
    return e ? json_pack("{s:o}", "error", e) : NULL;
}

const char *lv_error_text(const lv_error *err, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s%s%s",
             err->message[0] ? err->message : lv_code_get(err->code)->reason,
             err->detail[0] ? ": " : "", err->detail, err->hint[0] ? "; " : "", err->hint);
    return buf;
}

int lv_error_http_status(const lv_error *err)
{
    int status = lv_code_get(err->code)->http_status;
    return status >= 400 ? status : 500;
}
