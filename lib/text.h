/*
 * text.h: byte-level helpers the three declaration parsers share: UTF-8 validation of a
 * whole input, locating a byte offset as a line number, reading unsigned decimal numbers
 * from a (pointer, length) slice, and quoting untrusted text safely inside error messages.
 * Slices are never assumed NUL-terminated, so the parsers can work on the input in place.
 */
#ifndef LVHCMON_TEXT_H
#define LVHCMON_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Checks that @a data is well-formed UTF-8 (no overlong forms, no surrogates, nothing
 * above U+10FFFF) and holds no NUL byte: a NUL is legal UTF-8 but never legitimate in a
 * declaration, and rejecting it up front keeps it out of every C string built later.
 * @param bad_off  set to the offset of the first offending byte when false is returned
 * @return true when the whole input is clean.
 */
bool text_utf8_valid(const char *data, size_t len, size_t *bad_off);

/** @return the 1-based line number of byte @a off in @a data (counting "\n"). */
int text_line_of(const char *data, size_t off);

/** @return true when @a n > 0 and every byte of @a s is an ASCII digit. */
bool text_all_digits(const char *s, size_t n);

/**
 * The one check for a code of fixed length made of digits (an AGB of 8, a BSN of 9, a
 * zorgkantoor of 4), on a NUL-terminated string.
 * @return true when @a s is exactly @a n (> 0) ASCII digits; false for NULL.
 */
bool text_is_digits(const char *s, size_t n);

/** @return true when @a n > 0 and every byte of @a s is a space. */
bool text_all_spaces(const char *s, size_t n);

/** @return true when the slice holds an ASCII control character (below 0x20, or 0x7F). */
bool text_has_control(const char *s, size_t n);

/**
 * Converts ISO-8859-1 text to UTF-8 into @a dst (capacity @a cap, NUL-terminated).
 * @return the bytes written without the NUL, or SIZE_MAX when the result does not fit in
 *         cap - 1 bytes or the text holds a control character (C0, DEL or the C1 range
 *         0x80-0x9F, which ISO-8859-1 leaves to controls); @a dst is "" then.
 */
size_t text_latin1_to_utf8(const char *s, size_t n, char *dst, size_t cap);

/**
 * Reads a non-negative decimal integer made of 1..n ASCII digits (no sign, no spaces).
 * @return false when empty, when a byte is not a digit or when the value exceeds INT64_MAX.
 */
bool text_parse_uint(const char *s, size_t n, int64_t *out);

/** Room text_int64() needs: a sign, 19 digits and a NUL, rounded up. */
#define TEXT_INT64_MAX 24

/**
 * Writes @a v in decimal, digits from the right, at the end of @a buf (no NUL): the fast
 * path of the writers of COPY rows and JSON text, where snprintf stood out in profiles.
 * @param len receives the number of characters
 * @return where the text starts inside @a buf
 */
const char *text_int64(int64_t v, char buf[TEXT_INT64_MAX], size_t *len);

/**
 * Trims ASCII spaces at both ends of the slice (*s, *n) in place (pointer and length only).
 */
void text_trim(const char **s, size_t *n);

/**
 * Copies the slice into @a dst (capacity @a cap, always NUL-terminated) for quoting in an
 * error message: bytes outside printable ASCII become '?', and a long value is cut with
 * "..." so a message never grows without bound or carries control characters.
 */
void text_quote(char *dst, size_t cap, const char *s, size_t n);

#endif
