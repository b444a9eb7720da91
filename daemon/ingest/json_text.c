/*
 * json_text.c: the direct JSON writer of json_text.h.
 */
#include "ingest/json_text.h"

#include "text.h"

#include "util/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool reserve(json_text *t, size_t extra)
{
    if (t->failed)
        return false;
    if (!grow_to(&t->data, &t->cap, t->len + extra + 1, 4096))
        t->failed = true;
    return !t->failed;
}

void json_text_init(json_text *t, size_t size_hint)
{
    memset(t, 0, sizeof *t);
    if (reserve(t, size_hint))
        t->data[0] = '\0';
}

void json_text_raw(json_text *t, const char *s, size_t n)
{
    if (!reserve(t, n))
        return;
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

/* As jansson's dump_string() without flags: '"', '\\' and the control characters below
 * 0x20 escaped (the short forms JSON has, else \u00XX with upper-case hex); everything
 * else, '/', DEL and UTF-8 included, as it is. */
void json_text_string(json_text *t, const char *s)
{
    json_text_raw(t, "\"", 1);
    while (*s) {
        size_t run = 0;
        while (s[run] && s[run] != '"' && s[run] != '\\' && (unsigned char)s[run] >= 0x20)
            run++;
        json_text_raw(t, s, run);
        s += run;
        if (!*s)
            break;
        char esc[8];
        switch (*s) {
        case '"':
            json_text_raw(t, "\\\"", 2);
            break;
        case '\\':
            json_text_raw(t, "\\\\", 2);
            break;
        case '\b':
            json_text_raw(t, "\\b", 2);
            break;
        case '\f':
            json_text_raw(t, "\\f", 2);
            break;
        case '\n':
            json_text_raw(t, "\\n", 2);
            break;
        case '\r':
            json_text_raw(t, "\\r", 2);
            break;
        case '\t':
            json_text_raw(t, "\\t", 2);
            break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", (unsigned)(unsigned char)*s);
            json_text_raw(t, esc, 6);
        }
        s++;
    }
    json_text_raw(t, "\"", 1);
}

void json_text_int(json_text *t, int64_t v)
{
    char num[TEXT_INT64_MAX];
    size_t len;
    const char *p = text_int64(v, num, &len);
    json_text_raw(t, p, len);
}

void json_text_key(json_text *t, const char *key, bool first)
{
    if (!first)
        json_text_raw(t, ",", 1);
    json_text_string(t, key);
    json_text_raw(t, ":", 1);
}

void json_text_member_string(json_text *t, const char *key, const char *value, bool first)
{
    json_text_key(t, key, first);
    json_text_string(t, value);
}

void json_text_member_int(json_text *t, const char *key, int64_t value, bool first)
{
    json_text_key(t, key, first);
    json_text_int(t, value);
}

void json_text_member_bool(json_text *t, const char *key, bool value, bool first)
{
    json_text_key(t, key, first);
    json_text_raw(t, value ? "true" : "false", value ? 4 : 5);
}

char *json_text_finish(json_text *t, size_t *len_out)
{
    char *out = t->failed ? NULL : t->data;
    if (!out)
        free(t->data);
    else if (len_out)
        *len_out = t->len;
    memset(t, 0, sizeof *t);
    return out;
}
