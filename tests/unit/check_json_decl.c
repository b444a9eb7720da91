/*
 * check_json_decl.c: Check suite for lib/json_decl.c. A valid body is read field by field;
 * then two tables: bodies rejected whole (code, line, field path) and bodies accepted with
 * a value defect on the second line (parse_code, parse_field).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_decl.h"
#include "unit_runner.h"

/* Value rows leave their optional last column (parse_value) out. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* One good line; cases replace it or add to it. */
#define GOOD_LINE                                                                                  \
    "{\"line_ref\": \"1\", \"client_bsn\": \"123456782\", \"prestatie\": \"CAKOR\", "              \
    "\"date_from\": \"2026-10-01\", \"date_to\": \"2026-10-31\", \"minutes\": 210, "               \
    "\"travel_cents\": 0, \"debit_credit\": \"D\", \"corrects_ref\": null}"
#define BODY(lines)                                                                                \
    "{\"provider_agb\": \"41000001\", \"reference\": \"2026-10-A\", \"lines\": [" lines "]}"

/** Parses from an exact-size heap copy, so ASan catches a read past the end. */
static decl_submission *parse(const char *text, size_t len, size_t max_lines, lv_error *err)
{
    char *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, text, len);
    decl_submission *sub = json_decl_parse(copy, len, max_lines, err);
    free(copy);
    return sub;
}

START_TEST(valid_body_every_field)
{
    static const char body[] =
        "{\"provider_agb\": \"41000001\", \"reference\": \"2026-10-A\", \"lines\": [" GOOD_LINE
        ",\n {\"line_ref\": \"2\", \"client_bsn\": \"111222333\", \"prestatie\": \"CAHUN\","
        "  \"date_from\": \"2026-10-05\", \"date_to\": \"2026-10-06\", \"minutes\": 0,"
        "  \"travel_cents\": 1250, \"debit_credit\": \"C\", \"corrects_ref\": \"X-9\"},"
        " {\"debit_credit\": \"D\", \"minutes\": 60, \"date_to\": \"2026-09-30\","
        "  \"date_from\": \"2026-09-01\", \"prestatie\": \"CAGPP\", \"client_bsn\": \"123456782\","
        "  \"line_ref\": \"3\"}]}";
    lv_error err = {0};
    decl_submission *sub = parse(body, sizeof body - 1, 0, &err);
    ck_assert_msg(sub != NULL, "%s", err.message);
    ck_assert_int_eq(sub->source, DECL_SOURCE_JSON);
    ck_assert_str_eq(sub->provider_agb, "41000001");
    ck_assert_str_eq(sub->reference, "2026-10-A");
    ck_assert_str_eq(sub->zorgkantoor, "");
    ck_assert_int_eq(sub->period_from, LV_DATE_NONE);
    ck_assert_int_eq(sub->period_to, LV_DATE_NONE);
    ck_assert_uint_eq(sub->n_lines, 3);

    char d[11];
    const decl_line *l = &sub->lines[0];
    ck_assert_int_eq(l->source_line_no, 1);
    ck_assert_str_eq(l->line_ref, "1");
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
    ck_assert_int_eq(l->declared_cents, 0);
    ck_assert_int_eq(l->parse_code, 0);
    ck_assert_str_eq(l->parse_field, "");

    l = &sub->lines[1];
    ck_assert_int_eq(l->source_line_no, 2);
    ck_assert_str_eq(l->line_ref, "2");
    ck_assert_str_eq(l->client_bsn, "111222333");
    ck_assert_str_eq(l->prestatie, "CAHUN");
    lv_date_format_iso(l->date_to, d);
    ck_assert_str_eq(d, "2026-10-06");
    ck_assert_int_eq(l->quantity, 0);
    ck_assert_int_eq(l->travel_cents, 1250);
    ck_assert_int_eq(l->debit_credit, 'C');
    ck_assert_str_eq(l->corrects_ref, "X-9");
    ck_assert_int_eq(l->parse_code, 0);

    /* key order is free; travel_cents and corrects_ref may be left out */
    l = &sub->lines[2];
    ck_assert_str_eq(l->line_ref, "3");
    ck_assert_str_eq(l->prestatie, "CAGPP");
    ck_assert_int_eq(l->quantity, 60);
    ck_assert_int_eq(l->travel_cents, 0);
    ck_assert_str_eq(l->corrects_ref, "");
    ck_assert_int_eq(l->parse_code, 0);
    decl_submission_free(sub);
}
END_TEST

