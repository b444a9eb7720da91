/*
 * check_text.c: Check suite for lib/text.c, the byte helpers under the declaration parsers.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "unit_runner.h"

typedef struct {
    const char *name;
    const char *data;
    size_t len;
    bool valid;
    size_t bad_off;
} utf8_case;

static const utf8_case UTF8[] = {
    {"empty", "", 0, true, 0},
    {"ascii longer than a word", "abcdefghijklmnopqrstuvwxyz", 26, true, 0},
    {"two-byte", "caf\xC3\xA9", 5, true, 0},
    {"three-byte euro", "\xE2\x82\xAC 5", 5, true, 0},
    {"four-byte", "\xF0\x9F\x98\x80", 4, true, 0},
    {"U+10FFFF", "\xF4\x8F\xBF\xBF", 4, true, 0},
    {"nul in a word", "abcdefg\0ijklmnop", 16, false, 7},
    {"nul at the end", "abc\0", 4, false, 3},
    {"lone continuation", "ab\x80", 3, false, 2},
    {"overlong slash", "\xC0\xAF", 2, false, 0},
    {"overlong three-byte", "\xE0\x80\xAF", 3, false, 0},
    {"surrogate", "12345678\xED\xA0\x80", 11, false, 8},
    {"above U+10FFFF", "\xF4\x90\x80\x80", 4, false, 0},
    {"F5 lead", "\xF5\x80\x80\x80", 4, false, 0},
    {"truncated at end", "abcdefgh\xE2\x82", 10, false, 8},
    {"bad continuation", "\xE2\x28\xA1", 3, false, 0},
    {"latin-1 after ascii words", "0123456789abcdef\xE9", 17, false, 16},
};

START_TEST(utf8)
{
    const utf8_case *c = &UTF8[_i];
    char *copy = malloc(c->len ? c->len : 1); /* exact size: ASan sees over-reads */
    memcpy(copy, c->data, c->len);
    size_t bad = 999;
    bool ok = text_utf8_valid(copy, c->len, &bad);
    ck_assert_msg(ok == c->valid, "%s", c->name);
    if (!c->valid)
        ck_assert_msg(bad == c->bad_off, "%s: offset %zu", c->name, bad);
    free(copy);
}
END_TEST

typedef struct {
    const char *text;
    bool ok;
    int64_t value;
} uint_case;

static const uint_case UINTS[] = {
    {"0", true, 0},
    {"0042", true, 42},
    {"9223372036854775807", true, INT64_MAX},
    {"9223372036854775808", false, 0},
    {"99999999999999999999999", false, 0},
    {"", false, 0},
    {"-1", false, 0},
    {"+1", false, 0},
    {" 1", false, 0},
    {"1 ", false, 0},
    {"1.0", false, 0},
    {"1e3", false, 0},
};

START_TEST(parse_uint)
{
    const uint_case *c = &UINTS[_i];
    int64_t v = -7;
    bool ok = text_parse_uint(c->text, strlen(c->text), &v);
    ck_assert_msg(ok == c->ok, "'%s'", c->text);
    if (c->ok)
        ck_assert_int_eq(v, c->value);
    else
        ck_assert_int_eq(v, -7); /* untouched on failure */
}
END_TEST

START_TEST(small_helpers)
{
    ck_assert_int_eq(text_line_of("a\nb\nc", 0), 1);
    ck_assert_int_eq(text_line_of("a\nb\nc", 2), 2);
    ck_assert_int_eq(text_line_of("a\nb\nc", 4), 3);
    ck_assert(text_all_digits("0123", 4));
    ck_assert(!text_all_digits("", 0));
    ck_assert(!text_all_digits("12a", 3));
    ck_assert(text_all_spaces("   ", 3));
    ck_assert(!text_all_spaces("", 0));
    ck_assert(!text_all_spaces(" 1 ", 3));
    ck_assert(text_has_control("a\tb", 3));
    ck_assert(text_has_control("\x7F", 1));
    ck_assert(!text_has_control("a b\xC3\xA9", 5));

    const char *s = "  ab c  ";
    size_t n = strlen(s);
    text_trim(&s, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert(memcmp(s, "ab c", 4) == 0);
    s = "    ";
    n = 4;
    text_trim(&s, &n);
    ck_assert_uint_eq(n, 0);

    char q[8];
    text_quote(q, sizeof q, "ab\ncd", 5);
    ck_assert_str_eq(q, "ab?cd");
    text_quote(q, sizeof q, "abcdefghijkl", 12);
    ck_assert_str_eq(q, "abcd...");
    text_quote(q, 3, "abcdef", 6);
    ck_assert_str_eq(q, "..");
    text_quote(q, sizeof q, "\xC3\xA9", 2);
    ck_assert_str_eq(q, "??");
}
END_TEST

/* ISO-8859-1 to UTF-8: letters become two bytes; controls (C0, DEL, C1) and too long fail. */
START_TEST(latin1_to_utf8)
{
    char out[16];
    ck_assert_uint_eq(text_latin1_to_utf8("J\xE9r\xF6me", 6, out, sizeof out), 8);
    ck_assert_str_eq(out, "J\xC3\xA9r\xC3\xB6me");
    ck_assert_uint_eq(text_latin1_to_utf8("", 0, out, sizeof out), 0);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(text_latin1_to_utf8("\xFF\xA0", 2, out, sizeof out), 4);
    ck_assert_str_eq(out, "\xC3\xBF\xC2\xA0");
    ck_assert_uint_eq(text_latin1_to_utf8("a\x85", 2, out, sizeof out), SIZE_MAX);
    ck_assert_str_eq(out, "");
    ck_assert_uint_eq(text_latin1_to_utf8("a\tb", 3, out, sizeof out), SIZE_MAX);
    ck_assert_uint_eq(text_latin1_to_utf8("\x7F", 1, out, sizeof out), SIZE_MAX);
    /* 4 letters of 2 bytes need 9 bytes with the NUL */
    ck_assert_uint_eq(text_latin1_to_utf8("\xE9\xE9\xE9\xE9", 4, out, 9), 8);
    ck_assert_uint_eq(text_latin1_to_utf8("\xE9\xE9\xE9\xE9", 4, out, 8), SIZE_MAX);
    ck_assert_uint_eq(text_latin1_to_utf8("abc", 3, out, 0), SIZE_MAX);
}
END_TEST

static Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, utf8, 0, N_CASES(UTF8));
    tcase_add_loop_test(tc, parse_uint, 0, N_CASES(UINTS));
    tcase_add_test(tc, small_helpers);
    tcase_add_test(tc, latin1_to_utf8);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(text_suite)
