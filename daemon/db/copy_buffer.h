/*
 * copy_buffer.h: a growable byte buffer that writes rows in PostgreSQL's COPY text format,
 * escaping every text field (backslash, tab, newline, carriage return) so that content
 * from a declaration can never break out of its column.
 *
 * Ownership: copy_buffer_init() on a caller's struct, copy_buffer_release() frees its data.
 */
#ifndef LVHCMON_COPY_BUFFER_H
#define LVHCMON_COPY_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *data;
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed; every later write is a no-op */
    bool row_started;
} copy_buffer;

void copy_buffer_init(copy_buffer *b);
void copy_buffer_release(copy_buffer *b);
/** Forgets the content but keeps the memory. */
void copy_buffer_clear(copy_buffer *b);

void copy_buffer_text(copy_buffer *b, const char *s); /* NULL or "" -> \N when null_empty */
void copy_buffer_text_or_null(copy_buffer *b, const char *s);
void copy_buffer_int(copy_buffer *b, int64_t v);
void copy_buffer_null(copy_buffer *b);
void copy_buffer_bool(copy_buffer *b, bool v);
/** A field written verbatim (caller guarantees it needs no escaping, e.g. a date). */
void copy_buffer_raw(copy_buffer *b, const char *s);
void copy_buffer_end_row(copy_buffer *b);

#endif
