/*
 * check_csv_decl.c: Check suite for lib/csv_decl.c. One test reads a small valid file field
 * by field; the rest are tables: inputs the parser must reject whole (code, line, field) and
 * inputs it must accept with a value defect on one line (parse_code, parse_field).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_decl.h"
#include "unit_runner.h"

/* Value rows leave their optional last column (parse_value) out. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define HDR                                                                                        \
    "provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,minutes,"              \
    "travel_cents,debit_credit,corrects_ref\n"
/* one good row; cases vary one column of it */
#define ROW "41000001,2026-10-A,1,123456782,CAKOR,2026-10-01,2026-10-31,210,0,D,\n"
#define ROW2 "41000001,2026-10-A,2,123456782,CAKOR,2026-10-01,2026-10-31,210,0,D,\n"

/** Parses from an exact-size heap copy, so ASan catches a read past the end. */
static decl_batch *parse(const char *text, size_t len, size_t max_lines, lv_error *err)
{
    char *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, text, len);
    decl_batch *b = csv_decl_parse(copy, len, max_lines, err);
    free(copy);
    return b;
}

START_TEST(valid_file_every_field)
{
    static const char input[] =
        "\xEF\xBB\xBF" HDR
        "41000001,2026-10-A,L1,123456782,CAKOR,2026-10-01,2026-10-31,210,0,D,\r\n"
        "41000002,2026-10-B,L1,111222333,CAHUN,2026-10-05,2026-10-05,60,1250,C,L0\r\n"
        "\r\n"
        "  \t \n"
        " 41000001 ,\"2026-10-A\",\"L,2\",123456782,CAGPP,2026-09-01,2026-09-30,0,,D,\"\"\n";
    lv_error err = {0};
    decl_batch *b = parse(input, sizeof input - 1, 0, &err);
    ck_assert_msg(b != NULL, "%s", err.message);
    ck_assert_uint_eq(b->n_subs, 2);

    const decl_submission *a = b->subs[0], *bb = b->subs[1];
    ck_assert_int_eq(a->source, DECL_SOURCE_CSV);
    ck_assert_str_eq(a->provider_agb, "41000001");
    ck_assert_str_eq(a->reference, "2026-10-A");
    ck_assert_str_eq(a->zorgkantoor, "");
    ck_assert_int_eq(a->period_from, LV_DATE_NONE);
    ck_assert_uint_eq(a->n_lines, 2);
    ck_assert_str_eq(bb->provider_agb, "41000002");
    ck_assert_str_eq(bb->reference, "2026-10-B");
    ck_assert_uint_eq(bb->n_lines, 1);

    char d[11];
    const decl_line *l = &a->lines[0];
    ck_assert_int_eq(l->source_line_no, 2);
    ck_assert_str_eq(l->line_ref, "L1");
    ck_assert_str_eq(l->client_bsn, "123456782");
    ck_assert_str_eq(l->prestatie, "CAKOR");
    lv_date_format_iso(l->date_from, d);
    ck_assert_str_eq(d, "2026-10-01");
    lv_date_format_iso(l->date_to, d);
    ck_assert_str_eq(d, "2026-10-31");
    ck_assert_int_eq(l->quantity, 210);
    ck_assert_int_eq(l->quantity_declared, 210);
    ck_assert_str_eq(l->time_unit, "");
    ck_assert_int_eq(l->travel_cents, 0);
    ck_assert_int_eq(l->debit_credit, 'D');
    ck_assert_str_eq(l->corrects_ref, "");
    ck_assert(!l->has_declared_amount);
    ck_assert_int_eq(l->parse_code, 0);

    l = &bb->lines[0];
    ck_assert_int_eq(l->source_line_no, 3);
    ck_assert_str_eq(l->client_bsn, "111222333");
    ck_assert_str_eq(l->prestatie, "CAHUN");
    ck_assert_int_eq(l->quantity, 60);
    ck_assert_int_eq(l->travel_cents, 1250);
    ck_assert_int_eq(l->debit_credit, 'C');
    ck_assert_str_eq(l->corrects_ref, "L0");

    /* lines 4 and 5 are blank (spaces only count as blank); line 6: spaces trimmed, quotes removed,
     * comma kept inside quotes */
    l = &a->lines[1];
    ck_assert_int_eq(l->source_line_no, 6);
    ck_assert_str_eq(l->line_ref, "L,2");
    ck_assert_str_eq(l->prestatie, "CAGPP");
    lv_date_format_iso(l->date_from, d);
    ck_assert_str_eq(d, "2026-09-01");
    ck_assert_int_eq(l->quantity, 0);
    ck_assert_int_eq(l->travel_cents, 0);
    ck_assert_str_eq(l->corrects_ref, "");
    ck_assert_int_eq(l->parse_code, 0);
    decl_batch_free(b);
}
END_TEST

