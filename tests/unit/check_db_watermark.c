/*
 * check_db_watermark.c: Check suite for daemon/db/db_watermark.c, the ledger watermarks a
 * writer waits on to read its own write: PostgreSQL's pg_snapshot text read strictly,
 * written back the same, "had X committed" answered as pg_visible_in_snapshot() does, and
 * "is this one at least as new" answered exactly, including the truncation of an
 * oversized list of running transactions (which must only ever claim fewer commits).
 */
#include <stdio.h>
#include <string.h>

#include "db/db_watermark.h"
#include "unit_runner.h"

static db_watermark wm(const char *text)
{
    db_watermark w;
    ck_assert_msg(db_watermark_parse(text, &w), "%s does not parse", text);
    return w;
}

START_TEST(test_parse_and_format)
{
    static const struct {
        const char *text, *back;
    } ok[] = {
        {"725:725:", "725:725:"},
        {"10:20:12,15", "10:20:12,15"},
        {"10:20:15,12", "10:20:12,15"}, /* sorted */
        {"0:0:", "0:0:"},
        {"18446744073709551614:18446744073709551615:18446744073709551614",
         "18446744073709551614:18446744073709551615:18446744073709551614"},
    };
    for (int i = 0; i < N_CASES(ok); i++) {
        db_watermark w = wm(ok[i].text);
        ck_assert(w.known);
        char buf[DB_WATERMARK_TEXT_MAX];
        ck_assert_str_eq(db_watermark_format(&w, buf, sizeof buf), ok[i].back);
    }
    static const char *const bad[] = {
        "",
        "725",
        "725:",
        "725:724:",
        "10:20:9",
        "10:20:20",
        "a:1:",
        "1:a:",
        "10:20:12,",
        "10:20:12;13",
        "-1:2:",
        " 1:2:",
        "1:2: ",
        "1:2:18446744073709551616",
        "18446744073709551616:1:",
        "10:20:12,,13",
    };
    for (int i = 0; i < N_CASES(bad); i++) {
        db_watermark w = {.known = true};
        ck_assert_msg(!db_watermark_parse(bad[i], &w), "'%s' parsed", bad[i]);
        ck_assert(!w.known);
    }
    db_watermark none = {0};
    char buf[8];
    ck_assert_str_eq(db_watermark_format(&none, buf, sizeof buf), "");
    db_watermark big = wm("1000:2000:1001,1002");
    ck_assert_str_eq(db_watermark_format(&big, buf, sizeof buf), ""); /* does not fit */
}
END_TEST

START_TEST(test_covers)
{
    db_watermark w = wm("10:20:12,15");
    static const struct {
        uint64_t xact;
        bool covered;
    } cases[] = {{0, true},  {1, true},   {9, true},   {10, true},
                 {11, true}, {12, false}, {13, true},  {15, false},
                 {19, true}, {20, false}, {21, false}, {UINT64_MAX, false}};
    for (int i = 0; i < N_CASES(cases); i++)
        ck_assert_msg(db_watermark_covers(&w, cases[i].xact) == cases[i].covered, "xact %llu",
                      (unsigned long long)cases[i].xact);
    db_watermark none = {0};
    ck_assert(!db_watermark_covers(&none, 0));
    ck_assert(!db_watermark_covers(&none, 5));
}
END_TEST

/* The visible transactions of @a w below @a limit, as a bitmask (for the oracle). */
static unsigned long long visible_mask(const db_watermark *w, unsigned limit)
{
    unsigned long long m = 0;
    for (unsigned x = 1; x < limit; x++)
        if (db_watermark_covers(w, x))
            m |= 1ull << x;
    return m;
}

START_TEST(test_includes)
{
    static const struct {
        const char *newer, *older;
        bool includes;
    } cases[] = {
        {"10:20:12,15", "10:20:12,15", true},
        {"12:25:15,21", "10:20:12,15", true},  /* 12 ended, 15 still running */
        {"10:20:15", "10:20:12,15", true},     /* 12 committed meanwhile */
        {"10:20:12,15", "10:20:15", false},    /* older saw 12 committed */
        {"10:18:12,15", "10:20:12,15", false}, /* older covers 18, 19 */
        {"10:18:12,15", "10:20:12,15,18,19", true},
        {"10:18:", "10:20:18,19", true},
        {"10:18:", "10:20:18", false}, /* older covers 19 */
        {"30:30:", "10:20:12,15", true},
        {"10:20:12,15", "30:30:", false},
    };
    for (int i = 0; i < N_CASES(cases); i++) {
        db_watermark n = wm(cases[i].newer), o = wm(cases[i].older);
        ck_assert_msg(db_watermark_includes(&n, &o) == cases[i].includes, "%s includes %s",
                      cases[i].newer, cases[i].older);
        /* The oracle: every transaction the older covers, the newer covers. */
        unsigned long long vn = visible_mask(&n, 40), vo = visible_mask(&o, 40);
        ck_assert_msg(((vo & ~vn) == 0) == cases[i].includes, "oracle: %s includes %s",
                      cases[i].newer, cases[i].older);
    }
    db_watermark none = {0}, some = wm("10:20:");
    ck_assert(db_watermark_includes(&some, &none));
    ck_assert(db_watermark_includes(&none, &none));
    ck_assert(!db_watermark_includes(&none, &some));
}
END_TEST

START_TEST(test_truncated_claims_less)
{
    /* More running transactions than kept: xmax drops to the first one left out. */
    char text[DB_WATERMARK_TEXT_MAX + 64];
    size_t used =
        (size_t)snprintf(text, sizeof text, "100:%d:", 100 + 2 * (DB_WATERMARK_XIP_MAX + 10));
    /* listed from the top down, so that the first ones read are not the smallest */
    for (int k = DB_WATERMARK_XIP_MAX + 9; k >= 0; k--)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s%d",
                                 k == DB_WATERMARK_XIP_MAX + 9 ? "" : ",", 101 + 2 * k);
    db_watermark w = wm(text);
    /* the smallest kept, xmax at the smallest left out */
    ck_assert_uint_eq(w.n_xip, DB_WATERMARK_XIP_MAX);
    ck_assert_uint_eq(w.xip[0], 101);
    ck_assert_uint_eq(w.xmax, 101 + 2 * DB_WATERMARK_XIP_MAX);
    for (uint64_t x = 100; x < 100 + 2 * (DB_WATERMARK_XIP_MAX + 10); x++) {
        bool running = x >= 101 && (x - 101) % 2 == 0;
        if (running)
            ck_assert_msg(!db_watermark_covers(&w, x), "running %llu covered",
                          (unsigned long long)x);
    }
    ck_assert(db_watermark_covers(&w, 100));
    ck_assert(db_watermark_covers(&w, 102));
    ck_assert(!db_watermark_covers(&w, w.xmax));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("db_watermark");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_parse_and_format);
    tcase_add_test(tc, test_covers);
    tcase_add_test(tc, test_includes);
    tcase_add_test(tc, test_truncated_claims_less);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