/* ---- rejected whole ---------------------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *body;
    size_t len; /* 0: strlen */
    size_t max_lines;
    lv_code code;
    int line_no;
    const char *field;
} reject_case;

/* a line with one key replaced: the value text is spliced in raw */
#define LINE_WITH(key_value)                                                                       \
    "{\"line_ref\": \"2\", \"client_bsn\": \"123456782\", \"prestatie\": \"CAKOR\", "              \
    "\"date_from\": \"2026-10-01\", \"date_to\": \"2026-10-31\", \"debit_credit\": "               \
    "\"D\", " key_value "}"

static const reject_case REJECTS[] = {
    {"empty body", "", 0, 0, LV_9211_EMPTY_SUBMISSION, 0, ""},
    {"white space only", " \r\n\t", 0, 0, LV_9211_EMPTY_SUBMISSION, 0, ""},
    {"not json", "provider_agb=41000001", 0, 0, LV_9209_JSON_SYNTAX, 1, ""},
    {"truncated", "{\"provider_agb\": \"41000001\",\n \"lines\": [", 0, 0, LV_9209_JSON_SYNTAX, 2,
     ""},
    {"text after the object", BODY(GOOD_LINE) " x", 0, 0, LV_9209_JSON_SYNTAX, 1, ""},
    {"duplicate key", "{\"provider_agb\": \"41000001\", \"provider_agb\": \"41000002\"}", 0, 0,
     LV_9209_JSON_SYNTAX, 1, ""},
    {"escaped NUL in a string",
     "{\"provider_agb\": \"4100\\u00000001\", \"reference\": \"a\", \"lines\": []}", 0, 0,
     LV_9209_JSON_SYNTAX, 1, ""},
    {"raw NUL byte", "{\"provider_agb\": \"41\0", 21, 0, LV_9206_ENCODING_INVALID, 1, ""},
    {"invalid utf-8", "{\n\"reference\": \"\xC3\x28\"}", 0, 0, LV_9206_ENCODING_INVALID, 2, ""},
    {"array at the top", "[" GOOD_LINE "]", 0, 0, LV_9108_FIELD_INVALID, 0, ""},
    {"string at the top", "\"hello\"", 0, 0, LV_9209_JSON_SYNTAX, 1, ""},
    {"unknown top-level field",
     "{\"provider_agb\": \"41000001\", \"reference\": \"R\", \"lines\": [" GOOD_LINE
     "], \"zorgkantoor\": \"5512\"}",
     0, 0, LV_9108_FIELD_INVALID, 0, "zorgkantoor"},
    {"provider_agb missing", "{\"reference\": \"R\", \"lines\": [" GOOD_LINE "]}", 0, 0,
     LV_9107_FIELD_MISSING, 0, "provider_agb"},
    {"provider_agb null",
     "{\"provider_agb\": null, \"reference\": \"R\", \"lines\": [" GOOD_LINE "]}", 0, 0,
     LV_9107_FIELD_MISSING, 0, "provider_agb"},
    {"provider_agb a number",
     "{\"provider_agb\": 41000001, \"reference\": \"R\", \"lines\": [" GOOD_LINE "]}", 0, 0,
     LV_9108_FIELD_INVALID, 0, "provider_agb"},
    {"provider_agb of 7",
     "{\"provider_agb\": \"4100001\", \"reference\": \"R\", \"lines\": [" GOOD_LINE "]}", 0, 0,
     LV_9108_FIELD_INVALID, 0, "provider_agb"},
    {"reference empty",
     "{\"provider_agb\": \"41000001\", \"reference\": \"\", \"lines\": [" GOOD_LINE "]}", 0, 0,
     LV_9107_FIELD_MISSING, 0, "reference"},
    {"reference of 21",
     "{\"provider_agb\": \"41000001\", \"reference\": \"123456789012345678901\", \"lines\": "
     "[" GOOD_LINE "]}",
     0, 0, LV_9108_FIELD_INVALID, 0, "reference"},
    {"reference with a newline",
     "{\"provider_agb\": \"41000001\", \"reference\": \"a\\nb\", \"lines\": [" GOOD_LINE "]}", 0, 0,
     LV_9108_FIELD_INVALID, 0, "reference"},
    {"lines missing", "{\"provider_agb\": \"41000001\", \"reference\": \"R\"}", 0, 0,
     LV_9107_FIELD_MISSING, 0, "lines"},
    {"lines an object", "{\"provider_agb\": \"41000001\", \"reference\": \"R\", \"lines\": {}}", 0,
     0, LV_9108_FIELD_INVALID, 0, "lines"},
    {"lines empty", BODY(""), 0, 0, LV_9211_EMPTY_SUBMISSION, 0, "lines"},
    {"line not an object", BODY(GOOD_LINE ", 7"), 0, 0, LV_9108_FIELD_INVALID, 2, "lines[1]"},
    {"unknown line field", BODY(GOOD_LINE ", " LINE_WITH("\"minutes\": 5, \"travel_cent\": 5")), 0,
     0, LV_9108_FIELD_INVALID, 2, "lines[1].travel_cent"},
    {"minutes a string", BODY(GOOD_LINE ", " LINE_WITH("\"minutes\": \"210\"")), 0, 0,
     LV_9108_FIELD_INVALID, 2, "lines[1].minutes"},
    {"minutes a fraction", BODY(GOOD_LINE ", " LINE_WITH("\"minutes\": 1.5")), 0, 0,
     LV_9108_FIELD_INVALID, 2, "lines[1].minutes"},
    {"minutes true", BODY(GOOD_LINE ", " LINE_WITH("\"minutes\": true")), 0, 0,
     LV_9108_FIELD_INVALID, 2, "lines[1].minutes"},
    {"minutes beyond int64", BODY(GOOD_LINE ", " LINE_WITH("\"minutes\" : 99999999999999999999")),
     0, 0, LV_9108_FIELD_INVALID, 1, "minutes"},
    {"travel_cents in euros",
     BODY(GOOD_LINE ", " LINE_WITH("\"minutes\": 1, \"travel_cents\": 12.5")), 0, 0,
     LV_9108_FIELD_INVALID, 2, "lines[1].travel_cents"},
    {"duplicate key in a line",
     BODY(GOOD_LINE ", " LINE_WITH("\"minutes\": 1, \"date_from\": \"2026-10-02\"")), 0, 0,
     LV_9209_JSON_SYNTAX, 1, ""},
    {"date a number",
     BODY("{\"line_ref\": \"1\", \"client_bsn\": \"123456782\", \"prestatie\": \"CAKOR\", "
          "\"date_from\": 20261001, \"date_to\": \"2026-10-31\", \"minutes\": 1, "
          "\"debit_credit\": \"D\"}"),
     0, 0, LV_9108_FIELD_INVALID, 1, "lines[0].date_from"},
    {"debit_credit true",
     BODY("{\"line_ref\": \"1\", \"client_bsn\": \"123456782\", \"prestatie\": \"CAKOR\", "
          "\"date_from\": \"2026-10-01\", \"date_to\": \"2026-10-31\", \"minutes\": 1, "
          "\"debit_credit\": true}"),
     0, 0, LV_9108_FIELD_INVALID, 1, "lines[0].debit_credit"},
    {"bsn a number",
     BODY("{\"line_ref\": \"1\", \"client_bsn\": 123456782, \"prestatie\": \"CAKOR\", "
          "\"date_from\": \"2026-10-01\", \"date_to\": \"2026-10-31\", \"minutes\": 1, "
          "\"debit_credit\": \"D\"}"),
     0, 0, LV_9108_FIELD_INVALID, 1, "lines[0].client_bsn"},
    {"date an array",
     BODY("{\"line_ref\": \"1\", \"client_bsn\": \"123456782\", \"prestatie\": \"CAKOR\", "
          "\"date_from\": [2026, 10, 1], \"date_to\": \"2026-10-31\", \"minutes\": 1, "
          "\"debit_credit\": \"D\"}"),
     0, 0, LV_9108_FIELD_INVALID, 1, "lines[0].date_from"},
    {"corrects_ref a number", BODY(GOOD_LINE ", " LINE_WITH("\"minutes\": 1, \"corrects_ref\": 5")),
     0, 0, LV_9108_FIELD_INVALID, 2, "lines[1].corrects_ref"},
    {"more lines than max_lines", BODY(GOOD_LINE ", " GOOD_LINE ", " GOOD_LINE), 0, 2,
     LV_9207_TOO_MANY_LINES, 3, "lines"},
};