/* ---- rejected whole ---------------------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *input;
    size_t len; /* 0: strlen */
    size_t max_lines;
    lv_code code;
    int line_no;
    const char *field;
} reject_case;

static const reject_case REJECTS[] = {
    {"empty file", "", 0, 0, LV_9211_EMPTY_SUBMISSION, 0, ""},
    {"bom only", "\xEF\xBB\xBF", 0, 0, LV_9211_EMPTY_SUBMISSION, 0, ""},
    {"header only", HDR, 0, 0, LV_9211_EMPTY_SUBMISSION, 0, ""},
    {"header and blank lines", HDR "\n\r\n\n", 0, 0, LV_9211_EMPTY_SUBMISSION, 0, ""},
    {"no header", ROW, 0, 0, LV_9210_HEADER_MISMATCH, 1, "provider_agb"},
    {"header column renamed",
     "provider_agb,reference,line_ref,bsn,prestatie,date_from,date_to,minutes,travel_cents,"
     "debit_credit,corrects_ref\n" ROW,
     0, 0, LV_9210_HEADER_MISMATCH, 1, "client_bsn"},
    {"header columns swapped",
     "provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,travel_cents,"
     "minutes,debit_credit,corrects_ref\n" ROW,
     0, 0, LV_9210_HEADER_MISMATCH, 1, "minutes"},
    {"header upper case",
     "PROVIDER_AGB,reference,line_ref,client_bsn,prestatie,date_from,date_to,minutes,"
     "travel_cents,debit_credit,corrects_ref\n" ROW,
     0, 0, LV_9210_HEADER_MISMATCH, 1, "provider_agb"},
    {"header lacks last column",
     "provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,minutes,"
     "travel_cents,debit_credit\n" ROW,
     0, 0, LV_9210_HEADER_MISMATCH, 1, "corrects_ref"},
    {"header with extra column",
     "provider_agb,reference,line_ref,client_bsn,prestatie,date_from,date_to,minutes,"
     "travel_cents,debit_credit,corrects_ref,note\n" ROW,
     0, 0, LV_9210_HEADER_MISMATCH, 1, ""},
    {"row with 10 columns",
     HDR ROW "41000001,2026-10-A,2,123456782,CAKOR,2026-10-01,2026-10-31,"
             "210,0,D\n",
     0, 0, LV_9208_CSV_SYNTAX, 3, "corrects_ref"},
    {"row with 12 columns",
     HDR ROW "41000001,2026-10-A,2,123456782,CAKOR,2026-10-01,2026-10-31,"
             "210,0,D,,x\n",
     0, 0, LV_9208_CSV_SYNTAX, 3, ""},
    {"row of one comma", HDR ROW " , \n", 0, 0, LV_9208_CSV_SYNTAX, 3, "line_ref"},
    {"quote inside unquoted field", HDR ROW "41000001,2026-10-A,2\"x,123456782\n", 0, 0,
     LV_9208_CSV_SYNTAX, 3, ""},
    {"text after closing quote", HDR "41000001,\"2026-10-A\"x,1\n", 0, 0, LV_9208_CSV_SYNTAX, 2,
     ""},
    {"unterminated quote", HDR ROW "41000001,\"2026-10-A,1\n", 0, 0, LV_9208_CSV_SYNTAX, 3, ""},
    {"agb of 7 digits", HDR "4100001,2026-10-A,1,123456782,CAKOR,2026-10-01,2026-10-31,210,0,D,\n",
     0, 0, LV_9108_FIELD_INVALID, 2, "provider_agb"},
    {"agb with a letter",
     HDR ROW "4100000X,2026-10-A,1,123456782,CAKOR,2026-10-01,2026-10-31,210,0,D,\n", 0, 0,
     LV_9108_FIELD_INVALID, 3, "provider_agb"},
    {"agb empty", HDR ",2026-10-A,1,123456782,CAKOR,2026-10-01,2026-10-31,210,0,D,\n", 0, 0,
     LV_9107_FIELD_MISSING, 2, "provider_agb"},
    {"reference empty", HDR "41000001,,1,123456782,CAKOR,2026-10-01,2026-10-31,210,0,D,\n", 0, 0,
     LV_9107_FIELD_MISSING, 2, "reference"},
    {"reference of 21",
     HDR "41000001,123456789012345678901,1,123456782,CAKOR,2026-10-01,2026-10-31,210,0,D,\n", 0, 0,
     LV_9108_FIELD_INVALID, 2, "reference"},
    {"reference with a newline",
     HDR "41000001,\"2026\n10\",1,123456782,CAKOR,2026-10-01,2026-10-31,210,0,D,\n", 0, 0,
     LV_9108_FIELD_INVALID, 2, "reference"},
    {"invalid utf-8 on line 3", HDR ROW "41000001,2026-10-\xE9,1\n", 0, 0, LV_9206_ENCODING_INVALID,
     3, ""},
    {"nul byte on line 2", HDR "41000001,2026\0", sizeof(HDR "41000001,2026\0") - 1, 0,
     LV_9206_ENCODING_INVALID, 2, ""},
    {"too many lines in one submission", HDR ROW ROW2, 0, 1, LV_9207_TOO_MANY_LINES, 3, ""},
    {"line numbers count blank lines", HDR "\n" ROW "\r\n\n41000001,2026-10-A,x\n", 0, 0,
     LV_9208_CSV_SYNTAX, 6, "client_bsn"},
    {"line numbers count newlines in quotes",
     HDR "41000001,2026-10-A,1,123456782,CAKOR,2026-10-01,2026-10-31,210,0,D,\"a\nb\nc\"\n"
         "41000001\n",
     0, 0, LV_9208_CSV_SYNTAX, 5, "reference"},
};

