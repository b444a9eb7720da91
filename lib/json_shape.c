/*
 * json_shape.c: the streaming shape check of a JSON body (see json_shape.h).
 *
 * A recursive-descent reader over the text, at most three levels deep (the body object, the
 * array, an element object), allocating nothing. It knows just enough JSON to find where
 * values begin and end: strings with their escapes, the six structural characters, and
 * runs of number and literal characters. Anything else ends the pass with "no objection":
 * the parser that follows reports bad syntax with its line and column.
 */
#include "json_shape.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

typedef enum {
    SCAN_OK,     /* the value was read and keeps the rules */
    SCAN_SYNTAX, /* not JSON here: stop, the parser will say why */
    SCAN_REJECT  /* a rule is broken: err is filled */
} scan_result;

typedef struct {
    const char *p;
    const char *end;
    const json_shape *shape;
    lv_error *err;
} scanner;

static scan_result reject(scanner *s, lv_code code, int line_no, const char *field, const char *fmt,
                          ...) __attribute__((format(printf, 5, 6)));

static scan_result reject(scanner *s, lv_code code, int line_no, const char *field, const char *fmt,
                          ...)
{
    char message[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    lv_error_set(s->err, code, line_no, field, "%s", message);
    return SCAN_REJECT;
}

static void skip_space(scanner *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'))
        s->p++;
}

/* @return the next character after white space, or 0 at the end. */
static char peek(scanner *s)
{
    skip_space(s);
    return s->p < s->end ? *s->p : '\0';
}

/* Reads a string at the position; *text and *len receive the raw bytes between the
 * quotes. */
static scan_result read_string(scanner *s, const char **text, size_t *len)
{
    if (peek(s) != '"')
        return SCAN_SYNTAX;
    const char *start = ++s->p;
    while (s->p < s->end && *s->p != '"') {
        if ((unsigned char)*s->p < 0x20)
            return SCAN_SYNTAX;
        if (*s->p == '\\' && ++s->p == s->end)
            return SCAN_SYNTAX;
        s->p++;
    }
    if (s->p == s->end)
        return SCAN_SYNTAX;
    if (text != NULL) {
        *text = start;
        *len = (size_t)(s->p - start);
    }
    s->p++;
    return SCAN_OK;
}

static bool is_scalar_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
           c == '-' || c == '.';
}

/* Reads a string, number or literal. A number the parser may refuse as out of range (an
 * exponent, more than 18 digits) stops the pass: the parser names the field itself. */
static scan_result read_scalar(scanner *s)
{
    if (peek(s) == '"')
        return read_string(s, NULL, NULL);
    const char *start = s->p;
    size_t digits = 0;
    bool exponent = false;
    while (s->p < s->end && is_scalar_char(*s->p)) {
        digits += *s->p >= '0' && *s->p <= '9';
        exponent |= *s->p == 'e' || *s->p == 'E';
        s->p++;
    }
    if (s->p == start)
        return SCAN_SYNTAX;
    bool number = *start == '-' || (*start >= '0' && *start <= '9');
    return number && (exponent || digits > 18) ? SCAN_SYNTAX : SCAN_OK;
}

static bool listed(const char *const *names, const char *key, size_t len)
{
    for (const char *const *f = names; *f != NULL; f++)
        if (strlen(*f) == len && memcmp(*f, key, len) == 0)
            return true;
    return false;
}

/* Skips any one value, nested or not, without rules (elements beyond the limit are only
 * counted). */
static scan_result skip_value(scanner *s)
{
    char c = peek(s);
    if (c != '{' && c != '[')
        return read_scalar(s);
    size_t depth = 0;
    do {
        c = peek(s);
        if (c == '"') {
            if (read_string(s, NULL, NULL) != SCAN_OK)
                return SCAN_SYNTAX;
            continue;
        }
        if (c == '\0')
            return SCAN_SYNTAX;
        if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']')
            depth--;
        s->p++;
    } while (depth > 0);
    return SCAN_OK;
}

/* The rejection of an object or array (@a c is its first character) at @a path. */
static scan_result not_single_value(scanner *s, const char *path, int line_no, char c)
{
    return reject(s, LV_9108_FIELD_INVALID, line_no, path,
                  "%s has the wrong type; expected a single value, not an %s", path,
                  c == '{' ? "object" : "array");
}

/* A value that must be a single value (a string, number, literal): not an object or array. */
static scan_result scalar_field(scanner *s, const char *path, int line_no)
{
    char c = peek(s);
    if (c == '{' || c == '[')
        return not_single_value(s, path, line_no, c);
    return read_scalar(s);
}

/* After a member or element: ',' (more follow) or the closing character. */
static scan_result next_member(scanner *s, char close, bool *more)
{
    char c = peek(s);
    if (c != ',' && c != close)
        return SCAN_SYNTAX;
    s->p++;
    *more = c == ',';
    return SCAN_OK;
}

