/*
 * text.c: byte-level helpers shared by the declaration parsers (see text.h). The UTF-8
 * check is on the hot path of every upload (a million-line CSV is ~100 MB), so it skips
 * ASCII eight bytes at a time and decodes only the rare multi-byte sequences.
 */
#include "text.h"

#include <string.h>

/* True when none of the 8 bytes has its top bit set and none is NUL. */
static bool word_is_plain_ascii(uint64_t w)
{
    const uint64_t hi = 0x8080808080808080ull, lo = 0x0101010101010101ull;
    if (w & hi)
        return false;
    /* classic "has a zero byte" test; exact here because no byte has the top bit set */
    return ((w - lo) & ~w & hi) == 0;
}

bool text_utf8_valid(const char *data, size_t len, size_t *bad_off)
{
    const unsigned char *p = (const unsigned char *)data;
    size_t i = 0;
    while (i < len) {
        if (len - i >= 8) {
            uint64_t w;
            memcpy(&w, p + i, 8); /* memcpy: no alignment assumption */
            if (word_is_plain_ascii(w)) {
                i += 8;
                continue;
            }
        }
        unsigned c = p[i];
        if (c == 0)
            goto bad;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned min_cp, cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1, cp = c & 0x1F, min_cp = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2, cp = c & 0x0F, min_cp = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3, cp = c & 0x07, min_cp = 0x10000;
        } else {
            goto bad; /* continuation byte out of place, C0/C1 overlong lead, F5..FF */
        }
        if (len - i <= need)
            goto bad;
        for (size_t k = 1; k <= need; k++) {
            unsigned cc = p[i + k];
            if ((cc & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += need + 1;
    }
    return true;
bad:
    if (bad_off)
        *bad_off = i;
    return false;
}

int text_line_of(const char *data, size_t off)
{
    int line = 1;
    const char *p = data, *end = data + off;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        line++;
        p++;
    }
    return line;
}

bool text_all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

const char *text_int64(int64_t v, char buf[TEXT_INT64_MAX], size_t *len)
{
    /* The magnitude as unsigned, so INT64_MIN needs no special case. */
    char *p = buf + TEXT_INT64_MAX;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    if (v < 0)
        *--p = '-';
    *len = (size_t)(buf + TEXT_INT64_MAX - p);
    return p;
}

bool text_is_digits(const char *s, size_t n)
{
    return s != NULL && strnlen(s, n + 1) == n && text_all_digits(s, n);
}

bool text_all_spaces(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ')
            return false;
    return true;
}

bool text_has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F)
            return true;
    }
    return false;
}

size_t text_latin1_to_utf8(const char *s, size_t n, char *dst, size_t cap)
{
    size_t out = 0;
    if (cap == 0)
        return SIZE_MAX;
    dst[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool wide = c >= 0x80;
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || out + (wide ? 2 : 1) >= cap) {
            dst[0] = '\0';
            return SIZE_MAX;
        }
        if (wide) {
            dst[out++] = (char)(0xC0 | (c >> 6));
            dst[out++] = (char)(0x80 | (c & 0x3F));
        } else {
            dst[out++] = (char)c;
        }
    }
    dst[out] = '\0';
    return out;
}

bool text_parse_uint(const char *s, size_t n, int64_t *out)
{
    if (n == 0)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[i] - '0', &v))
            return false;
    }
    *out = v;
    return true;
}

void text_trim(const char **s, size_t *n)
{
    const char *p = *s;
    size_t len = *n;
    while (len > 0 && p[0] == ' ')
        p++, len--;
    while (len > 0 && p[len - 1] == ' ')
        len--;
    *s = p;
    *n = len;
}

void text_quote(char *dst, size_t cap, const char *s, size_t n)
{
    if (cap == 0)
        return;
    size_t room = cap - 1, k = 0;
    bool cut = n > room;
    size_t take = cut ? (room >= 3 ? room - 3 : 0) : n;
    for (; k < take; k++) {
        unsigned char c = (unsigned char)s[k];
        dst[k] = (c >= 0x20 && c < 0x7F) ? (char)c : '?';
    }
    if (cut)
        for (size_t d = 0; d < 3 && k < room; d++)
            dst[k++] = '.';
    dst[k] = '\0';
}
