/*
 * json_spec.h: declarative decoding of a small JSON request body (an acknowledgement, a
 * setting) with jansson. The body's fields are written down once, in a spec table: name,
 * length limits in characters, whether line breaks are allowed, and where the value goes.
 * One walker applies the table; every error is an lv_error (code bad_request) naming the
 * field, so each handler states what it accepts instead of walking the tree by hand.
 *
 * Rules: the body is a JSON object without duplicate keys; a key the table does not name
 * is refused (a misspelt "coment" must not be silently ignored); a field absent or null
 * keeps its default; a present field must be a string of min..max characters (not blank
 * when min > 0) without control characters (tab, CR and LF allowed where the spec says).
 * lib/json_decl.c decodes declarations, whose fields carry line defects, with a walker of
 * its own.
 */
#ifndef LVHCMON_JSON_SPEC_H
#define LVHCMON_JSON_SPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/** One text field of a body. */
typedef struct {
    const char *name;
    size_t min_chars; /* in Unicode characters */
    size_t max_chars;
    bool allow_newlines; /* tab, CR and LF; other control characters are always refused */
    const char **out;    /* receives the value (pointing into the document); left as is
                          * when the field is absent or null */
} json_spec_text;

/**
 * Parses @a body as one JSON object.
 * @param err receives why not (field "body")
 * @return a new reference owned by the caller, or NULL
 */
json_t *json_spec_load(const char *body, size_t len, lv_error *err);

/**
 * Decodes @a doc against @a fields.
 * @param err receives the first problem, naming the field
 * @return true when every field is acceptable (the values are in the outs)
 */
bool json_spec_decode(const json_t *doc, const json_spec_text *fields, size_t n, lv_error *err);

#endif
