/*
 * check_excel_csv.c: Check suite for lib/excel_csv.c: quoting (RFC 4180 with ';'), the
 * formula-injection guard on text cells only, money with a decimal comma or point at the
 * int64 edges, rows and the byte order mark, and a buffer emptied between pages.
 */
#include <stdint.h>
#include <string.h>

#include "excel_csv.h"
#include "unit_runner.h"

typedef struct {
    const char *in;
    const char *want;
} text_case;

static const text_case text_cases[] = {
    {"plain", "plain"},
    {"", ""},
    {"a;b", "\"a;b\""},
    {"say \"hi\"", "\"say \"\"hi\"\"\""},
    {"two\nlines", "\"two\nlines\""},
    {"cr\rin", "\"cr\rin\""},
    {"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
    {"=1+2", "'=1+2"},
    {"+31", "'+31"},
    {"-5", "'-5"},
    {"@SUM(A1)", "'@SUM(A1)"},
    {"\tx", "'\tx"},
    {"\rx", "\"'\rx\""},
    {"a=b", "a=b"},
    {"0435: BSN ongeldig", "0435: BSN ongeldig"},
    {"caf\xc3\xa9", "caf\xc3\xa9"},
};

START_TEST(test_text)
{
    const text_case *c = &text_cases[_i];
    excel_csv_buf b = {0};
    excel_csv_text(&b, c->in);
    ck_assert(!b.failed);
    bool same = b.len == strlen(c->want) && (b.len == 0 || memcmp(b.data, c->want, b.len) == 0);
    ck_assert_msg(same, "%s: got %.*s", c->in, (int)b.len, b.data ? b.data : "");
    excel_csv_buf_free(&b);
}
END_TEST

typedef struct {
    int64_t cents;
    excel_csv_lang lang;
    const char *want;
} money_case;

static const money_case money_cases[] = {
    {0, EXCEL_CSV_NL, "0,00"},
    {5, EXCEL_CSV_NL, "0,05"},
    {-5, EXCEL_CSV_NL, "-0,05"},
    {123456, EXCEL_CSV_NL, "1234,56"},
    {-1200, EXCEL_CSV_NL, "-12,00"},
    {123456, EXCEL_CSV_EN, "1234.56"},
    {-1200, EXCEL_CSV_EN, "-12.00"},
    {100000000000, EXCEL_CSV_NL, "1000000000,00"},
    {INT64_MAX, EXCEL_CSV_NL, "92233720368547758,07"},
    {INT64_MIN, EXCEL_CSV_EN, "-92233720368547758.08"},
};

START_TEST(test_money)
{
    const money_case *c = &money_cases[_i];
    excel_csv_buf b = {0};
    excel_csv_money(&b, c->cents, c->lang);
    ck_assert_msg(b.len == strlen(c->want) && memcmp(b.data, c->want, b.len) == 0, "%lld: got %.*s",
                  (long long)c->cents, (int)b.len, b.data);
    excel_csv_buf_free(&b);
}
END_TEST

START_TEST(test_rows)
{
    excel_csv_buf b = {0};
    excel_csv_bom(&b);
    excel_csv_text(&b, "Regel");
    excel_csv_text(&b, "Bedrag");
    excel_csv_row_end(&b);
    excel_csv_text(&b, "-1");
    excel_csv_money(&b, -100, EXCEL_CSV_NL);
    excel_csv_int(&b, -7);
    excel_csv_text(&b, NULL);
    excel_csv_row_end(&b);
    const char want[] = "\xEF\xBB\xBFRegel;Bedrag\r\n'-1;-1,00;-7;\r\n";
    ck_assert_uint_eq(b.len, sizeof want - 1);
    ck_assert(memcmp(b.data, want, b.len) == 0);
    /* Emptied between pages: the next page starts where the row stood. */
    excel_csv_take(&b);
    ck_assert_uint_eq(b.len, 0);
    excel_csv_int(&b, 1);
    excel_csv_int(&b, 2);
    ck_assert(b.len == 3 && memcmp(b.data, "1;2", 3) == 0);
    excel_csv_buf_free(&b);
    ck_assert(b.data == NULL && b.len == 0);
}
END_TEST

START_TEST(test_large)
{
    /* Grows past its first allocation and keeps every byte. */
    excel_csv_buf b = {0};
    for (int i = 0; i < 5000; i++) {
        excel_csv_int(&b, i);
        excel_csv_row_end(&b);
    }
    ck_assert(!b.failed);
    ck_assert(memcmp(b.data + b.len - 6, "4999\r\n", 6) == 0);
    excel_csv_buf_free(&b);
}
END_TEST

START_TEST(test_guard_predicate)
{
    ck_assert(excel_csv_needs_guard("=x"));
    ck_assert(excel_csv_needs_guard("+"));
    ck_assert(!excel_csv_needs_guard(""));
    ck_assert(!excel_csv_needs_guard(NULL));
    ck_assert(!excel_csv_needs_guard("x=1"));
    ck_assert(!excel_csv_needs_guard(" =1"));
}
END_TEST

static Suite *excel_csv_suite(void)
{
    Suite *s = suite_create("excel_csv");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_text, 0, N_CASES(text_cases));
    tcase_add_loop_test(tc, test_money, 0, N_CASES(money_cases));
    tcase_add_test(tc, test_rows);
    tcase_add_test(tc, test_large);
    tcase_add_test(tc, test_guard_predicate);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(excel_csv_suite)