START_TEST(rejected_whole)
{
    const reject_case *c = &REJECTS[_i];
    lv_error err = {0};
    size_t len = c->len ? c->len : strlen(c->input);
    decl_batch *b = parse(c->input, len, c->max_lines, &err);
    ck_assert_msg(b == NULL, "%s: accepted", c->name);
    ck_assert_msg(err.code == c->code, "%s: code %d, want %d (%s)", c->name, err.code, c->code,
                  err.message);
    ck_assert_msg(err.line_no == c->line_no, "%s: line %d, want %d (%s)", c->name, err.line_no,
                  c->line_no, err.message);
    ck_assert_msg(strcmp(err.field, c->field) == 0, "%s: field '%s', want '%s'", c->name, err.field,
                  c->field);
    ck_assert(err.message[0] != '\0');
}
END_TEST

/* ---- accepted, with a value defect ------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *row; /* one data row, after HDR */
    int parse_code;
    const char *parse_field;
    const char *parse_value; /* the value kept for the reason; NULL: not checked */
} value_case;

#define R(line_ref, bsn, prestatie, from, to, minutes, travel, dc, corrects)                       \
    "41000001,2026-10-A," line_ref "," bsn "," prestatie "," from "," to "," minutes "," travel    \
    "," dc "," corrects "\n"

