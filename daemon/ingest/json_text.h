/*
 * json_text.h: writing JSON text directly, member by member, byte for byte as jansson's
 * json_dumps() with JSON_COMPACT writes it. The ingest path writes its two large documents
 * this way (the canonical content of a submission and the answer to it): for a submission
 * of thousands of lines, building a jansson tree only to serialise and free it again was
 * the largest cost of storing it. Everything written here must read back with json_loads()
 * and dump again to the same bytes (tests/unit/check_ingest_json.c checks it).
 *
 * The writer never fails midway: an allocation failure is remembered and reported by
 * json_text_finish(), so the calls in between need no checks.
 */
#ifndef LVHCMON_JSON_TEXT_H
#define LVHCMON_JSON_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *data; /* NUL-terminated while not failed */
    size_t len;
    size_t cap;
    bool failed;
} json_text;

/** Starts an empty text with room for about @a size_hint bytes. */
void json_text_init(json_text *t, size_t size_hint);

/** Appends @a n bytes as they are (punctuation: "{", "}", "[", "]", ","). */
void json_text_raw(json_text *t, const char *s, size_t n);

/** Appends a string value, quoted and escaped as jansson escapes it. */
void json_text_string(json_text *t, const char *s);

/** Appends an integer value. */
void json_text_int(json_text *t, int64_t v);

/** Appends "key": (preceded by a comma unless @a first). */
void json_text_key(json_text *t, const char *key, bool first);

/** Member helpers: "key":value, with a comma before unless @a first. */
void json_text_member_string(json_text *t, const char *key, const char *value, bool first);
void json_text_member_int(json_text *t, const char *key, int64_t value, bool first);
void json_text_member_bool(json_text *t, const char *key, bool value, bool first);

/**
 * Ends the text.
 * @return the text, NUL-terminated, owned by the caller (free); NULL when an allocation
 *         failed (everything is released then). @a t is empty afterwards.
 */
char *json_text_finish(json_text *t, size_t *len_out);

#endif
