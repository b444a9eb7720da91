/*
 * check_json_shape.c: Check suite for lib/json_shape.c, the first pass that bounds a JSON
 * submission before jansson builds it. A table of bodies: those that pass (whether or not
 * they are valid JSON: syntax is the parser's business) and those refused, with code, line
 * and field; then the hostile body of the security review, built at full size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_shape.h"
#include "unit_runner.h"

static const char *const TOP[] = {"provider_agb", "reference", "lines", NULL};
static const char *const LINE[] = {"line_ref",  "client_bsn",   "minutes",
                                   "date_from", "corrects_ref", NULL};

typedef struct {
    const char *name;
    const char *body;
    size_t max_items;
    lv_code code; /* LV_OK: passes */
    int line_no;
    const char *field;
    const char *message; /* a part the message must hold, or NULL */
} shape_case;

static const shape_case CASES[] = {
    /* passes */
    {"a submission",
     "{\"provider_agb\": \"41000001\", \"reference\": \"R\", \"lines\": "
     "[{\"line_ref\": \"1\", \"minutes\": 210, \"corrects_ref\": null}]}",
     10, LV_OK, 0, "", NULL},
    {"empty object", "{}", 10, LV_OK, 0, "", NULL},
    {"empty body", "   ", 10, LV_OK, 0, "", NULL},
    {"a string at the top", "\"hello\"", 10, LV_OK, 0, "", NULL},
    {"not JSON", "{provider_agb: 1}", 10, LV_OK, 0, "", NULL},
    {"broken off", "{\"lines\": [{\"minutes\": 1}, {\"minutes\"", 10, LV_OK, 0, "", NULL},
    {"a line that is a number", "{\"lines\": [7]}", 10, LV_OK, 0, "", NULL},
    {"lines null", "{\"lines\": null}", 10, LV_OK, 0, "", NULL},
    {"lines a string", "{\"lines\": \"x\"}", 10, LV_OK, 0, "", NULL},
    {"exactly the limit", "{\"lines\": [{}, {}]}", 2, LV_OK, 0, "", NULL},
    {"no limit", "{\"lines\": [{}, {}, {}, {}]}", 0, LV_OK, 0, "", NULL},
    /* a name given twice: the parser refuses it (JSON_REJECT_DUPLICATES) at the first */
    {"a field twice", "{\"lines\": [{\"minutes\": 1, \"minutes\": 2}]}", 10, LV_OK, 0, "", NULL},
    /* a number the parser may refuse: the pass stops there, the parser names the field */
    {"a huge number, then an unknown field", "{\"lines\": [{\"minutes\": 1e400, \"x\": 1}]}", 10,
     LV_OK, 0, "", NULL},
    {"19 digits", "{\"lines\": [{\"minutes\": 1234567890123456789, \"x\": 1}]}", 10, LV_OK, 0, "",
     NULL},
    {"strings with escapes and brackets",
     "{\"reference\": \"a\\\"]}{[\\\\\", \"lines\": [{\"line_ref\": \"[{\\\"\"}]}", 10, LV_OK, 0,
     "", NULL},
    {"every line field",
     "{\"lines\": [{\"line_ref\": \"1\", \"client_bsn\": \"1\", \"minutes\": 1, "
     "\"date_from\": true, \"corrects_ref\": null}]}",
     10, LV_OK, 0, "", NULL},
    {"ends inside the array", "{\"lines\": [", 10, LV_OK, 0, "", NULL},
    {"ends after a name", "{\"lines\": [{\"minutes\": ", 10, LV_OK, 0, "", NULL},
    /* refused */
    {"an array at the top", "[{}]", 10, LV_9108_FIELD_INVALID, 0, "",
     "the body is not a JSON object"},
    {"unknown top-level field", "{\"reference\": \"R\", \"zorgkantoor\": [1, 2]}", 10,
     LV_9108_FIELD_INVALID, 0, "zorgkantoor", "zorgkantoor is not a known field"},
    {"escaped field name", "{\"lin\\u0065s\": []}", 10, LV_9108_FIELD_INVALID, 0, "lin\\u0065s",
     NULL},
    {"lines an object", "{\"lines\": {}}", 10, LV_9108_FIELD_INVALID, 0, "lines",
     "lines has the wrong type; expected an array"},
    {"reference an array", "{\"reference\": [1, 2, 3]}", 10, LV_9108_FIELD_INVALID, 0, "reference",
     "reference has the wrong type"},
    {"provider_agb an object", "{\"provider_agb\": {\"x\": 1}}", 10, LV_9108_FIELD_INVALID, 0,
     "provider_agb", NULL},
    {"one line too many", "{\"lines\": [{}, {}, {}]}", 2, LV_9207_TOO_MANY_LINES, 3, "lines",
     "lines: 3 lines, more than the 2 allowed"},
    {"too many, then anything", "{\"lines\": [{}, {}, [[[1]]], {\"a\": {\"b\": []}}, 5]}", 2,
     LV_9207_TOO_MANY_LINES, 3, "lines", "lines: 5 lines, more than the 2 allowed"},
    {"too many, then broken off", "{\"lines\": [{}, {}, {}, {}, {\"a\"", 2, LV_9207_TOO_MANY_LINES,
     3, "lines", "more than the 2 allowed"},
    {"a line that is an array", "{\"lines\": [{}, [1, 2]]}", 10, LV_9108_FIELD_INVALID, 2,
     "lines[1]", "lines[1] is not an object"},
    {"an unknown field in a line", "{\"lines\": [{}, {\"minutes\": 5, \"travel_cent\": [1]}]}", 10,
     LV_9108_FIELD_INVALID, 2, "lines[1].travel_cent", "lines[1].travel_cent is not a known field"},
    {"an escaped known name is unknown", "{\"lines\": [{\"minut\\u0065s\": 5}]}", 10,
     LV_9108_FIELD_INVALID, 1, "lines[0].minut\\u0065s", NULL},
    {"a small real is read on", "{\"lines\": [{\"minutes\": 1.5, \"x\": 1}]}", 10,
     LV_9108_FIELD_INVALID, 1, "lines[0].x", "lines[0].x is not a known field"},
    {"a value that is an array", "{\"lines\": [{}, {}, {\"date_from\": [2026, 10, 1]}]}", 10,
     LV_9108_FIELD_INVALID, 3, "lines[2].date_from", "lines[2].date_from has the wrong type"},
    {"a value that is an object", "{\"lines\": [{\"minutes\": {}}]}", 10, LV_9108_FIELD_INVALID, 1,
     "lines[0].minutes", "expected a single value, not an object"},
};