static const value_case VALUES[] = {
    {"clean", R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "D", ""), 0, ""},
    {"line_ref empty", R("", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "D", ""),
     LV_9107_FIELD_MISSING, "line_ref"},
    {"line_ref of 21",
     R("123456789012345678901", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "D",
       ""),
     LV_9108_FIELD_INVALID, "line_ref"},
    {"line_ref with a tab",
     R("\"1\t2\"", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "D", ""),
     LV_9108_FIELD_INVALID, "line_ref"},
    {"bsn empty", R("1", "", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "D", ""),
     LV_9107_FIELD_MISSING, "client_bsn"},
    {"bsn of 8", R("1", "12345678", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "D", ""),
     LV_0435_BSN_INVALID, "client_bsn"},
    {"bsn with a letter",
     R("1", "12345678X", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "D", ""),
     LV_0435_BSN_INVALID, "client_bsn"},
    {"prestatie empty", R("1", "123456782", "", "2026-10-01", "2026-10-31", "210", "0", "D", ""),
     LV_9107_FIELD_MISSING, "prestatie"},
    {"prestatie of 6",
     R("1", "123456782", "CAKORX", "2026-10-01", "2026-10-31", "210", "0", "D", ""),
     LV_0582_PRESTATIE_UNKNOWN, "prestatie", "CAKORX"},
    {"date 30 February",
     R("1", "123456782", "CAKOR", "2026-02-30", "2026-10-31", "210", "0", "D", ""),
     LV_8007_SERVICE_DATE_INVALID, "date_from"},
    {"date month 13", R("1", "123456782", "CAKOR", "2026-10-01", "2026-13-01", "210", "0", "D", ""),
     LV_8007_SERVICE_DATE_INVALID, "date_to"},
    {"date compact", R("1", "123456782", "CAKOR", "20261001", "2026-10-31", "210", "0", "D", ""),
     LV_8007_SERVICE_DATE_INVALID, "date_from"},
    {"date with time",
     R("1", "123456782", "CAKOR", "2026-10-01T00:00", "2026-10-31", "210", "0", "D", ""),
     LV_8007_SERVICE_DATE_INVALID, "date_from"},
    {"date empty", R("1", "123456782", "CAKOR", "2026-10-01", "", "210", "0", "D", ""),
     LV_9107_FIELD_MISSING, "date_to"},
    {"minutes text", R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "twee", "0", "D", ""),
     LV_0638_QUANTITY_INVALID, "minutes"},
    {"minutes negative",
     R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "-5", "0", "D", ""),
     LV_0638_QUANTITY_INVALID, "minutes"},
    {"minutes fraction",
     R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "1.5", "0", "D", ""),
     LV_0638_QUANTITY_INVALID, "minutes"},
    {"minutes beyond int64",
     R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "9223372036854775808", "0", "D", ""),
     LV_0638_QUANTITY_INVALID, "minutes"},
    {"minutes empty", R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "", "0", "D", ""),
     LV_9107_FIELD_MISSING, "minutes"},
    {"travel negative",
     R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "210", "-1", "D", ""),
     LV_0638_QUANTITY_INVALID, "travel_cents", "-1"},
    {"travel in euros",
     R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "210", "12.50", "D", ""),
     LV_9108_FIELD_INVALID, "travel_cents", "12.50"},
    {"minutes negative",
     R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "-30", "0", "D", ""),
     LV_0638_QUANTITY_INVALID, "minutes", "-30"},
    {"BSN masked", R("1", "12345678", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "D", ""),
     LV_0435_BSN_INVALID, "client_bsn", "********"},
    {"debit_credit X",
     R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "X", ""),
     LV_0631_DEBIT_CREDIT_MISSING, "debit_credit"},
    {"debit_credit lower case",
     R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "d", ""),
     LV_0631_DEBIT_CREDIT_MISSING, "debit_credit"},
    {"debit_credit empty",
     R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "", ""),
     LV_0631_DEBIT_CREDIT_MISSING, "debit_credit"},
    {"debit_credit word",
     R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "Debit", ""),
     LV_0631_DEBIT_CREDIT_MISSING, "debit_credit"},
    {"corrects_ref of 21",
     R("1", "123456782", "CAKOR", "2026-10-01", "2026-10-31", "210", "0", "C",
       "123456789012345678901"),
     LV_9108_FIELD_INVALID, "corrects_ref"},
    {"two defects: leftmost wins",
     R("1", "", "CAKOR", "2026-10-01", "2026-10-31", "many", "0", "D", ""), LV_9107_FIELD_MISSING,
     "client_bsn"},
};

