/*
 * error.h: lv_error, the one error type of lvhcmon, from a parser in lib/ to the body of an
 * HTTP answer. It follows PostgreSQL's split of an error report:
 *
 *   code     the registry code (codes.h): stable id, HTTP status, default reason
 *   message  what went wrong, one line ("trailer: 3 client records counted, 2 found")
 *   field    the field to blame ("lines[3].minutes", "[server] listen"), "" when none
 *   detail   more about it, for the reader who wants it ("" when none)
 *   hint     what to do about it ("run `lvhcmon migrate` first"; "" when none)
 *   line_no  the 1-based line or record of an input file, 0 when not tied to one
 *
 * Every module that can fail takes an `lv_error *err` (which may be NULL when the caller
 * does not care) and fills it with lv_error_set() where the failure happens, with the
 * context only it knows. lv_error_json_new() is the one function that turns an error into
 * the body every client sees:
 *   {"error": {"code": "...", "message": "...", "field": "..." | null
 *              [, "detail": "..."][, "hint": "..."][, "line": N]}}
 *
 * The struct is plain data with fixed buffers: it can be copied, kept on the stack and
 * filled in any thread without allocation (an out-of-memory report must not need memory).
 * Texts longer than a buffer are cut.
 */
#ifndef LVHCMON_ERROR_H
#define LVHCMON_ERROR_H

#include <jansson.h>
#include <stddef.h>

#include "codes.h"

/** One error report (see the file comment). Zero-initialised it means "no error" (LV_OK). */
typedef struct {
    lv_code code;
    int line_no;
    char field[256]; /* room for a list ("lines[0].minutes, lines[1].date_to" of a 409) */
    char message[320];
    char detail[256];
    char hint[192];
} lv_error;

/**
 * Fills @a err with code, line, field and a printf-style message, and clears its detail
 * and hint. Does nothing when @a err is NULL.
 * @param line_no 1-based line or record of an input, 0 when none
 * @param field the field to blame, or NULL/"" when none
 */
void lv_error_set(lv_error *err, lv_code code, int line_no, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/** Sets the detail of @a err (printf-style). Does nothing when @a err is NULL. */
void lv_error_detail(lv_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Sets the hint of @a err (printf-style). Does nothing when @a err is NULL. */
void lv_error_hint(lv_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Puts @a prefix and ": " before the message of @a err ("sql/0003_x.sql: " + message), for
 * a caller that adds where the error happened. Does nothing when @a err is NULL.
 */
void lv_error_prefix(lv_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Resets @a err to "no error". Accepts NULL. */
void lv_error_clear(lv_error *err);

/**
 * The one rendering of an error as the body of an answer:
 * {"error": {"code", "message", "field", ["detail"], ["hint"], ["line"]}}. The code is the
 * registry's external id; an empty message becomes the registry's reason; an empty field is
 * JSON null; detail, hint and line appear only when set.
 * @return a new JSON object owned by the caller, or NULL when out of memory
 */
json_t *lv_error_json_new(const lv_error *err);

/** Size that holds every lv_error_text(). */
#define LV_ERROR_TEXT_MAX                                                                          \
    (sizeof(((lv_error *)0)->message) + sizeof(((lv_error *)0)->detail) +                          \
     sizeof(((lv_error *)0)->hint) + 8)

/**
 * The one-line form of @a err for a terminal or a log line: "message[: detail][; hint]"
 * (the registry's reason when the message is empty).
 * @param buf receives it, cut to @a size
 * @return @a buf
 */
const char *lv_error_text(const lv_error *err, char *buf, size_t size);

/** @return the HTTP status that answers @a err (the registry's, 500 for a code without one). */
int lv_error_http_status(const lv_error *err);

#endif