START_TEST(rejected_whole)
{
    const reject_case *c = &REJECTS[_i];
    lv_error err = {0};
    size_t len = c->len ? c->len : strlen(c->body);
    decl_submission *sub = parse(c->body, len, c->max_lines, &err);
    ck_assert_msg(sub == NULL, "%s: accepted", c->name);
    ck_assert_msg(err.code == c->code, "%s: code %d, want %d (%s)", c->name, err.code, c->code,
                  err.message);
    ck_assert_msg(err.line_no == c->line_no, "%s: line %d, want %d (%s)", c->name, err.line_no,
                  c->line_no, err.message);
    ck_assert_msg(strcmp(err.field, c->field) == 0, "%s: field '%s', want '%s' (%s)", c->name,
                  err.field, c->field, err.message);
    ck_assert(err.message[0] != '\0');
}
END_TEST

/* ---- accepted, with a value defect on line 2 ---------------------------------------------- */

typedef struct {
    const char *name;
    const char *line; /* the second line */
    int parse_code;
    const char *parse_field;
    const char *parse_value; /* the value kept for the reason; NULL: not checked */
} value_case;

/* Each macro argument is a `"key": value, ` fragment or "" to leave the key out. */
#define F_REF "\"line_ref\": \"2\", "
#define F_BSN "\"client_bsn\": \"123456782\", "
#define F_PRE "\"prestatie\": \"CAKOR\", "
#define F_FROM "\"date_from\": \"2026-10-01\", "
#define F_TO "\"date_to\": \"2026-10-31\", "
#define F_MIN "\"minutes\": 210, "
#define F_DC "\"debit_credit\": \"D\""
#define LINE(ref, bsn, pre, from, to, min, dc) "{" ref bsn pre from to min dc "}"