/* "array[index]", or "array[index].key" when @a key is not NULL, in @a buf. Written only
 * when a defect is reported: a submission's lines would otherwise format a path for every
 * field for nothing. */
static const char *element_path(char *buf, size_t cap, const char *array, size_t index,
                                const char *key, size_t key_len)
{
    if (!key) {
        snprintf(buf, cap, "%s[%zu]", array, index);
        return buf;
    }
    char shown[40];
    text_quote(shown, sizeof shown, key, key_len);
    snprintf(buf, cap, "%s[%zu].%s", array, index, shown);
    return buf;
}

/* Element @index of the array: an object of known fields holding single values. */
static scan_result element(scanner *s, size_t index)
{
    const char *array = s->shape->array_field;
    int line_no = index + 1 > 0x7fffffff ? 0x7fffffff : (int)(index + 1);
    char path[160];
    char c = peek(s);
    if (c == '[') {
        element_path(path, sizeof path, array, index, NULL, 0);
        return reject(s, LV_9108_FIELD_INVALID, line_no, path, "%s is not an object", path);
    }
    if (c != '{')
        return read_scalar(s); /* not an object either: the decoder says so */
    s->p++;
    if (peek(s) == '}') {
        s->p++;
        return SCAN_OK;
    }
    for (bool more = true; more;) {
        const char *key;
        size_t key_len;
        if (read_string(s, &key, &key_len) != SCAN_OK || peek(s) != ':')
            return SCAN_SYNTAX;
        s->p++;
        if (!listed(s->shape->item_fields, key, key_len)) { /* the decoder's words for it */
            element_path(path, sizeof path, array, index, key, key_len);
            return reject(s, LV_9108_FIELD_INVALID, line_no, path, "%s is not a known field", path);
        }
        c = peek(s);
        scan_result r =
            c == '{' || c == '['
                ? not_single_value(s, element_path(path, sizeof path, array, index, key, key_len),
                                   line_no, c)
                : read_scalar(s);
        if (r == SCAN_OK)
            r = next_member(s, '}', &more);
        if (r != SCAN_OK)
            return r;
    }
    return SCAN_OK;
}

/* The array field: an array of at most max_items elements. */
static scan_result array_field(scanner *s)
{
    const char *name = s->shape->array_field;
    char c = peek(s);
    if (c == '{')
        return reject(s, LV_9108_FIELD_INVALID, 0, name, "%s has the wrong type; expected an array",
                      name);
    if (c != '[')
        return read_scalar(s); /* null or a wrong single value: the decoder says so */
    s->p++;
    if (peek(s) == ']') {
        s->p++;
        return SCAN_OK;
    }
    size_t max = s->shape->max_items;
    size_t n = 0;
    for (bool more = true; more; n++) {
        /* Beyond the limit the elements are only counted, to say how many there were. */
        scan_result r = max > 0 && n >= max ? skip_value(s) : element(s, n);
        if (r == SCAN_OK)
            r = next_member(s, ']', &more);
        if (r == SCAN_REJECT)
            return r;
        if (r == SCAN_SYNTAX && (max == 0 || n < max))
            return r;
        if (r == SCAN_SYNTAX)
            break; /* over the limit anyway: say that, with the count so far */
    }
    if (max > 0 && n > max) {
        int line_no = max + 1 > 0x7fffffff ? 0x7fffffff : (int)(max + 1);
        return reject(s, LV_9207_TOO_MANY_LINES, line_no, name,
                      "%s: %zu lines, more than the %zu allowed", name, n, max);
    }
    return SCAN_OK;
}

bool json_shape_check(const char *data, size_t len, const json_shape *shape, lv_error *err)
{
    scanner s = {.p = data, .end = data + len, .shape = shape, .err = err};
    char c = peek(&s);
    if (c == '[') {
        reject(&s, LV_9108_FIELD_INVALID, 0, "", "the body is not a JSON object");
        return false;
    }
    if (c != '{')
        return true;
    s.p++;
    if (peek(&s) == '}')
        return true;
    for (bool more = true; more;) {
        const char *key;
        size_t key_len;
        if (read_string(&s, &key, &key_len) != SCAN_OK || peek(&s) != ':')
            return true;
        s.p++;
        scan_result r;
        if (!listed(shape->top_fields, key, key_len)) {
            /* The decoder's words for it; an escaped name counts as unknown too. */
            char shown[40];
            text_quote(shown, sizeof shown, key, key_len);
            r = reject(&s, LV_9108_FIELD_INVALID, 0, shown, "%s is not a known field", shown);
        } else if (key_len == strlen(shape->array_field) &&
                   memcmp(key, shape->array_field, key_len) == 0) {
            r = array_field(&s);
        } else {
            char name[40];
            snprintf(name, sizeof name, "%.*s", (int)key_len, key);
            r = scalar_field(&s, name, 0);
        }
        if (r == SCAN_OK)
            r = next_member(&s, '}', &more);
        if (r != SCAN_OK)
            return r != SCAN_REJECT;
    }
    return true;
}
