/*
 * check_json_spec.c: Check suite for lib/json_spec.c, the declarative decoder of small
 * request bodies (the alert acknowledgement's): each row is a body and what the decoder must
 * make of it, with the field it must name when it refuses.
 */
#include <string.h>

#include "json_spec.h"
#include "unit_runner.h"

typedef struct {
    const char *body;
    bool ok;
    const char *want_field;   /* refused: the field named */
    const char *want_message; /* refused: a part of the message */
    const char *want_by;      /* accepted: the value of "by" */
    const char *want_comment; /* accepted: the value of "comment" */
} spec_case;

static const spec_case cases[] = {
    {"{}", true, NULL, NULL, "default", ""},
    {"{\"by\": \"J. Jansen\"}", true, NULL, NULL, "J. Jansen", ""},
    {"{\"by\": null, \"comment\": null}", true, NULL, NULL, "default", ""},
    {"{\"by\": \"Zoë\", \"comment\": \"line one\\nline two\\tend\"}", true, NULL, NULL, "Zoë",
     "line one\nline two\tend"},
    {"{\"comment\": \"\"}", true, NULL, NULL, "default", ""},
    /* refused, naming the field */
    {"{\"coment\": \"typo\"}", false, "coment", "unknown field", NULL, NULL},
    {"{\"by\": 7}", false, "by", "must be a string", NULL, NULL},
    {"{\"by\": \"\"}", false, "by", "1 to 100 characters", NULL, NULL},
    {"{\"by\": \"   \"}", false, "by", "not blank", NULL, NULL},
    {"{\"by\": \"a\\nb\"}", false, "by", "control characters", NULL, NULL},
    /* jansson refuses an escaped NUL while parsing */
    {"{\"by\": \"a\\u0000b\"}", false, "body", "invalid JSON", NULL, NULL},
    {"{\"comment\": \"\\u0007\"}", false, "comment", "control characters", NULL, NULL},
    /* limits count characters, not bytes: 100 x "ë" (200 bytes) is fine, 101 is not */
    {"100 x e-umlaut", true, NULL, NULL, NULL, ""}, /* the body is built by the test */
    /* not a JSON object at all */
    {"[1]", false, "body", "JSON object", NULL, NULL},
    {"{\"by\": \"a\", \"by\": \"b\"}", false, "body", "invalid JSON", NULL, NULL},
    {"{", false, "body", "invalid JSON", NULL, NULL},
};

START_TEST(test_decode)
{
    const spec_case *c = &cases[_i];
    char body[1024];
    char many[512] = "";
    if (strcmp(c->body, "100 x e-umlaut") == 0) {
        for (int i = 0; i < 100; i++)
            strcat(many, "\xc3\xab");
        snprintf(body, sizeof body, "{\"by\": \"%s\"}", many);
    } else {
        snprintf(body, sizeof body, "%s", c->body);
    }
    const char *by = "default", *comment = "";
    const json_spec_text fields[] = {{"by", 1, 100, false, &by},
                                     {"comment", 0, 500, true, &comment}};
    lv_error err = {0};
    json_t *doc = json_spec_load(body, strlen(body), &err);
    bool ok = doc != NULL && json_spec_decode(doc, fields, 2, &err);
    ck_assert_msg(ok == c->ok, "%s: %s", body, err.message);
    if (ok) {
        ck_assert_str_eq(by, c->want_by ? c->want_by : many);
        ck_assert_str_eq(comment, c->want_comment);
    } else {
        ck_assert_int_eq(err.code, LV_HTTP_BAD_REQUEST);
        ck_assert_str_eq(err.field, c->want_field);
        ck_assert_msg(strstr(err.message, c->want_message) != NULL, "%s: %s", body, err.message);
    }
    json_decref(doc);
}
END_TEST

START_TEST(test_101_characters_refused)
{
    char body[1024] = "{\"by\": \"";
    for (int i = 0; i < 101; i++)
        strcat(body, "\xc3\xab");
    strcat(body, "\"}");
    const char *by = NULL;
    const json_spec_text fields[] = {{"by", 1, 100, false, &by}};
    lv_error err = {0};
    json_t *doc = json_spec_load(body, strlen(body), &err);
    ck_assert_ptr_nonnull(doc);
    ck_assert(!json_spec_decode(doc, fields, 1, &err));
    ck_assert_str_eq(err.field, "by");
    ck_assert_ptr_null(by);
    json_decref(doc);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("json_spec");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_decode, 0, N_CASES(cases));
    tcase_add_test(tc, test_101_characters_refused);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
