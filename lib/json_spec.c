/*
 * json_spec.c: the walker of json_spec.h.
 */
#include "json_spec.h"

#include <string.h>

#include "text.h"

/* @return the number of code points of valid UTF-8 @a s (jansson only hands out valid). */
static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static bool has_control(const char *s, size_t len, bool allow_newlines)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (allow_newlines && (c == '\t' || c == '\n' || c == '\r'))
            continue;
        if (c < 0x20 || c == 0x7f)
            return true;
    }
    return false;
}

json_t *json_spec_load(const char *body, size_t len, lv_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, "body", "invalid JSON: %s", jerr.text);
        return NULL;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, "body", "the body must be a JSON object");
        return NULL;
    }
    return doc;
}

static const json_spec_text *find(const json_spec_text *fields, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

bool json_spec_decode(const json_t *doc, const json_spec_text *fields, size_t n, lv_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)doc, key, value)
    {
        const json_spec_text *f = find(fields, n, key);
        if (f == NULL) {
            char shown[48];
            text_quote(shown, sizeof shown, key, strlen(key));
            lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, shown, "unknown field %s", shown);
            return false;
        }
        if (json_is_null(value))
            continue;
        if (!json_is_string(value)) {
            lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, f->name, "%s must be a string", f->name);
            return false;
        }
        const char *s = json_string_value(value);
        const size_t len = json_string_length(value);
        if (strlen(s) != len || has_control(s, len, f->allow_newlines)) {
            lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, f->name,
                         "%s must not contain control characters", f->name);
            return false;
        }
        const size_t chars = utf8_chars(s, len);
        if (chars < f->min_chars || chars > f->max_chars ||
            (f->min_chars > 0 && strspn(s, " \t\r\n") == len)) {
            lv_error_set(err, LV_HTTP_BAD_REQUEST, 0, f->name,
                         "%s must be %zu to %zu characters long%s", f->name, f->min_chars,
                         f->max_chars, f->min_chars > 0 ? ", not blank" : "");
            return false;
        }
        *f->out = s;
    }
    return true;
}