START_TEST(shape_cases)
{
    const shape_case *c = &CASES[_i];
    json_shape shape = {TOP, "lines", c->max_items, LINE};
    lv_error err = {0};
    bool ok = json_shape_check(c->body, strlen(c->body), &shape, &err);
    if (c->code == LV_OK) {
        ck_assert_msg(ok, "%s: refused: %s", c->name, err.message);
        return;
    }
    ck_assert_msg(!ok, "%s: passed", c->name);
    ck_assert_msg(err.code == c->code, "%s: code %d, want %d (%s)", c->name, err.code, c->code,
                  err.message);
    ck_assert_msg(err.line_no == c->line_no, "%s: line %d, want %d", c->name, err.line_no,
                  c->line_no);
    ck_assert_msg(strcmp(err.field, c->field) == 0, "%s: field '%s', want '%s'", c->name, err.field,
                  c->field);
    if (c->message != NULL)
        ck_assert_msg(strstr(err.message, c->message) != NULL, "%s: message '%s' lacks '%s'",
                      c->name, err.message, c->message);
}
END_TEST

/* The body of the security review: 8 MiB of {"lines":[{},{},...]}, about 2.8 million empty
 * lines, refused from the text with the count, and without an error holder no crash. */
START_TEST(hostile_body)
{
    size_t size = 8u * 1024 * 1024;
    char *body = malloc(size + 1);
    ck_assert_ptr_nonnull(body);
    size_t len = (size_t)sprintf(body, "{\"lines\":[");
    size_t n = 0;
    while (len + 4 < size) {
        memcpy(body + len, n ? ",{}" : "{}", n ? 3 : 2);
        len += n ? 3 : 2;
        n++;
    }
    memcpy(body + len, "]}", 2);
    len += 2;
    json_shape shape = {TOP, "lines", 100000, LINE};
    lv_error err = {0};
    ck_assert(!json_shape_check(body, len, &shape, &err));
    ck_assert_int_eq(err.code, LV_9207_TOO_MANY_LINES);
    char want[96];
    snprintf(want, sizeof want, "lines: %zu lines, more than the 100000 allowed", n);
    ck_assert_str_eq(err.message, want);
    ck_assert(!json_shape_check(body, len, &shape, NULL));
    free(body);
}
END_TEST

static Suite *json_shape_suite(void)
{
    Suite *s = suite_create("json_shape");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, shape_cases, 0, N_CASES(CASES));
    tcase_add_test(tc, hostile_body);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(json_shape_suite)