static const value_case VALUES[] = {
    {"clean", LINE(F_REF, F_BSN, F_PRE, F_FROM, F_TO, F_MIN, F_DC), 0, ""},
    {"line_ref missing", LINE("", F_BSN, F_PRE, F_FROM, F_TO, F_MIN, F_DC), LV_9107_FIELD_MISSING,
     "line_ref"},
    {"line_ref null", LINE("\"line_ref\": null, ", F_BSN, F_PRE, F_FROM, F_TO, F_MIN, F_DC),
     LV_9107_FIELD_MISSING, "line_ref"},
    {"line_ref empty", LINE("\"line_ref\": \"\", ", F_BSN, F_PRE, F_FROM, F_TO, F_MIN, F_DC),
     LV_9107_FIELD_MISSING, "line_ref"},
    {"line_ref of 21",
     LINE("\"line_ref\": \"123456789012345678901\", ", F_BSN, F_PRE, F_FROM, F_TO, F_MIN, F_DC),
     LV_9108_FIELD_INVALID, "line_ref"},
    {"bsn missing", LINE(F_REF, "", F_PRE, F_FROM, F_TO, F_MIN, F_DC), LV_9107_FIELD_MISSING,
     "client_bsn"},
    {"bsn of 8", LINE(F_REF, "\"client_bsn\": \"12345678\", ", F_PRE, F_FROM, F_TO, F_MIN, F_DC),
     LV_0435_BSN_INVALID, "client_bsn"},
    {"bsn with spaces",
     LINE(F_REF, "\"client_bsn\": \"1234 5678\", ", F_PRE, F_FROM, F_TO, F_MIN, F_DC),
     LV_0435_BSN_INVALID, "client_bsn"},
    /* a prestatie that cannot be a code is unknown: 0582, with the value for the reason */
    {"prestatie of 6", LINE(F_REF, F_BSN, "\"prestatie\": \"CAKORX\", ", F_FROM, F_TO, F_MIN, F_DC),
     LV_0582_PRESTATIE_UNKNOWN, "prestatie", "CAKORX"},
    {"prestatie with a tab",
     LINE(F_REF, F_BSN, "\"prestatie\": \"CA\\tKO\", ", F_FROM, F_TO, F_MIN, F_DC),
     LV_0582_PRESTATIE_UNKNOWN, "prestatie", "CA?KO"},
    /* negative quantities reject the line, not the body */
    {"minutes negative", LINE(F_REF, F_BSN, F_PRE, F_FROM, F_TO, "\"minutes\": -1, ", F_DC),
     LV_0638_QUANTITY_INVALID, "minutes", "-1"},
    {"travel_cents negative",
     LINE(F_REF, F_BSN, F_PRE, F_FROM, F_TO, F_MIN, F_DC ", \"travel_cents\": -500"),
     LV_0638_QUANTITY_INVALID, "travel_cents", "-500"},
    {"minutes zero are validation's",
     LINE(F_REF, F_BSN, F_PRE, F_FROM, F_TO, "\"minutes\": 0, ", F_DC), 0, "", ""},
    {"BSN masked", LINE(F_REF, "\"client_bsn\": \"12345678\", ", F_PRE, F_FROM, F_TO, F_MIN, F_DC),
     LV_0435_BSN_INVALID, "client_bsn", "********"},
    {"date 30 February",
     LINE(F_REF, F_BSN, F_PRE, "\"date_from\": \"2026-02-30\", ", F_TO, F_MIN, F_DC),
     LV_8007_SERVICE_DATE_INVALID, "date_from"},
    {"date month 13",
     LINE(F_REF, F_BSN, F_PRE, F_FROM, "\"date_to\": \"2026-13-01\", ", F_MIN, F_DC),
     LV_8007_SERVICE_DATE_INVALID, "date_to"},
    {"date compact", LINE(F_REF, F_BSN, F_PRE, "\"date_from\": \"20261001\", ", F_TO, F_MIN, F_DC),
     LV_8007_SERVICE_DATE_INVALID, "date_from"},
    {"date with time",
     LINE(F_REF, F_BSN, F_PRE, "\"date_from\": \"2026-10-01T10:00:00Z\", ", F_TO, F_MIN, F_DC),
     LV_8007_SERVICE_DATE_INVALID, "date_from"},
    {"date missing", LINE(F_REF, F_BSN, F_PRE, F_FROM, "", F_MIN, F_DC), LV_9107_FIELD_MISSING,
     "date_to"},
    {"minutes missing", LINE(F_REF, F_BSN, F_PRE, F_FROM, F_TO, "", F_DC), LV_9107_FIELD_MISSING,
     "minutes"},
    {"debit_credit X", LINE(F_REF, F_BSN, F_PRE, F_FROM, F_TO, F_MIN, "\"debit_credit\": \"X\""),
     LV_0631_DEBIT_CREDIT_MISSING, "debit_credit"},
    {"debit_credit lower case",
     LINE(F_REF, F_BSN, F_PRE, F_FROM, F_TO, F_MIN, "\"debit_credit\": \"c\""),
     LV_0631_DEBIT_CREDIT_MISSING, "debit_credit"},
    {"debit_credit missing", LINE(F_REF, F_BSN, F_PRE, F_FROM, F_TO, "\"minutes\": 210", ""),
     LV_0631_DEBIT_CREDIT_MISSING, "debit_credit"},
    {"corrects_ref of 21",
     LINE(F_REF, F_BSN, F_PRE, F_FROM, F_TO, F_MIN,
          F_DC ", \"corrects_ref\": \"123456789012345678901\""),
     LV_9108_FIELD_INVALID, "corrects_ref"},
    {"corrects_ref empty string",
     LINE(F_REF, F_BSN, F_PRE, F_FROM, F_TO, F_MIN, F_DC ", \"corrects_ref\": \"\""), 0, ""},
    {"two defects: spec order wins",
     LINE(F_REF, "\"client_bsn\": \"1\", ", F_PRE, "\"date_from\": \"x\", ", F_TO, F_MIN, F_DC),
     LV_0435_BSN_INVALID, "client_bsn"},
};