START_TEST(value_defects)
{
    const value_case *c = &VALUES[_i];
    char input[512];
    snprintf(input, sizeof input, "%s%s%s", HDR, ROW, c->row);
    lv_error err = {0};
    decl_batch *b = parse(input, strlen(input), 0, &err);
    ck_assert_msg(b != NULL, "%s: rejected: %s", c->name, err.message);
    ck_assert_uint_eq(b->n_subs, 1);
    ck_assert_uint_eq(b->subs[0]->n_lines, 2);
    ck_assert_int_eq(b->subs[0]->lines[0].parse_code, 0);
    const decl_line *l = &b->subs[0]->lines[1];
    ck_assert_int_eq(l->source_line_no, 3);
    ck_assert_msg(l->parse_code == c->parse_code, "%s: parse_code %d", c->name, l->parse_code);
    ck_assert_str_eq(l->parse_field, c->parse_field);
    if (c->parse_value)
        ck_assert_str_eq(l->parse_value, c->parse_value);
    decl_batch_free(b);
}
END_TEST

START_TEST(max_lines_counts_per_submission)
{
    static const char input[] =
        HDR ROW "41000001,2026-10-B,1,123456782,CAKOR,2026-10-01,2026-10-31,210,0,D,\n";
    lv_error err = {0};
    decl_batch *b = parse(input, sizeof input - 1, 1, &err);
    ck_assert_msg(b != NULL, "%s", err.message);
    ck_assert_uint_eq(b->n_subs, 2);
    decl_batch_free(b);
}
END_TEST

START_TEST(grouping_many_submissions)
{
    /* 5000 rows over 1500 submissions, interleaved: the map must grow and keep the order of
     * first appearance. */
    const int rows = 5000, subs = 1500;
    size_t cap = (size_t)rows * 96 + 256, len = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    len += (size_t)snprintf(buf, cap, "%s", HDR);
    for (int i = 0; i < rows; i++)
        len += (size_t)snprintf(buf + len, cap - len,
                                "4100%04d,R-%d,%d,123456782,CAKOR,2026-10-01,2026-10-31,%d,0,D,\n",
                                (i * 7) % subs % 3, (i * 7) % subs, i, i);
    lv_error err = {0};
    decl_batch *b = parse(buf, len, 0, &err);
    ck_assert_msg(b != NULL, "%s", err.message);
    ck_assert_uint_eq(b->n_subs, (size_t)subs);
    size_t total = 0;
    for (size_t s = 0; s < b->n_subs; s++) {
        char want[24];
        /* row i opens submission (i * 7) % subs for i < subs, 7 and 1500 being coprime */
        snprintf(want, sizeof want, "R-%zu", (s * 7) % (size_t)subs);
        ck_assert_str_eq(b->subs[s]->reference, want);
        for (size_t k = 0; k < b->subs[s]->n_lines; k++) {
            const decl_line *l = &b->subs[s]->lines[k];
            ck_assert_int_eq((l->source_line_no - 2) * 7 % subs, (int)((s * 7) % (size_t)subs));
            ck_assert_int_eq(l->quantity, l->source_line_no - 2);
        }
        total += b->subs[s]->n_lines;
    }
    ck_assert_uint_eq(total, (size_t)rows);
    decl_batch_free(b);
    free(buf);
}
END_TEST

START_TEST(null_inputs)
{
    ck_assert_ptr_null(csv_decl_parse(NULL, 5, 0, NULL));
    decl_batch_free(NULL);
}
END_TEST

static Suite *csv_decl_suite(void)
{
    Suite *s = suite_create("csv_decl");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, valid_file_every_field);
    tcase_add_loop_test(tc, rejected_whole, 0, N_CASES(REJECTS));
    tcase_add_loop_test(tc, value_defects, 0, N_CASES(VALUES));
    tcase_add_test(tc, max_lines_counts_per_submission);
    tcase_add_test(tc, grouping_many_submissions);
    tcase_add_test(tc, null_inputs);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(csv_decl_suite)