START_TEST(value_defects)
{
    const value_case *c = &VALUES[_i];
    char body[1024];
    snprintf(body, sizeof body,
             "{\"provider_agb\": \"41000001\", \"reference\": \"2026-10-A\", \"lines\": [%s, %s]}",
             GOOD_LINE, c->line);
    lv_error err = {0};
    decl_submission *sub = parse(body, strlen(body), 0, &err);
    ck_assert_msg(sub != NULL, "%s: rejected: %s", c->name, err.message);
    ck_assert_uint_eq(sub->n_lines, 2);
    ck_assert_int_eq(sub->lines[0].parse_code, 0);
    const decl_line *l = &sub->lines[1];
    ck_assert_int_eq(l->source_line_no, 2);
    ck_assert_msg(l->parse_code == c->parse_code, "%s: parse_code %d", c->name, l->parse_code);
    ck_assert_str_eq(l->parse_field, c->parse_field);
    if (c->parse_value)
        ck_assert_str_eq(l->parse_value, c->parse_value);
    decl_submission_free(sub);
}
END_TEST

START_TEST(null_inputs)
{
    ck_assert_ptr_null(json_decl_parse(NULL, 5, 0, NULL));
    ck_assert_ptr_null(json_decl_parse("{}", 2, 0, NULL));
}
END_TEST

static Suite *json_decl_suite(void)
{
    Suite *s = suite_create("json_decl");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, valid_body_every_field);
    tcase_add_loop_test(tc, rejected_whole, 0, N_CASES(REJECTS));
    tcase_add_loop_test(tc, value_defects, 0, N_CASES(VALUES));
    tcase_add_test(tc, null_inputs);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(json_decl_suite)
